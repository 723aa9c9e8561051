/* feed_in: loads one night's booking/ folder (feed.json + feed.csv) into the booking store,
 * checked on arrival: format, municipality, age against the last batch loaded, SHA-256,
 * the columns (a personal one refused by name), every row. Must not change anything when it
 * refuses: the whole load is one transaction after every check has passed. */
#ifndef CN_FEED_IN_H
#define CN_FEED_IN_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"
#include "store_feed.h"
#include "store_retention.h"

struct feed_in_opts {
    const char *path;         /* the booking/ folder, its feed.json or its feed.csv */
    const char *municipality; /* the config's: a feed of another is refused */
    cn_date today;            /* the municipality's day, for retention */
    int64_t now;
    int retention_days;
};

struct feed_in_result {
    struct feed_batch batch;
    bool unchanged; /* the same batch as the last one loaded: nothing done */
    struct feed_counts counts;
    long cancelled; /* active bookings of withdrawn IDs, cancelled */
    struct retention_counts purged;
    char json[512], csv[512]; /* the files read */
};

/* A refusal is CN_EINPUT with err naming the file and the reason. */
int feed_in_load(struct store *s, const struct feed_in_opts *o, struct feed_in_result *out,
                 struct cn_err *err);

#endif
