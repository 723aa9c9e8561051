/* web_resident: the resident behind a reservation ID as both sites see it: the letter's
 * facts and booking (store_booking_facts), the district, the renewal window and the
 * offices the ID may book at. Must not check a birthday (web_verify.h) or draw a page. */
#ifndef CN_WEB_RESIDENT_H
#define CN_WEB_RESIDENT_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "rules.h"
#include "slots.h"
#include "store_booking.h"

#define WEB_MAX_OFFICES 8

struct web_who {
    struct booking_resident res;
    /* The ID's active booking, read with the feed row (struct id_facts). */
    bool has_active;
    struct booking active;
    bool withdrawn; /* the feed once carried the ID, its latest snapshot does not (found is
                     * false): renewed, moved out, held... the resident is told to call */
    const struct district *district;
    struct window window;
    const struct office *offices[WEB_MAX_OFFICES];
    int n_offices;
};

/* The district's offices that take bookings, in the config's order. */
int web_offices(const struct config *cfg, const struct district *d, const struct office **out);

/* Reads the ID, its active booking with it: *found is false when there is no such letter
 * or it does not open the booking pages (booking_resident_opens). 0 offices: a walk-in
 * district, or a letter that takes no booking. */
int web_who_load(struct store_booking *bs, const struct config *cfg, const char *rid,
                 struct web_who *who, bool *found, struct cn_err *err);
/* The same from the ID's facts read already. */
void web_who_of(const struct config *cfg, const struct id_facts *facts, struct web_who *who,
                bool *found);

/* The office with this id if the resident may book there; NULL otherwise. */
const struct office *web_who_office(const struct web_who *who, const char *id);

/* What the slot rules need to know of the resident. */
struct slot_resident web_who_slots(const struct web_who *who);

#endif
