/* /staff/phone: a booking taken by phone. The caller is verified by reservation ID and
 * birthday as on the residents' pages (web_verify.h, the same lockout per ID), then a day
 * and a time are picked, or the caller's booking is cancelled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rid.h"
#include "seat_tally.h"
#include "staff_req.h"
#include "tally_cache.h"
#include "web_format.h"
#include "web_resident.h"
#include "web_verify.h"

/* A caller identified by reservation ID and birthday. */
struct caller {
    char rid[RID_LEN + 1];
    const char *month, *day; /* as typed: carried in the next forms */
    struct web_who who;      /* its offices (those the account may book at), its booking */
    /* The active booking is at an office the account may not act on: the one office rule
     * (staff_may_office) hides it and refuses any step that would replace or cancel it. */
    bool foreign;
};

static void phone_form(struct sreq *r, const char *rid, const char *error)
{
    struct html *h = &r->out->body;
    staff_begin(r, "電話予約", error != NULL);
    if (error) {
        const struct page_error e = {"rid", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<h1>電話予約：予約IDと誕生日の確認</h1>\n");
    page_form_post(h, "/staff/phone", r->s.csrf);
    html_raw(h, "<input type=\"hidden\" name=\"step\" value=\"find\">\n");
    html_f(h,
           "<div class=\"field\"><label for=\"rid\">予約ID</label><input id=\"rid\" name=\"rid\" "
           "type=\"text\" autocomplete=\"off\" spellcheck=\"false\" value=\"%s\"></div>\n",
           rid ? rid : "");
    html_raw(h, "<fieldset><legend>誕生日（月日）</legend><div class=\"date-input\">"
                "<div><label for=\"bday-month\">月</label><input id=\"bday-month\" "
                "name=\"bday-month\" type=\"text\" inputmode=\"numeric\" maxlength=\"2\"></div>"
                "<div><label for=\"bday-day\">日</label><input id=\"bday-day\" name=\"bday-day\" "
                "type=\"text\" inputmode=\"numeric\" maxlength=\"2\"></div></div></fieldset>\n");
    page_button(h, "確認する", false);
    html_raw(h, "</form>\n");
    staff_end(r);
}

/* Verifies the caller; false when a page (error, lock) has been sent. */
static bool find_caller(struct sreq *r, struct caller *c)
{
    memset(c, 0, sizeof *c);
    const char *typed = webform_get(&r->in->form, "rid");
    c->month = webform_get(&r->in->form, "bday-month");
    c->day = webform_get(&r->in->form, "bday-day");
    if (!typed || !rid_check(typed, c->rid)) {
        phone_form(r, typed, "予約IDが正しくありません");
        return false;
    }
    struct verify_try id = {.lim = &verify_id_limit};
    verify_key("rid", c->rid, id.key);
    int64_t until = 0;
    struct cn_err err = {0};
    if (verify_locked(r->bs, id.key, NULL, r->now, &until, NULL, &err)) {
        staff_fail(r, &err);
        return false;
    }
    if (until) {
        r->out->status = 429;
        phone_form(r, typed, "この予約IDは誕生日の間違いが続いたため、しばらく使えません");
        return false;
    }
    bool found = false;
    if (web_who_load(r->bs, r->cfg, c->rid, &c->who, &found, &err)) {
        staff_fail(r, &err);
        return false;
    }
    if (!found) {
        phone_form(r, typed, "この予約IDは見つかりません");
        return false;
    }
    /* counted before it is compared, as on the residents' pages; every step of a phone
     * booking checks the birthday again, so a right one gives its attempt back */
    if (verify_attempt(r->bs, &id, r->now, &err)) {
        staff_fail(r, &err);
        return false;
    }
    if (!id.allowed) {
        r->out->status = 429;
        phone_form(r, typed, "この予約IDは誕生日の間違いが続いたため、しばらく使えません");
        return false;
    }
    if (!verify_birthday(&c->who.res, c->month, c->day)) {
        char detail[64];
        snprintf(detail, sizeof detail, "%s try %d", c->rid, id.count);
        staff_audit(r, r->s.staff, "phone wrong birthday", detail);
        phone_form(r, typed, "誕生日が一致しません");
        return false;
    }
    if (verify_refund(r->bs, &id, &err)) {
        staff_fail(r, &err);
        return false;
    }
    int kept = 0;
    for (int i = 0; i < c->who.n_offices; i++)
        if (staff_may_office(r, c->who.offices[i]->id))
            c->who.offices[kept++] = c->who.offices[i];
    c->who.n_offices = kept;
    c->foreign = c->who.has_active && !staff_may_office(r, c->who.active.office);
    return true;
}

/* The caller's identity as hidden fields, so that every step checks it again. */
static void caller_fields(struct html *h, const struct caller *c)
{
    html_f(h,
           "<input type=\"hidden\" name=\"rid\" value=\"%s\"><input type=\"hidden\" "
           "name=\"bday-month\" value=\"%s\"><input type=\"hidden\" name=\"bday-day\" "
           "value=\"%s\">\n",
           c->rid, c->month, c->day);
}

static void caller_summary(struct sreq *r, const struct caller *c)
{
    struct html *h = &r->out->body;
    char disp[RID_DISPLAY_LEN + 1], a[64], b[64];
    rid_display(c->rid, disp);
    web_fmt_day(c->who.window.start, a, sizeof a);
    web_fmt_day(c->who.window.end, b, sizeof b);
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, "予約ID", disp, NULL, NULL);
    char win[160];
    snprintf(win, sizeof win, "%sから%sまで", a, b);
    page_summary_row(h, "更新できる期間", win, NULL, NULL);
    if (c->foreign) {
        page_summary_row(h, "今の予約", "ほかの窓口の予約があります", NULL, NULL);
    } else if (c->who.has_active) {
        char ref[BOOKING_REF_LEN], day[64], hhmm[6], now[320];
        booking_ref(c->who.active.id, ref);
        web_fmt_day(c->who.active.day, day, sizeof day);
        slots_format_hhmm(c->who.active.start_min, hhmm);
        const struct office *o = config_office(r->cfg, c->who.active.office);
        snprintf(now, sizeof now, "%s %s %s（%s）", day, hhmm, o ? o->name : c->who.active.office,
                 ref);
        page_summary_row(h, "今の予約", now, NULL, NULL);
    } else {
        page_summary_row(h, "今の予約", "なし", NULL, NULL);
    }
    html_raw(h, "</dl>\n");
}

/* Seats taken and staff's changes for one day at the office; NULL when a page was sent. */
static struct seat_tally *load_day(struct sreq *r, const struct office *o, cn_date day)
{
    struct seat_tally *t = NULL;
    struct cn_err err = {0};
    if (seat_tally_load(r->bs, o->id, day, day, &t, &err))
        staff_fail(r, &err);
    return t;
}

/* The day's times as radios, and the button that books one. */
static void slot_choice(struct sreq *r, const struct caller *c, const struct office *o, cn_date day)
{
    struct html *h = &r->out->body;
    struct seat_tally *t = load_day(r, o, day);
    if (!t)
        return;
    const struct slot_resident res = web_who_slots(&c->who);
    struct seat_day dv;
    seat_tally_day(t, o, &res, r->at, day, &dv);
    seat_tally_free(t);
    page_form_post(h, "/staff/phone", r->s.csrf);
    caller_fields(h, c);
    char iso[11];
    date_format_iso(day, iso);
    html_f(h,
           "<input type=\"hidden\" name=\"step\" value=\"book\"><input type=\"hidden\" "
           "name=\"office\" value=\"%s\"><input type=\"hidden\" name=\"date\" value=\"%s\">\n",
           o->id, iso);
    html_raw(h, "<fieldset><legend>時間</legend>\n");
    int open = 0;
    for (int i = 0; i < dv.n; i++) {
        const enum slot_verdict v = dv.verdict[i];
        char id[24], hhmm[6], hint[48];
        snprintf(id, sizeof id, "slot-%d", i);
        slots_format_hhmm(dv.starts[i], hhmm);
        if (v == SLOT_OK)
            snprintf(hint, sizeof hint, "残り%d人", dv.left[i]);
        else
            snprintf(hint, sizeof hint, "%s",
                     v == SLOT_FULL     ? "満席"
                     : v == SLOT_CLOSED ? "休止"
                     : v == SLOT_CUTOFF ? "受付終了"
                                        : "予約できません");
        page_radio(h, "slot", id, hhmm, hhmm, hint, false, v != SLOT_OK);
        open += v == SLOT_OK;
    }
    html_raw(h, "</fieldset>\n");
    if (open)
        page_button(h, c->who.has_active ? "この時間に変更する" : "この時間で予約する", false);
    else
        html_raw(h, "<p>この日は予約できる時間がありません。</p>\n");
    html_raw(h, "</form>\n");
}

static void phone_choose(struct sreq *r, const struct caller *c, const struct office *o,
                         cn_date day, const char *error)
{
    struct html *h = &r->out->body;
    staff_begin(r, "電話予約：日時の選択", error != NULL);
    if (error) {
        const struct page_error e = {"phone-office", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<h1>電話予約</h1>\n");
    caller_summary(r, c);
    if (c->foreign) {
        html_raw(h, "<p>この方の予約は、この職員IDでは扱えない窓口のものです。変更や取り消しは、"
                    "その窓口か、すべての窓口を扱う職員IDでお願いします。</p>\n");
        staff_end(r);
        return;
    }
    if (c->who.has_active) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)c->who.active.id);
        page_form_post(h, "/staff/phone", r->s.csrf);
        caller_fields(h, c);
        html_f(h,
               "<input type=\"hidden\" name=\"step\" value=\"cancel\"><input type=\"hidden\" "
               "name=\"id\" value=\"%s\">",
               id);
        page_button(h, "今の予約を取り消す", true);
        html_raw(h, "</form>\n");
    }
    if (c->who.n_offices == 0) {
        html_raw(h, "<p>この方は、この職員IDで予約できる窓口がありません（予約不要の地区か、"
                    "ほかの窓口の予約です）。</p>\n");
        staff_end(r);
        return;
    }
    html_f(h, "<h2>%s</h2>\n", c->who.has_active ? "予約を変更する" : "予約する");
    page_form_post(h, "/staff/phone", r->s.csrf);
    caller_fields(h, c);
    html_raw(h, "<input type=\"hidden\" name=\"step\" value=\"day\">\n");
    html_raw(h, "<div class=\"field\"><label for=\"phone-office\">窓口</label>"
                "<select id=\"phone-office\" name=\"office\">");
    for (int i = 0; i < c->who.n_offices; i++)
        html_f(h, "<option value=\"%s\"%s>%s</option>", c->who.offices[i]->id,
               c->who.offices[i] == o ? " selected" : "", c->who.offices[i]->name);
    html_raw(h, "</select></div>\n");
    staff_date_field(h, "phone-date", "date", "来庁する日", day);
    page_button(h, "空いている時間を見る", false);
    html_raw(h, "</form>\n");
    if (o && day != DATE_NONE) {
        slot_choice(r, c, o, day);
        if (r->out->status >= 500)
            return;
    }
    staff_end(r);
}

