#include "store_input.h"

#include "store_db.h"
#include "store_resident.h"

const char store_input_schema_1[] =
    "CREATE TABLE input_files ("
    "  sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, loaded INTEGER NOT NULL,"
    "  rejected INTEGER NOT NULL, loaded_at TEXT NOT NULL"
    ");"
    "CREATE TABLE rejects ("
    "  id INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL,"
    "  field TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL"
    ");";

/* A file is a snapshot: loading one again is nothing new only if it is the very last one
 * loaded. One equal to an older file (Monday's A, Tuesday's B, A again) loads, or the
 * database would keep B. So input_files keeps every load, in order, instead of one row
 * per checksum. */
const char store_input_schema_2[] =
    "CREATE TABLE input_loads ("
    "  id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, path TEXT NOT NULL,"
    "  loaded INTEGER NOT NULL, rejected INTEGER NOT NULL, loaded_at TEXT NOT NULL"
    ");"
    "INSERT INTO input_loads (sha256, path, loaded, rejected, loaded_at)"
    "  SELECT sha256, path, loaded, rejected, loaded_at FROM input_files"
    "  ORDER BY loaded_at, rowid;"
    "DROP TABLE input_files;"
    "ALTER TABLE input_loads RENAME TO input_files;";

static const char sql_seen[] =
    "SELECT 1 FROM (SELECT sha256 FROM input_files ORDER BY id DESC LIMIT 1) WHERE sha256 = ?1";
static const char sql_record[] = "INSERT INTO input_files (sha256, path, loaded, rejected, "
                                 "loaded_at) VALUES (?1, ?2, ?3, ?4, datetime('now'))";

static const char sql_rejects_create[] =
    "CREATE TEMP TABLE IF NOT EXISTS load_rejects (file TEXT NOT NULL, line INTEGER NOT NULL, "
    "field TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL)";
static const char sql_rejects_clear[] = "DELETE FROM temp.load_rejects";
static const char sql_stage_reject[] = "INSERT INTO temp.load_rejects (file, line, field, reason, "
                                       "at) VALUES (?1, ?2, ?3, ?4, datetime('now'))";
static const char sql_apply_rejects[] =
    "INSERT INTO main.rejects (file, line, field, reason, at) "
    "SELECT file, line, field, reason, at FROM temp.load_rejects ORDER BY rowid";

static int row_seen(sqlite3_stmt *st, void *ctx)
{
    (void)st;
    (void)ctx;
    return 0;
}

int store_input_is_last(struct store *s, const char *sha256, bool *seen, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_seen, err);
    if (st)
        store_bind_text(st, 1, sha256);
    return store_row(s, st, "input files", row_seen, NULL, seen, err);
}

int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_record, err);
    if (st) {
        store_bind_text(st, 1, sha256);
        store_bind_text(st, 2, path);
        sqlite3_bind_int64(st, 3, loaded);
        sqlite3_bind_int64(st, 4, rejected);
    }
    return store_exec(s, st, "recording an input file", err);
}

static int clear_staging(struct store *s, struct cn_err *err)
{
    int rc = store_exec(s, store_stmt(s, sql_rejects_create, err), "staging rejects", err);
    if (!rc)
        rc = store_exec(s, store_stmt(s, sql_rejects_clear, err), "staging rejects", err);
    return rc ? rc : store_stage_clear(s, err);
}

int store_load_begin(struct store *s, struct cn_err *err)
{
    int rc = store_begin_scratch(s, err);
    if (!rc && (rc = clear_staging(s, err)))
        store_rollback(s);
    return rc;
}

int store_load_resident(struct store *s, const struct resident *r, struct cn_err *err)
{
    return store_stage_resident(s, r, err);
}

int store_load_reject(struct store *s, const char *file, long line, const char *field,
                      const char *reason, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_stage_reject, err);
    if (st) {
        store_bind_text(st, 1, file);
        sqlite3_bind_int64(st, 2, line);
        store_bind_text(st, 3, field);
        store_bind_text(st, 4, reason);
    }
    return store_exec(s, st, "recording a reject", err);
}

int store_load_commit(struct store *s, const char *path, const char *sha256, long loaded,
                      long rejected, struct cn_err *err)
{
    int rc = store_commit(s, err); /* the staging, which took no lock */
    if (rc) {
        store_load_discard(s);
        return rc;
    }
    if ((rc = store_begin(s, err)))
        return rc;
    if ((rc = store_apply_staged(s, err)) ||
        (rc = store_exec(s, store_stmt(s, sql_apply_rejects, err), "recording rejects", err)) ||
        (rc = store_input_record(s, path, sha256, loaded, rejected, err)) ||
        (rc = store_commit(s, err)))
        store_rollback(s);
    /* The scratch tables hold names and addresses: emptied at once, not at the next file. */
    clear_staging(s, NULL);
    return rc;
}

void store_load_discard(struct store *s)
{
    store_rollback(s);
    clear_staging(s, NULL);
}
