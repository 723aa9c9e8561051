/* store_db: what a store module (store_*.c, store_booking.c, ...) gets from the core:
 * cached prepared statements, binding, the one way to read rows, errors naming the
 * database. Must not be included outside the store layer: callers use the modules' headers.
 *
 * Adding your module's schema (bookings, postal dictionary, inserter results, ...):
 *  1. In your module's .c, define its SQL as a global array:
 *         const char store_booking_schema_2[] = "CREATE TABLE bookings (...); ...";
 *  2. Add ONE line at the end of STORE_MIGRATIONS in store_schema.c:
 *         X(2, booking, store_booking_schema_2)
 *     Its version is one above the last line's (or equal to it, to run in the same
 *     transaction as a line that lands together with yours). Never edit, reorder or remove
 *     a line that is in main: databases in the field have run it; change a table with a new
 *     line (ALTER TABLE ...). If a merge gives two branches the same new version, renumber
 *     the later one.
 *  3. store_open migrates on its next call; store_open_existing (the web service) refuses
 *     a database until the night or a CLI command has migrated it.
 * Statements: write each as a `static const char X[] = "..."` and get it with store_stmt();
 * bind with ?N parameters, never by pasting text into SQL. A rule (an order, when a flag
 * lifts) is a pure C function, not SQL: a statement that must apply it row by row calls it
 * through an SQL function listed in STORE_FUNCTIONS below. */
#ifndef CN_STORE_DB_H
#define CN_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"
#include "store_query.h" /* store_now, store_unique_violation: both backends */

/* SQL functions through which a statement hands row values to a pure C rule, so that policy
 * stays out of SQL strings: (name in SQL, arguments, C function defined in a store module).
 * Registered on every connection, deterministic and usable from top-level SQL only. */
#define STORE_FUNCTIONS(X)                                                                         \
    X(cn_print_key, 6, store_order_key_sql)                                                        \
    X(cn_returned_hold_kept, 7, store_resident_hold_sql)

#define DECLARE_FUNCTION(name, nargs, fn) void fn(sqlite3_context *, int, sqlite3_value **);
STORE_FUNCTIONS(DECLARE_FUNCTION)
#undef DECLARE_FUNCTION

/* The statement for sql, prepared on the connection's first use and kept: reset, bindings
 * cleared. The cache is keyed by the address of sql, which must have static storage.
 * NULL (err set) if it cannot be prepared, or if store_rows is walking it right now. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct cn_err *err);

/* Steps a statement that returns no rows, then resets it. */
int store_exec(struct store *s, sqlite3_stmt *st, const char *what, struct cn_err *err);

/* Reads one row: returns 0 to go on, STORE_STOP to end the walk without an error, anything
 * else stops the walk and is returned. */
#define STORE_STOP (-1)
typedef int (*store_row_fn)(sqlite3_stmt *st, void *ctx);

/* The one way to read rows: row(st, ctx) for each, then the statement is reset, so it
 * never holds a read transaction open. row may call other store functions, except ones
 * using this same statement. */
int store_rows(struct store *s, sqlite3_stmt *st, const char *what, store_row_fn row, void *ctx,
               struct cn_err *err);

/* store_rows for a lookup: row is called for the first row only; *found says if there was
 * one. */
int store_row(struct store *s, sqlite3_stmt *st, const char *what, store_row_fn row, void *ctx,
              bool *found, struct cn_err *err);

/* A store_row_fn for a single number: column 0 into *(int64_t *)ctx (NULL reads as 0). */
int store_row_int64(sqlite3_stmt *st, void *ctx);

/* Fails with "DB: what: SQLite's message". */
int store_fail(struct store *s, struct cn_err *err, const char *what);

int64_t store_last_id(struct store *s);
/* Rows the last statement changed. */
int store_changes(struct store *s);

/* Text is bound without a copy: it must live until the statement is reset. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* ISO text, as every date column holds; DATE_NONE binds NULL. */
void store_bind_date(sqlite3_stmt *st, int i, cn_date d);
cn_date store_column_date(sqlite3_stmt *st, int i);
/* Copies a text column into out, cut to cap - 1 bytes; NULL reads as "". */
void store_column_copy(sqlite3_stmt *st, int i, char *out, size_t cap);

#endif
