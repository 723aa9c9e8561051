/* book_req: what the residents' page flows (book_*.c) share: one request's state, the
 * page frame, the session cookie, the verified resident and the booking's summary. Only
 * the book_*.c files include it. Must not route (book_site.c does). */
#ifndef CN_BOOK_REQ_H
#define CN_BOOK_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "http.h"
#include "pages.h"
#include "seat_tally.h"
#include "session.h"
#include "store_booking.h"
#include "web_resident.h"
#include "web_runtime.h"

/* The residents' session cookie. */
#define BOOK_COOKIE "cn_sid"

/* Everything one request needs, passed to every page function. */
struct req {
    struct web_runtime *rt;
    const struct config *cfg;
    const struct http_request *in;
    struct http_response *out;
    struct store_booking *bs;
    struct session s;
    bool have_session;
    struct id_facts facts;      /* the session's ID's, read with it (session_read) */
    struct session_locks locks; /* the birthday page's lock ends, read with it (locks.read) */
    int64_t now;                /* seconds since the epoch, on the service's clock */
    struct slot_time at;        /* the same moment in local time */
    enum lang lang; /* the pages' language (book_site.c: ?lang=, its cookie, the browser) */
    struct page_lang pl;
};

/* ja, the page's Japanese source text, in the request's language (Japanese when its
 * catalog lacks it): the one way a page's words reach it. */
#define T_(r, ja) texts_get(web_runtime_texts((r)->rt), (r)->lang, ja)

/* The residents' language cookie: chosen by a link, kept for the browser's session. */
#define BOOK_LANG_COOKIE "cn_lang"

/* ---- the frame ---- */
void book_begin(struct req *r, const char *title, bool errors, const char *back);
void book_end(struct req *r);
/* A heading and a paragraph of the page's own words (ja translated; the title of
 * book_begin is translated there too). */
void book_h1(struct req *r, const char *ja);
void book_p(struct req *r, const char *ja);
/* ja (a text with one %s) in the request's language with n in place of the %s. */
void book_count(struct req *r, const char *ja, int n, char *out, size_t cap);
/* "In a hurry, call ..." with the booking phone and its hours. */
void book_ask_phone(struct req *r);
void book_status(struct req *r, int status);
/* Logs err and answers 503. */
void book_fail(struct req *r, const struct cn_err *err);

/* ---- the session ---- */
void book_set_cookie(struct req *r);
/* The session of this request, made on the first page a resident opens. */
int book_ensure_session(struct req *r);
void book_save(struct req *r);
/* Back to the start page of the session's ID, which explains every case of it. */
void book_redirect_start(struct req *r);

/* ---- the resident ---- */
/* Reads the ID into who (a 503 page sent when the database fails). */
int book_load_who(struct req *r, const char *rid, struct web_who *who, bool *found);
/* The session's verified resident, or a redirect back to where the flow starts. */
bool book_verified(struct req *r, struct web_who *who);
/* The session's office if the resident may book there, or a redirect to pick one. */
const struct office *book_session_office(struct req *r, const struct web_who *who);
/* Where the back link of the date page goes. */
void book_back_to_office(struct req *r, const struct web_who *who, char *back, size_t cap);
/* The seats of one office from today to its horizon, as every page that shows or checks
 * them reads them: the node's kept tally (tally_cache.h), or read now when fresh (a refusal
 * is never made on a kept one). NULL when a 503 page was sent. */
struct seat_tally *book_seats(struct req *r, const struct office *o, bool fresh);
/* A booking this node made (+1) or cancelled (-1), applied to the seats it keeps. */
void book_seats_moved(struct req *r, const struct booking *b, int delta);

/* The booking's summary list: number, office, place, date and time. */
void book_rows(struct req *r, const struct booking *b, const struct office *o);

/* ---- the page flows ---- */
void book_page_id_form(struct req *r, const char *typed, const char *error); /* book_start.c */
void book_page_find(struct req *r);                                          /* GET /R?rid= */
void book_page_start(struct req *r, const char *typed);                      /* GET /R/{RID} */
void book_page_birthday(struct req *r, bool post);                           /* book_birthday.c */
/* The lock ends the session's read brings along for this request (r->locks filled in with
 * its keys), NULL when its page shows none before an answer. */
struct session_locks *book_birthday_locks(struct req *r, char *id_prefix, char *client);
void book_page_office(struct req *r, bool post); /* book_office.c */
void book_page_date(struct req *r, bool post);   /* book_date.c */
void book_page_slot(struct req *r, bool post);   /* book_slot.c */
void book_slot_form(struct req *r, const struct web_who *who, const struct office *o,
                    const struct page_error *e, const struct seat_tally *t);
void book_page_check(struct req *r, bool post);  /* book_check.c */
void book_page_done(struct req *r, bool print);  /* book_done.c */
void book_page_ics(struct req *r);               /* book_ics.c */
void book_page_cancel(struct req *r, bool post); /* book_cancel.c */

#endif
