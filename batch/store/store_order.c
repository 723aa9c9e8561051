#include "store_order.h"

#include "store_db.h"

#include "printorder.h"

/* Per connection, never in the file: created on first use, so that a connection that never
 * sorts (the web service's) has none. */
static const char sql_create[] = "CREATE TEMP TABLE IF NOT EXISTS print_order ("
                                 "key INTEGER PRIMARY KEY, resident_id TEXT NOT NULL, "
                                 "cert_expiry INTEGER NOT NULL, held INTEGER NOT NULL)";
static const char sql_clear[] = "DELETE FROM temp.print_order";
static const char sql_add[] = "INSERT INTO temp.print_order (key, resident_id, cert_expiry, held) "
                              "VALUES (?1, ?2, ?3, ?4)";
/* The order is printorder_key's, through cn_print_key (STORE_FUNCTIONS). */
static const char sql_each[] =
    "SELECT o.key FROM temp.print_order o JOIN residents r ON r.resident_id = o.resident_id "
    "ORDER BY cn_print_key(o.held, r.postal_code, r.address, r.address2, o.resident_id, "
    "o.cert_expiry)";

void store_order_key_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct print_place p = {
        .held = sqlite3_value_int(argv[0]) != 0,
        .postal_code = (const char *)sqlite3_value_text(argv[1]),
        .address = (const char *)sqlite3_value_text(argv[2]),
        .address2 = (const char *)sqlite3_value_text(argv[3]),
        .resident_id = (const char *)sqlite3_value_text(argv[4]),
        .cert_expiry = (cn_date)sqlite3_value_int(argv[5]),
    };
    /* Fields within the input contract's limits fit the stack; a longer one costs a copy. */
    unsigned char buf[1024];
    const size_t n = printorder_key(&p, buf, sizeof buf);
    if (n <= sizeof buf) {
        sqlite3_result_blob(ctx, buf, (int)n, SQLITE_TRANSIENT);
        return;
    }
    unsigned char *big = sqlite3_malloc64(n);
    if (!big) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    printorder_key(&p, big, n);
    sqlite3_result_blob(ctx, big, (int)n, sqlite3_free);
}

int store_order_clear(struct store *s, struct cn_err *err)
{
    int rc = store_exec(s, store_stmt(s, sql_create, err), "sorting letters", err);
    return rc ? rc : store_exec(s, store_stmt(s, sql_clear, err), "sorting letters", err);
}

int store_order_add(struct store *s, int64_t key, const char *resident_id, cn_date cert_expiry,
                    bool held, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_add, err);
    if (st) {
        sqlite3_bind_int64(st, 1, key);
        store_bind_text(st, 2, resident_id);
        sqlite3_bind_int(st, 3, cert_expiry);
        sqlite3_bind_int(st, 4, held);
    }
    return store_exec(s, st, "sorting letters", err);
}

struct order_rows {
    int (*fn)(int64_t key, void *ctx);
    void *ctx;
};

static int row_key(sqlite3_stmt *st, void *ctx)
{
    const struct order_rows *o = ctx;
    return o->fn(sqlite3_column_int64(st, 0), o->ctx);
}

int store_order_each(struct store *s, int (*fn)(int64_t key, void *ctx), void *ctx,
                     struct cn_err *err)
{
    struct order_rows o = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_each, err), "sorting letters", row_key, &o, err);
}
