/* /slot: the times of the chosen day, with the seats left in each. */
#include <stdio.h>

#include "book_req.h"
#include "web_format.h"

void book_slot_form(struct req *r, const struct web_who *who, const struct office *o,
                    const struct page_error *e, const struct seat_tally *t)
{
    const struct slot_resident res = web_who_slots(who);
    struct seat_day dv;
    seat_tally_day(t, o, &res, r->at, r->s.day, &dv);
    struct html *h = &r->out->body;
    char day[64];
    lang_fmt_day(r->lang, r->s.day, day, sizeof day);
    book_begin(r, "時間の選択", e && e->msg, "/date");
    page_error_summary(h, e, e && e->msg ? 1 : 0);
    page_form_post(h, "/slot", r->s.csrf);
    html_f(h, "<div class=\"%s\"><fieldset aria-describedby=\"slot-hint\">\n<legend><h1>",
           e && e->msg ? "has-error" : "");
    html_tf(h, T_(r, "%sの時間を選んでください"), day);
    html_raw(h, "</h1></legend>\n<span class=\"hint\" id=\"slot-hint\">");
    html_tf(h, T_(r, "%s。時間帯の中でご案内します。"), o->name);
    html_raw(h, "</span>\n");
    if (e && e->msg)
        page_field_error(h, "slot", e->msg);
    int first_free = -1;
    for (int i = 0; i < dv.n; i++) {
        if (dv.verdict[i] != SLOT_OK && dv.verdict[i] != SLOT_FULL && dv.verdict[i] != SLOT_CUTOFF)
            continue;
        char id[24], label[32], value[6], hint[96];
        snprintf(id, sizeof id, "slot-%d", i);
        lang_fmt_slot(r->lang, dv.starts[i], o->booking.slot_min, label, sizeof label);
        slots_format_hhmm(dv.starts[i], value);
        if (dv.verdict[i] == SLOT_OK) {
            book_count(r, "残り%s人", dv.left[i], hint, sizeof hint);
            if (first_free < 0)
                first_free = i;
        } else {
            snprintf(hint, sizeof hint, "%s",
                     dv.verdict[i] == SLOT_FULL ? T_(r, "満席") : T_(r, "受付終了"));
        }
        page_radio(h, "slot", id, value, label, hint,
                   dv.starts[i] == r->s.start_min && dv.verdict[i] == SLOT_OK,
                   dv.verdict[i] != SLOT_OK);
    }
    html_raw(h, "</fieldset></div>\n");
    if (first_free >= 0)
        page_button(h, T_(r, "次へ"), false);
    else {
        html_raw(h, "<p>");
        html_t(h, T_(r, "この日は満席です。"));
        html_raw(h, "<a href=\"/date\">");
        html_t(h, T_(r, "ほかの日を選ぶ"));
        html_raw(h, "</a></p>\n");
    }
    html_raw(h, "</form>\n");
    book_end(r);
}

/* The error of a picked time, or NULL when it can be booked (*start set). */
static const char *slot_error(const struct req *r, const struct web_who *who,
                              const struct office *o, const struct seat_tally *t, const char *v,
                              int *start)
{
    if (!v || !slots_parse_hhmm(v, start))
        return N_("時間を選んでください");
    const struct slot_resident res = web_who_slots(who);
    const struct slot_time st = {r->s.day, *start};
    switch (slots_check_changed(&o->calendar, &o->booking, seat_tally_changes(t), &res, r->at, st,
                                seat_tally_taken(t, r->s.day, *start))) {
    case SLOT_OK:
        return NULL;
    case SLOT_FULL:
        return N_("選んだ時間は満席です。ほかの時間を選んでください");
    case SLOT_CUTOFF:
        return N_("選んだ時間は予約の受付を終了しました。ほかの時間を選んでください");
    default:
        return N_("選んだ時間は予約できません。ほかの時間を選んでください");
    }
}

void book_page_slot(struct req *r, bool post)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    const struct office *o = book_session_office(r, &who);
    if (!o)
        return;
    if (r->s.day == DATE_NONE) {
        http_redirect(r->out, "/date");
        return;
    }
    struct seat_tally *t = book_seats(r, o, false);
    if (!t)
        return;
    struct page_error e = {NULL, NULL};
    if (post) {
        int start = -1;
        const char *v = webform_get(&r->in->form, "slot");
        e.field = "slot-0";
        /* A time refused on the kept seats is looked at again on a fresh read, as a day is
         * (book_date.c). */
        if ((e.msg = slot_error(r, &who, o, t, v, &start)) && start >= 0) {
            seat_tally_free(t);
            if (!(t = book_seats(r, o, true)))
                return;
            e.msg = slot_error(r, &who, o, t, v, &start);
        }
        if (!e.msg) {
            r->s.start_min = start;
            book_save(r);
            seat_tally_free(t);
            http_redirect(r->out, "/check");
            return;
        }
    }
    book_slot_form(r, &who, o, &e, t);
    seat_tally_free(t);
}
