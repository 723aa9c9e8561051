#include "store_staff.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"

/* The counter's tables; its actions join the night's audit table (store_run.c), with who
 * did them and from where. Sessions keep a digest of the token, never the token, and end
 * with their account. Closures keep whole minutes (0..1440) so that a whole day is one
 * row; bookings a closure hits point at it and stay active until staff have called.
 * Registered in store_schema.c's STORE_MIGRATIONS. */
const char store_staff_schema_7[] =
    "CREATE TABLE staff ("
    "  name TEXT PRIMARY KEY, office TEXT NOT NULL, hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, changed_at TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE staff_sessions ("
    "  digest TEXT PRIMARY KEY, staff TEXT NOT NULL, csrf TEXT NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_sessions_staff ON staff_sessions(staff);"
    "ALTER TABLE audit ADD COLUMN who TEXT;"
    "ALTER TABLE audit ADD COLUMN client TEXT;"
    "CREATE TABLE closures ("
    "  id INTEGER PRIMARY KEY, office TEXT NOT NULL, day TEXT NOT NULL,"
    "  from_min INTEGER NOT NULL, to_min INTEGER NOT NULL CHECK (to_min > from_min),"
    "  reason TEXT NOT NULL, by_whom TEXT NOT NULL, created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX closures_day ON closures(office, day);"
    "CREATE TABLE seat_changes ("
    "  id INTEGER PRIMARY KEY, office TEXT NOT NULL, first_day TEXT NOT NULL,"
    "  last_day TEXT NOT NULL, seats INTEGER NOT NULL CHECK (seats >= 0),"
    "  by_whom TEXT NOT NULL, created_at TEXT NOT NULL"
    ");"
    "ALTER TABLE bookings ADD COLUMN closure_id INTEGER;";

static const char sql_add[] = "INSERT INTO staff (name, office, hash, created_at, changed_at) "
                              "VALUES (?1, ?2, ?3, datetime('now'), datetime('now')) "
                              "ON CONFLICT (name) DO NOTHING";
static const char sql_passwd[] =
    "UPDATE staff SET hash = ?2, changed_at = datetime('now') WHERE name = ?1";
static const char sql_remove[] = "DELETE FROM staff WHERE name = ?1";
static const char sql_end_all[] = "DELETE FROM staff_sessions WHERE staff = ?1";
static const char sql_get[] =
    "SELECT name, office, hash, created_at, changed_at FROM staff WHERE name = ?1";
static const char sql_each[] =
    "SELECT name, office, hash, created_at, changed_at FROM staff ORDER BY name";

static const char sql_sess_new[] =
    "INSERT INTO staff_sessions (digest, staff, csrf, last_seen) VALUES (?1, ?2, ?3, ?4)";
static const char sql_sess_get[] =
    "SELECT ss.digest, ss.csrf, ss.staff, s.office, ss.last_seen FROM staff_sessions ss "
    "JOIN staff s ON s.name = ss.staff WHERE ss.digest = ?1";
static const char sql_sess_touch[] = "UPDATE staff_sessions SET last_seen = ?2 WHERE digest = ?1";
static const char sql_sess_end[] = "DELETE FROM staff_sessions WHERE digest = ?1";

static const char sql_audit[] = "INSERT INTO audit (at, who, event, detail, client) "
                                "VALUES (datetime('now'), ?1, ?2, ?3, ?4)";
static const char sql_each_audit[] = "SELECT id, at, who, event, detail, client FROM audit "
                                     "ORDER BY id DESC LIMIT ?1";

static const char sql_day[] =
    "SELECT b.id, b.rid, b.start, b.by_whom, b.attendance, b.attended_at, p.name, p.name_kana,"
    " p.birth_date, b.closure_id FROM bookings b LEFT JOIN notices n ON n.rid = b.rid"
    " LEFT JOIN residents p ON p.resident_id = n.resident_id"
    " WHERE b.office = ?1 AND b.day = ?2 AND b.status = 'active' ORDER BY b.start, b.id";
