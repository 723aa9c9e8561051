/* slots: the booking rules: which dates a resident may book, the cutoff, the horizon, the
 * slots of an office's day and whether one is bookable. Pure: no I/O, no clock, no globals. */
#ifndef CN_SLOTS_H
#define CN_SLOTS_H

#include <stdbool.h>

#include "date.h"
#include "officecal.h"

enum cutoff_kind {
    CUTOFF_DAY_BEFORE,    /* until cutoff_min (17:00) on the day before (Yokohama) */
    CUTOFF_BUSINESS_DAYS, /* until the end of the day N business days before (Minoh) */
};

/* An office's booking settings (the <booking> element of an <office> in the config). An
 * office without one takes no bookings. */
struct booking_rules {
    bool enabled;
    int slot_min;     /* slot length in minutes (30) */
    int seats;        /* residents served per slot */
    int horizon_days; /* bookable up to this many days ahead (40) */
    enum cutoff_kind cutoff;
    int cutoff_min;       /* CUTOFF_DAY_BEFORE: minutes after midnight on the day before */
    int cutoff_days;      /* CUTOFF_BUSINESS_DAYS: business days before */
    bool opens_on_letter; /* booking opens on the letter's date, not the window's first day */
    bool after_expiry;    /* dates after the window's end are bookable (新規発行) */
};

/* The defaults a <booking/> element without attributes gets: 30-minute slots, one seat,
 * 40 days, 17:00 the day before, from the window's first day, not after expiry. */
struct booking_rules slots_default_rules(void);

/* A moment in local time: the day and minutes after midnight. */
struct slot_time {
    cn_date day;
    int min;
};

/* The resident's side: the window of the certificate and the date of the letter. */
struct slot_resident {
    cn_date window_start, window_end;
    cn_date letter_date;
};

/* The dates a resident may book: first..last (last is DATE_MAX_OPEN when the office
 * books after expiry). Booking itself opens on `first`. */
#define DATE_MAX_OPEN INT32_MAX
struct date_range {
    cn_date first, last;
};
struct date_range slots_allowed(const struct booking_rules *r, const struct slot_resident *res);

/* A business day (営業日): Monday to Friday, not a national holiday, not 12/29-1/3. */
bool slots_business_day(cn_date day);

/* The last day that can be booked on `today`: today + horizon_days, or the open day
 * before it when that day is closed; DATE_NONE if no day in between is open. */
cn_date slots_horizon_last(const struct office_calendar *cal, const struct booking_rules *r,
                           cn_date today);

/* Whether booking a slot starting at `start` is still accepted at `now`. */
bool slots_before_cutoff(const struct booking_rules *r, struct slot_time start,
                         struct slot_time now);

/* The start minutes of the day's slots: slot_min apart from opening, each ending by the
 * close and none overlapping the lunch closure. Returns how many (at most cap are
 * written); 0 when the office is closed that day. */
int slots_of_day(const struct office_calendar *cal, const struct booking_rules *r, cn_date day,
                 int *starts, int cap);

enum slot_verdict {
    SLOT_OK,
    SLOT_NOT_ALLOWED, /* outside the resident's allowed dates */
    SLOT_CUTOFF,      /* too late to book, or in the past */
    SLOT_HORIZON,     /* too far ahead */
    SLOT_CLOSED,      /* the office is not open then, or no slot starts at that time */
    SLOT_FULL,        /* no seats left */
    SLOT_NO_BOOKING,  /* the office takes no bookings */
};

/* All the rules at once: `taken` is how many active bookings the slot already has. */
enum slot_verdict slots_check(const struct office_calendar *cal, const struct booking_rules *r,
                              const struct slot_resident *res, struct slot_time now,
                              struct slot_time start, int taken);

/* What staff changed at an office (closures and seat changes) over the days a page looks
 * at, as store_booking reads them. A closure covers [from_min, to_min) of one day (0..1440
 * for the whole day); a seat change sets the seats per slot from first to last, the newest
 * (listed first) winning where two overlap. */
#define SLOT_MAX_CHANGES 128
struct slot_changes {
    int n_closures, n_seats;
    struct {
        cn_date day;
        int from_min, to_min;
    } closure[SLOT_MAX_CHANGES];
    struct {
        cn_date first, last;
        int seats;
    } seats[SLOT_MAX_CHANGES];
};

/* Whether a closure covers any part of the slot [start_min, start_min + r->slot_min). */
bool slots_closed(const struct booking_rules *r, const struct slot_changes *c, cn_date day,
                  int start_min);
/* The seats of one slot: 0 when closed, else the newest seat change for the day, else the
 * config's. c may be NULL (nothing changed). */
int slots_seats(const struct booking_rules *r, const struct slot_changes *c, cn_date day,
                int start_min);

/* slots_check_changed in two halves, for a page that checks every slot of a day: what the
 * day decides for all its slots (the office takes bookings, the resident's window, the
 * cutoff, the horizon: SLOT_OK when the day allows booking), then one start of the day's
 * slots_of_day (closed, full). The first is most of the work (calendars, holidays, business
 * days); a day of twenty slots makes it once. */
enum slot_verdict slots_day_verdict(const struct office_calendar *cal,
                                    const struct booking_rules *r, const struct slot_resident *res,
                                    struct slot_time now, cn_date day);
enum slot_verdict slots_start_verdict(const struct booking_rules *r, const struct slot_changes *c,
                                      cn_date day, int start_min, int taken);

/* slots_check with staff's changes: a closed slot is SLOT_CLOSED, seats are slots_seats. */
enum slot_verdict slots_check_changed(const struct office_calendar *cal,
                                      const struct booking_rules *r, const struct slot_changes *c,
                                      const struct slot_resident *res, struct slot_time now,
                                      struct slot_time start, int taken);

/* Parses "HH:MM" (00:00-23:59, two digits each) as the form field `slot` carries it. */
bool slots_parse_hhmm(const char *s, int *min);
/* Writes "HH:MM" and a NUL. */
void slots_format_hhmm(int min, char out[6]);

#endif
