/* store_closure: what staff changed about an office's slots: closures (the bookings they
 * hit flagged for a call) and seat changes. Must not decide what a closure means for a slot
 * (slots.c does). */
#ifndef CN_STORE_CLOSURE_H
#define CN_STORE_CLOSURE_H

#include <stdint.h>

#include "date.h"
#include "err.h"
#include "rid.h"
#include "slots.h"
#include "store.h"

/* Closes [from_min, to_min) of day at office and flags the active bookings whose slot
 * (slot_min long) overlaps it: they stay booked until staff have called them. *hit: how
 * many were flagged. */
int store_staff_close(struct store *s, const char *office, cn_date day, int from_min, int to_min,
                      int slot_min, const char *reason, const char *by, int64_t *id, int *hit,
                      struct cn_err *err);
/* Seats per slot from first to last at office (overrides the config's). */
int store_staff_set_seats(struct store *s, const char *office, cn_date first, cn_date last,
                          int seats, const char *by, struct cn_err *err);
/* The closures and seat changes touching first..last at office, for slots_check_changed. */
int store_staff_changes(struct store *s, const char *office, cn_date first, cn_date last,
                        struct slot_changes *out, struct cn_err *err);

/* store_staff_changes and the active bookings per slot (taken(day, start_min, count, ctx)
 * for each booked slot) over first..last at office, in one statement: the date and slot
 * pages ask for both on every view, and on a server each statement is a round trip. */
int store_staff_tally(struct store *s, const char *office, cn_date first, cn_date last,
                      void (*taken)(cn_date day, int start_min, int count, void *ctx), void *ctx,
                      struct slot_changes *out, struct cn_err *err);

struct closure_row {
    int64_t id;
    char office[32];
    cn_date day;
    int from_min, to_min;
    char reason[256], by[32];
};
/* Closures on or after `from` (all offices when office is NULL), by day. */
int store_staff_each_closure(struct store *s, const char *office, cn_date from,
                             int (*fn)(const struct closure_row *c, void *ctx), void *ctx,
                             struct cn_err *err);

struct hit_row {
    int64_t booking_id, closure_id;
    char rid[RID_LEN + 1];
    char office[32];
    cn_date day;
    int start_min;
    char reason[256];
};
/* The active bookings closures hit on or after `from`: the list staff call through. */
int store_staff_each_hit(struct store *s, const char *office, cn_date from,
                         int (*fn)(const struct hit_row *h, void *ctx), void *ctx,
                         struct cn_err *err);

#endif
