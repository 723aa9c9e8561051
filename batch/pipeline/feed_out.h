/* feed_out: tonight's booking/feed.csv (every reservation ID that may book today or later,
 * a complete snapshot) and booking/feed.json (municipality, batch, run, rows, SHA-256),
 * the booking store's whole knowledge of residents. Must not decide who may book
 * (notice_feed does) nor write anything the wall forbids: no name, kana, address,
 * postcode, full birth date or resident ID. */
#ifndef CN_FEED_OUT_H
#define CN_FEED_OUT_H

#include <stdint.h>

#include "config.h"
#include "date.h"
#include "err.h"
#include "publish.h"
#include "store.h"

struct feed_out_info {
    const char *batch; /* the batch folder's name */
    cn_date today;     /* the night's date */
    int64_t run;       /* the night's run number */
};

/* Writes both files into the batch's booking/ folder; *rows: how many IDs. */
int feed_out_write(struct publish *pub, struct store *s, const struct config *cfg,
                   const struct feed_out_info *info, long *rows, struct cn_err *err);

#endif
