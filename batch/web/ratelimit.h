/* ratelimit: token buckets keyed by a client address (an ID lookup costs one token; tokens
 * come back at a steady rate) in a fixed table that evicts the least useful entry when full.
 * Must not do I/O, read a clock or lock: the caller passes the time and serializes calls. */
#ifndef CN_RATELIMIT_H
#define CN_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit_conf {
    int burst;    /* tokens a new address starts with, and the most it can save up */
    int per_hour; /* tokens that come back per hour */
    int cap;      /* addresses tracked at once (memory: cap * ~48 bytes) */
};

struct ratelimit;

/* NULL when out of memory or the conf is not positive. */
struct ratelimit *ratelimit_new(const struct ratelimit_conf *conf);
void ratelimit_free(struct ratelimit *rl);

/* Takes one token for key at now (seconds). false when the bucket is empty; then
 * *retry_after (may be NULL) is the seconds until a token is back. */
bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now, int64_t *retry_after);

/* The key of a client address: an IPv6 address counts by its /64 (what one subscriber
 * gets), anything else as it is. out holds at least 64 bytes. */
void ratelimit_key(const char *address, char out[64]);

/* The key of a per-client limit or lockout kept elsewhere (the database's lockouts):
 * kind, a colon, then ratelimit_key of the address ("ip:2001:db8:1:2::/64",
 * "staffip:192.0.2.7"), so that every per-client limit groups addresses alike: rotating
 * the last 64 bits of an IPv6 address is not a new client. out holds at least
 * RATELIMIT_CLIENT_KEY bytes; a longer kind is cut. */
#define RATELIMIT_CLIENT_KEY 96
void ratelimit_client_key(const char *kind, const char *address, char out[RATELIMIT_CLIENT_KEY]);

/* Addresses tracked now (for tests and the log). */
int ratelimit_tracked(const struct ratelimit *rl);

#endif
