/* booking_web: the residents' booking pages behind /R/{RID} and /: start, birthday,
 * office, date, time, check, confirmation, ICS, print, change and cancel. Must not parse
 * HTTP (http.c does) or hold rules (slots.c does); it joins them with the store. */
#ifndef CN_BOOKING_WEB_H
#define CN_BOOKING_WEB_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "http.h"

struct booking_web;

/* pinned: the --now moment (seconds since the epoch) the clock starts from, or -1 for
 * the real clock. pool: database connections kept for the server's threads. */
int booking_web_new(const struct config *cfg, const char *db_path, int64_t pinned, int pool,
                    struct booking_web **out, struct cn_err *err);
void booking_web_free(struct booking_web *w);

/* http_handler and http_error_page for http_start. */
void booking_web_handle(void *ctx, const struct http_request *req, struct http_response *res);
void booking_web_error_page(void *ctx, int status, struct http_response *res);

/* Lockout settings: 5 wrong birthdays lock an ID for 30 minutes; a client address gets
 * more tries (a family shares one) before it is locked too. */
#define BOOKING_ID_TRIES 5
#define BOOKING_CLIENT_TRIES 20
#define BOOKING_LOCK_SECONDS (30 * 60)

#endif
