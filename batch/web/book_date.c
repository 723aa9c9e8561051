/* /date: the days the resident may pick at the office, with the seats left on each. */
#include <stdio.h>

#include "book_req.h"
#include "tally_cache.h"
#include "web_format.h"

#define MAX_DAYS 400

/* The days a resident can pick at an office: first..last. */
static void bookable_range(const struct req *r, const struct web_who *who, const struct office *o,
                           cn_date *first, cn_date *last)
{
    const struct slot_resident res = web_who_slots(who);
    const struct date_range a = slots_allowed(&o->booking, &res);
    const cn_date horizon = slots_horizon_last(&o->calendar, &o->booking, r->at.day);
    *first = a.first > r->at.day ? a.first : r->at.day;
    *last = horizon == DATE_NONE ? *first - 1 : horizon;
    if (a.last < *last)
        *last = a.last;
    if (*last - *first > MAX_DAYS)
        *last = *first + MAX_DAYS;
}

/* The error of a picked day, or NULL when it can be booked. The picked day's seats are read
 * for that day alone: the whole list of days (a row per booked slot of the horizon) is read
 * only to draw the page. *failed: the store could not be read, and the 503 page is sent. */
static const char *date_error(struct req *r, const struct web_who *who, const struct office *o,
                              cn_date first, cn_date last, const char *v, cn_date *d, bool *failed)
{
    *failed = false;
    if (!v || !date_parse_iso(v, d))
        return N_("来庁する日を選んでください");
    if (*d < first || *d > last)
        return N_("選んだ日は予約を受け付けていません。ほかの日を選んでください");
    struct seat_tally *t = book_tally(r, o, *d, *d);
    if (!t) {
        *failed = true;
        return NULL;
    }
    const struct slot_resident res = web_who_slots(who);
    struct seat_day dv;
    seat_tally_day(t, o, &res, r->at, *d, &dv);
    seat_tally_free(t);
    if (dv.open_slots == 0)
        return N_("選んだ日は予約を受け付けていません。ほかの日を選んでください");
    if (dv.seats_left == 0)
        return N_("選んだ日は満席です。ほかの日を選んでください");
    return NULL;
}

/* The seats over first..last for drawing the list of days. All the office's residents see
 * the same days, so the tally is the node's kept one over the whole horizon (tally_cache),
 * unless fresh. */
static struct seat_tally *overview(struct req *r, const struct office *o, cn_date first,
                                   cn_date last, bool fresh)
{
    if (last < first)
        return book_tally(r, o, first, last); /* no day: nothing is read */
    const cn_date horizon = slots_horizon_last(&o->calendar, &o->booking, r->at.day);
    struct seat_tally *t = NULL;
    struct cn_err err = {0};
    if (tally_cache_load(web_runtime_overviews(r->rt), r->bs, o->id,
                         first < r->at.day ? first : r->at.day, horizon > last ? horizon : last,
                         fresh, &t, &err))
        book_fail(r, &err);
    return t;
}

static void date_form(struct req *r, const struct web_who *who, const struct office *o,
                      const struct seat_tally *t, cn_date first, cn_date last,
                      const struct page_error *e)
{
    struct html *h = &r->out->body;
    char back[64];
    book_back_to_office(r, who, back, sizeof back);
    book_begin(r, "日付の選択", e->msg != NULL, back);
    page_error_summary(h, e, e->msg ? 1 : 0);
    page_form_post(h, "/date", r->s.csrf);
    html_f(h, "<div class=\"%s\"><fieldset aria-describedby=\"date-hint\">\n<legend><h1>",
           e->msg ? "has-error" : "");
    html_t(h, T_(r, "来庁する日を選んでください"));
    html_raw(h, "</h1></legend>\n<span class=\"hint\" id=\"date-hint\">");
    html_tf(h, T_(r, "%s。残りの人数は、まだ予約できる人数です。"), o->name);
    html_raw(h, "</span>\n");
    if (e->msg)
        page_field_error(h, "date", e->msg);
    const struct slot_resident res = web_who_slots(who);
    int shown = 0;
    for (cn_date d = first; d <= last; d++) {
        struct seat_day dv;
        seat_tally_day(t, o, &res, r->at, d, &dv);
        if (dv.open_slots == 0)
            continue;
        char id[24], label[64], hint[96], iso[11];
        snprintf(id, sizeof id, "date-%d", shown);
        lang_fmt_day_short(r->lang, d, label, sizeof label);
        date_format_iso(d, iso);
        if (dv.seats_left > 0)
            book_count(r, "残り%s人", dv.seats_left, hint, sizeof hint);
        else
            snprintf(hint, sizeof hint, "%s", T_(r, "満席"));
        page_radio(h, "date", id, iso, label, hint, r->s.day == d, dv.seats_left == 0);
        shown++;
    }
    if (!shown) {
        html_raw(h, "<p>");
        html_tf(h,
                T_(r, "インターネットで予約できる日がありません。電話 %s にお問い合わせください。"),
                r->cfg->booking_phone);
        html_raw(h, "</p>\n");
    }
    html_raw(h, "</fieldset></div>\n");
    if (shown)
        page_button(h, T_(r, "次へ"), false);
    html_raw(h, "</form>\n");
    book_end(r);
}

void book_page_date(struct req *r, bool post)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    const struct office *o = book_session_office(r, &who);
    if (!o)
        return;
    cn_date first, last;
    bookable_range(r, &who, o, &first, &last);
    struct page_error e = {NULL, NULL};
    if (post) {
        cn_date d = DATE_NONE;
        bool failed;
        e.field = "date-0";
        e.msg = date_error(r, &who, o, first, last, webform_get(&r->in->form, "date"), &d, &failed);
        if (failed)
            return;
        if (!e.msg) {
            if (r->s.day != d)
                r->s.start_min = -1;
            r->s.day = d;
            book_save(r);
            http_redirect(r->out, "/slot");
            return;
        }
    }
    /* After a refused pick the list is read again: it showed that day free. */
    struct seat_tally *t = overview(r, o, first, last, e.msg != NULL);
    if (!t)
        return;
    date_form(r, &who, o, t, first, last, &e);
    seat_tally_free(t);
}
