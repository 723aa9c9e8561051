/* The PostgreSQL side of the store core (libpq): connecting, migrating, running prepared
 * statements, transactions, and coming back after the server was lost. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "store_schema.h"

static const struct store_sql sql_begin = {"BEGIN", NULL};
static const struct store_sql sql_savepoint = {"SAVEPOINT certnotice", NULL};
static const struct store_sql sql_commit = {"COMMIT", NULL};
static const struct store_sql sql_release = {"RELEASE SAVEPOINT certnotice", NULL};
static const struct store_sql sql_rollback = {"ROLLBACK", NULL};
static const struct store_sql sql_rollback_to = {"ROLLBACK TO SAVEPOINT certnotice", NULL};
static const struct store_sql sql_lock_key = {
    "SELECT 1", "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"};
static const struct store_sql sql_version = {"SELECT max(version) FROM certnotice_schema", NULL};
static const struct store_sql sql_set_version = {
    "INSERT INTO certnotice_schema (version) VALUES (CAST(?1 AS INTEGER))", NULL};
/* Two nodes starting on an empty database at once: the second waits for the first's
 * migration and then finds it done. */
static const struct store_sql sql_migrate_lock = {
    "SELECT 1", "SELECT pg_advisory_xact_lock(hashtextextended('certnotice migration', 0))"};
static const char schema_table[] =
    "CREATE TABLE IF NOT EXISTS certnotice_schema (version integer NOT NULL)";

/* Connection-lost and server-going-away states: the request fails (503) and the connection
 * is re-established on its next use. */
static bool state_lost(const char *state)
{
    return strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
           strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0;
}

static int pg_fail(struct store *s, const PGresult *res, struct cn_err *err, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    snprintf(s->sqlstate, sizeof s->sqlstate, "%s", state ? state : "");
    s->lost = PQstatus(s->pg) != CONNECTION_OK || state_lost(s->sqlstate);
    char msg[300];
    snprintf(msg, sizeof msg, "%s", res ? PQresultErrorMessage(res) : PQerrorMessage(s->pg));
    msg[strcspn(msg, "\n")] = '\0';
    return cn_fail(err, CN_EOUTPUT, "%s: %s: %s%s", s->path, what,
                   s->lost ? "the database is unreachable: " : "", msg);
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs ("already exists, skipping") are not the operator's business */
}

/* SQLite's ?N as PostgreSQL's $N, outside quoted text. */
static int translate(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    bool quoted = false;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == '\'')
            quoted = !quoted;
        else if (c == '?' && !quoted && isdigit((unsigned char)p[1]))
            c = '$';
        if (n + 1 >= cap)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}

/* Before a statement: a connection found broken is re-established, outside a transaction
 * only (inside one, the server has rolled it back: the transaction fails as a whole). */
static int ready(struct store *s, struct cn_err *err)
{
    if (PQstatus(s->pg) == CONNECTION_OK && !s->lost)
        return CN_OK;
    if (s->depth > 0) {
        s->lost = true;
        return cn_fail(err, CN_EOUTPUT, "%s: the database is unreachable: connection lost",
                       s->path);
    }
    PQreset(s->pg);
    if (PQstatus(s->pg) != CONNECTION_OK)
        return pg_fail(s, NULL, err, "reconnecting");
    PQsetNoticeProcessor(s->pg, quiet, NULL);
    s->lost = false;
    s->epoch++; /* the server forgot every prepared statement, and the session's settings */
    if (s->lazy)
        PQclear(PQexec(s->pg, "SET synchronous_commit = off")); /* a constant: no values */
    return CN_OK;
}

static int prepare(struct store_query *q, struct cn_err *err)
{
    struct store *s = q->s;
    char text[8192];
    /* ?N is read as $N in either text: a PostgreSQL text may be written like SQLite's. */
    const char *sql = q->sql->pg ? q->sql->pg : q->sql->lite;
    if (translate(sql, text, sizeof text) == 0)
        sql = text;
    snprintf(q->name, sizeof q->name, "cn%u", ++s->named);
    PGresult *res = PQprepare(s->pg, q->name, sql, 0, NULL);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK
                 ? CN_OK
                 : pg_fail(s, res, err, "preparing a statement");
    PQclear(res);
    if (rc == CN_OK) {
        q->prepared = true;
        q->epoch = s->epoch;
    }
    return rc;
}

