/* store_resident: the residents table: a record from the latest export per resident, plus
 * the returned-mail hold as ingest leaves it. Must not decide who is due or validate a record. */
#ifndef CN_STORE_RESIDENT_H
#define CN_STORE_RESIDENT_H

#include <stdbool.h>

#include "err.h"
#include "record.h"
#include "store.h"

/* Inserts the resident or replaces the stored one (a newer export wins). */
int store_put_resident(struct store *s, const struct resident *r, struct cn_err *err);

/* A file's residents, staged in the connection's scratch table: cleared, filled, then
 * applied to the residents table by store_apply_staged in rows of a few thousand, with
 * store_chunk between them (store_input.h's store_load_* use these). */
int store_stage_clear(struct store *s, struct cn_err *err);
int store_stage_resident(struct store *s, const struct resident *r, struct cn_err *err);
int store_apply_staged(struct store *s, struct cn_err *err);

int store_get_resident(struct store *s, const char *resident_id, struct resident *out, bool *found,
                       struct cn_err *err);

/* Calls fn for every resident, in resident_id order; fn returning non-zero stops and that
 * value is returned. */
int store_each_resident(struct store *s, int (*fn)(const struct resident *r, void *ctx), void *ctx,
                        struct cn_err *err);

#endif
