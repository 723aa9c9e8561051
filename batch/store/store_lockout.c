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
/* Two keys' locks at ?3 in one read (?2 NULL: one key): a page asks for the ID's and the
 * client's together. */
static const struct store_sql sql_locks_get = {
    "SELECT key, locked_until FROM lockouts WHERE key IN (?1, ?2) "
    "AND locked_until > CAST(?3 AS BIGINT)",
    NULL};
static const struct store_sql sql_lock_put = {
    "INSERT INTO lockouts (key, failures, first_at, locked_until) "
    "VALUES (?1, CAST(?2 AS INTEGER), CAST(?3 AS BIGINT), CAST(?4 AS BIGINT)) "
    "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
    "first_at = excluded.first_at, locked_until = excluded.locked_until",
    NULL};

/* Attempts, counted in one statement, on one key or two (?6 NULL: one): ?1 and ?6 the keys,
 * ?2 now, ?3-?5 the first key's max, window and lock (seconds), ?7-?9 the second's. A new
 * key starts at 1. An existing one starts again at 1 when its first failure is older than
 * the window or its lock has run out, else counts on; the max-th locks it for `lock`.
 * While locked (the DO UPDATE's WHERE) nothing is written and no row comes back. The
 * conflict's row lock (PostgreSQL re-reads the newest version under it; SQLite has one
 * writer) is what keeps attempts in parallel from all reading 4 and writing 5: no read
 * before the write, no explicit lock, one round trip. The rows are locked in the order
 * given, and every caller gives its pair in one order (the ID's key, then the client's):
 * two pairs never wait on each other crosswise. */
#define LOCK_OF(first, second)                                                                     \
    "(CASE WHEN lockouts.key = ?1 THEN CAST(" first " AS BIGINT) ELSE CAST(" second                \
    " AS BIGINT) END)"
#define LOCK_MAX LOCK_OF("?3", "?7")
#define LOCK_FRESH                                                                                 \
    "(lockouts.first_at + " LOCK_OF("?4", "?8") " <= CAST(?2 AS BIGINT) "                          \
                                                "OR lockouts.locked_until <> 0)"
#define LOCK_NEXT "CASE WHEN " LOCK_FRESH " THEN 1 ELSE lockouts.failures + 1 END"
static const struct store_sql sql_lock_attempt = {
    "INSERT INTO lockouts (key, failures, first_at, locked_until) "
    "SELECT k, 1, CAST(?2 AS BIGINT), CASE WHEN 1 >= mx THEN CAST(?2 AS BIGINT) + lk ELSE 0 END "
    "FROM (SELECT CAST(?1 AS TEXT) AS k, CAST(?3 AS BIGINT) AS mx, CAST(?5 AS BIGINT) AS lk "
    "UNION ALL SELECT CAST(?6 AS TEXT), CAST(?7 AS BIGINT), CAST(?9 AS BIGINT)) AS v "
    "WHERE k IS NOT NULL "
    "ON CONFLICT (key) DO UPDATE SET failures = " LOCK_NEXT ", "
    "first_at = CASE WHEN " LOCK_FRESH " THEN excluded.first_at ELSE lockouts.first_at END, "
    "locked_until = CASE WHEN " LOCK_NEXT " >= " LOCK_MAX " "
    "THEN CAST(?2 AS BIGINT) + " LOCK_OF("?5",
                                         "?9") " ELSE 0 END "
                                               "WHERE lockouts.locked_until <= CAST(?2 AS BIGINT) "
                                               "RETURNING key, failures, locked_until",
    NULL};
/* A refund: one failure fewer, and a lock the count had reached lifted (?2 max). */
static const struct store_sql sql_lock_refund = {
    "UPDATE lockouts SET failures = failures - 1, locked_until = CASE WHEN failures - 1 < "
    "CAST(?2 AS INTEGER) THEN 0 ELSE locked_until END WHERE key = ?1 AND failures > 0",
    NULL};
/* A right answer in one statement: ?1's failures forgotten (0 failures, first_at 0: the
 * next attempt starts afresh, as on no row, and the sweep takes the row), and ?2's attempt
 * refunded as sql_lock_refund (?3 its max). */