static void booked(struct sreq *r, const struct office *o, cn_date day, const char *hhmm,
                   const char *ref)
{
    struct html *h = &r->out->body;
    char label[64];
    web_fmt_day(day, label, sizeof label);
    staff_begin(r, "電話予約：完了", false);
    html_raw(h, "<div class=\"panel\"><h1>予約しました</h1>");
    html_f(h, "<p>予約番号<br><span class=\"ref\">%s</span></p></div>\n", ref);
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, "窓口", o->name, NULL, NULL);
    page_summary_row(h, "日付", label, NULL, NULL);
    page_summary_row(h, "時間", hhmm, NULL, NULL);
    html_raw(h, "</dl>\n<p>予約番号と日時を、電話の相手に読み上げてください。</p>\n"
                "<p><a href=\"/staff/phone\">次の電話へ</a></p>\n");
    staff_end(r);
}

static void phone_book(struct sreq *r, const struct caller *c)
{
    if (c->foreign) {
        /* a booking here would replace, and so cancel, the other office's */
        log_warn("staff", "refused: %s booking over another office's booking", r->s.staff);
        staff_status(r, 403);
        return;
    }
    const struct office *o = web_who_office(&c->who, webform_get(&r->in->form, "office"));
    const char *ds = webform_get(&r->in->form, "date");
    const char *ss = webform_get(&r->in->form, "slot");
    cn_date day = DATE_NONE;
    int start = -1;
    if (!o || !ds || !date_parse_iso(ds, &day)) {
        phone_choose(r, c, o, DATE_NONE, "窓口と日付を選んでください");
        return;
    }
    if (!ss || !slots_parse_hhmm(ss, &start)) {
        phone_choose(r, c, o, day, "時間を選んでください");
        return;
    }
    struct seat_tally *t = load_day(r, o, day);
    if (!t)
        return;
    const struct slot_resident res = web_who_slots(&c->who);
    const struct slot_time st = {day, start};
    /* The caller's own booking does not count against the slot it moves within. */
    int taken = seat_tally_taken(t, day, start);
    if (c->who.has_active && c->who.active.day == day && c->who.active.start_min == start &&
        strcmp(c->who.active.office, o->id) == 0)
        taken--;
    const struct slot_changes *ch = seat_tally_changes(t);
    const enum slot_verdict v =
        slots_check_changed(&o->calendar, &o->booking, ch, &res, r->at, st, taken);
    seat_tally_free(t);
    if (v != SLOT_OK) {
        phone_choose(r, c, o, day,
                     v == SLOT_FULL ? "その時間は満席です" : "その時間は予約できません");
        return;
    }
    struct take_request q = {.rid = c->rid,
                             .office = o->id,
                             .by = r->s.staff,
                             .day = day,
                             .start_min = start,
                             .seats = o->booking.seats, /* the take applies changes */
                             .slot_min = o->booking.slot_min,
                             .replace_id = c->who.has_active ? c->who.active.id : 0};
    struct booking b;
    enum take_result tr;
    struct cn_err err = {0};
    if (store_booking_take(r->bs, &q, &b, &tr, &err)) {
        staff_fail(r, &err);
        return;
    }
    if (tr != TAKE_OK) {
        phone_choose(r, c, o, day, "その時間は、たった今ほかの予約で満席になりました");
        return;
    }
    /* the residents' pages of this node see the seat at once */
    tally_cache_taken(web_runtime_seats(r->rt), &b, +1);
    if (c->who.has_active)
        tally_cache_taken(web_runtime_seats(r->rt), &c->who.active, -1);
    char ref[BOOKING_REF_LEN], detail[128], hhmm[6];
    booking_ref(b.id, ref);
    slots_format_hhmm(start, hhmm);
    snprintf(detail, sizeof detail, "%s %s %s %s %s", ref, c->rid, o->id, ds, hhmm);
    staff_audit(r, r->s.staff, c->who.has_active ? "phone change" : "phone book", detail);
    booked(r, o, day, hhmm, ref);
}

