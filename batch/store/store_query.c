#include "store_query.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store_db.h"
#include "store_int.h"

bool store_is_pg(const struct store *s)
{
    return s->pg != NULL;
}

/* This process's writers of a SQLite booking store queue here rather than on SQLite's lock:
 * SQLite's busy wait polls, and under a rush the unlucky poller waited over a second, or
 * past its 5 s and failed; a mutex wakes them in turn. The outermost write transaction
 * (store.c's begin) holds it until it ends, and a write outside one (store_q_exec) while it
 * runs: every writer (a resident's page, a clerk's, an audit row, a session, the daily
 * purge) queues, and no caller can forget to. The night, another process, still meets
 * SQLite's lock and busy wait. On PostgreSQL the server queues writers itself, per slot and
 * per lockout key (store_lock_key): a mutex there would only make one node's writes to
 * different slots wait for each other. */
static pthread_mutex_t writers = PTHREAD_MUTEX_INITIALIZER;

void store_writers_take(struct store *s)
{
    if (s->pg || s->kind != STORE_BOOKING || s->writer)
        return;
    pthread_mutex_lock(&writers);
    s->writer = true;
}

void store_writers_give(struct store *s)
{
    if (!s->writer)
        return;
    s->writer = false;
    pthread_mutex_unlock(&writers);
}

bool store_unavailable(struct store *s)
{
    return s->pg && s->lost;
}

struct store_query *store_query(struct store *s, const struct store_sql *sql, struct cn_err *err)
{
    struct cached *c = store_cache_slot(s, sql);
    if (!c) {
        cn_fail(err, CN_EOUTPUT, "out of memory");
        return NULL;
    }
    struct store_query *q = c->q;
    if (q) {
        if (q->walking || (q->st && sqlite3_stmt_busy(q->st))) {
            cn_fail(err, CN_EOUTPUT, "%s: statement re-entered while its rows are read: %.60s",
                    s->path, sql->lite);
            return NULL;
        }
    } else {
        if (!(q = calloc(1, sizeof *q))) {
            cn_fail(err, CN_EOUTPUT, "out of memory");
            return NULL;
        }
        q->s = s;
        q->sql = sql;
        if (!s->pg && sqlite3_prepare_v3(s->db, sql->lite, -1, SQLITE_PREPARE_PERSISTENT, &q->st,
                                         NULL) != SQLITE_OK) {
            store_fail(s, err, "preparing a statement");
            store_pg_query_free(q);
            return NULL;
        }
        *c = (struct cached){sql, q->st, q};
        s->cache_used++;
    }
    if (q->st) {
        sqlite3_reset(q->st);
        sqlite3_clear_bindings(q->st);
    }
    PQclear(q->res);
    q->res = NULL;
    q->nparams = 0;
    q->changes = 0;
    return q;
}

/* PostgreSQL's parameters are text: each gets a buffer of its own that lives with the
 * statement, so a value bound from a local stays valid until the statement runs. */
static void pg_bind(struct store_query *q, int i, const char *v, size_t len)
{
    if (i < 1 || i > STORE_Q_PARAMS)
        return;
    int k = i - 1;
    if (i > q->nparams) {
        for (int j = q->nparams; j < k; j++)
            q->values[j] = NULL;
        q->nparams = i;
    }
    if (!v) {
        q->values[k] = NULL;
        return;
    }
    if (q->cap[k] < len + 1) {
        size_t cap = len + 1 < 32 ? 32 : len + 1;
        char *b = realloc(q->buf[k], cap);
        if (!b) {
            q->values[k] = NULL; /* out of memory: NULL, which the statement then refuses */
            return;
        }
        q->buf[k] = b;
        q->cap[k] = cap;
    }
    memcpy(q->buf[k], v, len);
    q->buf[k][len] = '\0';
    q->values[k] = q->buf[k];
}

