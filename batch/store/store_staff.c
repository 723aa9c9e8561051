#include "store_staff.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"

/* The counter's accounts: a KDF hash, never a password. Registered in store_schema.c's
 * BOOKING_STORE_MIGRATIONS. */
const char store_staff_schema_1[] =
    "CREATE TABLE staff ("
    "  name TEXT PRIMARY KEY, office TEXT NOT NULL, hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, changed_at TEXT NOT NULL"
    ") WITHOUT ROWID;";

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

/* What the counter checks a card against outside: the birth month and day, from the feed;
 * names are inside only (certnotice daylist). */
static const char sql_day[] =
    "SELECT b.id, b.rid, b.start, b.by_whom, b.attendance, b.attended_at, f.birth_mmdd,"
    " b.closure_id FROM bookings b LEFT JOIN feed f ON f.rid = b.rid"
    " WHERE b.office = ?1 AND b.day = ?2 AND b.status = 'active' ORDER BY b.start, b.id";
static const char sql_mark[] =
    "UPDATE bookings SET attendance = ?3, attended_at = datetime('now'), "
    "changed_at = datetime('now') "
    "WHERE id = ?1 AND office = ?2 AND status = 'active'";

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
    char mmdd[8];
    store_column_copy(st, 6, mmdd, sizeof mmdd);
    if (strlen(mmdd) == 4) {
        d.birth_month = (mmdd[0] - '0') * 10 + (mmdd[1] - '0');
        d.birth_day = (mmdd[2] - '0') * 10 + (mmdd[3] - '0');
    }
    d.closure_id = sqlite3_column_int64(st, 7);
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
