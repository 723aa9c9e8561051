#include "store_lockout.h"

#include <stdio.h>
#include <string.h>

#include "store.h"
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

/* Reads key's row for a write: the read and the write that follows hold the key, so that
 * two nodes (or two connections) counting the same key at once do not both read 4 and
 * write 5 (store_lock_key). Runs inside the caller's transaction. */
static int lock_read(struct store_booking *bs, const char *key, struct lock_row *row, bool *found,
                     struct cn_err *err)
{
    char lock_key[300];
    snprintf(lock_key, sizeof lock_key, "lockout|%s", key);
    int rc = store_lock_key(store_booking_db(bs), lock_key, err);
    return rc ? rc : lock_get(bs, key, row, found, err);
}

static int lock_write(struct store_booking *bs, const char *key, const struct lock_row *row,
                      struct cn_err *err)
{
    struct store_query *q = store_query(store_booking_db(bs), &sql_lock_put, err);
    store_q_text(q, 1, key);
    store_q_int(q, 2, row->failures);
    store_q_int(q, 3, row->first_at);
    store_q_int(q, 4, row->locked_until);
    return store_q_exec(q, "recording an attempt", err);
}

int store_booking_attempt(struct store_booking *bs, const char *key, int64_t now, int max,
                          int window, int lock, bool *allowed, int *count, int64_t *until,
                          struct cn_err *err)
{
    *allowed = false;
    *count = 0;
    *until = 0;
    struct store *s = store_booking_db(bs);
    int rc = store_begin_lazy(s, err); /* a count lost to a power cut costs nothing */
    if (rc)
        return rc;
    struct lock_row row;
    bool found;
    if ((rc = lock_read(bs, key, &row, &found, err)))
        goto rollback;
    /* A lock that has run out, or attempts older than the window, start a fresh count. */
    if (!found || row.first_at + window <= now || (row.locked_until && row.locked_until <= now)) {
        row.failures = 0;
        row.first_at = now;
        row.locked_until = 0;
    }
    if (row.locked_until > now) {
        /* locked: nothing counted, nothing written */
        store_rollback(s);
        *count = row.failures;
        *until = row.locked_until;
        return CN_OK;
    }
    row.failures++;
    if (row.failures >= max)
        row.locked_until = now + lock; /* at once: attempts in parallel are refused from now */
    if ((rc = lock_write(bs, key, &row, err)) || (rc = store_commit(s, err)))
        goto rollback;
    *allowed = true;
    *count = row.failures;
    *until = row.locked_until;
    return CN_OK;
rollback:
    store_rollback(s);
    return rc;
}

int store_booking_refund(struct store_booking *bs, const char *key, int max, struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    int rc = store_begin_lazy(s, err);
    if (rc)
        return rc;
    struct lock_row row;
    bool found;
    if ((rc = lock_read(bs, key, &row, &found, err)))
        goto rollback;
    if (found && row.failures > 0) {
        row.failures--;
        if (row.failures < max)
            row.locked_until = 0;
        if ((rc = lock_write(bs, key, &row, err)))
            goto rollback;
    }
    if ((rc = store_commit(s, err)))
        goto rollback;
    return CN_OK;
rollback:
    store_rollback(s);
    return rc;
}

int store_booking_lock_until(struct store_booking *bs, const char *key, int64_t until,
                             struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    struct lock_row row;
    bool found;
    if ((rc = lock_read(bs, key, &row, &found, err)))
        goto rollback;
    if (!found)
        row.first_at = until;
    if (row.locked_until < until) {
        row.locked_until = until;
        if ((rc = lock_write(bs, key, &row, err)))
            goto rollback;
    }
    if ((rc = store_commit(s, err)))
        goto rollback;
    return CN_OK;
rollback:
    store_rollback(s);
    return rc;
}

int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    int rc = store_begin_lazy(s, err);
    if (rc)
        return rc;
    struct store_query *q = store_query(s, &sql_lock_del, err);
    store_q_text(q, 1, key);
    if ((rc = store_q_exec(q, "clearing failures", err)) || (rc = store_commit(s, err)))
        store_rollback(s);
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
