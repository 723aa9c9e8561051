/* officecal: an office's opening calendar (weekday, nth-weekday, seasonal, holiday, lunch and
 * dated rules; walk-in hours; bookings-only days) and its description for the letter, and
 * the booking service's questions "open for bookings / walk-ins at D T?". Pure: no I/O. */
#ifndef CN_OFFICECAL_H
#define CN_OFFICECAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"

/* Bits of hours_rule.weekdays: bit w (0 = Sunday .. 6 = Saturday) and the national
 * holidays as a day of their own. */
#define OFFICECAL_HOLIDAY_BIT 7

/* One rule of an office's week. Rules are read in order; the first rule that matches a
 * day decides it (so a closing rule such as "3rd Sunday closed" goes before the rule that
 * opens every Sunday). On a national holiday an opening rule matches only when it says
 * on-holiday or names the holidays (bit 7); a closing rule always does. */
struct hours_rule {
    uint8_t weekdays;     /* bit w set: applies on weekday w; bit 7: on national holidays */
    uint8_t nth;          /* bit n set (1-5): only the n-th such weekday of the month; 0: all */
    uint16_t months;      /* bit m set (1-12): only in month m; 0: every month */
    bool closed;          /* a closing rule */
    bool open_on_holiday; /* opens even on a national holiday (Yokohama's Saturdays) */
    bool bookings_only;   /* only residents with a booking are served (Kasugai's Sundays) */
    bool unconfirmed;     /* open on these days, but the city does not publish the hours */
    bool some;            /* open on some of these days only, which ones is not published */
    int16_t open_min;     /* minutes after midnight */
    int16_t close_min;
    int16_t lunch_start; /* -1: no lunch closure */
    int16_t lunch_end;
};

/* A dated exception: a special opening (holiday opening, extra Saturday) or a closure. It
 * beats every weekly rule, the holidays and the year-end. */
struct date_rule {
    cn_date date;
    struct hours_rule hours; /* weekdays/nth/months unused */
};

#define OFFICECAL_MAX_RULES 12
#define OFFICECAL_MAX_WALKIN 4
#define OFFICECAL_MAX_DATES 48

struct office_calendar {
    struct hours_rule rules[OFFICECAL_MAX_RULES];
    int n_rules;
    /* When walk-ins are served on an open day that is not bookings-only: the first matching
     * rule's hours, within the opening hours; no rule at all means "all opening hours". */
    struct hours_rule walkin[OFFICECAL_MAX_WALKIN];
    int n_walkin;
    struct date_rule dates[OFFICECAL_MAX_DATES];
    int n_dates;
    bool yearend_closed; /* 12/29 - 1/3 */
    bool takes_bookings; /* residents can book a time at this office */
    bool takes_walkins;  /* residents without a booking are served */
};

/* The opening of one day: closed, or open_min..close_min with an optional lunch break. A
 * day whose hours the city does not publish is not open and says unconfirmed. */
struct day_hours {
    bool open;
    bool bookings_only;
    bool unconfirmed;
    int open_min, close_min;
    int lunch_start, lunch_end; /* -1 when none */
};

struct day_hours officecal_day(const struct office_calendar *cal, cn_date day);

enum officecal_visit { OFFICECAL_BOOKING, OFFICECAL_WALKIN };

struct officecal_interval {
    int start, end; /* minutes after midnight, start < end */
};

#define OFFICECAL_MAX_INTERVALS 4

/* The intervals of `day` in which the office serves `visit`, in time order; returns their
 * number (0: not served that day, or the hours are not published). */
int officecal_intervals(const struct office_calendar *cal, cn_date day, enum officecal_visit visit,
                        struct officecal_interval out[OFFICECAL_MAX_INTERVALS]);

/* Whether the office serves `visit` at minute `min` of `day` (start inclusive, end
 * exclusive: an office closing at 17:00 takes nobody at 17:00). */
bool officecal_open_at(const struct office_calendar *cal, cn_date day, int min,
                       enum officecal_visit visit);

/* A short Japanese description of the calendar for the letter, e.g.
 * "月〜金 8:30〜17:15（水曜は19:30まで）、第2・第4土曜 9:00〜12:00。祝日・年末年始…は休み"
 * followed by who is served when ("予約なしの受付は月〜金 9:00〜16:00"). Returns the bytes
 * written (always NUL-terminated, truncated at cap). */
size_t officecal_describe(const struct office_calendar *cal, char *out, size_t cap);

#endif