static const struct store_sql sql_lock_settle = {
    "UPDATE lockouts SET failures = CASE WHEN key = ?1 THEN 0 ELSE failures - 1 END, "
    "first_at = CASE WHEN key = ?1 THEN 0 ELSE first_at END, "
    "locked_until = CASE WHEN key = ?1 OR failures - 1 < CAST(?3 AS INTEGER) THEN 0 "
    "ELSE locked_until END "
    "WHERE key = ?1 OR (key = ?2 AND failures > 0)",
    NULL};

/* A right answer, forgetting ?1's failures unless ?1 or ?2 is locked at ?3; answers the
 * locked keys with their ends, as sql_locks_get. PostgreSQL in one statement (the CTE's read
 * and the update see one snapshot; a failure counted meanwhile is forgotten with the rest,
 * as a settle forgets it); SQLite, which has no UPDATE in a WITH, runs sql_locks_get then
 * sql_lock_forget in one transaction. */
static const struct store_sql sql_lock_pass = {"SELECT 1", /* never run on SQLite */
                                               LOCKOUT_PASS_WITH " " LOCKOUT_PASS_ENDS};
static const struct store_sql sql_lock_forget = {
    "UPDATE lockouts SET failures = 0, first_at = 0, locked_until = 0 "
    "WHERE key = ?1 AND failures > 0",
    NULL};

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

/* A counted attempt's row: into the try of its key. */
static int row_counted(struct store_query *q, void *ctx)
{
    struct lockout_try **tries = ctx;
    const char *key = store_q_col_text(q, 0);
    for (int i = 0; i < 2; i++)
        if (tries[i] && key && strcmp(tries[i]->key, key) == 0) {
            tries[i]->allowed = true;
            tries[i]->count = (int)store_q_col_int(q, 1);
            tries[i]->until = store_q_col_int(q, 2);
        }
    return 0;
}

struct lock_ends {
    const char *a, *b;
    int64_t *until_a, *until_b;
};

