#include "tally_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Why a cache at all: on PostgreSQL every statement is a round trip and a transaction, and
 * the pages read seats on every step: the date page a row per booked slot of the horizon
 * (hundreds on a busy morning), the date and time POSTs their day. Those reads were most of
 * the store's work per booking. Residents of one office all see the same days, so one read
 * serves every page for a moment.
 * What may be stale, and what not: a count another node moved within the last moment. The
 * node's own bookings and cancellations are applied to the kept tally as they commit
 * (tally_cache_taken), so one node alone is exact; staff changes to slots on this node drop
 * it (tally_cache_drop). A seat shown free that is not is refused by the take, which counts
 * under the slot's lock; a day or time refused on the kept tally is checked again on a fresh
 * read before the resident is told (book_date.c, book_slot.c), and that read is kept. */

#define TALLY_CACHE_OFFICES 64 /* offices kept at once; more are read on every view */

struct kept {
    char office[32];
    cn_date first, last;
    int64_t read_at_ms;
    struct seat_tally *tally;
};

struct tally_cache {
    pthread_mutex_t lock;
    int ttl_ms;
    int n;
    struct kept kept[TALLY_CACHE_OFFICES];
};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tally_cache_new(int ttl_ms, struct tally_cache **out, struct cn_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return cn_fail(err, CN_EOUTPUT, "out of memory (tally cache)");
    pthread_mutex_init(&(*out)->lock, NULL);
    (*out)->ttl_ms = ttl_ms;
    return CN_OK;
}

void tally_cache_free(struct tally_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        seat_tally_free(c->kept[i].tally);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static struct kept *find(struct tally_cache *c, const char *office)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->kept[i].office, office) == 0)
            return &c->kept[i];
    return NULL;
}

/* Keeps t (a copy) as office's tally over first..last read at read_at_ms, unless a younger
 * one came meanwhile from another thread. */
static void keep(struct tally_cache *c, const char *office, cn_date first, cn_date last,
                 int64_t read_at_ms, const struct seat_tally *t)
{
    struct seat_tally *copy = NULL;
    struct cn_err ignored = {0};
    if (seat_tally_copy(t, &copy, &ignored))
        return; /* out of memory: the next view reads again */
    pthread_mutex_lock(&c->lock);
    struct kept *k = find(c, office);
    if (!k && c->n < TALLY_CACHE_OFFICES && strlen(office) < sizeof k->office) {
        k = &c->kept[c->n++];
        snprintf(k->office, sizeof k->office, "%s", office);
    }
    if (k && (!k->tally || k->read_at_ms <= read_at_ms)) {
        struct seat_tally *old = k->tally;
        *k = (struct kept){.first = first, .last = last, .read_at_ms = read_at_ms, .tally = copy};
        snprintf(k->office, sizeof k->office, "%s", office);
        copy = old;
    }
    pthread_mutex_unlock(&c->lock);
    seat_tally_free(copy);
}

int tally_cache_load(struct tally_cache *c, struct store_booking *bs, const char *office,
                     cn_date first, cn_date last, bool fresh, struct seat_tally **out,
                     struct cn_err *err)
{
    *out = NULL;
    const int64_t now = monotonic_ms();
    int rc = CN_OK;
    if (!fresh && c->ttl_ms > 0) {
        pthread_mutex_lock(&c->lock);
        const struct kept *k = find(c, office);
        if (k && k->tally && k->first <= first && last <= k->last &&
            now - k->read_at_ms < c->ttl_ms)
            rc = seat_tally_copy(k->tally, out, err);
        pthread_mutex_unlock(&c->lock);
        if (rc || *out)
            return rc;
    }
    if ((rc = seat_tally_load(bs, office, first, last, out, err)))
        return rc;
    if (c->ttl_ms > 0)
        keep(c, office, first, last, now, *out);
    return CN_OK;
}

void tally_cache_drop(struct tally_cache *c, const char *office)
{
    pthread_mutex_lock(&c->lock);
    struct kept *k = find(c, office);
    struct seat_tally *old = k ? k->tally : NULL;
    if (k)
        k->tally = NULL;
    pthread_mutex_unlock(&c->lock);
    seat_tally_free(old);
}

void tally_cache_taken(struct tally_cache *c, const struct booking *b, int delta)
{
    pthread_mutex_lock(&c->lock);
    struct kept *k = find(c, b->office);
    if (k && k->tally && k->first <= b->day && b->day <= k->last &&
        seat_tally_add(k->tally, b->day, b->start_min, delta) != CN_OK) {
        seat_tally_free(k->tally); /* out of memory: read again at the next view */
        k->tally = NULL;
    }
    pthread_mutex_unlock(&c->lock);
}
