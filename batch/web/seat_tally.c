#include "seat_tally.h"

#include <stdlib.h>
#include <string.h>

#include "store_staff.h"

struct seat_tally {
    int n;
    struct {
        cn_date day;
        int start, taken;
    } e[2048];
    struct slot_changes ch;
};

static void add_taken(cn_date day, int start, int taken, void *ctx)
{
    struct seat_tally *t = ctx;
    if (t->n < (int)(sizeof t->e / sizeof t->e[0])) {
        t->e[t->n].day = day;
        t->e[t->n].start = start;
        t->e[t->n].taken = taken;
        t->n++;
    }
}

int seat_tally_load(struct store_booking *bs, const char *office, cn_date first, cn_date last,
                    struct seat_tally **out, struct cn_err *err)
{
    *out = NULL;
    struct seat_tally *t = calloc(1, sizeof *t);
    if (!t)
        return cn_fail(err, CN_EOUTPUT, "out of memory (seat tally)");
    int rc = CN_OK;
    if (last >= first &&
        ((rc = store_booking_taken(bs, office, first, last, add_taken, t, err)) ||
         (rc = store_staff_changes(store_booking_db(bs), office, first, last, &t->ch, err)))) {
        free(t);
        return rc;
    }
    *out = t;
    return CN_OK;
}

void seat_tally_free(struct seat_tally *t)
{
    free(t);
}

int seat_tally_taken(const struct seat_tally *t, cn_date day, int start_min)
{
    for (int i = 0; i < t->n; i++)
        if (t->e[i].day == day && t->e[i].start == start_min)
            return t->e[i].taken;
    return 0;
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
    for (int i = 0; i < v->n; i++) {
        const int taken = seat_tally_taken(t, day, v->starts[i]);
        const struct slot_time st = {day, v->starts[i]};
        v->verdict[i] = slots_check_changed(&o->calendar, &o->booking, &t->ch, res, now, st, taken);
        const int seats = slots_seats(&o->booking, &t->ch, day, v->starts[i]);
        v->left[i] = seats > taken ? seats - taken : 0;
        if (v->verdict[i] == SLOT_OK || v->verdict[i] == SLOT_FULL) {
            v->open_slots++;
            v->seats_left += v->verdict[i] == SLOT_OK ? v->left[i] : 0;
        }
    }
}