static const char sql_mark[] = "UPDATE bookings SET attendance = ?3, attended_at = datetime('now') "
                               "WHERE id = ?1 AND office = ?2 AND status = 'active'";

#define START_MIN                                                                                  \
    "(CAST(substr(start, 1, 2) AS INTEGER) * 60 + CAST(substr(start, 4, 2) AS INTEGER))"
static const char sql_close[] =
    "INSERT INTO closures (office, day, from_min, to_min, reason, by_whom, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, datetime('now'))";
static const char sql_flag[] =
    "UPDATE bookings SET closure_id = ?1 WHERE office = ?2 AND day = ?3 "
    "AND status = 'active' AND " START_MIN " < ?5 AND " START_MIN " + ?6 > ?4";
static const char sql_seats[] =
    "INSERT INTO seat_changes (office, first_day, last_day, seats, by_whom, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, datetime('now'))";
static const char sql_closures_in[] =
    "SELECT day, from_min, to_min FROM closures WHERE office = ?1 AND day >= ?2 AND day <= ?3";
static const char sql_seats_in[] =
    "SELECT first_day, last_day, seats FROM seat_changes WHERE office = ?1 AND last_day >= ?2 "
    "AND first_day <= ?3 ORDER BY id DESC";
static const char sql_each_closure[] =
    "SELECT id, office, day, from_min, to_min, reason, by_whom FROM closures "
    "WHERE (?1 IS NULL OR office = ?1) AND day >= ?2 ORDER BY day, from_min, id";
static const char sql_each_hit[] =
    "SELECT b.id, b.closure_id, b.rid, b.office, b.day, b.start, c.reason FROM bookings b "
    "JOIN closures c ON c.id = b.closure_id WHERE b.status = 'active' "
    "AND (?1 IS NULL OR b.office = ?1) AND b.day >= ?2 ORDER BY b.day, b.start, b.id";

bool staff_name_ok(const char *name)
{
    size_t n = 0;
    for (; name && name[n]; n++) {
        const char c = name[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n >= 1 && n < STAFF_NAME_MAX;
}

/* Whether the statement just run changed a row. */
static int changed(struct store *s, bool *any, struct cn_err *err)
{
    (void)err;
    *any = store_changes(s) > 0;
    return CN_OK;
}

int store_staff_add(struct store *s, const char *name, const char *office, const char *hash,
                    bool *exists, struct cn_err *err)
{
    *exists = false;
    sqlite3_stmt *st = store_stmt(s, sql_add, err);
    if (st) {
        store_bind_text(st, 1, name);
        store_bind_text(st, 2, office);
        store_bind_text(st, 3, hash);
    }
    bool added = false;
    int rc = store_exec(s, st, "adding a staff account", err);
    if (!rc)
        rc = changed(s, &added, err);
    *exists = !rc && !added;
    return rc;
}

static int end_all(struct store *s, const char *name, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_end_all, err);
    if (st)
        store_bind_text(st, 1, name);
    return store_exec(s, st, "ending an account's sessions", err);
}

/* One statement on an account by name, then its sessions end, in one transaction. */
static int account_change(struct store *s, const char *sql, const char *name, const char *hash,
                          const char *what, bool *found, struct cn_err *err)
{
    *found = false;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql, err);
    if (st) {
        store_bind_text(st, 1, name);
        if (hash)
            store_bind_text(st, 2, hash);
    }
    if ((rc = store_exec(s, st, what, err)) || (rc = changed(s, found, err)) ||
        (rc = end_all(s, name, err)) || (rc = store_commit(s, err))) {
        store_rollback(s);
        return rc;
    }
    return CN_OK;
}

int store_staff_passwd(struct store *s, const char *name, const char *hash, bool *found,
                       struct cn_err *err)
{
    return account_change(s, sql_passwd, name, hash, "changing a password", found, err);
}

int store_staff_remove(struct store *s, const char *name, bool *found, struct cn_err *err)
{
    return account_change(s, sql_remove, name, NULL, "removing a staff account", found, err);
}

