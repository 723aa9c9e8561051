/* store_retention: how long the booking store keeps what it holds: bookings, lockouts,
 * sessions and audit rows older than `days` after their day are deleted, and withdrawn
 * feed rows once nothing refers to them. Must not decide the number of days (the config's
 * <booking retention-days>) nor touch the night's database. */
#ifndef CN_STORE_RETENTION_H
#define CN_STORE_RETENTION_H

#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"

/* <booking retention-days> when the config does not say. */
#define RETENTION_DAYS_DEFAULT 90

struct retention_counts {
    long bookings, lockouts, sessions, audit, feed;
};

/* One transaction; today is the municipality's day, now the clock in seconds. */
int store_retention_purge(struct store *s, cn_date today, int64_t now, int days,
                          struct retention_counts *out, struct cn_err *err);

#endif
