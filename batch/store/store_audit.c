#include "store_audit.h"

#include <string.h>

#include "store_db.h"

/* The same columns as the night's audit table (store_run.c and its version 7), so that one
 * reader serves both. Registered in store_schema.c's BOOKING_STORE_MIGRATIONS. */
const char store_audit_schema_1[] =
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT, event TEXT NOT NULL,"
    "  detail TEXT NOT NULL, client TEXT"
    ");"
    "CREATE INDEX audit_at ON audit(at);";

static const char sql_audit[] = "INSERT INTO audit (at, who, event, detail, client) "
                                "VALUES (datetime('now'), ?1, ?2, ?3, ?4)";
static const char sql_each_audit[] = "SELECT id, at, who, event, detail, client FROM audit "
                                     "ORDER BY id DESC LIMIT ?1";

static const char sql_purge[] = "DELETE FROM audit WHERE at < ?1";

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

int store_audit_purge(struct store *s, cn_date before, long *deleted, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_purge, err);
    if (st)
        store_bind_date(st, 1, before);
    int rc = store_exec(s, st, "purging the old audit", err);
    *deleted = rc ? 0 : store_changes(s);
    return rc;
}
