#include "store_session.h"

#include <string.h>

#include "store_lockout.h"
#include "store_query.h"

/* One text for both backends (store_pg.c runs it under the same version). */
const char store_session_schema_9[] =
    "CREATE TABLE sessions ("
    "  digest TEXT PRIMARY KEY, csrf TEXT NOT NULL, last_seen BIGINT NOT NULL,"
    "  rid TEXT NOT NULL, verified INTEGER NOT NULL, intent INTEGER NOT NULL,"
    "  office TEXT NOT NULL, day TEXT, start_min INTEGER NOT NULL, booking_id BIGINT NOT NULL"
    ");"
    "CREATE INDEX sessions_seen ON sessions(last_seen);";

#define SESSION_COLS "csrf, last_seen, rid, verified, intent, office, day, start_min, booking_id"

static const struct store_sql sql_new = {
    "INSERT INTO sessions (digest, " SESSION_COLS ") VALUES (?1, ?2, CAST(?3 AS BIGINT), ?4, "
    "CAST(?5 AS INTEGER), CAST(?6 AS INTEGER), ?7, ?8, CAST(?9 AS INTEGER), "
    "CAST(?10 AS BIGINT))",
    NULL};
/* The session, its ID's feed row and its active booking in one read: every page after the
 * start page reads them, and on PostgreSQL a statement less per page is a round trip less. */
#define GET_COLS                                                                                   \
    "SELECT s.csrf, s.last_seen, s.rid, s.verified, s.intent, s.office, s.day, s.start_min, "      \
    "s.booking_id, " ID_FACTS_COLS
#define GET_FROM                                                                                   \
    " FROM sessions s" ID_FACTS_JOIN("s.rid") " WHERE s.digest = ?1 AND s.last_seen > CAST(?2 AS " \
                                              "BIGINT)"
static const struct store_sql sql_get = {GET_COLS GET_FROM, NULL};
/* The same, and the lock ends of the ID's key (?3 its prefix) and the client's (?4) at ?5:
 * the birthday page's read, where the lockouts' own read was one more round trip. */
#define LOCK_END(key)                                                                              \
    "(SELECT max(locked_until) FROM lockouts WHERE key = " key                                     \
    " AND locked_until > CAST(?5 AS BIGINT))"
static const struct store_sql sql_get_locks = {
    GET_COLS ", " LOCK_END("CAST(?3 AS TEXT) || s.rid") ", " LOCK_END("?4") GET_FROM, NULL};
static const struct store_sql sql_touch = {
    "UPDATE sessions SET last_seen = CAST(?2 AS BIGINT) WHERE digest = ?1", NULL};
/* A session's row written whole: the digest as ?N (a string, "1"), its columns in
 * SESSION_COLS order after it (bind_session_at). */
#define SESSION_SET(n, c, l, r, v, i, o, d, s, b)                                                  \
    "UPDATE sessions SET digest = ?" n ", csrf = ?" c ", last_seen = CAST(?" l " AS BIGINT), "     \
    "rid = ?" r ", verified = CAST(?" v " AS INTEGER), intent = CAST(?" i " AS INTEGER), "         \
    "office = ?" o ", day = ?" d ", start_min = CAST(?" s " AS INTEGER), "                         \
    "booking_id = CAST(?" b " AS BIGINT)"
static const struct store_sql sql_put = {
    SESSION_SET("1", "2", "3", "4", "5", "6", "7", "8", "9", "10") " WHERE digest = ?11", NULL};
/* store_session_start: PostgreSQL inserts and reads in one statement (?4 the ID); SQLite,
 * which has no INSERT in a WITH, runs sql_new_if_fed then sql_start_facts. The insert's row
 * is not visible to the same statement's read, which reads only the feed and bookings. */
#define NEW_IF_FED                                                                                 \
    "INSERT INTO sessions (digest, " SESSION_COLS ") SELECT ?1, ?2, CAST(?3 AS BIGINT), ?4, "      \
    "CAST(?5 AS INTEGER), CAST(?6 AS INTEGER), ?7, ?8, CAST(?9 AS INTEGER), "                      \
    "CAST(?10 AS BIGINT) FROM feed WHERE rid = ?4"
#define START_FACTS                                                                                \
    ID_FACTS_COLS " FROM (SELECT CAST(?4 AS TEXT) AS rid) AS i" ID_FACTS_JOIN("i.rid")