static int row_account(sqlite3_stmt *st, void *ctx)
{
    struct staff_account *a = ctx;
    store_column_copy(st, 0, a->name, sizeof a->name);
    store_column_copy(st, 1, a->office, sizeof a->office);
    store_column_copy(st, 2, a->hash, sizeof a->hash);
    store_column_copy(st, 3, a->created, sizeof a->created);
    store_column_copy(st, 4, a->changed, sizeof a->changed);
    return 0;
}

int store_staff_get(struct store *s, const char *name, struct staff_account *out, bool *found,
                    struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_get, err);
    if (st)
        store_bind_text(st, 1, name);
    return store_row(s, st, "reading a staff account", row_account, out, found, err);
}

struct each_account {
    int (*fn)(const struct staff_account *a, void *ctx);
    void *ctx;
};

static int row_each_account(sqlite3_stmt *st, void *ctx)
{
    const struct each_account *e = ctx;
    struct staff_account a;
    memset(&a, 0, sizeof a);
    row_account(st, &a);
    const int rc = e->fn(&a, e->ctx);
    explicit_bzero(a.hash, sizeof a.hash);
    return rc;
}

int store_staff_each(struct store *s, int (*fn)(const struct staff_account *a, void *ctx),
                     void *ctx, struct cn_err *err)
{
    struct each_account e = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_each, err), "listing staff accounts", row_each_account,
                      &e, err);
}

/* ---- sessions ---- */

int store_staff_session_new(struct store *s, const struct staff_session *ss, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_sess_new, err);
    if (st) {
        store_bind_text(st, 1, ss->digest);
        store_bind_text(st, 2, ss->staff);
        store_bind_text(st, 3, ss->csrf);
        sqlite3_bind_int64(st, 4, ss->last_seen);
    }
    return store_exec(s, st, "starting a staff session", err);
}

static int row_session(sqlite3_stmt *st, void *ctx)
{
    struct staff_session *ss = ctx;
    store_column_copy(st, 0, ss->digest, sizeof ss->digest);
    store_column_copy(st, 1, ss->csrf, sizeof ss->csrf);
    store_column_copy(st, 2, ss->staff, sizeof ss->staff);
    store_column_copy(st, 3, ss->office, sizeof ss->office);
    ss->last_seen = sqlite3_column_int64(st, 4);
    return 0;
}

int store_staff_session_end(struct store *s, const char *digest, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_sess_end, err);
    if (st)
        store_bind_text(st, 1, digest);
    return store_exec(s, st, "ending a staff session", err);
}

int store_staff_session_get(struct store *s, const char *digest, int64_t now, int idle,
                            struct staff_session *out, bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_sess_get, err);
    if (st)
        store_bind_text(st, 1, digest);
    int rc = store_row(s, st, "reading a staff session", row_session, out, found, err);
    if (rc || !*found)
        return rc;
    if (out->last_seen + idle <= now) {
        *found = false;
        return store_staff_session_end(s, digest, err);
    }
    st = store_stmt(s, sql_sess_touch, err);
    if (st) {
        store_bind_text(st, 1, digest);
        sqlite3_bind_int64(st, 2, now);
    }
    out->last_seen = now;
    return store_exec(s, st, "touching a staff session", err);
}

/* ---- audit ---- */

int store_staff_audit(struct store *s, const char *who, const char *action, const char *detail,
                      const char *client, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_audit, err);
    if (st) {
        store_bind_text(st, 1, who);
        store_bind_text(st, 2, action);
        store_bind_text(st, 3, detail);
        store_bind_text(st, 4, client);
    }
    return store_exec(s, st, "writing the audit", err);
}

struct each_audit {
    int (*fn)(const struct audit_row *a, void *ctx);
    void *ctx;
};

static int row_audit(sqlite3_stmt *st, void *ctx)
{
    const struct each_audit *e = ctx;
    struct audit_row a;
    a.id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, a.at, sizeof a.at);
    store_column_copy(st, 2, a.who, sizeof a.who);
    store_column_copy(st, 3, a.action, sizeof a.action);
    store_column_copy(st, 4, a.detail, sizeof a.detail);
    store_column_copy(st, 5, a.client, sizeof a.client);
    return e->fn(&a, e->ctx);
}

