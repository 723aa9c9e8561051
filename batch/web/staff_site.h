/* staff_site: the counter's pages under /staff: routes each path to its page flow
 * (staff_*.c) after the session (kept in SQLite as a token digest) and the CSRF check of
 * every POST. Must not parse HTTP (http.c), hold booking rules (slots.c) or SQL
 * (store_staff.c, store_booking.c). */
#ifndef CN_STAFF_SITE_H
#define CN_STAFF_SITE_H

#include "http.h"

/* A session ends after 30 idle minutes, and 10 hours after the login however busy it was
 * kept: a counter's working day, so that a token taken from a forgotten browser does not
 * live on. */
#define STAFF_IDLE (30 * 60)
#define STAFF_LIFETIME (10 * 60 * 60)

/* An http_handler for the prefix "/staff" (and, on the staff listener, for "/"); ctx is
 * the struct web_runtime the residents' site shares. */
void staff_handle(void *ctx, const struct http_request *req, struct http_response *res);

#endif
