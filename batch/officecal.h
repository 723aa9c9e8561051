/* officecal: an office's opening calendar (weekday, nth-weekday, seasonal and lunch rules,
 * year-end and national-holiday closures) and its description for the letter. Pure: no I/O. */
#ifndef CN_OFFICECAL_H
#define CN_OFFICECAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"

/* One rule of an office's week. Rules are read in order; the first rule that matches a
 * day decides it (so a closing rule such as "3rd Sunday closed" goes before the rule that
 * opens every Sunday). */
struct hours_rule {
    uint8_t weekdays;     /* bit w set: applies on weekday w (0 = Sunday) */
    uint8_t nth;          /* bit n set (1-5): only the n-th such weekday of the month; 0: all */
    uint16_t months;      /* bit m set (1-12): only in month m; 0: every month */
    bool closed;          /* a closing rule */
    bool open_on_holiday; /* opens even on a national holiday (Yokohama's Saturdays) */
    int16_t open_min;     /* minutes after midnight */
    int16_t close_min;
    int16_t lunch_start; /* -1: no lunch closure */
    int16_t lunch_end;
};

#define OFFICECAL_MAX_RULES 12

struct office_calendar {
    struct hours_rule rules[OFFICECAL_MAX_RULES];
    int n_rules;
    bool yearend_closed; /* 12/29 - 1/3 */
};

/* The opening of one day: closed, or open_min..close_min with an optional lunch break. */
struct day_hours {
    bool open;
    int open_min, close_min;
    int lunch_start, lunch_end; /* -1 when none */
};

struct day_hours officecal_day(const struct office_calendar *cal, cn_date day);

/* A short Japanese description of the calendar for the letter, e.g.
 * "平日 8:30〜17:15（水曜は19:30まで）、第2・第4土曜 9:00〜12:00". Returns the bytes written
 * (always NUL-terminated, truncated at cap). */
size_t officecal_describe(const struct office_calendar *cal, char *out, size_t cap);

#endif
