/* forecast: the counter-demand model: the visit curve (default or measured from history),
 * expected visits by convolution of window openings with it, weeks, seats, load and MAPE.
 * Pure: no I/O, no clock, no globals; must not decide who is due (rules.c does). */
#ifndef CN_FORECAST_H
#define CN_FORECAST_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "officecal.h"
#include "slots.h"

/* The curve covers 17 weeks from the window's first day: the 13 weeks of the window and
 * four after expiry (新規発行 at the counter). A visit later than that is not modelled: the
 * resident counts among those who never come. */
#define FORECAST_CURVE_WEEKS 17
#define FORECAST_CURVE_DAYS 119 /* FORECAST_CURVE_WEEKS * 7 */

/* week[w]: the share of residents whose window opened that come in week w after it (days
 * 7w..7w+6); the rest up to 1 never come. A share is spread evenly over the week's days:
 * a daily curve measured on a few hundred residents would be mostly noise. */
struct forecast_curve {
    double week[FORECAST_CURVE_WEEKS];
    bool measured;  /* from booking history, else the config's default */
    long residents; /* measured on this many residents (0 for the default) */
};

/* The curve a config without <forecast curve> gets (README "Counter demand forecast"): a
 * rush in the first weeks after the letters arrive, a lull, a rise before expiry, a few
 * 新規発行 visits after it; 13% never come. */
#define FORECAST_DEFAULT_CURVE                                                                     \
    "0.14 0.10 0.08 0.06 0.05 0.05 0.04 0.04 0.04 0.04 0.05 0.06 0.07 0.02 0.01 0.01 0.01"
/* Residents of complete history a measured curve needs before it replaces the default. */
#define FORECAST_DEFAULT_MIN_RESIDENTS 300

/* Parses the config's curve: up to FORECAST_CURVE_WEEKS shares in [0, 1], separated by
 * blanks, summing to at most 1; missing weeks are 0. False with *why set otherwise. */
bool forecast_curve_parse(const char *text, struct forecast_curve *out, const char **why);

/* The share of residents expected on day k after their window opened (0 outside). */
double forecast_curve_day(const struct forecast_curve *c, int k);
/* The share that ever comes (within the curve's weeks). */
double forecast_curve_total(const struct forecast_curve *c);

/* What booking history tells about the curve as of a day: residents whose whole curve
 * span lies before as_of, and in which week after their window they first came. */
struct forecast_tally {
    long residents;
    long visits[FORECAST_CURVE_WEEKS];
};

/* Counts one resident whose letter went out: window_start and the day of their first
 * attended visit (DATE_NONE: none). Only what was known before as_of counts, and only a
 * resident whose curve span has ended by then (one still inside it may yet come). A visit
 * before the window (booked from the letter) counts in week 0. */
void forecast_tally_add(struct forecast_tally *t, cn_date window_start, cn_date visit,
                        cn_date as_of);

/* The curve to use: measured from t once t has at least min_residents residents (min 1),
 * else the default. */
struct forecast_curve forecast_curve_choose(const struct forecast_curve *dflt,
                                            const struct forecast_tally *t, long min_residents);

/* visits[j] = sum over k of openings[j - k] * curve_day(k), for j in 0..n-1: the expected
 * visits on each day from the windows opening on each day of the same range. */
void forecast_convolve(const double *openings, int n, const struct forecast_curve *c,
                       double *visits);

/* Moves the visits expected on a closed day (open[j] false) to the next open day: the
 * resident comes when the counter opens again (after the year-end closure, a holiday).
 * Visits with no open day after them stay where they are. */
void forecast_carry(double *visits, const bool *open, int n);

/* The Monday of day's ISO week. */
cn_date forecast_week_start(cn_date day);

/* Seats of a day: the seats of each booking slot of the office's calendar (0 when the
 * office takes no bookings or is closed), with staff's closures and seat changes (c, as
 * slots_seats reads them; NULL: none), as the residents' pages offer them. */
int forecast_day_seats(const struct office_calendar *cal, const struct booking_rules *r,
                       const struct slot_changes *c, cn_date day);
/* Hours the office serves walk-ins that day. */
double forecast_day_walkin_hours(const struct office_calendar *cal, cn_date day);

/* Load of a week in % (0 when there are no seats) and whether the visits exceed the
 * seats (never for an office without seats: it has no capacity to exceed). */
double forecast_load_pct(double visits, int seats);
bool forecast_over_capacity(double visits, int seats);

/* Mean absolute percentage error over the weeks with actual > 0, in %; *used says how
 * many weeks counted (MAPE is undefined on a week nobody came: it is left out). Returns
 * -1 when no week counts. */
double forecast_mape(const double *actual, const double *predicted, int n, int *used);

#endif
