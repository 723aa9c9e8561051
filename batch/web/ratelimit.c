#include "ratelimit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far a key may sit from its home slot: a lookup reads at most this many entries. */
#define PROBE 8
#define KEY_MAX 40
#define MILLI 1000

struct entry {
    char key[KEY_MAX]; /* "" when free */
    int64_t last;      /* when tokens was last brought up to date */
    int64_t tokens;    /* thousandths of a token, so that a slow refill is not lost */
};

struct ratelimit {
    struct ratelimit_conf conf;
    int tracked;
    struct entry *e;
};

struct ratelimit *ratelimit_new(const struct ratelimit_conf *conf)
{
    if (conf->burst < 1 || conf->per_hour < 1 || conf->cap < PROBE)
        return NULL;
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->conf = *conf;
    rl->e = calloc((size_t)conf->cap, sizeof *rl->e);
    if (!rl->e) {
        free(rl);
        return NULL;
    }
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    free(rl->e);
    free(rl);
}

int ratelimit_tracked(const struct ratelimit *rl)
{
    return rl->tracked;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The entry's tokens at now; a bucket left alone long enough is simply full (the clamp
 * also keeps the product below overflow). */
static int64_t tokens_at(const struct ratelimit *rl, const struct entry *e, int64_t now)
{
    const int64_t full = (int64_t)rl->conf.burst * MILLI;
    const int64_t elapsed = now > e->last ? now - e->last : 0;
    if (elapsed >= (int64_t)rl->conf.burst * 3600 / rl->conf.per_hour + 1)
        return full;
    const int64_t t = e->tokens + elapsed * rl->conf.per_hour * MILLI / 3600;
    return t < full ? t : full;
}

static struct entry *find_or_claim(struct ratelimit *rl, const char *key, int64_t now)
{
    const size_t home = (size_t)(fnv1a(key) % (uint64_t)rl->conf.cap);
    struct entry *free_slot = NULL, *victim = NULL;
    int64_t victim_tokens = -1;
    for (size_t i = 0; i < PROBE; i++) {
        struct entry *e = &rl->e[(home + i) % (size_t)rl->conf.cap];
        if (!e->key[0]) {
            if (!free_slot)
                free_slot = e;
            continue;
        }
        if (strcmp(e->key, key) == 0)
            return e;
        /* The entry worth least is the one closest to a full bucket: forgetting it changes
         * nothing for that address. Ties go to the one seen longest ago. */
        const int64_t t = tokens_at(rl, e, now);
        if (!victim || t > victim_tokens || (t == victim_tokens && e->last < victim->last)) {
            victim = e;
            victim_tokens = t;
        }
    }
    struct entry *e = free_slot ? free_slot : victim;
    if (free_slot)
        rl->tracked++;
    snprintf(e->key, sizeof e->key, "%s", key);
    e->last = now;
    e->tokens = (int64_t)rl->conf.burst * MILLI;
    return e;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now, int64_t *retry_after)
{
    if (retry_after)
        *retry_after = 0;
    struct entry *e = find_or_claim(rl, key[0] ? key : "-", now);
    e->tokens = tokens_at(rl, e, now);
    e->last = now > e->last ? now : e->last;
    if (e->tokens >= MILLI) {
        e->tokens -= MILLI;
        return true;
    }
    if (retry_after) {
        const int64_t per = (int64_t)rl->conf.per_hour * MILLI;
        *retry_after = ((MILLI - e->tokens) * 3600 + per - 1) / per;
    }
    return false;
}

void ratelimit_key(const char *address, char out[64])
{
    struct in6_addr a6;
    if (inet_pton(AF_INET6, address, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
        memset(a6.s6_addr + 8, 0, 8);
        char text[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, &a6, text, sizeof text);
        snprintf(out, 64, "%s/64", text);
        return;
    }
    snprintf(out, 64, "%.63s", address);
}

void ratelimit_client_key(const char *kind, const char *address, char out[RATELIMIT_CLIENT_KEY])
{
    char key[64];
    ratelimit_key(address, key);
    snprintf(out, RATELIMIT_CLIENT_KEY, "%.30s:%s", kind, key);
}
