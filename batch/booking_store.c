#include "booking_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slots.h"

/* One active booking per ID is the partial unique index, not a check in C: the database
 * refuses a second one even from two processes at once. Day and start are text so that
 * IT can read the table with the sqlite3 shell. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS bookings ("
    "  id INTEGER PRIMARY KEY,"
    "  rid TEXT NOT NULL, office TEXT NOT NULL,"
    "  day TEXT NOT NULL, start TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('active','cancelled')),"
    "  by_whom TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, cancelled_at TEXT"
    ");"
    "CREATE UNIQUE INDEX IF NOT EXISTS bookings_one_active ON bookings(rid)"
    "  WHERE status = 'active';"
    "CREATE INDEX IF NOT EXISTS bookings_slot ON bookings(office, day, start)"
    "  WHERE status = 'active';"
    "CREATE TABLE IF NOT EXISTS lockouts ("
    "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL"
    ") WITHOUT ROWID;";

enum bstmt {
    B_BEGIN_IMMEDIATE,
    B_COMMIT,
    B_ROLLBACK,
    B_RESIDENT,
    B_ACTIVE,
    B_TAKEN,
    B_COUNT,
    B_INSERT,
    B_CANCEL,
    B_EACH,
    B_LOCK_GET,
    B_LOCK_PUT,
    B_LOCK_DEL,
    B_COUNT_ALL
};

#define BOOKING_COLS "id, rid, office, day, start, status, by_whom"

static const char *const sql[B_COUNT_ALL] = {
    [B_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [B_COMMIT] = "COMMIT",
    [B_ROLLBACK] = "ROLLBACK",
    [B_RESIDENT] = "SELECT n.rid, n.cert_expiry, r.run_date, p.district, p.birth_date, p.status "
                   "FROM notices n JOIN residents p ON p.resident_id = n.resident_id "
                   "LEFT JOIN runs r ON r.id = n.run_id WHERE n.rid = ?1",
    [B_ACTIVE] = "SELECT " BOOKING_COLS " FROM bookings WHERE rid = ?1 AND status = 'active'",
    [B_TAKEN] = "SELECT day, start, count(*) FROM bookings WHERE office = ?1 AND day >= ?2 "
                "AND day <= ?3 AND status = 'active' GROUP BY day, start",
    [B_COUNT] = "SELECT count(*) FROM bookings WHERE office = ?1 AND day = ?2 AND start = ?3 "
                "AND status = 'active'",
    [B_INSERT] = "INSERT INTO bookings (rid, office, day, start, status, by_whom, created_at) "
                 "VALUES (?1, ?2, ?3, ?4, 'active', ?5, strftime('%Y-%m-%d %H:%M:%S','now'))",
    [B_CANCEL] = "UPDATE bookings SET status = 'cancelled', "
                 "cancelled_at = strftime('%Y-%m-%d %H:%M:%S','now') "
                 "WHERE id = ?1 AND rid = ?2 AND status = 'active'",
    [B_EACH] = "SELECT " BOOKING_COLS " FROM bookings WHERE status = 'active' "
               "AND (?1 IS NULL OR office = ?1) AND (?2 IS NULL OR day = ?2) "
               "ORDER BY day, start, office, id",
    [B_LOCK_GET] = "SELECT failures, first_at, locked_until FROM lockouts WHERE key = ?1",
    [B_LOCK_PUT] = "INSERT OR REPLACE INTO lockouts (key, failures, first_at, locked_until) "
                   "VALUES (?1, ?2, ?3, ?4)",
    [B_LOCK_DEL] = "DELETE FROM lockouts WHERE key = ?1",
};

struct booking_store {
    sqlite3 *db;
    char path[512];
    sqlite3_stmt *st[B_COUNT_ALL];
};

static int db_fail(struct booking_store *bs, struct cn_err *err, const char *what)
{
    return cn_fail(err, CN_EOUTPUT, "%s: %s: %s", bs->path, what,
                   bs->db ? sqlite3_errmsg(bs->db) : "no connection");
}

/* A booking page waits this long for the nightly job's write transaction to end rather
 * than show an error; the night's transactions are short. */