static const struct store_sql sql_start = {
    "SELECT 1", /* never run on SQLite */
    "WITH ins AS (" NEW_IF_FED " RETURNING 1) SELECT (SELECT count(*) FROM ins), " START_FACTS};
static const struct store_sql sql_new_if_fed = {NEW_IF_FED, NULL};
static const struct store_sql sql_start_facts = {"SELECT 0, " START_FACTS, NULL};
/* store_session_pass on PostgreSQL: the lockouts' pass (?1-?3) and sql_put's move (?4-?13 the
 * session's digest and columns, ?14 the old digest), the move only while no key is locked. */
#define PASS_MOVE                                                                                  \
    SESSION_SET("4", "5", "6", "7", "8", "9", "10", "11", "12", "13")                              \
    " WHERE digest = ?14 AND NOT EXISTS (SELECT 1 FROM locked) RETURNING 1"
static const struct store_sql sql_pass = {"SELECT 1", /* never run on SQLite */
                                          LOCKOUT_PASS_WITH ", moved AS (" PASS_MOVE
                                                            ") " LOCKOUT_PASS_ENDS};
static const struct store_sql sql_drop = {"DELETE FROM sessions WHERE digest = ?1", NULL};
static const struct store_sql sql_sweep = {
    "DELETE FROM sessions WHERE last_seen < CAST(?1 AS BIGINT)", NULL};

/* ?first the digest, the session's columns after it in SESSION_COLS order. */
static void bind_session_at(struct store_query *q, int first, const char *digest,
                            const struct session *s)
{
    store_q_text(q, first, digest);
    store_q_text(q, first + 1, s->csrf);
    store_q_int(q, first + 2, s->last_seen);
    store_q_text(q, first + 3, s->rid);
    store_q_int(q, first + 4, s->verified);
    store_q_int(q, first + 5, s->intent);
    store_q_text(q, first + 6, s->office);
    store_q_date(q, first + 7, s->day);
    store_q_int(q, first + 8, s->start_min);
    store_q_int(q, first + 9, s->booking_id);
}

static void bind_session(struct store_query *q, const char *digest, const struct session *s)
{
    bind_session_at(q, 1, digest, s);
}

int store_session_new(struct store *st, const struct session *s, struct cn_err *err)
{
    char digest[SECRET_TOKEN_LEN + 1];
    secret_token_digest(s->token, digest);
    struct store_query *q = store_query(st, &sql_new, err);
    bind_session(q, digest, s);
    return store_q_exec(q, "storing a session", err);
}

struct start_ctx {
    const char *rid;
    struct id_facts *facts;
    bool *stored;
};

static int row_start(struct store_query *q, void *ctx)
{
    struct start_ctx *c = ctx;
    if (store_q_col_int(q, 0) > 0)
        *c->stored = true;
    store_id_facts_at(q, 1, c->rid, c->facts);
    return 0;
}

int store_session_start(struct store *st, const struct session *s, struct id_facts *facts,
                        bool *stored, struct cn_err *err)
{
    *stored = false;
    memset(facts, 0, sizeof *facts);
    char digest[SECRET_TOKEN_LEN + 1];
    secret_token_digest(s->token, digest);
    const bool pg = store_is_pg(st);
    struct store_query *q;
    if (!pg) {
        q = store_query(st, &sql_new_if_fed, err);
        bind_session(q, digest, s);
        int rc = store_q_exec(q, "storing a session", err);
        if (rc)
            return rc;
        *stored = store_q_changes(q) == 1;
    }
    q = store_query(st, pg ? &sql_start : &sql_start_facts, err);
    if (pg)
        bind_session(q, digest, s);
    else
        store_q_text(q, 4, s->rid);
    struct start_ctx c = {s->rid, facts, stored};
    bool found;
    return store_q_row(q, pg ? "storing a session" : "reading an ID", row_start, &c, &found, err);
}

int store_session_drop(struct store *st, const char *token, struct cn_err *err)
{
    char digest[SECRET_TOKEN_LEN + 1];
    secret_token_digest(token, digest);
    struct store_query *q = store_query(st, &sql_drop, err);
    store_q_text(q, 1, digest);
    return store_q_exec(q, "forgetting a session", err);
}

