/* store_returned: returned mail: the notice a returned envelope held, the hold it puts on
 * its resident, and the list of held residents. Must not read the post office's file nor
 * decide when a hold ends (ingest's rule and reprint do). */
#ifndef CN_STORE_RETURNED_H
#define CN_STORE_RETURNED_H

#include <stdbool.h>

#include "err.h"
#include "notice.h"
#include "record.h"
#include "rid.h"
#include "store.h"

/* The resident's most recent notice that went out in the post (published or already
 * returned), by certificate expiry: the letter a returned envelope most likely held. */
int store_notice_latest_mailed(struct store *s, const char *resident_id, struct notice *out,
                               bool *found, struct cn_err *err);

/* Holds the resident from automatic letters, or lifts the hold. */
int store_set_returned_hold(struct store *s, const char *resident_id, bool hold,
                            struct cn_err *err);

struct returned_hold {
    char resident_id[RESIDENT_ID_MAX + 1];
    char district[DISTRICT_MAX + 1];
    char rid[RID_LEN + 1]; /* the returned notice; "" if none is marked returned */
    char since[20];        /* when it was marked returned, UTC; "" if none */
};

/* Calls fn for every resident held after returned mail, in resident_id order. */
int store_each_returned_hold(struct store *s, int (*fn)(const struct returned_hold *h, void *ctx),
                             void *ctx, struct cn_err *err);

#endif
