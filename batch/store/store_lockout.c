#include "store_lockout.h"

#include <stdio.h>
#include <string.h>

#include "store_booking.h"
#include "store_query.h"

/* Failures per key within a window, and until when the key is locked; seconds since the
 * epoch. Registered in store_schema.c's BOOKING_STORE_MIGRATIONS (and STORE_PG_MIGRATIONS). */
const char store_lockout_schema_1[] =
    "CREATE TABLE lockouts ("
    "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL"
    ") WITHOUT ROWID;";
const char store_lockout_schema_1_pg[] =
    "CREATE TABLE lockouts ("
    "  key text PRIMARY KEY, failures integer NOT NULL, first_at bigint NOT NULL,"
    "  locked_until bigint NOT NULL"
    ");";

static const struct store_sql sql_lock_get = {
    "SELECT failures, first_at, locked_until FROM lockouts WHERE key = ?1", NULL};
static const struct store_sql sql_lock_put = {
    "INSERT INTO lockouts (key, failures, first_at, locked_until) "
    "VALUES (?1, CAST(?2 AS INTEGER), CAST(?3 AS BIGINT), CAST(?4 AS BIGINT)) "
    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
    "first_at = excluded.first_at, locked_until = excluded.locked_until",
    NULL};
static const struct store_sql sql_lock_del = {"DELETE FROM lockouts WHERE key = ?1", NULL};

static const struct store_sql sql_lock_purge = {"DELETE FROM lockouts WHERE first_at < CAST(?1 AS "
                                                "BIGINT) AND locked_until < CAST(?1 AS BIGINT)",
                                                NULL};

struct lock_row {
    int failures;
    int64_t first_at, locked_until;
};

static int row_lock(struct store_query *q, void *ctx)
{
    struct lock_row *row = ctx;
    row->failures = (int)store_q_col_int(q, 0);
    row->first_at = store_q_col_int(q, 1);
    row->locked_until = store_q_col_int(q, 2);
    return 0;
}

static int lock_get(struct store_booking *bs, const char *key, struct lock_row *row, bool *found,
                    struct cn_err *err)
{
    memset(row, 0, sizeof *row);
    struct store_query *q = store_query(store_booking_db(bs), &sql_lock_get, err);
    store_q_text(q, 1, key);
    return store_q_row(q, "reading a lockout", row_lock, row, found, err);
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

static int fail_locked(struct store_booking *bs, const char *key, int64_t now, int max, int window,
                       int lock, int *failures, int64_t *until, struct cn_err *err)
{
    *failures = 0;
    *until = 0;
    int rc = store_begin(store_booking_db(bs), err);
    if (rc)
        return rc;
    /* Two nodes counting the same key's failures at once must not both read 4 and write 5:
     * the read and the write hold the key (store_lock_key). */
    char lock_key[300];
    snprintf(lock_key, sizeof lock_key, "lockout|%s", key);
    struct lock_row row;
    bool found;
    if ((rc = store_lock_key(store_booking_db(bs), lock_key, err)) ||
        (rc = lock_get(bs, key, &row, &found, err)))
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
    struct store_query *q = store_query(store_booking_db(bs), &sql_lock_put, err);
    store_q_text(q, 1, key);
    store_q_int(q, 2, row.failures);
    store_q_int(q, 3, row.first_at);
    store_q_int(q, 4, row.locked_until);
    if ((rc = store_q_exec(q, "recording a failure", err)) ||
        (rc = store_commit(store_booking_db(bs), err)))
        goto rollback;
    *failures = row.failures;
    *until = row.locked_until;
    return CN_OK;
rollback:
    store_rollback(store_booking_db(bs));
    return rc;
}

static int forget_locked(struct store_booking *bs, const char *key, struct cn_err *err)
{
    struct store_query *q = store_query(store_booking_db(bs), &sql_lock_del, err);
    store_q_text(q, 1, key);
    return store_q_exec(q, "clearing failures", err);
}

int store_booking_fail(struct store_booking *bs, const char *key, int64_t now, int max, int window,
                       int lock, int *failures, int64_t *until, struct cn_err *err)
{
    store_booking_write_begin();
    const int rc = fail_locked(bs, key, now, max, window, lock, failures, until, err);
    store_booking_write_end();
    return rc;
}

int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err)
{
    store_booking_write_begin();
    const int rc = forget_locked(bs, key, err);
    store_booking_write_end();
    return rc;
}

int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_lock_purge, err);
    store_q_int(q, 1, before);
    int rc = store_q_exec(q, "purging old lockouts", err);
    *deleted = rc ? 0 : store_q_changes(q);
    return rc;
}
