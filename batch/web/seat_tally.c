#include "seat_tally.h"

#include <stdlib.h>
#include <string.h>

#include "store_closure.h"

struct taken_slot {
    cn_date day;
    int start, taken;
};

struct seat_tally {
    int n, cap;
    struct taken_slot *e; /* sorted by day and start: found by bisection, many per page */
    struct slot_changes ch;
    int failed; /* out of memory while reading */
};

static void add_taken(cn_date day, int start, int taken, void *ctx)
{
    struct seat_tally *t = ctx;
    if (t->n == t->cap) {
        const int cap = t->cap ? 2 * t->cap : 256;
        struct taken_slot *e = realloc(t->e, (size_t)cap * sizeof *e);
        if (!e) {
            t->failed = 1;
            return;
        }
        t->e = e;
        t->cap = cap;
    }
    t->e[t->n++] = (struct taken_slot){day, start, taken};
}

static int slot_order(const void *a, const void *b)
{
    const struct taken_slot *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    return (x->start > y->start) - (x->start < y->start);
}

int seat_tally_load(struct store_booking *bs, const char *office, cn_date first, cn_date last,
                    struct seat_tally **out, struct cn_err *err)
{
    *out = NULL;
    struct seat_tally *t = calloc(1, sizeof *t);
    if (!t)
        return cn_fail(err, CN_EOUTPUT, "out of memory (seat tally)");
    int rc = CN_OK;
    if (last >= first && (rc = store_staff_tally(store_booking_db(bs), office, first, last,
                                                 add_taken, t, &t->ch, err))) {
        seat_tally_free(t);
        return rc;
    }
    if (t->failed) {
        seat_tally_free(t);
        return cn_fail(err, CN_EOUTPUT, "out of memory (seat tally)");
    }
    if (t->n > 1)
        qsort(t->e, (size_t)t->n, sizeof *t->e, slot_order);
    *out = t;
    return CN_OK;
}

int seat_tally_copy(const struct seat_tally *t, struct seat_tally **out, struct cn_err *err)
{
    *out = NULL;
    struct seat_tally *c = malloc(sizeof *c);
    if (!c)
        return cn_fail(err, CN_EOUTPUT, "out of memory (seat tally)");
    *c = *t;
    c->cap = t->n;
    c->e = NULL;
    if (t->n && !(c->e = malloc((size_t)t->n * sizeof *c->e))) {
        free(c);
        return cn_fail(err, CN_EOUTPUT, "out of memory (seat tally)");
    }
    if (t->n)
        memcpy(c->e, t->e, (size_t)t->n * sizeof *c->e);
    *out = c;
    return CN_OK;
}

int seat_tally_add(struct seat_tally *t, cn_date day, int start_min, int delta)
{
    const struct taken_slot key = {day, start_min, 0};
    struct taken_slot *hit =
        t->n ? bsearch(&key, t->e, (size_t)t->n, sizeof *t->e, slot_order) : NULL;
    if (hit) {
        hit->taken = hit->taken + delta > 0 ? hit->taken + delta : 0;
        return CN_OK;
    }
    if (delta <= 0)
        return CN_OK;
    if (t->n == t->cap) {
        const int cap = t->cap ? 2 * t->cap : 16;
        struct taken_slot *e = realloc(t->e, (size_t)cap * sizeof *e);
        if (!e)
            return CN_EOUTPUT;
        t->e = e;
        t->cap = cap;
    }
    int at = 0; /* the first entry after the new one: the order bisection relies on */
    while (at < t->n && slot_order(&t->e[at], &key) < 0)
        at++;
    memmove(&t->e[at + 1], &t->e[at], (size_t)(t->n - at) * sizeof *t->e);
    t->e[at] = (struct taken_slot){day, start_min, delta};
    t->n++;
    return CN_OK;
}

void seat_tally_free(struct seat_tally *t)
{
    if (t)
        free(t->e);
    free(t);
}

int seat_tally_taken(const struct seat_tally *t, cn_date day, int start_min)
{
    const struct taken_slot key = {day, start_min, 0};
    const struct taken_slot *hit =
        t->n ? bsearch(&key, t->e, (size_t)t->n, sizeof *t->e, slot_order) : NULL;
    return hit ? hit->taken : 0;
}

const struct slot_changes *seat_tally_changes(const struct seat_tally *t)
{
    return &t->ch;
}

void seat_tally_day(const struct seat_tally *t, const struct office *o,
                    const struct slot_resident *res, struct slot_time now, cn_date day,
                    struct seat_day *v)
{
    memset(v, 0, sizeof *v);
    v->n = slots_of_day(&o->calendar, &o->booking, day, v->starts, SEAT_MAX_SLOTS);
    /* The day's half of slots_check_changed once, each start's half per slot (the starts are
     * the day's slots_of_day already). */
    const enum slot_verdict all = slots_day_verdict(&o->calendar, &o->booking, res, now, day);
    for (int i = 0; i < v->n; i++) {
        const int taken = seat_tally_taken(t, day, v->starts[i]);
        v->verdict[i] = all != SLOT_OK
                            ? all
                            : slots_start_verdict(&o->booking, &t->ch, day, v->starts[i], taken);
        const int seats = slots_seats(&o->booking, &t->ch, day, v->starts[i]);
        v->left[i] = seats > taken ? seats - taken : 0;
        if (v->verdict[i] == SLOT_OK || v->verdict[i] == SLOT_FULL) {
            v->open_slots++;
            v->seats_left += v->verdict[i] == SLOT_OK ? v->left[i] : 0;
        }
    }
}
