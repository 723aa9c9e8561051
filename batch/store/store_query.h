/* store_query: the booking store's statements on either backend, SQLite or PostgreSQL: one
 * C module per concept, one copy of each rule, SQL text per dialect only where the dialects
 * differ. Must not be included outside the store layer, and must not build SQL from values:
 * every value is a bound parameter of a prepared statement.
 *
 * The seam (why it looks like this):
 *  - A statement is a `static const struct store_sql` holding its SQLite text and, where
 *    PostgreSQL needs other words, its PostgreSQL text (pg NULL: the same text; ?N is
 *    read as $N in either). Both dialects share ON CONFLICT, RETURNING, partial indexes and CAST,
 *    which covers most statements; the clock is bound from C (store_now), never
 *    datetime('now') or now(), so rows read the same on both.
 *  - store_query() hands out the statement prepared on this connection (prepared once per
 *    connection and kept: sqlite3_prepare_v3 on SQLite, PQprepare on PostgreSQL), its
 *    bindings cleared. Values are copied when bound.
 *  - Rows are read by callback (store_q_rows/store_q_row) and columns by number, as on
 *    SQLite: on PostgreSQL the whole result is fetched by PQexecPrepared (text format) and
 *    walked the same way.
 *  - Transactions are store.h's store_begin/commit/rollback on both. On SQLite the
 *    outermost is BEGIN IMMEDIATE: one writer at a time holds the database. On PostgreSQL it
 *    is BEGIN (READ COMMITTED): each statement sees what committed before it started, and a
 *    rule that reads then writes serialises itself with store_lock_key() on what it reads.
 *  - A failure names the database; store_unavailable() says the server could not be reached
 *    (the web pages answer 503 with the phone number, and the connection is re-established
 *    on its next use), store_unique_violation() that a UNIQUE index refused a row.
 * One connection (struct store) belongs to one thread at a time on both backends. */
#ifndef CN_STORE_QUERY_H
#define CN_STORE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"

struct store_sql {
    const char *lite; /* SQLite's text (?N parameters) */
    const char *pg;   /* PostgreSQL's, when it differs (NULL: lite); in both, ?N is $N */
};

/* Parameters a statement may have. */
#define STORE_Q_PARAMS 16

struct store_query;

/* The statement sql (static storage: it is the cache's key), prepared on the connection's
 * first use and kept, its bindings cleared. NULL (err set) if it cannot be prepared, or if
 * its rows are being read right now. */
struct store_query *store_query(struct store *s, const struct store_sql *sql, struct cn_err *err);

/* Bindings, ?1 = i 1. Each is copied. A NULL text or DATE_NONE binds NULL. q may be NULL
 * (store_query failed): nothing happens, and the exec or walk returns the error. */
void store_q_text(struct store_query *q, int i, const char *v);
void store_q_int(struct store_query *q, int i, int64_t v);
void store_q_date(struct store_query *q, int i, cn_date d);

/* Runs a statement that returns no rows (or whose rows are not read). */
int store_q_exec(struct store_query *q, const char *what, struct cn_err *err);

/* Reads one row: 0 to go on, STORE_Q_STOP to end the walk without an error, anything else
 * stops the walk and is returned. */
#define STORE_Q_STOP (-1)
typedef int (*store_q_row_fn)(struct store_query *q, void *ctx);
/* row(q, ctx) for each row; row may run other statements, not this one. */
int store_q_rows(struct store_query *q, const char *what, store_q_row_fn row, void *ctx,
                 struct cn_err *err);
/* The first row only; *found says if there was one. */
int store_q_row(struct store_query *q, const char *what, store_q_row_fn row, void *ctx, bool *found,
                struct cn_err *err);
/* A store_q_row_fn for one number: column 0 into *(int64_t *)ctx (NULL reads 0). */
int store_q_int64(struct store_query *q, void *ctx);

/* Columns of the row being read, from 0. A NULL text reads NULL. */
const char *store_q_col_text(struct store_query *q, int i);
int64_t store_q_col_int(struct store_query *q, int i);
cn_date store_q_col_date(struct store_query *q, int i);
/* Copies a text column into out, cut to cap - 1 bytes; NULL reads "". */
void store_q_col_copy(struct store_query *q, int i, char *out, size_t cap);

/* Rows the statement's last run changed. */
int store_q_changes(struct store_query *q);

/* Inside a transaction: waits until no other transaction holds key, and holds it until this
 * one ends. SQLite: nothing to do, store_begin's BEGIN IMMEDIATE holds the whole database
 * already. PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of key (two keys
 * with one hash only wait for each other). */
int store_lock_key(struct store *s, const char *key, struct cn_err *err);

/* Now in UTC as datetime('now') writes it ("YYYY-MM-DD HH:MM:SS"), for a column written
 * per row; valid until the next call. */
const char *store_now(struct store *s);

/* The last failure was a UNIQUE constraint (a retry may succeed with other values). */
bool store_unique_violation(struct store *s);

/* The last failure was the server lost or unreachable (PostgreSQL; never on SQLite). */
bool store_unavailable(struct store *s);

/* Which backend the connection is on. */
bool store_is_pg(const struct store *s);

#endif
