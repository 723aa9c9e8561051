/* staff_req: what the counter's page flows (staff_*.c) share: one request's state, the
 * page frame with its menu, the audit, and which offices the account may act on. Only the
 * staff_*.c files include it. Must not route (staff_site.c does). */
#ifndef CN_STAFF_REQ_H
#define CN_STAFF_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "http.h"
#include "pages.h"
#include "store_booking.h"
#include "store_staff.h"
#include "web_runtime.h"

#define STAFF_COOKIE "cn_staff"
#define STAFF_LOGIN_COOKIE "cn_staff_login"
/* Secure always: browsers and curl keep a Secure cookie from http://127.0.0.1 (a secure
 * context), so local tests work over plain HTTP; anywhere else the staff listener must sit
 * behind TLS, or no session cookie comes back. */
#define STAFF_COOKIE_ATTRS "; Path=/staff; HttpOnly; Secure; SameSite=Strict"

/* One request. */
struct sreq {
    struct web_runtime *rt;
    const struct config *cfg;
    const struct http_request *in;
    struct http_response *out;
    struct store_booking *bs;
    struct store *db;
    struct staff_session s; /* valid when have_session */
    bool have_session;
    int64_t now;
    struct slot_time at;
    int rows; /* rows a listing has written */
};

/* ---- the frame ---- */
void staff_begin(struct sreq *r, const char *title, bool errors);
void staff_end(struct sreq *r);
void staff_status(struct sreq *r, int status);
/* Logs err and answers 503. */
void staff_fail(struct sreq *r, const struct cn_err *err);
/* One audit row from this request's client; a failure is logged, the action stands. */
void staff_audit(struct sreq *r, const char *who, const char *action, const char *detail);

/* ---- offices ---- */
/* Whether the session's account may see the office's names and act on its bookings. */
bool staff_may_office(const struct sreq *r, const char *office);
/* The office a page is about: asked (?office= or the form's), else the account's own, else
 * the first office that takes bookings. NULL (403/404 sent) when the account may not. */
const struct office *staff_page_office(struct sreq *r, const char *asked);
/* The offices the account may pick, as a select. */
void staff_office_select(struct sreq *r, const char *id, const struct office *current);
/* A date field with its example. */
void staff_date_field(struct html *h, const char *id, const char *name, const char *label,
                      cn_date value);

/* ---- the page flows ---- */
void staff_login_form(struct sreq *r, const char *name, const char *error); /* staff_login.c */
void staff_do_login(struct sreq *r);
void staff_do_logout(struct sreq *r);
void staff_page_day(struct sreq *r, bool csv); /* staff_day.c */
void staff_do_mark(struct sreq *r);
void staff_page_phone(struct sreq *r, bool post); /* staff_phone.c */
void staff_page_closures(struct sreq *r, const char *office, const char *error,
                         const char *done); /* staff_closures.c */
void staff_do_close(struct sreq *r);
void staff_do_seats(struct sreq *r);

#endif
