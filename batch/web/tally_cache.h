/* tally_cache: each office's seat tally over the days residents can book, kept for a moment
 * (<booking seats-cache-ms>) for every page that shows or checks seats, with this node's own
 * bookings and cancellations applied. Must not decide a booking: the take reads the store
 * itself (store_booking_take), and a refusal is checked again on a fresh read. */
#ifndef CN_TALLY_CACHE_H
#define CN_TALLY_CACHE_H

#include <stdbool.h>

#include "seat_tally.h"

struct tally_cache;

/* ttl_ms: how long a tally read from the store is shown again; 0 reads on every view. */
int tally_cache_new(int ttl_ms, struct tally_cache **out, struct cn_err *err);
void tally_cache_free(struct tally_cache *c);

/* *out: office's tally over at least first..last, freed with seat_tally_free. The kept one
 * when it covers those days and is younger than the ttl; else one read now from bs, which
 * is kept in its place. fresh: read now whatever is kept (a refusal is never made on a kept
 * tally). */
int tally_cache_load(struct tally_cache *c, struct store_booking *bs, const char *office,
                     cn_date first, cn_date last, bool fresh, struct seat_tally **out,
                     struct cn_err *err);
/* A booking this node made (+1) or cancelled (-1), applied to its office's kept tally, so
 * that the node's own pages see it at once. */
void tally_cache_taken(struct tally_cache *c, const struct booking *b, int delta);
/* Forgets office's kept tally: staff closed slots or changed seats on this node, and the
 * residents' pages show it from the next view. */
void tally_cache_drop(struct tally_cache *c, const char *office);

#endif
