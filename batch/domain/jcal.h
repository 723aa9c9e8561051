/* jcal: the Japanese calendar: era dates (和暦, 元年) and national holidays 1970-2099 with
 * 振替休日 and 国民の休日, named as the Cabinet Office list names them. Pure: no I/O, no clock. */
#ifndef CN_JCAL_H
#define CN_JCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

#define JCAL_FIRST_YEAR 1970 /* holidays are known for these years */
#define JCAL_LAST_YEAR 2099
#define JCAL_MAX_HOLIDAYS 24 /* per year; the most ever is 22 (2019) */
#define JCAL_WAREKI_MAX 48   /* bytes that always hold jcal_wareki*() output and its NUL */

/* 明治 counts from 1873-01-01 here (the solar calendar's first day); earlier dates have no
 * era date. */
struct jcal_era_date {
    const char *era; /* "令和" */
    int year;        /* 1 is written 元年 */
    int month, day;
};

bool jcal_era_date(cn_date day, struct jcal_era_date *out);

/* "令和8年12月25日", "平成元年1月8日". Returns the length written; 0 (and "" when cap > 0)
 * for a date before 1873 or when cap is too small. */
size_t jcal_wareki(cn_date day, char *out, size_t cap);
/* The letter's form: "令和9年3月24日（水）". Same return convention. */
size_t jcal_wareki_weekday(cn_date day, char *out, size_t cap);
/* "日", "月", ... "土". */
const char *jcal_weekday_kanji(cn_date day);

struct jcal_holiday {
    cn_date date;
    const char *name; /* "元日", "元日 振替休日", "休日" (国民の休日), ... */
};

/* The holiday's name, or NULL on a normal day and outside JCAL_FIRST_YEAR..LAST_YEAR. */
const char *jcal_holiday_name(cn_date day);
bool jcal_is_holiday(cn_date day);

/* A year's holidays in date order. Writes at most cap entries and returns how many the
 * year has (so a return > cap means truncated); -1 for a year outside the range. */
int jcal_holidays(int year, struct jcal_holiday *out, int cap);

#endif