static int row_session(struct store_query *q, void *ctx)
{
    struct session *s = ctx;
    store_q_col_copy(q, 0, s->csrf, sizeof s->csrf);
    s->last_seen = store_q_col_int(q, 1);
    store_q_col_copy(q, 2, s->rid, sizeof s->rid);
    s->verified = store_q_col_int(q, 3) != 0;
    const int64_t intent = store_q_col_int(q, 4);
    s->intent = intent == INTENT_CHANGE   ? INTENT_CHANGE
                : intent == INTENT_CANCEL ? INTENT_CANCEL
                                          : INTENT_BOOK;
    store_q_col_copy(q, 5, s->office, sizeof s->office);
    s->day = store_q_col_date(q, 6);
    s->start_min = (int)store_q_col_int(q, 7);
    s->booking_id = store_q_col_int(q, 8);
    return 0;
}

struct read_ctx {
    struct session *s;
    struct id_facts *facts;
    struct session_locks *locks;
};

static int row_read(struct store_query *q, void *ctx)
{
    struct read_ctx *r = ctx;
    row_session(q, r->s);
    const int next = store_id_facts_at(q, 9, r->s->rid, r->facts);
    if (r->locks) {
        r->locks->id_until = store_q_col_int(q, next);
        r->locks->client_until = store_q_col_int(q, next + 1);
        r->locks->read = true;
    }
    return 0;
}

int store_session_read(struct store *st, const char *token, int64_t now, int idle,
                       struct session *out, struct id_facts *facts, struct session_locks *locks,
                       bool *found, struct cn_err *err)
{
    *found = false;
    memset(out, 0, sizeof *out);
    if (locks)
        locks->read = false;
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return CN_OK;
    char digest[SECRET_TOKEN_LEN + 1];
    secret_token_digest(token, digest);
    struct store_query *q = store_query(st, locks ? &sql_get_locks : &sql_get, err);
    store_q_text(q, 1, digest);
    store_q_int(q, 2, now - idle);
    if (locks) {
        store_q_text(q, 3, locks->id_prefix);
        store_q_text(q, 4, locks->client);
        store_q_int(q, 5, now);
    }
    struct read_ctx ctx = {out, facts, locks};
    int rc = store_q_row(q, "reading a session", row_read, &ctx, found, err);
    if (rc || !*found)
        return rc;
    memcpy(out->token, token, SESSION_TOKEN_LEN + 1);
    if (now - out->last_seen < STORE_SESSION_TOUCH)
        return CN_OK;
    out->last_seen = now;
    q = store_query(st, &sql_touch, err);
    store_q_text(q, 1, digest);
    store_q_int(q, 2, now);
    return store_q_exec(q, "touching a session", err);
}

int store_session_get(struct store *st, const char *token, int64_t now, int idle,
                      struct session *out, bool *found, struct cn_err *err)
{
    struct id_facts ignored;
    return store_session_read(st, token, now, idle, out, &ignored, NULL, found, err);
}

int store_session_put(struct store *st, const char *old_token, const struct session *s,
                      struct cn_err *err)
{
    char digest[SECRET_TOKEN_LEN + 1], old[SECRET_TOKEN_LEN + 1];
    secret_token_digest(s->token, digest);
    secret_token_digest(old_token, old);
    struct store_query *q = store_query(st, &sql_put, err);
    bind_session(q, digest, s);
    store_q_text(q, 11, old);
    return store_q_exec(q, "storing a session", err);
}

int store_session_pass(struct store_booking *bs, const char *old_token, const struct session *s,
                       const char *a, const char *b, int64_t now, int64_t *until_a,
                       int64_t *until_b, struct cn_err *err)
{
    struct store *st = store_booking_db(bs);
    if (!store_is_pg(st)) {
        int rc = store_begin(st, err);
        if (rc)
            return rc;
        if ((rc = store_booking_pass(bs, a, b, now, until_a, until_b, err)) ||
            (*until_a == 0 && *until_b == 0 && (rc = store_session_put(st, old_token, s, err))) ||
            (rc = store_commit(st, err)))
            store_rollback(st);
        return rc;
    }
    char digest[SECRET_TOKEN_LEN + 1], old[SECRET_TOKEN_LEN + 1];
    secret_token_digest(s->token, digest);
    secret_token_digest(old_token, old);
    struct store_query *q = store_query(st, &sql_pass, err);
    bind_session_at(q, 4, digest, s);
    store_q_text(q, 14, old);
    return store_lockout_ends(q, "taking a right answer", a, b, now, until_a, until_b, err);
}

int store_session_sweep(struct store *st, int64_t before, struct cn_err *err)
{
    struct store_query *q = store_query(st, &sql_sweep, err);
    store_q_int(q, 1, before);
    return store_q_exec(q, "forgetting idle sessions", err);
}
