#include "store_lockout.h"

#include <string.h>

#include "store_booking.h"
#include "store_db.h"

/* Failures per key within a window, and until when the key is locked; seconds since the
 * epoch. Registered in store.c's BOOKING_STORE_MIGRATIONS. */
const char store_lockout_schema_1[] =
    "CREATE TABLE lockouts ("
    "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL"
    ") WITHOUT ROWID;";

static const char sql_lock_get[] =
    "SELECT failures, first_at, locked_until FROM lockouts WHERE key = ?1";
static const char sql_lock_put[] =
    "INSERT OR REPLACE INTO lockouts (key, failures, first_at, locked_until) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char sql_lock_del[] = "DELETE FROM lockouts WHERE key = ?1";
static const char sql_purge[] =
    "DELETE FROM lockouts WHERE first_at < ?1 AND locked_until < ?1";


struct lock_row {
    int failures;
    int64_t first_at, locked_until;
};

static int row_lock(sqlite3_stmt *st, void *ctx)
{
    struct lock_row *row = ctx;
    row->failures = sqlite3_column_int(st, 0);
    row->first_at = sqlite3_column_int64(st, 1);
    row->locked_until = sqlite3_column_int64(st, 2);
    return 0;
}

static int lock_get(struct store_booking *bs, const char *key, struct lock_row *row, bool *found,
                    struct cn_err *err)
{
    memset(row, 0, sizeof *row);
    sqlite3_stmt *st = store_stmt(store_booking_db(bs), sql_lock_get, err);
    if (st)
        store_bind_text(st, 1, key);
    return store_row(store_booking_db(bs), st, "reading a lockout", row_lock, row, found, err);
}

int store_booking_locked(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                         int64_t *until, struct cn_err *err)
{
    struct lock_row row;
    bool found;
    int rc = lock_get(bs, key, &row, &found, err);
    *locked = !rc && found && row.locked_until > now;
    *until = *locked ? row.locked_until : 0;
    return rc;
}

int store_booking_fail(struct store_booking *bs, const char *key, int64_t now, int max, int window,
                       int lock, int *failures, int64_t *until, struct cn_err *err)
{
    *failures = 0;
    *until = 0;
    int rc = store_begin(store_booking_db(bs), err);
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
    sqlite3_stmt *st = store_stmt(store_booking_db(bs), sql_lock_put, err);
    if (st) {
        store_bind_text(st, 1, key);
        sqlite3_bind_int(st, 2, row.failures);
        sqlite3_bind_int64(st, 3, row.first_at);
        sqlite3_bind_int64(st, 4, row.locked_until);
    }
    if ((rc = store_exec(store_booking_db(bs), st, "recording a failure", err)) || (rc = store_commit(store_booking_db(bs), err)))
        goto rollback;
    *failures = row.failures;
    *until = row.locked_until;
    return CN_OK;
rollback:
    store_rollback(store_booking_db(bs));
    return rc;
}

int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(store_booking_db(bs), sql_lock_del, err);
    if (st)
        store_bind_text(st, 1, key);
    return store_exec(store_booking_db(bs), st, "clearing failures", err);
}

int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_purge, err);
    if (st)
        sqlite3_bind_int64(st, 1, before);
    int rc = store_exec(s, st, "purging old lockouts", err);
    *deleted = rc ? 0 : store_changes(s);
    return rc;
}