static bool retryable(const struct store *s)
{
    return strcmp(s->sqlstate, "40001") == 0 || strcmp(s->sqlstate, "40P01") == 0;
}

int store_pg_run(struct store_query *q, const char *what, struct cn_err *err)
{
    struct store *s = q->s;
    int rc;
    PQclear(q->res);
    q->res = NULL;
    q->changes = 0;
    /* A statement alone (no transaction of ours) that the server chose as a deadlock's or a
     * serialisation's victim is run again: it changed nothing. Inside a transaction the
     * caller's whole transaction fails instead (the web page answers 503). */
    for (int attempt = 0;; attempt++) {
        if ((rc = ready(s, err)))
            return rc;
        if ((!q->prepared || q->epoch != s->epoch) && (rc = prepare(q, err)))
            return rc;
        PGresult *res = PQexecPrepared(s->pg, q->name, q->nparams, q->values, NULL, NULL, 0);
        const ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            q->changes = atoi(PQcmdTuples(res));
            q->res = res;
            s->sqlstate[0] = '\0';
            return CN_OK;
        }
        rc = pg_fail(s, res, err, what);
        PQclear(res);
        if (!(retryable(s) && s->depth == 0 && attempt < 3))
            return rc;
        cn_err_clear(err);
    }
}

void store_pg_query_free(struct store_query *q)
{
    PQclear(q->res);
    for (int i = 0; i < STORE_Q_PARAMS; i++)
        free(q->buf[i]);
    free(q);
}

static int run_simple(struct store *s, const struct store_sql *sql, const char *what,
                      struct cn_err *err)
{
    return store_q_exec(store_query(s, sql, err), what, err);
}

/* BEGIN is READ COMMITTED (the server's default, and nothing here changes it): every
 * statement sees what committed before it began, so a rule that waits on store_lock_key
 * then reads sees what the transaction it waited for wrote. REPEATABLE READ would read from
 * a snapshot taken before that wait, and SERIALIZABLE would fail most of a crowd going for
 * one slot's last seats with 40001 instead of queueing them. */
int store_pg_begin(struct store *s, struct cn_err *err)
{
    int rc =
        run_simple(s, s->depth == 0 ? &sql_begin : &sql_savepoint, "beginning a transaction", err);
    if (rc)
        return rc;
    if (s->depth++ == 0)
        clock_gettime(CLOCK_MONOTONIC_COARSE, &s->began);
    return CN_OK;
}

int store_pg_commit(struct store *s, struct cn_err *err)
{
    if (s->depth == 0)
        return cn_fail(err, CN_EOUTPUT, "%s: commit without a transaction", s->path);
    int rc = run_simple(s, s->depth == 1 ? &sql_commit : &sql_release, "committing", err);
    if (rc == CN_OK)
        s->depth--;
    return rc;
}

void store_pg_rollback(struct store *s)
{
    if (s->depth == 0)
        return;
    /* A lost connection took the transaction with it: the server rolled it back. */
    if (s->lost || PQstatus(s->pg) != CONNECTION_OK) {
        s->depth = 0;
        return;
    }
    if (s->depth == 1) {
        run_simple(s, &sql_rollback, "rolling back", NULL);
    } else {
        run_simple(s, &sql_rollback_to, "rolling back", NULL);
        run_simple(s, &sql_release, "rolling back", NULL);
    }
    s->depth--;
}

static const struct store_sql sql_lazy = {"SELECT 1", "SET synchronous_commit = off"};

int store_lazy_commits(struct store *s, struct cn_err *err)
{
    if (!s->pg)
        return CN_OK;
    s->lazy = true;
    return store_q_exec(store_query(s, &sql_lazy, err), "setting up a connection", err);
}

