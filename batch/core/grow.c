#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *grow_for_one(void *items, size_t *cap, size_t n, size_t item_size, size_t first_cap)
{
    if (n < *cap)
        return items;
    size_t want = *cap ? *cap * 2 : first_cap;
    if (want < *cap || want > SIZE_MAX / item_size)
        return NULL;
    void *grown = realloc(items, want * item_size);
    if (grown)
        *cap = want;
    return grown;
}
