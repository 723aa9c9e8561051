/* booking_web: the residents' booking pages behind /R/{RID} and /: start, birthday,
 * office, date, time, check, confirmation, ICS, print, change and cancel. Must not parse
 * HTTP (http.c does) or hold rules (slots.c does); it joins them with the store. */
#ifndef CN_BOOKING_WEB_H
#define CN_BOOKING_WEB_H

#include <stdint.h>

#include "store_booking.h"
#include "config.h"
#include "err.h"
#include "http.h"
#include "rules.h"
#include "slots.h"

struct booking_web;

/* pinned: the --now moment (seconds since the epoch) the clock starts from, or -1 for
 * the real clock. pool: database connections kept for the server's threads. */
int booking_web_new(const struct config *cfg, const char *db_path, int64_t pinned, int pool,
                    struct booking_web **out, struct cn_err *err);
void booking_web_free(struct booking_web *w);

/* http_handler and http_error_page for http_start. */
void booking_web_handle(void *ctx, const struct http_request *req, struct http_response *res);
void booking_web_error_page(void *ctx, int status, struct http_response *res);

/* What the counter's pages (staff_web.c) share with the residents': the config, the
 * database connections, the service's clock (pinned by --now) and which offices a
 * district books at. A store taken must be given back. */
const struct config *booking_web_config(const struct booking_web *w);
struct store_booking *booking_web_store(struct booking_web *w, struct cn_err *err);
void booking_web_release(struct booking_web *w, struct store_booking *bs);
void booking_web_now(const struct booking_web *w, int64_t *now, struct slot_time *at);
int booking_web_offices(const struct config *cfg, const struct district *d,
                        const struct office **out);
#define BOOKING_WEB_MAX_OFFICES 8
/* The offices a resident (as store_booking_resident read them) may book at, the district
 * and the window: 0 offices for a walk-in district or a letter that takes no booking. */
int booking_web_resident_offices(const struct config *cfg, const struct booking_resident *res,
                                 const struct district **district, struct window *window,
                                 const struct office **out);

/* Lockout settings: 5 wrong birthdays lock an ID for 30 minutes; a client address gets
 * more tries (a family shares one) before it is locked too. */
#define BOOKING_ID_TRIES 5
#define BOOKING_CLIENT_TRIES 20
#define BOOKING_LOCK_SECONDS (30 * 60)

#endif
