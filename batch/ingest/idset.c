#include "idset.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

static uint64_t fnv1a(const char *id)
{
    uint64_t h = 14695981039346656037u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211u;
    return h;
}

static uint64_t hash_of(const struct idset *t, const char *id)
{
    uint64_t h = t->hash ? t->hash(id) : fnv1a(id);
    return h ? h : 1; /* 0 marks an empty slot */
}

static bool grow_table(struct idset *t)
{
    size_t cap = t->cap ? 2 * t->cap : 1024;
    uint64_t *hashes = calloc(cap, sizeof *hashes);
    uint32_t *text = malloc(cap * sizeof *text);
    uint32_t *line = malloc(cap * sizeof *line);
    if (!hashes || !text || !line) {
        free(hashes);
        free(text);
        free(line);
        return false;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->hashes[i])
            continue;
        size_t j = t->hashes[i] & (cap - 1);
        while (hashes[j])
            j = (j + 1) & (cap - 1);
        hashes[j] = t->hashes[i];
        text[j] = t->text[i];
        line[j] = t->line[i];
    }
    free(t->hashes);
    free(t->text);
    free(t->line);
    t->hashes = hashes;
    t->text = text;
    t->line = line;
    t->cap = cap;
    return true;
}

/* Copies id into the arena; its offset in *at. */
static bool keep_text(struct idset *t, const char *id, uint32_t *at)
{
    size_t len = strlen(id) + 1;
    if (t->arena_len + len > UINT32_MAX)
        return false;
    while (t->arena_len + len > t->arena_cap) {
        char *grown = grow_for_one(t->arena, &t->arena_cap, t->arena_cap, 1, 16384);
        if (!grown)
            return false;
        t->arena = grown;
    }
    memcpy(t->arena + t->arena_len, id, len);
    *at = (uint32_t)t->arena_len;
    t->arena_len += len;
    return true;
}

static uint32_t line_of(long line)
{
    return line > (long)UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

/* Looks id up; sets *slot to its slot, or to the empty slot where it belongs. */
static bool find(const struct idset *t, const char *id, uint64_t h, size_t *slot)
{
    size_t j = h & (t->cap - 1);
    for (; t->hashes[j]; j = (j + 1) & (t->cap - 1))
        if (t->hashes[j] == h && strcmp(t->arena + t->text[j], id) == 0) {
            *slot = j;
            return true;
        }
    *slot = j;
    return false;
}

static long remember(struct idset *t, const char *id, long line, bool replace)
{
    if (2 * (t->n + 1) > t->cap && !grow_table(t))
        return -1;
    uint64_t h = hash_of(t, id);
    size_t j;
    if (find(t, id, h, &j)) {
        long was = t->line[j];
        if (replace)
            t->line[j] = line_of(line);
        return was;
    }
    uint32_t at;
    if (!keep_text(t, id, &at))
        return -1;
    t->hashes[j] = h;
    t->text[j] = at;
    t->line[j] = line_of(line);
    t->n++;
    return 0;
}

long idset_check(struct idset *t, const char *id, long line)
{
    return remember(t, id, line, false);
}

long idset_swap(struct idset *t, const char *id, long line)
{
    return remember(t, id, line, true);
}

void idset_free(struct idset *t)
{
    free(t->hashes);
    free(t->text);
    free(t->line);
    free(t->arena);
    memset(t, 0, sizeof *t);
}