int store_lock_key(struct store *s, const char *key, struct cn_err *err)
{
    if (!s->pg)
        return CN_OK;
    struct store_query *q = store_query(s, &sql_lock_key, err);
    store_q_text(q, 1, key);
    return store_q_exec(q, "waiting for a lock", err);
}

/* The schema's DDL holds several commands and no values: the simple protocol runs it (a
 * prepared statement holds one command), inside the migration's transaction. */
static int run_ddl(struct store *s, const char *sql, const char *what, struct cn_err *err)
{
    PGresult *res = PQexec(s->pg, sql);
    int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? CN_OK : pg_fail(s, res, err, what);
    PQclear(res);
    return rc;
}

static int read_version(struct store *s, int *version, struct cn_err *err)
{
    int64_t v = 0;
    bool found;
    int rc = store_q_row(store_query(s, &sql_version, err), "reading the schema version",
                         store_q_int64, &v, &found, err);
    *version = (int)v;
    return rc;
}

static int migrate(struct store *s, struct cn_err *err)
{
    int rc, version;
    if ((rc = store_pg_begin(s, err)))
        return rc;
    if ((rc = store_q_exec(store_query(s, &sql_migrate_lock, err), "migrating", err)) ||
        (rc = run_ddl(s, schema_table, "migrating", err)) || (rc = read_version(s, &version, err)))
        goto fail;
    if (version > store_kind_version(STORE_BOOKING)) {
        rc = cn_fail(err, CN_EUSAGE,
                     "%s: schema version %d is newer than this certnotice knows (%d): this "
                     "program is older than the database",
                     s->path, version, store_kind_version(STORE_BOOKING));
        goto fail;
    }
    if (version < store_kind_version(STORE_BOOKING)) {
        for (size_t i = 0; i < store_n_pg_migrations; i++) {
            const struct store_migration *m = &store_pg_migrations[i];
            if (m->version > version && (rc = run_ddl(s, m->sql, m->module, err))) {
                cn_wrap(err, "migration to version %d", m->version);
                goto fail;
            }
        }
        struct store_query *q = store_query(s, &sql_set_version, err);
        store_q_int(q, 1, store_kind_version(STORE_BOOKING));
        if ((rc = run_ddl(s, "DELETE FROM certnotice_schema", "migrating", err)) ||
            (rc = store_q_exec(q, "migrating", err)))
            goto fail;
    }
    return store_pg_commit(s, err);
fail:
    store_pg_rollback(s);
    return rc;
}

int store_pg_open(const char *uri, bool may_migrate, struct store *s, struct cn_err *err)
{
    store_where_shown(uri, s->path, sizeof s->path); /* what errors name */
    /* The URI's own settings win over these defaults (they come after). A server that does
     * not answer within seconds is reported as unreachable rather than waited on. */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *values[] = {"3", "certnotice", uri, NULL};
    s->pg = PQconnectdbParams(keys, values, 1);
    if (!s->pg)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    if (PQstatus(s->pg) != CONNECTION_OK) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", PQerrorMessage(s->pg));
        msg[strcspn(msg, "\n")] = '\0';
        s->lost = true;
        return cn_fail(err, CN_EUSAGE, "%s: cannot reach the database: %s", s->path, msg);
    }
    PQsetNoticeProcessor(s->pg, quiet, NULL);
    /* Most opens find the schema current: one read, no lock. A missing table is version 0. */
    int version = 0;
    struct cn_err probe = {0};
    if (read_version(s, &version, &probe) != CN_OK)
        version = 0;
    if (version == store_kind_version(STORE_BOOKING))
        return CN_OK;
    if (version > store_kind_version(STORE_BOOKING))
        return cn_fail(err, CN_EUSAGE,
                       "%s: schema version %d is newer than this certnotice knows (%d): this "
                       "program is older than the database",
                       s->path, version, store_kind_version(STORE_BOOKING));
    if (!may_migrate)
        return cn_fail(err, CN_EUSAGE, "%s: schema version %d, this program knows %d", s->path,
                       version, store_kind_version(STORE_BOOKING));
    return migrate(s, err);
}

void store_pg_close(struct store *s)
{
    if (s->pg)
        PQfinish(s->pg);
    s->pg = NULL;
}