void store_q_text(struct store_query *q, int i, const char *v)
{
    if (!q)
        return;
    if (q->st) {
        if (v)
            sqlite3_bind_text(q->st, i, v, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_null(q->st, i);
        return;
    }
    pg_bind(q, i, v, v ? strlen(v) : 0);
}

void store_q_int(struct store_query *q, int i, int64_t v)
{
    if (!q)
        return;
    if (q->st) {
        sqlite3_bind_int64(q->st, i, v);
        return;
    }
    char text[24];
    const int n = snprintf(text, sizeof text, "%lld", (long long)v);
    pg_bind(q, i, text, (size_t)n);
}

void store_q_date(struct store_query *q, int i, cn_date d)
{
    if (d == DATE_NONE) {
        store_q_text(q, i, NULL);
        return;
    }
    char iso[11];
    date_format_iso(d, iso);
    store_q_text(q, i, iso);
}

int store_q_exec(struct store_query *q, const char *what, struct cn_err *err)
{
    if (!q)
        return err && err->status ? err->status : CN_EOUTPUT;
    if (!q->st) {
        int rc = store_pg_run(q, what, err);
        PQclear(q->res);
        q->res = NULL;
        return rc;
    }
    /* A write outside a transaction queues as a transaction's does; inside one, the
     * outermost holds the queue already (or, a scratch transaction, needs none). */
    const bool alone = q->s->depth == 0;
    if (alone)
        store_writers_take(q->s);
    int rc = sqlite3_step(q->st);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(q->st);
    int out = rc == SQLITE_DONE ? CN_OK : store_fail(q->s, err, what);
    q->changes = sqlite3_changes(q->s->db);
    sqlite3_reset(q->st);
    if (alone)
        store_writers_give(q->s);
    return out;
}

/* Steps to the next row: 1 a row, 0 the end, -1 a failure (err set). */
static int next_row(struct store_query *q, const char *what, struct cn_err *err)
{
    if (q->st) {
        const int rc = sqlite3_step(q->st);
        if (rc == SQLITE_ROW)
            return 1;
        if (rc == SQLITE_DONE)
            return 0;
        store_fail(q->s, err, what);
        return -1;
    }
    if (!q->res) {
        if (store_pg_run(q, what, err))
            return -1;
        q->row = -1;
    }
    return ++q->row < PQntuples(q->res) ? 1 : 0;
}

static void end_rows(struct store_query *q)
{
    q->walking = false;
    if (q->st) {
        sqlite3_reset(q->st);
        return;
    }
    PQclear(q->res);
    q->res = NULL;
}

int store_q_rows(struct store_query *q, const char *what, store_q_row_fn row, void *ctx,
                 struct cn_err *err)
{
    if (!q)
        return err && err->status ? err->status : CN_EOUTPUT;
    int more, out = CN_OK;
    q->walking = true;
    while ((more = next_row(q, what, err)) == 1)
        if ((out = row(q, ctx)) != 0)
            break;
    if (more < 0)
        out = err && err->status ? err->status : CN_EOUTPUT;
    end_rows(q);
    return out == STORE_Q_STOP ? CN_OK : out;
}

int store_q_row(struct store_query *q, const char *what, store_q_row_fn row, void *ctx, bool *found,
                struct cn_err *err)
{
    *found = false;
    if (!q)
        return err && err->status ? err->status : CN_EOUTPUT;
    q->walking = true;
    const int more = next_row(q, what, err);
    int out = CN_OK;
    if (more == 1) {
        *found = true;
        out = row(q, ctx);
    } else if (more < 0) {
        out = err && err->status ? err->status : CN_EOUTPUT;
    }
    if (q->st)
        q->changes = sqlite3_changes(q->s->db);
    end_rows(q);
    return out == STORE_Q_STOP ? CN_OK : out;
}

int store_q_int64(struct store_query *q, void *ctx)
{
    *(int64_t *)ctx = store_q_col_int(q, 0);
    return 0;
}

const char *store_q_col_text(struct store_query *q, int i)
{
    if (q->st)
        return (const char *)sqlite3_column_text(q->st, i);
    return PQgetisnull(q->res, q->row, i) ? NULL : PQgetvalue(q->res, q->row, i);
}

int64_t store_q_col_int(struct store_query *q, int i)
{
    if (q->st)
        return sqlite3_column_int64(q->st, i);
    const char *v = store_q_col_text(q, i);
    return v ? strtoll(v, NULL, 10) : 0;
}

cn_date store_q_col_date(struct store_query *q, int i)
{
    cn_date d;
    const char *v = store_q_col_text(q, i);
    return v && date_parse_iso(v, &d) ? d : DATE_NONE;
}

void store_q_col_copy(struct store_query *q, int i, char *out, size_t cap)
{
    const char *v = store_q_col_text(q, i);
    size_t n = v ? strnlen(v, cap - 1) : 0;
    memcpy(out, v ? v : "", n);
    out[n] = '\0';
}

int store_q_changes(struct store_query *q)
{
    return q ? q->changes : 0;
}
