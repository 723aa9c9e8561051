#include "store_staff_session.h"

#include <string.h>

#include "store_db.h"

/* A digest of the cookie's token, never the token; a session ends with its account (the
 * staff module deletes them). Registered in store_schema.c's BOOKING_STORE_MIGRATIONS. */
const char store_staff_session_schema_1[] =
    "CREATE TABLE staff_sessions ("
    "  digest TEXT PRIMARY KEY, staff TEXT NOT NULL, csrf TEXT NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_sessions_staff ON staff_sessions(staff);";

static const char sql_sess_new[] =
    "INSERT INTO staff_sessions (digest, staff, csrf, last_seen) VALUES (?1, ?2, ?3, ?4)";
static const char sql_sess_get[] =
    "SELECT ss.digest, ss.csrf, ss.staff, s.office, ss.last_seen FROM staff_sessions ss "
    "JOIN staff s ON s.name = ss.staff WHERE ss.digest = ?1";
static const char sql_sess_touch[] = "UPDATE staff_sessions SET last_seen = ?2 WHERE digest = ?1";
static const char sql_sess_end[] = "DELETE FROM staff_sessions WHERE digest = ?1";

static const char sql_purge[] = "DELETE FROM staff_sessions WHERE last_seen < ?1";

int store_staff_session_new(struct store *s, const struct staff_session *ss, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_sess_new, err);
    if (st) {
        store_bind_text(st, 1, ss->digest);
        store_bind_text(st, 2, ss->staff);
        store_bind_text(st, 3, ss->csrf);
        sqlite3_bind_int64(st, 4, ss->last_seen);
    }
    return store_exec(s, st, "starting a staff session", err);
}

static int row_session(sqlite3_stmt *st, void *ctx)
{
    struct staff_session *ss = ctx;
    store_column_copy(st, 0, ss->digest, sizeof ss->digest);
    store_column_copy(st, 1, ss->csrf, sizeof ss->csrf);
    store_column_copy(st, 2, ss->staff, sizeof ss->staff);
    store_column_copy(st, 3, ss->office, sizeof ss->office);
    ss->last_seen = sqlite3_column_int64(st, 4);
    return 0;
}

int store_staff_session_end(struct store *s, const char *digest, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_sess_end, err);
    if (st)
        store_bind_text(st, 1, digest);
    return store_exec(s, st, "ending a staff session", err);
}

int store_staff_session_get(struct store *s, const char *digest, int64_t now, int idle,
                            struct staff_session *out, bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_sess_get, err);
    if (st)
        store_bind_text(st, 1, digest);
    int rc = store_row(s, st, "reading a staff session", row_session, out, found, err);
    if (rc || !*found)
        return rc;
    if (out->last_seen + idle <= now) {
        *found = false;
        return store_staff_session_end(s, digest, err);
    }
    st = store_stmt(s, sql_sess_touch, err);
    if (st) {
        store_bind_text(st, 1, digest);
        sqlite3_bind_int64(st, 2, now);
    }
    out->last_seen = now;
    return store_exec(s, st, "touching a staff session", err);
}

int store_staff_session_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_purge, err);
    if (st)
        sqlite3_bind_int64(st, 1, before);
    int rc = store_exec(s, st, "purging old sessions", err);
    *deleted = rc ? 0 : store_changes(s);
    return rc;
}
