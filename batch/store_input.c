#include "store_input.h"

#include "store_db.h"

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
static const char sql_reject[] = "INSERT INTO rejects (file, line, field, reason, at) "
                                 "VALUES (?1, ?2, ?3, ?4, datetime('now'))";

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

int store_put_reject(struct store *s, const char *file, long line, const char *field,
                     const char *reason, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_reject, err);
    if (st) {
        store_bind_text(st, 1, file);
        sqlite3_bind_int64(st, 2, line);
        store_bind_text(st, 3, field);
        store_bind_text(st, 4, reason);
    }
    return store_exec(s, st, "recording a reject", err);
}
