/* clock: the one place the program asks what day it is, the default date of the commands.
 * Must not be called by rules, stores or layout: they take the date as an argument. */
#ifndef CN_CLOCK_H
#define CN_CLOCK_H

#include "date.h"

/* Today in local time: the municipality's night, not UTC's. */
cn_date clock_today(void);

#endif