#define BUSY_TIMEOUT_MS 10000

int booking_store_open(const char *path, struct booking_store **out, struct cn_err *err)
{
    *out = NULL;
    struct booking_store *bs = calloc(1, sizeof *bs);
    if (!bs)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    snprintf(bs->path, sizeof bs->path, "%s", path);
    int rc = CN_OK;
    /* No SQLITE_OPEN_CREATE: a missing database means the night never ran here. */
    if (sqlite3_open_v2(path, &bs->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = cn_fail(err, CN_EUSAGE, "%s: cannot open the database (has the nightly job run?)",
                     path);
        goto fail;
    }
    sqlite3_busy_timeout(bs->db, BUSY_TIMEOUT_MS);
    sqlite3_stmt *check = NULL;
    if (sqlite3_exec(bs->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                     "PRAGMA foreign_keys = ON;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(bs->db, "SELECT 1 FROM sqlite_master WHERE name = 'notices'", -1, &check,
                           NULL) != SQLITE_OK) {
        rc = db_fail(bs, err, "cannot set up the database");
        goto fail;
    }
    bool has_notices = sqlite3_step(check) == SQLITE_ROW;
    sqlite3_finalize(check);
    if (!has_notices) {
        rc = cn_fail(err, CN_EUSAGE, "%s: no notices table (run the nightly job first)", path);
        goto fail;
    }
    char *msg = NULL;
    if (sqlite3_exec(bs->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(bs->db, schema, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(bs->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: creating the booking tables: %s", path,
                     msg ? msg : "failed");
        sqlite3_free(msg);
        sqlite3_exec(bs->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    for (int i = 0; i < B_COUNT_ALL; i++) {
        if (sqlite3_prepare_v3(bs->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &bs->st[i], NULL) !=
            SQLITE_OK) {
            rc = db_fail(bs, err, "preparing a statement");
            goto fail;
        }
    }
    *out = bs;
    return CN_OK;
fail:
    booking_store_close(bs);
    return rc;
}

void booking_store_close(struct booking_store *bs)
{
    if (!bs)
        return;
    for (int i = 0; i < B_COUNT_ALL; i++)
        sqlite3_finalize(bs->st[i]);
    sqlite3_close(bs->db);
    free(bs);
}

static sqlite3_stmt *use(struct booking_store *bs, enum bstmt which)
{
    sqlite3_stmt *st = bs->st[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static void bind_day(sqlite3_stmt *st, int i, cn_date d)
{
    char iso[11];
    if (d == DATE_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    date_format_iso(d, iso);
    sqlite3_bind_text(st, i, iso, 10, SQLITE_TRANSIENT);
}

static void bind_start(sqlite3_stmt *st, int i, int min)
{
    char hhmm[6];
    slots_format_hhmm(min, hhmm);
    sqlite3_bind_text(st, i, hhmm, 5, SQLITE_TRANSIENT);
}

static cn_date column_day(sqlite3_stmt *st, int i)
{
    cn_date d;
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && date_parse_iso(v, &d) ? d : DATE_NONE;
}

static void column_copy(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", v ? v : "");
}

int booking_store_resident(struct booking_store *bs, const char *rid, struct booking_resident *out,
                           bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_RESIDENT);
    bind_text(st, 1, rid);
    memset(out, 0, sizeof *out);
    *found = false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        column_copy(st, 0, out->rid, sizeof out->rid);
        out->cert_expiry = column_day(st, 1);
        out->letter_date = column_day(st, 2);
        column_copy(st, 3, out->district, sizeof out->district);
        cn_date birth = column_day(st, 4);
        int y = 0;
        if (birth != DATE_NONE)
            date_to_ymd(birth, &y, &out->birth_month, &out->birth_day);
        const char *status = (const char *)sqlite3_column_text(st, 5);
        out->active = status && strcmp(status, "active") == 0;
    }
    int out_rc =
        rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(bs, err, "reading a notice");
    sqlite3_reset(st);
    return out_rc;
}

void booking_ref(int64_t id, char out[BOOKING_REF_LEN])
{
    snprintf(out, BOOKING_REF_LEN, "Y%06lld", (long long)id);
}

static void read_booking(sqlite3_stmt *st, struct booking *b)
{
    memset(b, 0, sizeof *b);
    b->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, b->rid, sizeof b->rid);
    column_copy(st, 2, b->office, sizeof b->office);
    b->day = column_day(st, 3);
    const char *start = (const char *)sqlite3_column_text(st, 4);
    if (!start || !slots_parse_hhmm(start, &b->start_min))
        b->start_min = -1;
    const char *status = (const char *)sqlite3_column_text(st, 5);
    b->status = status && strcmp(status, "active") == 0 ? BOOKING_ACTIVE : BOOKING_CANCELLED;
    column_copy(st, 6, b->by, sizeof b->by);
}

int booking_store_active(struct booking_store *bs, const char *rid, struct booking *out,
                         bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_ACTIVE);
    bind_text(st, 1, rid);
    *found = false;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        read_booking(st, out);
    }
    int out_rc =
        rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(bs, err, "reading a booking");
    sqlite3_reset(st);
    return out_rc;
}

int booking_store_taken(struct booking_store *bs, const char *office, cn_date from, cn_date to,
                        void (*fn)(cn_date day, int start_min, int taken, void *ctx), void *ctx,
                        struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_TAKEN);
    bind_text(st, 1, office);
    bind_day(st, 2, from);
    bind_day(st, 3, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int start;
        const char *s = (const char *)sqlite3_column_text(st, 1);
        cn_date day = column_day(st, 0);
        if (day != DATE_NONE && s && slots_parse_hhmm(s, &start))
            fn(day, start, sqlite3_column_int(st, 2), ctx);
    }
    int out_rc = rc == SQLITE_DONE ? CN_OK : db_fail(bs, err, "counting bookings");
    sqlite3_reset(st);
    return out_rc;
}

/* Runs a statement that returns no rows; changes: rows changed (may be NULL). */
static int exec_step(struct booking_store *bs, sqlite3_stmt *st, const char *what, int *changes,
                     struct cn_err *err)
{
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? CN_OK : db_fail(bs, err, what);
    if (changes)
        *changes = sqlite3_changes(bs->db);
    sqlite3_reset(st);
    return out;
}

int booking_store_take(struct booking_store *bs, const struct take_request *req,
                       struct booking *out, enum take_result *result, struct cn_err *err)
{
    *result = TAKE_FULL;
    int rc = exec_step(bs, use(bs, B_BEGIN_IMMEDIATE), "starting a booking", NULL, err);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if (req->replace_id) {
        st = use(bs, B_CANCEL);
        sqlite3_bind_int64(st, 1, req->replace_id);
        bind_text(st, 2, req->rid);
        if ((rc = exec_step(bs, st, "replacing a booking", NULL, err)))
            goto rollback;
    }
    st = use(bs, B_COUNT);
    bind_text(st, 1, req->office);
    bind_day(st, 2, req->day);
    bind_start(st, 3, req->start_min);
    int step = sqlite3_step(st);
    int taken = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW) {
        rc = db_fail(bs, err, "counting a slot's bookings");
        goto rollback;
    }
    if (taken >= req->seats) {
        *result = TAKE_FULL;
        goto rollback;
    }
    st = use(bs, B_INSERT);
    bind_text(st, 1, req->rid);
    bind_text(st, 2, req->office);
    bind_day(st, 3, req->day);
    bind_start(st, 4, req->start_min);
    bind_text(st, 5, req->by);
    step = sqlite3_step(st);
    const int ext = sqlite3_extended_errcode(bs->db);
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        if (ext == SQLITE_CONSTRAINT_UNIQUE) {
            *result = TAKE_HAS_BOOKING;
            goto rollback;
        }
        rc = db_fail(bs, err, "inserting a booking");
        goto rollback;
    }
    const int64_t id = sqlite3_last_insert_rowid(bs->db);
    if ((rc = exec_step(bs, use(bs, B_COMMIT), "committing a booking", NULL, err)))
        goto rollback;
    *result = TAKE_OK;
    memset(out, 0, sizeof *out);
    out->id = id;
    snprintf(out->rid, sizeof out->rid, "%s", req->rid);
    snprintf(out->office, sizeof out->office, "%s", req->office);
    snprintf(out->by, sizeof out->by, "%s", req->by);
    out->day = req->day;
    out->start_min = req->start_min;
    out->status = BOOKING_ACTIVE;
    return CN_OK;
rollback:
    sqlite3_step(use(bs, B_ROLLBACK));
    sqlite3_reset(bs->st[B_ROLLBACK]);
    return rc;
}

