/* /date: the days the resident may pick at the office, with the seats left on each. */
#include <stdio.h>

#include "book_req.h"
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

/* The error of a picked day on tally t, or NULL when it can be booked. */
static const char *date_error(const struct req *r, const struct web_who *who,
                              const struct office *o, const struct seat_tally *t, cn_date first,
                              cn_date last, const char *v, cn_date *d)
{
    if (!v || !date_parse_iso(v, d))
        return N_("来庁する日を選んでください");
    const struct slot_resident res = web_who_slots(who);
    struct seat_day dv;
    seat_tally_day(t, o, &res, r->at, *d, &dv);
    if (*d < first || *d > last || dv.open_slots == 0)
        return N_("選んだ日は予約を受け付けていません。ほかの日を選んでください");
    if (dv.seats_left == 0)
        return N_("選んだ日は満席です。ほかの日を選んでください");
    return NULL;
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
    struct seat_tally *t = book_seats(r, o, false);
    if (!t)
        return;
    struct page_error e = {NULL, NULL};
    if (post) {
        cn_date d = DATE_NONE;
        const char *v = webform_get(&r->in->form, "date");
        e.field = "date-0";
        /* A day refused on the kept seats is looked at again on a fresh read (kept in turn):
         * the resident is never told "full" from a count a moment old. */
        if ((e.msg = date_error(r, &who, o, t, first, last, v, &d)) && d >= first && d <= last) {
            seat_tally_free(t);
            if (!(t = book_seats(r, o, true)))
                return;
            e.msg = date_error(r, &who, o, t, first, last, v, &d);
        }
        if (!e.msg) {
            seat_tally_free(t);
            if (r->s.day != d)
                r->s.start_min = -1;
            r->s.day = d;
            book_save(r);
            http_redirect(r->out, "/slot");
            return;
        }
    }
    date_form(r, &who, o, t, first, last, &e);
    seat_tally_free(t);
}
