/* date: civil (proleptic Gregorian) dates as day numbers, with parsing and month arithmetic.
 * Must not: read the clock, the time zone or any global; every function here is pure. */
#ifndef CN_DATE_H
#define CN_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01. Plain integers make "S - lead_days <= D <= E" a comparison and
 * keep dates cheap to store in SQLite. */
typedef int32_t cn_date;

#define DATE_NONE INT32_MIN /* an empty date field: no such certificate */

cn_date date_from_ymd(int y, int m, int d);
void date_to_ymd(cn_date day, int *y, int *m, int *d);
bool date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);
bool date_is_leap(int y);
/* 0 = Sunday ... 6 = Saturday. */
int date_weekday(cn_date day);

/* Strict YYYY-MM-DD (years 1800-2999); false for 2027-02-30, garbage, trailing text. */
bool date_parse_iso(const char *s, cn_date *out);

/* Why date_parse_iso refuses s, for a message after the quoted text ("is not a date
 * (YYYY-MM-DD)", "is outside the years 1800-2999", ...); NULL if it accepts it. */
const char *date_problem_iso(const char *s);
/* Writes YYYY-MM-DD and a NUL: out needs 11 bytes. */
void date_format_iso(cn_date day, char out[11]);

/* Same day number `months` months away; where that month lacks the day, its last day
 * (docs/domain.md: three months before 05-31 is 02-28/29). */
cn_date date_add_months_clamped(cn_date day, int months);

#endif
