/* /check: the booking's summary before it is made, and the POST that takes the seat (or
 * changes the resident's booking to it). */
#include <stdio.h>
#include <stdlib.h>

#include "book_req.h"
#include "log.h"
#include "rid.h"
#include "web_format.h"

/* Takes the seat; true when a page or a redirect has been sent, false when the slot was full
 * or closed at the take (the resident picks again). */
static bool take(struct req *r, const struct office *o, const struct booking *old, bool has_old,
                 const char *masked)
{
    /* the take applies the day's seat changes and closures itself, under the slot's lock */
    struct take_request req = {.rid = r->s.rid,
                               .office = o->id,
                               .by = "web",
                               .day = r->s.day,
                               .start_min = r->s.start_min,
                               .seats = o->booking.seats,
                               .slot_min = o->booking.slot_min,
                               .replace_id = has_old ? old->id : 0,
                               .session = session_row(web_runtime_sessions(r->rt), &r->s)};
    struct booking b;
    enum take_result tr;
    struct cn_err err = {0};
    if (store_booking_take(r->bs, &req, &b, &tr, &err)) {
        book_fail(r, &err);
        return true;
    }
    char iso[11], hhmm[6], ref[BOOKING_REF_LEN];
    date_format_iso(r->s.day, iso);
    slots_format_hhmm(r->s.start_min, hhmm);
    if (tr == TAKE_OK) {
        booking_ref(b.id, ref);
        log_info("serve", "%s ref=%s office=%s day=%s start=%s rid=%s",
                 has_old ? "changed" : "booked", ref, o->id, iso, hhmm, masked);
        book_seats_moved(r, &b, +1);
        if (has_old)
            book_seats_moved(r, old, -1);
        session_booked(web_runtime_sessions(r->rt), &r->s, b.id);
        http_redirect(r->out, "/done");
        return true;
    }
    if (tr == TAKE_HAS_BOOKING) {
        book_redirect_start(r);
        return true;
    }
    log_info("serve", "slot taken first office=%s day=%s start=%s rid=%s", o->id, iso, hhmm,
             masked);
    return false;
}

/* The booking is taken with no read before it: the rules that need no store (the window, the
 * cutoff, the calendar) are checked here, and the take checks the seats, the seat changes
 * and the closures under the slot's lock. Only a refusal reads the day, to say why and to
 * show what is free now. */
static void check_post(struct req *r, const struct web_who *who, const struct office *o,
                       const struct booking *old, bool has_old)
{
    char masked[16];
    web_mask_rid(r->s.rid, masked);
    const struct slot_resident res = web_who_slots(who);
    const struct slot_time st = {r->s.day, r->s.start_min};
    if (slots_check_changed(&o->calendar, &o->booking, NULL, &res, r->at, st, 0) == SLOT_OK &&
        take(r, o, old, has_old, masked))
        return;
    struct seat_tally *t = book_seats(r, o, true);
    if (!t)
        return;
    const enum slot_verdict v =
        slots_check_changed(&o->calendar, &o->booking, seat_tally_changes(t), &res, r->at, st, 0);
    const struct page_error e =
        v != SLOT_OK
            ? (struct page_error){"slot-0", N_("選んだ時間は予約の受付を終了しました。ほかの時間"
                                               "を選んでください")}
            : (struct page_error){"slot-0", N_("選んだ時間は、たった今ほかの方の予約で満席になり"
                                               "ました。空いている時間から選び直してください")};
    r->s.start_min = -1;
    book_save(r);
    book_slot_form(r, who, o, &e, t);
    seat_tally_free(t);
}

void book_page_check(struct req *r, bool post)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    const struct office *o = book_session_office(r, &who);
    if (!o)
        return;
    if (r->s.day == DATE_NONE || r->s.start_min < 0) {
        http_redirect(r->out, r->s.day == DATE_NONE ? "/date" : "/slot");
        return;
    }
    const struct booking old = who.active;
    const bool has_old = who.has_active;
    if (post) {
        check_post(r, &who, o, &old, has_old);
        return;
    }
    struct html *h = &r->out->body;
    char disp[RID_DISPLAY_LEN + 1], day[64], slot[32];
    rid_display(r->s.rid, disp);
    lang_fmt_day(r->lang, r->s.day, day, sizeof day);
    lang_fmt_slot(r->lang, r->s.start_min, o->booking.slot_min, slot, sizeof slot);
    book_begin(r, "予約内容の確認", false, "/slot");
    book_h1(r, "予約内容の確認");
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, T_(r, "予約ID"), disp, NULL, NULL);
    page_summary_row(h, T_(r, "窓口"), o->name, who.n_offices > 1 ? "/office" : NULL,
                     T_(r, "窓口"));
    page_summary_row(h, T_(r, "場所"), o->address, NULL, NULL);
    page_summary_row(h, T_(r, "日付"), day, "/date", T_(r, "日付"));
    page_summary_row(h, T_(r, "時間"), slot, "/slot", T_(r, "時間"));
    html_raw(h, "</dl>\n");
    if (has_old) {
        char old_day[64], old_slot[32];
        const struct office *oo = config_office(r->cfg, old.office);
        lang_fmt_day(r->lang, old.day, old_day, sizeof old_day);
        lang_fmt_slot(r->lang, old.start_min, oo ? oo->booking.slot_min : 30, old_slot,
                      sizeof old_slot);
        html_raw(h, "<div class=\"notice\"><p>");
        html_tf(h, T_(r, "今の予約（%s %s）は取り消され、この予約に変わります。"), old_day,
                old_slot);
        html_raw(h, "</p></div>\n");
    }
    page_form_post(h, "/check", r->s.csrf);
    page_button(h, has_old ? T_(r, "この内容に変更する") : T_(r, "この内容で予約する"), false);
    html_raw(h, "</form>\n");
    book_end(r);
}
