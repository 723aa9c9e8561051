/* staff_web: the counter's pages under /staff: login (lockout, sessions kept in SQLite as
 * token digests, CSRF on every POST), the day list of an office (A4 print, CSV, attendance
 * marks), phone bookings, closures and seats, each action audited. Must not parse HTTP
 * (http.c), hold booking rules (slots.c) or SQL (store_staff.c, store_booking.c). */
#ifndef CN_STAFF_WEB_H
#define CN_STAFF_WEB_H

#include "booking_web.h"
#include "err.h"
#include "http.h"

/* Failed logins before an account is locked, and for how long (seconds). */
#define STAFF_LOGIN_TRIES 5
#define STAFF_LOCK_SECONDS (15 * 60)
/* A client address trying many accounts is locked too. */
#define STAFF_CLIENT_TRIES 20
/* Idle seconds before a session ends. */
#define STAFF_IDLE (30 * 60)

struct staff_web;

/* The counter's pages share the residents' service: its config, connections and clock. */
int staff_web_new(struct booking_web *residents, struct staff_web **out, struct cn_err *err);
void staff_web_free(struct staff_web *w);

/* An http_handler for the prefix "/staff" (and, on the staff listener, for "/"). */
void staff_web_handle(void *ctx, const struct http_request *req, struct http_response *res);

#endif
