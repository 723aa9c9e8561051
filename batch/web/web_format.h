/* web_format: how both sites write a day, a slot and a masked reservation ID in a page or
 * a log line. Must not read the database or the clock. */
#ifndef CN_WEB_FORMAT_H
#define CN_WEB_FORMAT_H

#include <stddef.h>

#include "date.h"

/* "2027年1月12日（火）" */
void web_fmt_day(cn_date d, char *out, size_t cap);
/* "1月12日（火）" */
void web_fmt_day_short(cn_date d, char *out, size_t cap);
/* "9:00〜9:30": a slot of len minutes from start (minutes after midnight). */
void web_fmt_slot(int start, int len, char *out, size_t cap);
/* A reservation ID in a log line: its first four symbols, enough to find it, not enough
 * to use it. */
void web_mask_rid(const char *rid, char out[16]);

#endif
