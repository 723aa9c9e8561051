/* store_int: the connection as the store core's three files share it (store.c: SQLite and
 * the transactions; store_query.c: statements on either backend; store_pg.c: libpq). Must
 * not be included outside those three: modules use store_db.h or store_query.h. */
#ifndef CN_STORE_INT_H
#define CN_STORE_INT_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "err.h"
#include "store_query.h"

/* A cached statement, by the address of its static SQL (store_stmt: the text; store_query:
 * the struct store_sql), open addressing: a lookup per row on the hot paths (ingest, issue)
 * costs a hash of a pointer. */
struct cached {
    const void *key;
    sqlite3_stmt *st;      /* store_stmt's, and store_query's on SQLite */
    struct store_query *q; /* store_query's */
};

struct store {
    sqlite3 *db;    /* SQLite; NULL on PostgreSQL */
    PGconn *pg;     /* PostgreSQL; NULL on SQLite */
    char path[512]; /* what errors name: the file, or the URI with its password masked */
    enum store_kind kind;
    struct cached *cache;
    size_t cache_cap, cache_used;
    time_t now;
    char now_text[24];
    int depth;             /* transactions open (the outermost and its savepoints) */
    struct timespec began; /* when the outermost one began */
    bool immediate;        /* SQLite: the outermost one sits in a BEGIN IMMEDIATE of ours */
    bool lazy_tx;          /* SQLite: the outermost one is store_begin_lazy's (synchronous
                            * NORMAL until it ends) */
    bool writer;           /* SQLite booking store: holds the writers' queue (store_query.c) */
    /* PostgreSQL */
    unsigned epoch;   /* bumped when the connection is re-established: what was
                       * prepared before is gone */
    unsigned named;   /* statements prepared on the connection, for their names */
    char sqlstate[6]; /* of the last failure */
    bool lost;        /* the last failure was the server lost or unreachable */
    bool lazy;        /* store_lazy_commits: set again on a new connection */
};

struct store_query {
    struct store *s;
    const struct store_sql *sql;
    sqlite3_stmt *st; /* SQLite */
    /* PostgreSQL: the name it is prepared under in epoch `epoch`, its parameters as text
     * (values[i] NULL: SQL NULL), the whole result, the row being read. */
    char name[16];
    unsigned epoch;
    bool prepared, walking;
    int nparams;
    const char *values[STORE_Q_PARAMS];
    char *buf[STORE_Q_PARAMS];
    size_t cap[STORE_Q_PARAMS];
    PGresult *res;
    int row, changes;
};

/* The cache slot for key: the one holding it, or the free one it would go to (grown first
 * when half full). NULL when out of memory. */
/* Doubles the cache (the first call makes its 64 slots); non-zero when out of memory. */
int store_cache_grow(struct store *s);
struct cached *store_cache_slot(struct store *s, const void *key);
void store_cache_clear(struct store *s);

/* This process's writers of a SQLite booking store, one at a time (store_query.c): take
 * before the write lock is asked for, give once the write is over. A no-op on PostgreSQL, on
 * the night's database, and for a connection that holds the queue already. */
void store_writers_take(struct store *s);
void store_writers_give(struct store *s);

/* store_pg.c */
int store_pg_open(const char *uri, bool may_migrate, struct store *s, struct cn_err *err);
void store_pg_close(struct store *s);
int store_pg_run(struct store_query *q, const char *what, struct cn_err *err);
void store_pg_query_free(struct store_query *q);
int store_pg_begin(struct store *s, struct cn_err *err);
int store_pg_commit(struct store *s, struct cn_err *err);
void store_pg_rollback(struct store *s);

#endif
