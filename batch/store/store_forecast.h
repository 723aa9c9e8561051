/* store_forecast: the forecast's reads of booking history: who got a letter and when they
 * first came (attendance marks), and the counter's attended visits per office and day.
 * Must not model demand (forecast.c does) nor write anything. */
#ifndef CN_STORE_FORECAST_H
#define CN_STORE_FORECAST_H

#include "date.h"
#include "err.h"
#include "outcome.h"
#include "store.h"

/* One notice whose letter went out (published or returned). */
struct forecast_history {
    char district[32];
    cn_date cert_expiry;
    cn_date first_visit;  /* its booking marked arrived or done; DATE_NONE when none */
    enum outcome outcome; /* what the night read from the export (store_outcome.h) */
    cn_date outcome_on;
};

/* fn for every such notice; fn returning non-zero stops and that value is returned. */
int store_forecast_history(struct store *s, int (*fn)(const struct forecast_history *h, void *ctx),
                           void *ctx, struct cn_err *err);

/* fn(office, day, visits, ctx) for every office and day between from and to (inclusive)
 * with bookings marked arrived or done. */
int store_forecast_visits(struct store *s, cn_date from, cn_date to,
                          int (*fn)(const char *office, cn_date day, long visits, void *ctx),
                          void *ctx, struct cn_err *err);

/* fn(district, day, renewals, ctx) for every district and day between from and to
 * (inclusive) on which the night saw renewals of letters it sent (store_outcome.h). */
int store_forecast_renewals(struct store *s, cn_date from, cn_date to,
                            int (*fn)(const char *district, cn_date day, long renewals, void *ctx),
                            void *ctx, struct cn_err *err);

#endif
