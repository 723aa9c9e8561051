/* /staff/closures, /staff/close and /staff/seats: an office's closures, the bookings they
 * hit (to call), and the forms that close times or change the seats per slot. */
#include <stdio.h>
#include <string.h>

#include "rid.h"
#include "staff_req.h"
#include "tally_cache.h"
#include "web_format.h"
#include "web_verify.h"

static void fmt_end(int min, char out[6])
{
    if (min >= 24 * 60)
        snprintf(out, 6, "24:00");
    else
        slots_format_hhmm(min, out);
}

static int closure_row(const struct closure_row *c, void *ctx)
{
    struct sreq *r = ctx;
    r->rows++;
    char day[64], a[6], b[6];
    web_fmt_day(c->day, day, sizeof day);
    slots_format_hhmm(c->from_min, a);
    fmt_end(c->to_min, b);
    html_f(&r->out->body, "<tr><td>%s</td><td>%s〜%s</td><td>%s</td><td>%s</td></tr>\n", day, a, b,
           c->reason, c->by);
    return 0;
}

static int hit_row(const struct hit_row *x, void *ctx)
{
    struct sreq *r = ctx;
    r->rows++;
    char day[64], hhmm[6], rid[RID_DISPLAY_LEN + 1], ref[BOOKING_REF_LEN];
    web_fmt_day(x->day, day, sizeof day);
    slots_format_hhmm(x->start_min, hhmm);
    rid_display(x->rid, rid);
    booking_ref(x->booking_id, ref);
    html_f(&r->out->body,
           "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"rid\">%s</td><td>%s</td></tr>\n", day,
           hhmm, ref, rid, x->reason);
    return 0;
}

/* A booking the feed cancelled: its ID left the night's snapshot. */
static int withdrawn_row(const struct booking *b, void *ctx)
{
    struct sreq *r = ctx;
    r->rows++;
    char day[64], hhmm[6], rid[RID_DISPLAY_LEN + 1], ref[BOOKING_REF_LEN];
    web_fmt_day(b->day, day, sizeof day);
    slots_format_hhmm(b->start_min, hhmm);
    rid_display(b->rid, rid);
    booking_ref(b->id, ref);
    html_f(&r->out->body,
           "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"rid\">%s</td><td>%s</td></tr>\n", day,
           hhmm, ref, rid, strcmp(b->by, "web") == 0 ? "ウェブ" : "電話");
    return 0;
}

/* The tables: bookings to call (closures, then IDs withdrawn), and the closures from today
 * on. */
static int listings(struct sreq *r, const struct office *o, struct cn_err *err)
{
    struct html *h = &r->out->body;
    html_raw(h, "<h2>連絡が必要な予約</h2>\n<p>休止にかかった予約です。予約は消さずに残して"
                "あります。電話で日時の変更をお願いしてください。</p>\n"
                "<table class=\"daylist\"><thead><tr><th scope=\"col\">日付</th>"
                "<th scope=\"col\">時間</th><th scope=\"col\">予約番号</th>"
                "<th scope=\"col\">予約ID</th><th scope=\"col\">理由</th></tr></thead><tbody>\n");
    r->rows = 0;
    int rc = store_staff_each_hit(r->db, o->id, r->at.day, hit_row, r, err);
    if (rc)
        return rc;
    if (!r->rows)
        html_raw(h, "<tr><td colspan=\"5\">ありません</td></tr>\n");
    html_raw(h, "</tbody></table>\n");

    html_raw(h, "<h2>取り消された予約（対象外になった予約ID）</h2>\n<p>夜間処理で予約の対象外に"
                "なった予約IDの予約です（更新済み・転出など）。取り消し済みです。必要に応じて"
                "電話でお知らせください。</p>\n"
                "<table class=\"daylist\"><thead><tr><th scope=\"col\">日付</th>"
                "<th scope=\"col\">時間</th><th scope=\"col\">予約番号</th>"
                "<th scope=\"col\">予約ID</th><th scope=\"col\">受付</th></tr></thead><tbody>\n");
    r->rows = 0;
    if ((rc = store_booking_each_withdrawn(r->db, o->id, r->at.day, withdrawn_row, r, err)))
        return rc;
    if (!r->rows)
        html_raw(h, "<tr><td colspan=\"5\">ありません</td></tr>\n");
    html_raw(h, "</tbody></table>\n");

    html_raw(h, "<h2>休止</h2>\n<table class=\"daylist\"><thead><tr><th scope=\"col\">日付</th>"
                "<th scope=\"col\">時間</th><th scope=\"col\">理由</th>"
                "<th scope=\"col\">登録者</th></tr></thead><tbody>\n");
    r->rows = 0;
    if ((rc = store_staff_each_closure(r->db, o->id, r->at.day, closure_row, r, err)))
        return rc;
    if (!r->rows)
        html_raw(h, "<tr><td colspan=\"4\">ありません</td></tr>\n");
    html_raw(h, "</tbody></table>\n");
    return CN_OK;
}

