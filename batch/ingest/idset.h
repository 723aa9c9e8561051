/* idset: the resident IDs seen in one input file and the line of each, to catch an ID
 * given twice. Must not judge the IDs: equal strings are the same ID, nothing else is. */
#ifndef CN_IDSET_H
#define CN_IDSET_H

#include <stddef.h>
#include <stdint.h>

/* Open addressing over 64-bit hashes; a hash match is confirmed by comparing the IDs
 * themselves (kept in one arena), so a collision never makes two residents one. */
struct idset {
    uint64_t (*hash)(const char *id); /* NULL: FNV-1a; tests force collisions with their own */
    uint64_t *hashes;                 /* per slot; 0: empty */
    uint32_t *text;                   /* per slot: offset of the ID in arena */
    uint32_t *line;                   /* per slot */
    size_t n, cap;
    char *arena;
    size_t arena_len, arena_cap;
};

/* The line id was first seen on, or 0 if it is new (then remembered at line); -1 when
 * out of memory. */
long idset_check(struct idset *t, const char *id, long line);
/* Remembers id at line (a new line for a known id too); the line it had before, 0 if it
 * is new, -1 when out of memory. */
long idset_swap(struct idset *t, const char *id, long line);

void idset_free(struct idset *t);

#endif