int store_staff_each_audit(struct store *s, int newest,
                           int (*fn)(const struct audit_row *a, void *ctx), void *ctx,
                           struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_each_audit, err);
    if (st)
        sqlite3_bind_int(st, 1, newest);
    struct each_audit e = {fn, ctx};
    return store_rows(s, st, "reading the audit", row_audit, &e, err);
}

/* ---- the day list ---- */

static const char *const attendance_names[] = {"", "arrived", "done", "no_show"};

const char *attendance_name(enum attendance a)
{
    return a >= ATTEND_NONE && a <= ATTEND_NO_SHOW ? attendance_names[a] : "";
}

bool attendance_parse(const char *s, enum attendance *out)
{
    for (int i = ATTEND_ARRIVED; s && i <= ATTEND_NO_SHOW; i++)
        if (strcmp(s, attendance_names[i]) == 0) {
            *out = (enum attendance)i;
            return true;
        }
    return false;
}

struct each_day {
    int (*fn)(const struct day_entry *e, void *ctx);
    void *ctx;
};

static int row_day(sqlite3_stmt *st, void *ctx)
{
    const struct each_day *e = ctx;
    struct day_entry d;
    memset(&d, 0, sizeof d);
    d.id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, d.rid, sizeof d.rid);
    const char *start = (const char *)sqlite3_column_text(st, 2);
    if (!start || !slots_parse_hhmm(start, &d.start_min))
        d.start_min = -1;
    store_column_copy(st, 3, d.by, sizeof d.by);
    const char *a = (const char *)sqlite3_column_text(st, 4);
    if (!attendance_parse(a, &d.attendance))
        d.attendance = ATTEND_NONE;
    store_column_copy(st, 5, d.attended_at, sizeof d.attended_at);
    store_column_copy(st, 6, d.name, sizeof d.name);
    store_column_copy(st, 7, d.kana, sizeof d.kana);
    d.birth = store_column_date(st, 8);
    d.closure_id = sqlite3_column_int64(st, 9);
    const int rc = e->fn(&d, e->ctx);
    explicit_bzero(&d, sizeof d);
    return rc;
}

int store_staff_day(struct store *s, const char *office, cn_date day,
                    int (*fn)(const struct day_entry *e, void *ctx), void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_day, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, day);
    }
    struct each_day e = {fn, ctx};
    return store_rows(s, st, "reading the day list", row_day, &e, err);
}

int store_staff_mark(struct store *s, int64_t id, const char *office, enum attendance a, bool *done,
                     struct cn_err *err)
{
    *done = false;
    sqlite3_stmt *st = store_stmt(s, sql_mark, err);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        store_bind_text(st, 2, office);
        store_bind_text(st, 3, attendance_name(a));
    }
    int rc = store_exec(s, st, "marking a booking", err);
    return rc ? rc : changed(s, done, err);
}

/* ---- closures and seat changes ---- */

int store_staff_close(struct store *s, const char *office, cn_date day, int from_min, int to_min,
                      int slot_min, const char *reason, const char *by, int64_t *id, int *hit,
                      struct cn_err *err)
{
    *id = 0;
    *hit = 0;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql_close, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, day);
        sqlite3_bind_int(st, 3, from_min);
        sqlite3_bind_int(st, 4, to_min);
        store_bind_text(st, 5, reason);
        store_bind_text(st, 6, by);
    }
    if ((rc = store_exec(s, st, "closing slots", err)))
        goto rollback;
    *id = store_last_id(s);
    st = store_stmt(s, sql_flag, err);
    if (st) {
        sqlite3_bind_int64(st, 1, *id);
        store_bind_text(st, 2, office);
        store_bind_date(st, 3, day);
        sqlite3_bind_int(st, 4, from_min);
        sqlite3_bind_int(st, 5, to_min);
        sqlite3_bind_int(st, 6, slot_min);
    }
    if ((rc = store_exec(s, st, "flagging the bookings a closure hits", err)))
        goto rollback;
    *hit = store_changes(s);
    if ((rc = store_commit(s, err)))
        goto rollback;
    return CN_OK;