void staff_page_closures(struct sreq *r, const char *office, const char *error, const char *done)
{
    const struct office *o = staff_page_office(r, office);
    if (!o)
        return;
    struct html *h = &r->out->body;
    staff_begin(r, "休止・定員", error != NULL);
    if (error) {
        const struct page_error e = {"close-date", error};
        page_error_summary(h, &e, 1);
    }
    html_f(h, "<h1>休止・定員：%s</h1>\n", o->name);
    if (done)
        html_f(h, "<div class=\"notice\" role=\"status\"><p>%s</p></div>\n", done);
    html_raw(h, "<form method=\"get\" action=\"/staff/closures\" class=\"inline\">\n");
    staff_office_select(r, "closures-office", o);
    page_button(h, "表示", false);
    html_raw(h, "</form>\n");
    struct cn_err err = {0};
    if (listings(r, o, &err)) {
        staff_fail(r, &err);
        return;
    }
    html_raw(h, "<h2>休止を登録する</h2>\n");
    page_form_post(h, "/staff/close", r->s.csrf);
    html_f(h, "<input type=\"hidden\" name=\"office\" value=\"%s\">\n", o->id);
    staff_date_field(h, "close-date", "date", "日付", DATE_NONE);
    html_raw(h, "<div class=\"field\"><label for=\"close-from\">開始（空欄で終日）</label>"
                "<input id=\"close-from\" name=\"from\" type=\"text\" placeholder=\"10:00\">"
                "</div>\n<div class=\"field\"><label for=\"close-to\">終了</label>"
                "<input id=\"close-to\" name=\"to\" type=\"text\" placeholder=\"11:00\"></div>\n"
                "<div class=\"field\"><label for=\"close-reason\">理由</label>"
                "<input id=\"close-reason\" name=\"reason\" type=\"text\" maxlength=\"100\">"
                "</div>\n");
    page_button(h, "休止にする", true);
    html_raw(h, "</form>\n<h2>定員を変える</h2>\n");
    page_form_post(h, "/staff/seats", r->s.csrf);
    html_f(h, "<input type=\"hidden\" name=\"office\" value=\"%s\">\n", o->id);
    staff_date_field(h, "seats-first", "first", "最初の日", DATE_NONE);
    staff_date_field(h, "seats-last", "last", "最後の日", DATE_NONE);
    html_f(h,
           "<div class=\"field\"><label for=\"seats\">1枠の人数（設定では %d）</label>"
           "<input id=\"seats\" name=\"seats\" type=\"text\" inputmode=\"numeric\"></div>\n",
           o->booking.seats);
    page_button(h, "定員を変える", false);
    html_raw(h, "</form>\n");
    staff_end(r);
}

static bool parse_time_or_empty(const char *s, int dflt, int *out)
{
    if (!s || !s[0]) {
        *out = dflt;
        return true;
    }
    if (strcmp(s, "24:00") == 0) {
        *out = 24 * 60;
        return true;
    }
    return slots_parse_hhmm(s, out);
}

void staff_do_close(struct sreq *r)
{
    const char *office = webform_get(&r->in->form, "office");
    const struct office *o = staff_page_office(r, office);
    if (!o)
        return;
    const char *ds = webform_get(&r->in->form, "date");
    const char *reason = webform_get(&r->in->form, "reason");
    cn_date day;
    int from, to;
    if (!ds || !date_parse_iso(ds, &day)) {
        staff_page_closures(r, o->id, "日付を 2027-01-12 の形で入力してください", NULL);
        return;
    }
    if (!parse_time_or_empty(webform_get(&r->in->form, "from"), 0, &from) ||
        !parse_time_or_empty(webform_get(&r->in->form, "to"), 24 * 60, &to) || to <= from) {
        staff_page_closures(r, o->id, "時間を 10:00 の形で、終了を開始より後に入力してください",
                            NULL);
        return;
    }
    if (!reason || !reason[0]) {
        staff_page_closures(r, o->id, "理由を入力してください", NULL);
        return;
    }
    int64_t id = 0;
    int hit = 0;
    struct cn_err err = {0};
    if (store_staff_close(r->db, o->id, day, from, to, o->booking.slot_min, reason, r->s.staff, &id,
                          &hit, &err)) {
        staff_fail(r, &err);
        return;
    }
    tally_cache_drop(web_runtime_seats(r->rt), o->id);
    char detail[160], a[6], b[6], msg[160];
    slots_format_hhmm(from, a);
    fmt_end(to, b);
    snprintf(detail, sizeof detail, "%s %s %s-%s hits %d", o->id, ds, a, b, hit);
    staff_audit(r, r->s.staff, "closure", detail);
    snprintf(msg, sizeof msg,
             "休止を登録しました。かかった予約 %d 件を下の一覧から連絡してください。", hit);
    staff_page_closures(r, o->id, NULL, msg);
}

void staff_do_seats(struct sreq *r)
{
    const struct office *o = staff_page_office(r, webform_get(&r->in->form, "office"));
    if (!o)
        return;
    const char *fs = webform_get(&r->in->form, "first"), *ls = webform_get(&r->in->form, "last");
    const char *ns = webform_get(&r->in->form, "seats");
    cn_date first, last;
    /* The same numbers as the residents type: full-width digits count. */
    const int seats = ns ? verify_small_number(ns, 2) : -1;
    if (!fs || !ls || !date_parse_iso(fs, &first) || !date_parse_iso(ls, &last) || last < first ||
        last - first > 366) {
        staff_page_closures(r, o->id, "最初の日と最後の日を 2027-01-12 の形で入力してください",
                            NULL);
        return;
    }
    if (seats < 0 || seats > 99) {
        staff_page_closures(r, o->id, "人数を 0 から 99 の数字で入力してください", NULL);
        return;
    }
    struct cn_err err = {0};
    if (store_staff_set_seats(r->db, o->id, first, last, seats, r->s.staff, &err)) {
        staff_fail(r, &err);
        return;
    }
    tally_cache_drop(web_runtime_seats(r->rt), o->id);
    char detail[96];
    snprintf(detail, sizeof detail, "%s %s..%s seats %d", o->id, fs, ls, seats);
    staff_audit(r, r->s.staff, "capacity", detail);
    staff_page_closures(r, o->id, NULL, "定員を変えました。");
}
