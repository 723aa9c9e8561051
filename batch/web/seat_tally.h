/* seat_tally: the seats taken at an office over a range of days (store_staff_tally)
 * with the counter's closures and seat changes over the same days, and each slot's verdict
 * and seats left. Must not write, nor decide a slot's rules (slots.c does). */
#ifndef CN_SEAT_TALLY_H
#define CN_SEAT_TALLY_H

#include "config.h"
#include "err.h"
#include "slots.h"
#include "store_booking.h"

#define SEAT_MAX_SLOTS 64

struct seat_tally;

/* Reads first..last (nothing when last < first) at the office; *out is freed with
 * seat_tally_free. */
int seat_tally_load(struct store_booking *bs, const char *office, cn_date first, cn_date last,
                    struct seat_tally **out, struct cn_err *err);
void seat_tally_free(struct seat_tally *t);
/* A copy of t that outlives it (tally_cache hands one to each page). */
int seat_tally_copy(const struct seat_tally *t, struct seat_tally **out, struct cn_err *err);

/* delta bookings more (or fewer, never below 0) in the slot: a booking this node made or
 * cancelled, applied to a kept tally. CN_EOUTPUT when out of memory. */
int seat_tally_add(struct seat_tally *t, cn_date day, int start_min, int delta);
/* Active bookings in the slot. */
int seat_tally_taken(const struct seat_tally *t, cn_date day, int start_min);
/* The counter's closures and seat changes read with the tally. */
const struct slot_changes *seat_tally_changes(const struct seat_tally *t);

/* The slots of one day with their verdict and seats left. */
struct seat_day {
    int n;
    int starts[SEAT_MAX_SLOTS];
    enum slot_verdict verdict[SEAT_MAX_SLOTS];
    int left[SEAT_MAX_SLOTS];
    int seats_left; /* over the slots still bookable or full */
    int open_slots; /* slots that are bookable or full (not past the cutoff) */
};

void seat_tally_day(const struct seat_tally *t, const struct office *o,
                    const struct slot_resident *res, struct slot_time now, cn_date day,
                    struct seat_day *v);

#endif
