/* grow: room for one more item in a caller's array, doubling, with the size overflow
 * checked once here. Must not free or shrink: the caller owns the array. */
#ifndef CN_GROW_H
#define CN_GROW_H

#include <stddef.h>

/* Returns items itself while n < *cap; when n == *cap, items reallocated to twice the
 * capacity (first_cap at first) and *cap updated. NULL, with items untouched and still
 * the caller's, when memory runs out. */
void *grow_for_one(void *items, size_t *cap, size_t n, size_t item_size, size_t first_cap);

#endif
