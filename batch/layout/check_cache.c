#include "check_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define CHECK_CACHE_MAX 64

struct check_cache {
    pthread_mutex_t lock;
    int n;
    struct {
        char key[VARIANT_CODE_MAX];
        bool ok;
    } known[CHECK_CACHE_MAX];
};

int check_cache_new(struct check_cache **out, struct cn_err *err)
{
    struct check_cache *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return cn_fail(err, CN_EUSAGE, "render: out of memory");
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return CN_OK;
}

void check_cache_free(struct check_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

bool check_cache_get(struct check_cache *c, const char *key, bool *ok)
{
    bool found = false;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->n && !found; i++)
        if (strcmp(c->known[i].key, key) == 0) {
            *ok = c->known[i].ok;
            found = true;
        }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void check_cache_put(struct check_cache *c, const char *key, bool ok)
{
    pthread_mutex_lock(&c->lock);
    if (c->n < CHECK_CACHE_MAX) {
        snprintf(c->known[c->n].key, sizeof c->known[c->n].key, "%s", key);
        c->known[c->n++].ok = ok;
    }
    pthread_mutex_unlock(&c->lock);
}

void check_cache_clear(struct check_cache *c)
{
    pthread_mutex_lock(&c->lock);
    c->n = 0;
    pthread_mutex_unlock(&c->lock);
}
