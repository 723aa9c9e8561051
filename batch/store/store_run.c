#include "store_run.h"

#include <string.h>

#include "store_db.h"

const char store_run_schema_1[] =
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY, run_date TEXT NOT NULL, command TEXT NOT NULL,"
    "  started_at TEXT NOT NULL, finished_at TEXT, exit_code INTEGER, summary TEXT"
    ");"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL"
    ");";

static const char sql_begin[] = "INSERT INTO runs (run_date, command, started_at) "
                                "VALUES (?1, ?2, datetime('now'))";
static const char sql_finish[] = "UPDATE runs SET finished_at = datetime('now'), exit_code = ?2, "
                                 "summary = ?3 WHERE id = ?1";
static const char sql_each[] = "SELECT id, run_date, command, started_at, finished_at, exit_code, "
                               "summary FROM runs ORDER BY id DESC LIMIT ?1";
static const char sql_each_failed[] =
    "SELECT id, run_date, command, started_at, finished_at, exit_code, summary FROM runs "
    "WHERE finished_at IS NULL OR exit_code >= 2 ORDER BY id DESC LIMIT ?1";
static const char sql_audit[] =
    "INSERT INTO audit (at, event, detail) VALUES (datetime('now'), ?1, ?2)";

int store_run_begin(struct store *s, cn_date run_date, const char *command, int64_t *run_id,
                    struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_begin, err);
    if (st) {
        store_bind_date(st, 1, run_date);
        store_bind_text(st, 2, command);
    }
    int rc = store_exec(s, st, "recording the run", err);
    *run_id = rc ? 0 : store_last_id(s);
    return rc;
}

int store_run_finish(struct store *s, int64_t run_id, int exit_code, const char *summary,
                     struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_finish, err);
    if (st) {
        sqlite3_bind_int64(st, 1, run_id);
        sqlite3_bind_int(st, 2, exit_code);
        store_bind_text(st, 3, summary);
    }
    return store_exec(s, st, "finishing the run", err);
}

struct run_rows {
    int (*fn)(const struct run_info *r, void *ctx);
    void *ctx;
};

static int row_run(sqlite3_stmt *st, void *ctx)
{
    const struct run_rows *rr = ctx;
    struct run_info r;
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(st, 0);
    r.run_date = store_column_date(st, 1);
    store_column_copy(st, 2, r.command, sizeof r.command);
    store_column_copy(st, 3, r.started, sizeof r.started);
    store_column_copy(st, 4, r.finished, sizeof r.finished);
    r.exit_code = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
    store_column_copy(st, 6, r.summary, sizeof r.summary);
    return rr->fn(&r, rr->ctx);
}

int store_each_run(struct store *s, int limit, bool failed_only,
                   int (*fn)(const struct run_info *r, void *ctx), void *ctx, struct cn_err *err)
{
    struct run_rows rr = {fn, ctx};
    sqlite3_stmt *st = store_stmt(s, failed_only ? sql_each_failed : sql_each, err);
    if (st)
        sqlite3_bind_int(st, 1, limit < 0 ? 0 : limit);
    return store_rows(s, st, "listing runs", row_run, &rr, err);
}

int store_audit(struct store *s, const char *event, const char *detail, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_audit, err);
    if (st) {
        store_bind_text(st, 1, event);
        store_bind_text(st, 2, detail);
    }
    return store_exec(s, st, "writing the audit log", err);
}
