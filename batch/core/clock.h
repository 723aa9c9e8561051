/* clock: the one place the program asks what day it is, the default date of the commands.
 * Must not be called by rules, stores or layout: they take the date as an argument. */
#ifndef CN_CLOCK_H
#define CN_CLOCK_H

#include "date.h"

/* The municipality's time zone unless its config names another (<batch time-zone>). */
#define CLOCK_DEFAULT_ZONE "Asia/Tokyo"

/* Today in CLOCK_DEFAULT_ZONE, whatever the host's zone: a server kept in UTC would
 * otherwise print the previous Tokyo day until 09:00 JST. */
cn_date clock_today(void);

/* Today in zone (a tz database name such as Asia/Tokyo). Sets TZ for the moment it takes:
 * call it before any thread starts. */
cn_date clock_today_in(const char *zone);

#endif
