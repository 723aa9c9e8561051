#include "book_req.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tally_cache.h"
#include "web_format.h"

/* ---- the frame ---- */

void book_begin(struct req *r, const char *title, bool errors, const char *back)
{
    page_begin(&r->out->body, r->cfg->municipality, T_(r, title), errors, back);
}

void book_h1(struct req *r, const char *ja)
{
    html_raw(&r->out->body, "<h1>");
    html_t(&r->out->body, T_(r, ja));
    html_raw(&r->out->body, "</h1>\n");
}

void book_p(struct req *r, const char *ja)
{
    html_raw(&r->out->body, "<p>");
    html_t(&r->out->body, T_(r, ja));
    html_raw(&r->out->body, "</p>\n");
}

void book_count(struct req *r, const char *ja, int n, char *out, size_t cap)
{
    char num[16];
    snprintf(num, sizeof num, "%d", n);
    const char *args[] = {num};
    texts_format(T_(r, ja), args, 1, out, cap);
}

void book_ask_phone(struct req *r)
{
    html_raw(&r->out->body, "<p>");
    html_tf(&r->out->body, T_(r, "お急ぎの場合は、電話 %s（%s）にお問い合わせください。"),
            r->cfg->booking_phone, r->cfg->booking_hours);
    html_raw(&r->out->body, "</p>\n");
}

void book_end(struct req *r)
{
    page_end(&r->out->body, r->cfg->booking_phone, r->cfg->booking_hours);
}

void book_status(struct req *r, int status)
{
    html_free(&r->out->body);
    r->out->status = status;
    page_status(&r->out->body, r->cfg->municipality, status, r->cfg->booking_phone,
                r->cfg->booking_hours);
}

void book_fail(struct req *r, const struct cn_err *err)
{
    log_error("serve", "%s", err->msg);
    book_status(r, 503);
}

/* ---- the session ---- */

/* The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site's form
 * sends it), Secure always, as the staff cookie: after the birthday it authorises changes
 * and cancellations. Browsers and curl keep a Secure cookie from http://127.0.0.1 and
 * localhost (secure contexts), so local use works over plain HTTP. */
void book_set_cookie(struct req *r)
{
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie,
             BOOK_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Secure", r->s.token);
}

int book_ensure_session(struct req *r)
{
    if (r->have_session)
        return CN_OK;
    struct cn_err err = {0};
    if (session_new(web_runtime_sessions(r->rt), r->now, &r->s, &err)) {
        book_fail(r, &err);
        return CN_EOUTPUT;
    }
    r->have_session = true;
    book_set_cookie(r);
    return CN_OK;
}

void book_save(struct req *r)
{
    session_put(web_runtime_sessions(r->rt), &r->s);
}

void book_redirect_start(struct req *r)
{
    char to[64];
    snprintf(to, sizeof to, "/R/%s", r->s.rid);
    http_redirect(r->out, to);
}

/* ---- the resident ---- */

int book_load_who(struct req *r, const char *rid, struct web_who *who, bool *found)
{
    /* A stored session came with its ID's facts (store_session_read, store_session_start):
     * read in this request, and no second read of them. */
    if (r->facts.read && strcmp(rid, r->facts.rid) == 0) {
        web_who_of(r->cfg, &r->facts, who, found);
        return CN_OK;
    }
    struct cn_err err = {0};
    if (web_who_load(r->bs, r->cfg, rid, who, found, &err)) {
        book_fail(r, &err);
        return CN_EOUTPUT;
    }
    return CN_OK;
}

bool book_verified(struct req *r, struct web_who *who)
{
    if (!r->have_session || !r->s.rid[0]) {
        http_redirect(r->out, "/");
        return false;
    }
    if (!r->s.verified) {
        book_redirect_start(r);
        return false;
    }
    bool found;
    if (book_load_who(r, r->s.rid, who, &found))
        return false;
    if (!found) {
        http_redirect(r->out, "/");
        return false;
    }
    return true;
}

const struct office *book_session_office(struct req *r, const struct web_who *who)
{
    const struct office *o = web_who_office(who, r->s.office);
    if (!o)
        http_redirect(r->out, who->n_offices > 1 ? "/office" : "/birthday");
    return o;
}

void book_back_to_office(struct req *r, const struct web_who *who, char *back, size_t cap)
{
    if (who->n_offices > 1)
        snprintf(back, cap, "/office");
    else
        snprintf(back, cap, "/R/%s", r->s.rid);
}

struct seat_tally *book_seats(struct req *r, const struct office *o, bool fresh)
{
    const cn_date horizon = slots_horizon_last(&o->calendar, &o->booking, r->at.day);
    struct seat_tally *t = NULL;
    struct cn_err err = {0};
    int rc = horizon == DATE_NONE
                 ? seat_tally_load(r->bs, o->id, r->at.day, r->at.day - 1, &t, &err) /* none */
                 : tally_cache_load(web_runtime_seats(r->rt), r->bs, o->id, r->at.day, horizon,
                                    fresh, &t, &err);
    if (rc)
        book_fail(r, &err);
    return t;
}

void book_seats_moved(struct req *r, const struct booking *b, int delta)
{
    tally_cache_taken(web_runtime_seats(r->rt), b, delta);
}

void book_rows(struct req *r, const struct booking *b, const struct office *o)
{
    struct html *h = &r->out->body;
    char ref[BOOKING_REF_LEN], day[64], slot[32];
    booking_ref(b->id, ref);
    lang_fmt_day(r->lang, b->day, day, sizeof day);
    lang_fmt_slot(r->lang, b->start_min, o ? o->booking.slot_min : 30, slot, sizeof slot);
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, T_(r, "予約番号"), ref, NULL, NULL);
    page_summary_row(h, T_(r, "窓口"), o ? o->name : b->office, NULL, NULL);
    if (o)
        page_summary_row(h, T_(r, "場所"), o->address, NULL, NULL);
    page_summary_row(h, T_(r, "日付"), day, NULL, NULL);
    page_summary_row(h, T_(r, "時間"), slot, NULL, NULL);
    html_raw(h, "</dl>\n");
}
