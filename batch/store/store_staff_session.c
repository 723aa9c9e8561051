#include "store_staff_session.h"

#include <string.h>

#include "store_query.h"

/* A digest of the cookie's token, never the token; a session ends with its account (the
 * staff module deletes them). Registered in store_schema.c's BOOKING_STORE_MIGRATIONS (and
 * STORE_PG_MIGRATIONS). */
const char store_staff_session_schema_1[] =
    "CREATE TABLE staff_sessions ("
    "  digest TEXT PRIMARY KEY, staff TEXT NOT NULL, csrf TEXT NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_sessions_staff ON staff_sessions(staff);";
const char store_staff_session_schema_1_pg[] =
    "CREATE TABLE staff_sessions ("
    "  digest text PRIMARY KEY, staff text NOT NULL, csrf text NOT NULL,"
    "  last_seen bigint NOT NULL"
    ");"
    "CREATE INDEX staff_sessions_staff ON staff_sessions(staff);";

/* Version 3: when the session began (seconds), for its lifetime however busy it is kept.
 * Sessions from before it read 0 and end at their next request: the clerk logs in again
 * once. Registered as version 1 is. */
const char store_staff_session_schema_3[] =
    "ALTER TABLE staff_sessions ADD COLUMN created INTEGER NOT NULL DEFAULT 0;";
const char store_staff_session_schema_3_pg[] =
    "ALTER TABLE staff_sessions ADD COLUMN created bigint NOT NULL DEFAULT 0;";

static const struct store_sql sql_sess_new = {
    "INSERT INTO staff_sessions (digest, staff, csrf, last_seen, created) "
    "VALUES (?1, ?2, ?3, CAST(?4 AS BIGINT), CAST(?4 AS BIGINT))",
    NULL};
static const struct store_sql sql_sess_get = {
    "SELECT ss.digest, ss.csrf, ss.staff, s.office, ss.last_seen, ss.created "
    "FROM staff_sessions ss JOIN staff s ON s.name = ss.staff WHERE ss.digest = ?1",
    NULL};
static const struct store_sql sql_sess_touch = {
    "UPDATE staff_sessions SET last_seen = CAST(?2 AS BIGINT) WHERE digest = ?1", NULL};
static const struct store_sql sql_sess_end = {"DELETE FROM staff_sessions WHERE digest = ?1", NULL};

static const struct store_sql sql_sess_purge = {
    "DELETE FROM staff_sessions WHERE last_seen < CAST(?1 AS BIGINT)", NULL};

int store_staff_session_new(struct store *s, const struct staff_session *ss, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_sess_new, err);
    store_q_text(q, 1, ss->digest);
    store_q_text(q, 2, ss->staff);
    store_q_text(q, 3, ss->csrf);
    store_q_int(q, 4, ss->last_seen);
    return store_q_exec(q, "starting a staff session", err);
}

static int row_session(struct store_query *st, void *ctx)
{
    struct staff_session *ss = ctx;
    store_q_col_copy(st, 0, ss->digest, sizeof ss->digest);
    store_q_col_copy(st, 1, ss->csrf, sizeof ss->csrf);
    store_q_col_copy(st, 2, ss->staff, sizeof ss->staff);
    store_q_col_copy(st, 3, ss->office, sizeof ss->office);
    ss->last_seen = store_q_col_int(st, 4);
    ss->created = store_q_col_int(st, 5);
    return 0;
}

int store_staff_session_end(struct store *s, const char *digest, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_sess_end, err);
    store_q_text(q, 1, digest);
    return store_q_exec(q, "ending a staff session", err);
}

int store_staff_session_get(struct store *s, const char *digest, int64_t now,
                            const struct staff_session_limits *lim, struct staff_session *out,
                            bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_query *q = store_query(s, &sql_sess_get, err);
    store_q_text(q, 1, digest);
    int rc = store_q_row(q, "reading a staff session", row_session, out, found, err);
    if (rc || !*found)
        return rc;
    if (out->last_seen + lim->idle <= now || out->created + lim->lifetime <= now) {
        *found = false;
        return store_staff_session_end(s, digest, err);
    }
    q = store_query(s, &sql_sess_touch, err);
    store_q_text(q, 1, digest);
    store_q_int(q, 2, now);
    out->last_seen = now;
    return store_q_exec(q, "touching a staff session", err);
}

int store_staff_session_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_sess_purge, err);
    store_q_int(q, 1, before);
    int rc = store_q_exec(q, "purging old sessions", err);
    *deleted = rc ? 0 : store_q_changes(q);
    return rc;
}
