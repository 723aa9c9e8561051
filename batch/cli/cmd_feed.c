/* certnotice feed import: the outside's side of the feed: one night's booking/ folder into
 * the booking store (checked, one transaction, IDs that left withdrawn and their bookings
 * cancelled). Option parsing and the report only: feed_in.c loads. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "err.h"
#include "feed_in.h"
#include "log.h"
#include "open_db.h"
#include "store.h"

enum { FEED_DB, FEED_CONFIG };

const struct cmd_usage cmd_feed_usage = {
    .name = "feed",
    .operands = "import DIR|FILE",
    .min_operands = 2,
    .max_operands = 2,
    .summary = "Load a night's booking/ folder (feed.json + feed.csv, carried out through the "
               "transfer) into the booking store; IDs that left it are withdrawn.",
    .opts =
        {
            [FEED_DB] = {"db", "FILE|URI",
                         BOOKING_STORE_HELP "; created and migrated on the first import"},
            [FEED_CONFIG] = {"config", "FILE",
                             "the municipality's config: its name must be the feed's; "
                             "<booking retention-days> and store",
                             "certnotice.xml"},
        },
};

int cmd_feed(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_feed_usage, argc, argv, &a, &rc))
        return rc;
    if (strcmp(argv[a.first], "import") != 0) {
        fprintf(stderr, "certnotice feed: unknown subcommand '%s'\n", argv[a.first]);
        opts_synopsis(&cmd_feed_usage, stderr);
        return CN_EUSAGE;
    }
    struct cn_err err = {0};
    struct config cfg;
    if ((rc = config_load(a.value[FEED_CONFIG], &cfg, &err))) {
        log_error("feed", "%s", err.msg);
        return rc;
    }
    struct store *s = NULL;
    const struct feed_in_opts o = {
        .path = argv[a.first + 1],
        .municipality = cfg.municipality,
        .today = clock_today_in(cfg.time_zone),
        .now = (int64_t)time(NULL),
        .retention_days = cfg.retention_days,
    };
    struct feed_in_result r;
    if (!(rc = store_open_booking(booking_store_where(a.value[FEED_DB], &cfg), cfg.file_mode, &s,
                                  &err)))
        rc = feed_in_load(s, &o, &r, &err);
    if (rc) {
        log_error("feed", "%s; nothing was changed", err.msg);
    } else if (r.unchanged) {
        log_info("feed", "%s: batch %s (run %lld) is loaded already: unchanged", r.json,
                 r.batch.batch, (long long)r.batch.run);
    } else {
        log_info("feed",
                 "%s: batch %s (run %lld) of %s: %ld IDs may book, %ld added or changed, %ld "
                 "withdrawn, %ld bookings of withdrawn IDs cancelled (listed for staff to call)",
                 r.csv, r.batch.batch, (long long)r.batch.run, r.batch.municipality, r.batch.rows,
                 r.counts.upserted, r.counts.withdrawn, r.cancelled);
        log_info("feed",
                 "retention %d days: deleted bookings=%ld lockouts=%ld sessions=%ld audit=%ld "
                 "withdrawn_ids=%ld",
                 cfg.retention_days, r.purged.bookings, r.purged.lockouts, r.purged.sessions,
                 r.purged.audit, r.purged.feed);
    }
    store_close(s);
    config_free(&cfg);
    return rc;
}
