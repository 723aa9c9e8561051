#include "web_runtime.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ratelimit.h"
#include "secret.h"
#include "store.h"
#include "tally_cache.h"

#define SESSION_IDLE (30 * 60)
#define SESSION_CAP 20000
#define LOOKUP_ADDRESSES 16384 /* client addresses whose lookups are counted at once */

/* Connections to the database, one per request at a time: SQLite connections are not
 * shared between threads, and a pool lets them be closed at shutdown. */
struct pool {
    pthread_mutex_t lock;
    struct store_booking **free;
    int n_free, cap;
};

struct web_runtime {
    const struct config *cfg;
    char db_path[512];
    int64_t offset; /* --now minus the real clock at start */
    struct session_jar *jar;
    struct pool pool;
    /* ID lookups per client address. The table is not thread-safe: its own lock. */
    pthread_mutex_t lookups_lock;
    struct ratelimit *lookups;
    struct texts *texts;       /* the residents' pages' catalogs (config <languages>) */
    struct tally_cache *seats; /* the seat tallies the pages show (tally_cache.h) */
};

void web_runtime_now(const struct web_runtime *rt, int64_t *now, struct slot_time *at)
{
    const time_t t = time(NULL) + (time_t)rt->offset;
    struct tm tm;
    localtime_r(&t, &tm);
    *now = (int64_t)t;
    at->day = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    at->min = tm.tm_hour * 60 + tm.tm_min;
}

struct store_booking *web_runtime_store(struct web_runtime *rt, struct cn_err *err)
{
    struct store_booking *bs = NULL;
    pthread_mutex_lock(&rt->pool.lock);
    if (rt->pool.n_free > 0)
        bs = rt->pool.free[--rt->pool.n_free];
    pthread_mutex_unlock(&rt->pool.lock);
    if (!bs && store_booking_open(rt->db_path, &bs, err) != CN_OK)
        return NULL;
    return bs;
}

void web_runtime_release(struct web_runtime *rt, struct store_booking *bs)
{
    pthread_mutex_lock(&rt->pool.lock);
    if (rt->pool.free && rt->pool.n_free < rt->pool.cap) {
        rt->pool.free[rt->pool.n_free++] = bs;
        bs = NULL;
    }
    pthread_mutex_unlock(&rt->pool.lock);
    store_booking_close(bs);
}

int web_runtime_new(const struct config *cfg, const char *db_path, int64_t pinned, int pool,
                    struct web_runtime **out, struct cn_err *err)
{
    *out = NULL;
    struct web_runtime *rt = calloc(1, sizeof *rt);
    if (!rt)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    rt->cfg = cfg;
    snprintf(rt->db_path, sizeof rt->db_path, "%s", db_path);
    rt->offset = pinned >= 0 ? pinned - (int64_t)time(NULL) : 0;
    pthread_mutex_init(&rt->pool.lock, NULL);
    rt->pool.cap = pool > 0 ? pool : 1;
    rt->pool.free = calloc((size_t)rt->pool.cap, sizeof(struct store_booking *));
    int rc = rt->pool.free ? CN_OK : cn_fail(err, CN_EOUTPUT, "out of memory");
    if (!rc)
        rc = secret_init(err); /* the counter's tokens and password checks */
    if (!rc)
        /* Several nodes share a PostgreSQL store: the next request may reach another node,
         * so the sessions live in the store. One SQLite file has one node: in memory. */
        rc = store_uri_is_pg(db_path) ? session_jar_stored(db_path, SESSION_IDLE, &rt->jar, err)
                                      : session_jar_new(SESSION_CAP, SESSION_IDLE, &rt->jar, err);
    pthread_mutex_init(&rt->lookups_lock, NULL);
    const struct ratelimit_conf lookups = {cfg->serve_limits.lookups_burst,
                                           cfg->serve_limits.lookups_per_hour, LOOKUP_ADDRESSES};
    if (!rc && !(rt->lookups = ratelimit_new(&lookups)))
        rc = cn_fail(err, CN_EOUTPUT, "out of memory (lookup limits)");
    if (!rc)
        rc = texts_load(cfg->catalogs, cfg->languages, &rt->texts, err);
    if (!rc)
        rc = tally_cache_new(cfg->seats_cache_ms, &rt->seats, err);
    struct store_booking *bs = rc ? NULL : web_runtime_store(rt, err);
    if (!rc && !bs)
        rc = err ? err->status : CN_EUSAGE;
    if (bs)
        web_runtime_release(rt, bs);
    if (rc) {
        web_runtime_free(rt);
        return rc;
    }
    *out = rt;
    return CN_OK;
}

void web_runtime_free(struct web_runtime *rt)
{
    if (!rt)
        return;
    for (int i = 0; rt->pool.free && i < rt->pool.n_free; i++)
        store_booking_close(rt->pool.free[i]);
    free(rt->pool.free);
    pthread_mutex_destroy(&rt->pool.lock);
    session_jar_free(rt->jar);
    ratelimit_free(rt->lookups);
    pthread_mutex_destroy(&rt->lookups_lock);
    texts_free(rt->texts);
    tally_cache_free(rt->seats);
    free(rt);
}

const struct config *web_runtime_config(const struct web_runtime *rt)
{
    return rt->cfg;
}

const struct texts *web_runtime_texts(const struct web_runtime *rt)
{
    return rt->texts;
}

struct session_jar *web_runtime_sessions(struct web_runtime *rt)
{
    return rt->jar;
}

struct tally_cache *web_runtime_seats(struct web_runtime *rt)
{
    return rt->seats;
}

bool web_runtime_lookup(struct web_runtime *rt, const char *client, int64_t now,
                        int64_t *retry_after)
{
    char key[64];
    ratelimit_key(client, key);
    pthread_mutex_lock(&rt->lookups_lock);
    const bool ok = ratelimit_take(rt->lookups, key, now, retry_after);
    pthread_mutex_unlock(&rt->lookups_lock);
    return ok;
}