rollback:
    store_rollback(s);
    *id = 0;
    *hit = 0;
    return rc;
}

int store_staff_set_seats(struct store *s, const char *office, cn_date first, cn_date last,
                          int seats, const char *by, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_seats, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
        sqlite3_bind_int(st, 4, seats);
        store_bind_text(st, 5, by);
    }
    return store_exec(s, st, "changing seats", err);
}

static int row_closure_in(sqlite3_stmt *st, void *ctx)
{
    struct slot_changes *c = ctx;
    if (c->n_closures >= SLOT_MAX_CHANGES)
        return STORE_STOP;
    c->closure[c->n_closures].day = store_column_date(st, 0);
    c->closure[c->n_closures].from_min = sqlite3_column_int(st, 1);
    c->closure[c->n_closures].to_min = sqlite3_column_int(st, 2);
    c->n_closures++;
    return 0;
}

static int row_seats_in(sqlite3_stmt *st, void *ctx)
{
    struct slot_changes *c = ctx;
    if (c->n_seats >= SLOT_MAX_CHANGES)
        return STORE_STOP;
    c->seats[c->n_seats].first = store_column_date(st, 0);
    c->seats[c->n_seats].last = store_column_date(st, 1);
    c->seats[c->n_seats].seats = sqlite3_column_int(st, 2);
    c->n_seats++;
    return 0;
}

int store_staff_changes(struct store *s, const char *office, cn_date first, cn_date last,
                        struct slot_changes *out, struct cn_err *err)
{
    out->n_closures = out->n_seats = 0;
    sqlite3_stmt *st = store_stmt(s, sql_closures_in, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
    }
    int rc = store_rows(s, st, "reading closures", row_closure_in, out, err);
    if (rc)
        return rc;
    st = store_stmt(s, sql_seats_in, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
    }
    return store_rows(s, st, "reading seat changes", row_seats_in, out, err);
}

struct each_closure {
    int (*fn)(const struct closure_row *c, void *ctx);
    void *ctx;
};

static int row_each_closure(sqlite3_stmt *st, void *ctx)
{
    const struct each_closure *e = ctx;
    struct closure_row c;
    c.id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, c.office, sizeof c.office);
    c.day = store_column_date(st, 2);
    c.from_min = sqlite3_column_int(st, 3);
    c.to_min = sqlite3_column_int(st, 4);
    store_column_copy(st, 5, c.reason, sizeof c.reason);
    store_column_copy(st, 6, c.by, sizeof c.by);
    return e->fn(&c, e->ctx);
}

int store_staff_each_closure(struct store *s, const char *office, cn_date from,
                             int (*fn)(const struct closure_row *c, void *ctx), void *ctx,
                             struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_each_closure, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
    }
    struct each_closure e = {fn, ctx};
    return store_rows(s, st, "listing closures", row_each_closure, &e, err);
}

struct each_hit {
    int (*fn)(const struct hit_row *h, void *ctx);
    void *ctx;
};

static int row_each_hit(sqlite3_stmt *st, void *ctx)
{
    const struct each_hit *e = ctx;
    struct hit_row h;
    h.booking_id = sqlite3_column_int64(st, 0);
    h.closure_id = sqlite3_column_int64(st, 1);
    store_column_copy(st, 2, h.rid, sizeof h.rid);
    store_column_copy(st, 3, h.office, sizeof h.office);
    h.day = store_column_date(st, 4);
    const char *start = (const char *)sqlite3_column_text(st, 5);
    if (!start || !slots_parse_hhmm(start, &h.start_min))
        h.start_min = -1;
    store_column_copy(st, 6, h.reason, sizeof h.reason);
    return e->fn(&h, e->ctx);
}

int store_staff_each_hit(struct store *s, const char *office, cn_date from,
                         int (*fn)(const struct hit_row *h, void *ctx), void *ctx,
                         struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_each_hit, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
    }
    struct each_hit e = {fn, ctx};
    return store_rows(s, st, "listing the bookings closures hit", row_each_hit, &e, err);
}
