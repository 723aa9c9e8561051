/* ics: one booking as an iCalendar file (RFC 5545): escaped text, lines folded at 75
 * octets without splitting a character, CRLF line ends. Pure: no clock, no I/O. */
#ifndef CN_ICS_H
#define CN_ICS_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"

struct ics_event {
    const char *uid; /* unique and stable: the booking reference and a host */
    cn_date day;
    int start_min, end_min; /* local time in Japan (UTC+9, no daylight saving) */
    int64_t stamp;          /* DTSTAMP, seconds since the epoch (UTC) */
    const char *summary, *location, *description;
};

/* Writes the calendar into out; returns its length, or 0 when it does not fit in cap. */
size_t ics_write(const struct ics_event *e, char *out, size_t cap);

#endif
