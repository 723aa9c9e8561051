/* store_order: a per-connection scratch table that sorts the night's letters by their
 * residents' addresses within bounded memory. Must not decide the order: printorder does. */
#ifndef CN_STORE_ORDER_H
#define CN_STORE_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"

/* Sorting a million letters in memory would need their addresses in memory; SQLite sorts
 * them from the residents table within bounded memory instead. A key is the caller's
 * index of the letter. */
int store_order_clear(struct store *s, struct cn_err *err);
int store_order_add(struct store *s, int64_t key, const char *resident_id, cn_date cert_expiry,
                    bool held, struct cn_err *err);
/* Calls fn with each key in print order; a letter whose resident is gone is left out. */
int store_order_each(struct store *s, int (*fn)(int64_t key, void *ctx), void *ctx,
                     struct cn_err *err);

#endif