static int row_lock_end(struct store_query *q, void *ctx)
{
    struct lock_ends *e = ctx;
    const char *key = store_q_col_text(q, 0);
    if (key && strcmp(key, e->a) == 0)
        *e->until_a = store_q_col_int(q, 1);
    else if (key && e->b && strcmp(key, e->b) == 0)
        *e->until_b = store_q_col_int(q, 1);
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

int store_lockout_ends(struct store_query *q, const char *what, const char *a, const char *b,
                       int64_t now, int64_t *until_a, int64_t *until_b, struct cn_err *err)
{
    int64_t ignored = 0;
    *until_a = 0;
    if (!until_b)
        until_b = &ignored;
    *until_b = 0;
    store_q_text(q, 1, a);
    store_q_text(q, 2, b);
    store_q_int(q, 3, now);
    struct lock_ends e = {a, b, until_a, until_b};
    return store_q_rows(q, what, row_lock_end, &e, err);
}

int store_booking_locked(struct store_booking *bs, const char *a, const char *b, int64_t now,
                         int64_t *until_a, int64_t *until_b, struct cn_err *err)
{
    struct store_query *q = store_query(store_booking_db(bs), &sql_locks_get, err);
    return store_lockout_ends(q, "reading lockouts", a, b, now, until_a, until_b, err);
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

/* A write of one statement, atomic by itself: on PostgreSQL alone (BEGIN and COMMIT would be
 * two more round trips); on SQLite in a lazy transaction, whose commit skips the fsync (a
 * count lost to a power cut costs nothing). one_end commits or rolls back by rc. */
static int one_begin(struct store *s, struct cn_err *err)
{
    return store_is_pg(s) ? CN_OK : store_begin_lazy(s, err);
}

static int one_end(struct store *s, int rc, struct cn_err *err)
{
    if (store_is_pg(s))
        return rc;
    if (rc == CN_OK && (rc = store_commit(s, err)) == CN_OK)
        return CN_OK;
    store_rollback(s);
    return rc;
}

int store_booking_attempts(struct store_booking *bs, struct lockout_try *a, struct lockout_try *b,
                           int64_t now, struct cn_err *err)
{
    struct lockout_try *tries[2] = {a, b};
    for (int i = 0; i < 2; i++)
        if (tries[i]) {
            tries[i]->allowed = false;
            tries[i]->count = 0;
            tries[i]->until = 0;
        }
    struct store *s = store_booking_db(bs);
    int rc = one_begin(s, err);
    if (rc)
        return rc;
    struct store_query *q = store_query(s, &sql_lock_attempt, err);
    store_q_text(q, 1, a->key);
    store_q_int(q, 2, now);
    store_q_int(q, 3, a->max);
    store_q_int(q, 4, a->window);
    store_q_int(q, 5, a->lock);
    store_q_text(q, 6, b ? b->key : NULL);
    store_q_int(q, 7, b ? b->max : 0);
    store_q_int(q, 8, b ? b->window : 0);
    store_q_int(q, 9, b ? b->lock : 0);
    rc = store_q_rows(q, "recording an attempt", row_counted, tries, err);
    if ((rc = one_end(s, rc, err)) || (a->allowed && (!b || b->allowed)))
        return rc;
    /* Locked: nothing counted on that key. The lock's end for the page (a read after the
     * write: a lock lifted in between still refuses this attempt, which was never
     * compared). */
    struct lockout_try *refused = !a->allowed ? a : b;
    struct lock_row row;
    bool found;
    if ((rc = lock_get(bs, refused->key, &row, &found, err)))
        return rc;
    refused->count = row.failures;
    refused->until = row.locked_until > now ? row.locked_until : now + 1;
    if (b && !a->allowed && !b->allowed) {
        if ((rc = lock_get(bs, b->key, &row, &found, err)))
            return rc;
        b->count = row.failures;
        b->until = row.locked_until > now ? row.locked_until : now + 1;
    }
    return CN_OK;
}

int store_booking_attempt(struct store_booking *bs, const char *key, int64_t now, int max,
                          int window, int lock, bool *allowed, int *count, int64_t *until,
                          struct cn_err *err)
{
    struct lockout_try t = {.max = max, .window = window, .lock = lock};
    snprintf(t.key, sizeof t.key, "%s", key);
    int rc = store_booking_attempts(bs, &t, NULL, now, err);
    *allowed = t.allowed;
    *count = t.count;
    *until = t.until;
    return rc;
}

int store_booking_refund(struct store_booking *bs, const char *key, int max, struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    int rc = one_begin(s, err);
    if (rc)
        return rc;
    struct store_query *q = store_query(s, &sql_lock_refund, err);
    store_q_text(q, 1, key);
    store_q_int(q, 2, max);
    return one_end(s, store_q_exec(q, "refunding an attempt", err), err);
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

int store_booking_settle(struct store_booking *bs, const char *forget, const char *refund,
                         int refund_max, struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    int rc = one_begin(s, err);
    if (rc)
        return rc;
    struct store_query *q = store_query(s, &sql_lock_settle, err);
    store_q_text(q, 1, forget);
    store_q_text(q, 2, refund);
    store_q_int(q, 3, refund_max);
    return one_end(s, store_q_exec(q, "settling attempts", err), err);
}

int store_booking_pass(struct store_booking *bs, const char *a, const char *b, int64_t now,
                       int64_t *until_a, int64_t *until_b, struct cn_err *err)
{
    struct store *s = store_booking_db(bs);
    if (!store_is_pg(s)) {
        int rc = one_begin(s, err);
        if (rc || (rc = store_booking_locked(bs, a, b, now, until_a, until_b, err)) || *until_a ||
            (until_b && *until_b))
            return one_end(s, rc, err);
        struct store_query *q = store_query(s, &sql_lock_forget, err);
        store_q_text(q, 1, a);
        return one_end(s, store_q_exec(q, "forgetting failures", err), err);
    }
    struct store_query *q = store_query(s, &sql_lock_pass, err);
    return store_lockout_ends(q, "taking a right answer", a, b, now, until_a, until_b, err);
}

int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_lock_purge, err);
    store_q_int(q, 1, before);
    int rc = store_q_exec(q, "purging old lockouts", err);
    *deleted = rc ? 0 : store_q_changes(q);
    return rc;
}
