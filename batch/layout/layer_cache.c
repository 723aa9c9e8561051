#include "layer_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

struct entry {
    char *key;
    struct layer layer;
};

struct layer_cache {
    pthread_mutex_t lock;
    struct entry **entries; /* pointers: a layer handed out must not move as the array grows */
    size_t n, cap;
};

int layer_cache_new(struct layer_cache **out, struct cn_err *err)
{
    struct layer_cache *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return cn_fail(err, CN_EUSAGE, "render: out of memory");
    pthread_mutex_init(&c->lock, NULL);
    *out = c;
    return CN_OK;
}

static void free_entry(struct entry *e)
{
    if (!e)
        return;
    canvas_rec_free(e->layer.drawing);
    free(e->key);
    free(e);
}

void layer_cache_clear(struct layer_cache *c)
{
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n; i++)
        free_entry(c->entries[i]);
    c->n = 0;
    pthread_mutex_unlock(&c->lock);
}

void layer_cache_free(struct layer_cache *c)
{
    if (!c)
        return;
    layer_cache_clear(c);
    free(c->entries);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

const struct layer *layer_cache_get(struct layer_cache *c, const char *key,
                                    bool (*make)(void *ctx, struct layer *out), void *ctx)
{
    const struct layer *found = NULL;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n && !found; i++)
        if (strcmp(c->entries[i]->key, key) == 0)
            found = &c->entries[i]->layer;
    if (!found) {
        struct entry *e = calloc(1, sizeof *e);
        struct entry **grown =
            e ? grow_for_one(c->entries, &c->cap, c->n, sizeof(struct entry *), 16) : NULL;
        if (grown)
            c->entries = grown;
        if (grown && (e->key = strdup(key)) && make(ctx, &e->layer)) {
            c->entries[c->n++] = e;
            found = &e->layer;
        } else {
            free_entry(e);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}
