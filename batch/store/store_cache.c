/* store_cache: the statement cache of a connection, keyed by the address of a statement's
 * static text, shared by the SQLite and PostgreSQL backends; clearing it frees what it holds.
 * Must not prepare or run statements: store.c and store_query.c do, and keep them here. */
#include "store_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t slot_of(const void *key, size_t cap)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
    return (size_t)(h >> 7) & (cap - 1);
}

int store_cache_grow(struct store *s)
{
    size_t cap = s->cache_cap ? s->cache_cap * 2 : 64;
    struct cached *c = calloc(cap, sizeof *c);
    if (!c)
        return -1;
    for (size_t i = 0; i < s->cache_cap; i++) {
        if (!s->cache[i].key)
            continue;
        size_t j = slot_of(s->cache[i].key, cap);
        while (c[j].key)
            j = (j + 1) & (cap - 1);
        c[j] = s->cache[i];
    }
    free(s->cache);
    s->cache = c;
    s->cache_cap = cap;
    return 0;
}

struct cached *store_cache_slot(struct store *s, const void *key)
{
    size_t i = slot_of(key, s->cache_cap);
    while (s->cache[i].key && s->cache[i].key != key)
        i = (i + 1) & (s->cache_cap - 1);
    if (s->cache[i].key)
        return &s->cache[i];
    /* Half full at most, so that probing stays short. */
    if (2 * (s->cache_used + 1) > s->cache_cap) {
        if (store_cache_grow(s) != 0)
            return NULL;
        i = slot_of(key, s->cache_cap);
        while (s->cache[i].key)
            i = (i + 1) & (s->cache_cap - 1);
    }
    return &s->cache[i];
}

void store_cache_clear(struct store *s)
{
    for (size_t i = 0; i < s->cache_cap; i++) {
        sqlite3_finalize(s->cache[i].st);
        if (s->cache[i].q)
            store_pg_query_free(s->cache[i].q);
    }
    memset(s->cache, 0, s->cache_cap * sizeof *s->cache);
    s->cache_used = 0;
}
