/* web_runtime: what the residents' site and the counter's share: the config, a pool of
 * database connections (one per request at a time), the service's clock (pinned by --now),
 * the residents' sessions and the ID-lookup limiter. Must not draw a page or decide a rule;
 * writes serialise inside the booking store (store_booking.h), not here. */
#ifndef CN_WEB_RUNTIME_H
#define CN_WEB_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "texts.h"
#include "err.h"
#include "session.h"
#include "slots.h"
#include "store_booking.h"

struct web_runtime;

/* pinned: the --now moment (seconds since the epoch) the clock starts from, or -1 for
 * the real clock. pool: database connections kept for the server's threads. One
 * connection is opened at once, so that a wrong --db fails at start. */
int web_runtime_new(const struct config *cfg, const char *db_path, int64_t pinned, int pool,
                    struct web_runtime **out, struct cn_err *err);
void web_runtime_free(struct web_runtime *rt);

const struct config *web_runtime_config(const struct web_runtime *rt);
/* The residents' pages' message catalogs. */
const struct texts *web_runtime_texts(const struct web_runtime *rt);

/* A connection for this request (SQLite connections are not shared between threads); a
 * store taken must be given back. NULL (err set) when none can be opened. */
struct store_booking *web_runtime_store(struct web_runtime *rt, struct cn_err *err);
void web_runtime_release(struct web_runtime *rt, struct store_booking *bs);

/* The service's clock: seconds since the epoch and the same moment in local time. */
void web_runtime_now(const struct web_runtime *rt, int64_t *now, struct slot_time *at);

/* The residents' sessions (in memory; the counter's live in SQLite, store_staff.h). */
struct session_jar *web_runtime_sessions(struct web_runtime *rt);
/* The seat tallies the pages use again for a moment (tally_cache.h). */
struct tally_cache *web_runtime_seats(struct web_runtime *rt);

/* Takes one ID lookup from the client's bucket (an IPv6 client counts by its /64): without
 * it, a script could walk the ID space. false when empty: *retry_after is the seconds until
 * a lookup is allowed again. */
bool web_runtime_lookup(struct web_runtime *rt, const char *client, int64_t now,
                        int64_t *retry_after);

#endif