int booking_store_cancel(struct booking_store *bs, const char *rid, int64_t id, bool *done,
                         struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_CANCEL);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, rid);
    int changes = 0;
    int rc = exec_step(bs, st, "cancelling a booking", &changes, err);
    *done = rc == CN_OK && changes == 1;
    return rc;
}

int booking_store_each(struct booking_store *bs, const char *office, cn_date day,
                       int (*fn)(const struct booking *b, void *ctx), void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_EACH);
    bind_text(st, 1, office);
    bind_day(st, 2, day);
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct booking b;
        read_booking(st, &b);
        if ((out = fn(&b, ctx)) != 0)
            break;
    }
    if (out == CN_OK && rc != SQLITE_DONE)
        out = db_fail(bs, err, "listing bookings");
    sqlite3_reset(st);
    return out;
}

/* ---- lockouts ---- */

struct lock_row {
    int failures;
    int64_t first_at, locked_until;
};

static int lock_get(struct booking_store *bs, const char *key, struct lock_row *row, bool *found,
                    struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_LOCK_GET);
    bind_text(st, 1, key);
    memset(row, 0, sizeof *row);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found) {
        row->failures = sqlite3_column_int(st, 0);
        row->first_at = sqlite3_column_int64(st, 1);
        row->locked_until = sqlite3_column_int64(st, 2);
    }
    int out = rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(bs, err, "reading a lockout");
    sqlite3_reset(st);
    return out;
}