static void phone_cancel(struct sreq *r, const struct caller *c)
{
    const char *id = webform_get(&r->in->form, "id");
    if (!c->who.has_active || !id || strtoll(id, NULL, 10) != c->who.active.id ||
        !staff_may_office(r, c->who.active.office)) {
        staff_status(r,
                     c->who.has_active && !staff_may_office(r, c->who.active.office) ? 403 : 400);
        return;
    }
    bool done = false;
    struct cn_err err = {0};
    if (store_booking_cancel(r->bs, c->rid, c->who.active.id, &done, &err)) {
        staff_fail(r, &err);
        return;
    }
    char ref[BOOKING_REF_LEN], detail[96];
    booking_ref(c->who.active.id, ref);
    snprintf(detail, sizeof detail, "%s %s", ref, c->rid);
    if (done) {
        tally_cache_taken(web_runtime_seats(r->rt), &c->who.active, -1);
        staff_audit(r, r->s.staff, "phone cancel", detail);
    }
    struct html *h = &r->out->body;
    staff_begin(r, "電話予約：取り消し", false);
    html_f(h, "<h1>予約 %s を取り消しました</h1>\n", ref);
    html_raw(h, "<p><a href=\"/staff/phone\">次の電話へ</a></p>\n");
    staff_end(r);
}

void staff_page_phone(struct sreq *r, bool post)
{
    if (!post) {
        phone_form(r, NULL, NULL);
        return;
    }
    struct caller c;
    if (!find_caller(r, &c))
        return;
    const char *step = webform_get(&r->in->form, "step");
    if (step && strcmp(step, "book") == 0)
        phone_book(r, &c);
    else if (step && strcmp(step, "cancel") == 0)
        phone_cancel(r, &c);
    else {
        const struct office *o = web_who_office(&c.who, webform_get(&r->in->form, "office"));
        const char *ds = webform_get(&r->in->form, "date");
        cn_date day = DATE_NONE;
        if (step && strcmp(step, "day") == 0 && (!ds || !date_parse_iso(ds, &day))) {
            phone_choose(r, &c, o, DATE_NONE, "来庁する日を 2027-01-12 の形で入力してください");
            return;
        }
        phone_choose(r, &c, o ? o : (c.who.n_offices ? c.who.offices[0] : NULL), day, NULL);
    }
}