int booking_store_locked(struct booking_store *bs, const char *key, int64_t now, bool *locked,
                         int64_t *until, struct cn_err *err)
{
    struct lock_row row;
    bool found;
    int rc = lock_get(bs, key, &row, &found, err);
    *locked = !rc && found && row.locked_until > now;
    *until = *locked ? row.locked_until : 0;
    return rc;
}

int booking_store_fail(struct booking_store *bs, const char *key, int64_t now, int max, int window,
                       int lock, int *failures, int64_t *until, struct cn_err *err)
{
    *failures = 0;
    *until = 0;
    int rc = exec_step(bs, use(bs, B_BEGIN_IMMEDIATE), "starting a lockout update", NULL, err);
    if (rc)
        return rc;
    struct lock_row row;
    bool found;
    if ((rc = lock_get(bs, key, &row, &found, err)))
        goto rollback;
    /* A lock that has run out, or failures older than the window, start a fresh count. */
    if (!found || row.first_at + window <= now || (row.locked_until && row.locked_until <= now)) {
        row.failures = 0;
        row.first_at = now;
        row.locked_until = 0;
    }
    if (row.locked_until <= now) {
        row.failures++;
        if (row.failures >= max)
            row.locked_until = now + lock;
    }
    sqlite3_stmt *st = use(bs, B_LOCK_PUT);
    bind_text(st, 1, key);
    sqlite3_bind_int(st, 2, row.failures);
    sqlite3_bind_int64(st, 3, row.first_at);
    sqlite3_bind_int64(st, 4, row.locked_until);
    if ((rc = exec_step(bs, st, "recording a failure", NULL, err)) ||
        (rc = exec_step(bs, use(bs, B_COMMIT), "committing a failure", NULL, err)))
        goto rollback;
    *failures = row.failures;
    *until = row.locked_until;
    return CN_OK;
rollback:
    sqlite3_step(use(bs, B_ROLLBACK));
    sqlite3_reset(bs->st[B_ROLLBACK]);
    return rc;
}

int booking_store_forget(struct booking_store *bs, const char *key, struct cn_err *err)
{
    sqlite3_stmt *st = use(bs, B_LOCK_DEL);
    bind_text(st, 1, key);
    return exec_step(bs, st, "clearing failures", NULL, err);
}
