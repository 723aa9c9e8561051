/* The way in: the ID form at /, the typed ID at /R?rid=, and the start page /R/{RID} with
 * its cases (not found, walk-in, booked, expired, not open yet, due). */
#include <stdio.h>
#include <string.h>

#include "book_req.h"
#include "log.h"
#include "officecal.h"
#include "rid.h"
#include "web_format.h"

static const char bad_rid[] = N_("予約IDが正しくありません。通知書に書かれた12文字の予約IDを"
                                 "確かめて、もう一度入力してください");

void book_page_id_form(struct req *r, const char *typed, const char *error)
{
    struct html *h = &r->out->body;
    book_begin(r, "予約IDの入力", error != NULL, NULL);
    if (error)
        error = T_(r, error);
    if (error) {
        const struct page_error e = {"rid", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<form method=\"get\" action=\"/R\" novalidate>\n");
    book_h1(r, "電子証明書の更新の予約");
    book_p(r, "マイナンバーカードの電子証明書を更新する窓口の日時を予約できます。");
    html_f(h, "<div class=\"field%s\"><label for=\"rid\">", error ? " has-error" : "");
    html_t(h, T_(r, "予約ID"));
    html_raw(h, "</label>\n<span class=\"hint\" id=\"rid-hint\">");
    html_t(h, T_(r, "通知書に書かれた12文字の予約IDです。例：ABCD-EFGH-"
                    "JKLM（ハイフンはなくてもかまいません）"));
    html_raw(h, "</span>\n");
    if (error)
        page_field_error(h, "rid", error);
    html_f(h,
           "<input id=\"rid\" name=\"rid\" type=\"text\" autocomplete=\"off\" "
           "autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"40\" "
           "aria-describedby=\"rid-hint%s\"%s value=\"%s\"></div>\n",
           error ? " rid-error" : "", error ? " class=\"invalid\"" : "", typed ? typed : "");
    page_button(h, T_(r, "次へ"), false);
    html_raw(h, "</form>\n");
    book_end(r);
}

void book_page_find(struct req *r)
{
    const char *typed = webform_get(&r->in->query, "rid");
    char rid[RID_LEN + 1], to[64];
    if (typed && rid_check(typed, rid)) {
        snprintf(to, sizeof to, "/R/%s", rid);
        http_redirect(r->out, to);
    } else {
        book_page_id_form(r, typed, typed && typed[0] ? bad_rid : N_("予約IDを入力してください"));
    }
}

static void describe_offices(struct req *r, const struct district *d)
{
    struct html *h = &r->out->body;
    for (int i = 0; d && i < d->n_offices; i++) {
        const struct office *o = &r->cfg->offices[d->offices[i]];
        char hours[256];
        officecal_describe(&o->calendar, hours, sizeof hours);
        html_f(h, "<h2>%s</h2>\n<p>%s<br>", o->name, o->address);
        html_tf(h, T_(r, "受付時間：%s"), hours);
        if (o->phone[0]) {
            html_raw(h, "<br>");
            html_tf(h, T_(r, "電話：%s"), o->phone);
        }
        html_raw(h, "</p>\n");
        if (o->note[0])
            html_f(h, "<p class=\"hint\">%s</p>\n", o->note);
    }
}

/* Every well-formed ID looked up costs the client address a token, found or not: the
 * answer (found, not found) is what a guesser is after. A typo (wrong check symbol) costs
 * nothing, and never reaches the database. */
static bool lookup_allowed(struct req *r)
{
    int64_t retry = 0;
    if (web_runtime_lookup(r->rt, r->in->client, r->now, &retry))
        return true;
    log_warn("serve", "ID lookup refused: too many from one address (next in %lld s)",
             (long long)retry);
    struct html *h = &r->out->body;
    r->out->status = 429;
    book_begin(r, "しばらくお待ちください", false, "/");
    book_h1(r, "しばらくお待ちください");
    html_raw(h, "<p>");
    html_tf(h,
            T_(r, "短い時間に多くの予約IDが入力されたため、しばらく受け付けません。約%d分後に"
                  "もう一度お試しください。"),
            (int)((retry + 59) / 60));
    html_raw(h, "</p>\n");
    book_ask_phone(r);
    book_end(r);
    return false;
}

static void not_found(struct req *r)
{
    struct html *h = &r->out->body;
    r->out->status = 404;
    book_begin(r, "予約IDが見つかりません", false, "/");
    book_h1(r, "この予約IDは見つかりません");
    html_raw(h, "<p>");
    html_tf(h,
            T_(r, "入力された予約IDの通知書は見つかりませんでした。お手数ですが、電話 "
                  "%s（%s）にお問い合わせください。"),
            r->cfg->booking_phone, r->cfg->booking_hours);
    html_raw(h, "</p>\n");
    book_end(r);
}

/* The ID left the night's feed (its resident renewed, moved away, is held...): whatever
 * the reason, which the outside does not know, a person on the phone sorts it out. */
static void withdrawn(struct req *r)
{
    struct html *h = &r->out->body;
    book_begin(r, "この予約IDでは予約できません", false, "/");
    book_h1(r, "この予約IDでは予約できません");
    html_raw(h, "<p>");
    html_tf(h,
            T_(r, "この予約IDでは、現在ご予約いただけません。予約済みだった方の予約は取り消されて"
                  "います。お手数ですが、電話 %s（%s）にお問い合わせください。"),
            r->cfg->booking_phone, r->cfg->booking_hours);
    html_raw(h, "</p>\n");
    book_end(r);
}

static void walk_in(struct req *r, const struct web_who *who, const char *disp)
{
    struct html *h = &r->out->body;
    book_begin(r, "予約は不要です", false, "/");
    book_h1(r, "予約は不要です");
    html_raw(h, "<p>");
    html_tf(h, T_(r, "予約ID %s の方は、予約をせずに、次の窓口へ受付時間内に直接お越しください。"),
            disp);
    html_raw(h, "</p>\n");
    describe_offices(r, who->district);
    book_end(r);
}

/* Before the birthday only that a booking exists and the way on: the office, its place, the
 * day, the time and the number would tell whoever holds the ID (a photo of the letter, a
 * browser's history) when the resident will be where. */
static void booked(struct req *r, const char *disp)
{
    struct html *h = &r->out->body;
    book_begin(r, "予約済みです", false, "/");
    book_h1(r, "予約済みです");
    html_raw(h, "<p>");
    html_tf(h, T_(r, "予約ID %s には、予約があります。"), disp);
    html_raw(h, "</p>\n");
    book_p(r, "予約の内容を見るときや、変更・取り消しをするときは、誕生日の入力が必要です。");
    page_start_link(h, "/birthday?intent=change", T_(r, "予約を変更する"));
    html_raw(h, "<p><a class=\"button secondary\" href=\"/birthday?intent=cancel\" "
                "role=\"button\">");
    html_t(h, T_(r, "予約を取り消す"));
    html_raw(h, "</a></p>\n");
    book_end(r);
}

/* An ID with no booking yet: whether booking is open, closed for good, or not yet. */
static void unbooked(struct req *r, const struct web_who *who, const char *disp, const char *masked)
{
    struct html *h = &r->out->body;
    /* Booking opens on the earliest day any of the district's offices allows. */
    const struct slot_resident res = web_who_slots(who);
    cn_date opens = DATE_MAX_OPEN, closes = DATE_NONE;
    for (int i = 0; i < who->n_offices; i++) {
        const struct date_range a = slots_allowed(&who->offices[i]->booking, &res);
        opens = a.first < opens ? a.first : opens;
        closes = a.last > closes ? a.last : closes;
    }
    const bool expired = r->at.day > who->window.end;
    if (expired && r->at.day > closes) {
        book_begin(r, "電子証明書の有効期限が過ぎています", false, "/");
        book_h1(r, "電子証明書の有効期限が過ぎています");
        book_p(r, "有効期限が過ぎた電子証明書は更新できません。窓口で新規発行の手続きをして"
                  "ください。マイナンバーカードが有効な間は無料です。");
        book_p(r, "この予約IDではインターネットで予約できません。");
        html_raw(h, "<p>");
        html_tf(h, T_(r, "お問い合わせ：電話 %s"), r->cfg->booking_phone);
        html_raw(h, "</p>\n");
        describe_offices(r, who->district);
        book_end(r);
        return;
    }
    if (r->at.day < opens) {
        char d[64];
        lang_fmt_day(r->lang, opens, d, sizeof d);
        book_begin(r, "予約の受付はまだ始まっていません", false, "/");
        book_h1(r, "予約の受付はまだ始まっていません");
        html_raw(h, "<p>");
        html_tf(h, T_(r, "予約ID %s の予約は、%sから受け付けます。"), disp, d);
        html_raw(h, "</p>\n");
        book_end(r);
        return;
    }
    log_info("serve", "start rid=%s", masked);
    if (expired) {
        book_begin(r, "電子証明書の新規発行の予約", false, "/");
        book_h1(r, "電子証明書の新規発行の予約");
        html_raw(h, "<div class=\"notice\">");
        book_p(r, "電子証明書の有効期限が過ぎています。更新ではなく新規発行の手続きになります"
                  "（マイナンバーカードが有効な間は無料です）。");
        html_raw(h, "</div>\n");
    } else {
        book_begin(r, "電子証明書の更新の予約", false, "/");
        book_h1(r, "電子証明書の更新の予約");
        book_p(r, "マイナンバーカードの電子証明書を更新する窓口の日時を予約します。");
    }
    html_raw(h, "<p>");
    html_tf(h, T_(r, "予約ID：%s"), disp);
    html_raw(h, "</p>\n");
    book_p(r, "はじめに、本人確認のため誕生日（月日）を入力していただきます。");
    page_start_link(h, "/birthday", T_(r, "予約を始める"));
    book_end(r);
}

void book_page_start(struct req *r, const char *typed)
{
    char rid[RID_LEN + 1];
    if (!rid_check(typed, rid)) {
        book_page_id_form(r, typed, bad_rid);
        return;
    }
    if (!lookup_allowed(r))
        return;
    /* A first visit on a stored jar: the session stored and the ID read in one statement
     * (session_start), the busiest page's one round trip. */
    bool made = false;
    struct cn_err err = {0};
    if (!r->have_session &&
        session_start(web_runtime_sessions(r->rt), r->now, rid, &r->s, &r->facts, &made, &err)) {
        book_fail(r, &err);
        return;
    }
    r->have_session = r->have_session || made;
    struct web_who who;
    bool found;
    if (book_load_who(r, rid, &who, &found))
        return;
    if (!found) {
        if (made) { /* in the feed, but withdrawn or with no booking: no session for it */
            session_drop(web_runtime_sessions(r->rt), &r->s);
            r->have_session = false;
        }
        if (who.withdrawn)
            withdrawn(r);
        else
            not_found(r);
        return;
    }
    if (made)
        book_set_cookie(r);
    if (book_ensure_session(r))
        return;
    const bool changed = strcmp(r->s.rid, rid) != 0 || r->s.intent != INTENT_BOOK || r->s.unstored;
    if (strcmp(r->s.rid, rid) != 0) {
        session_reset_flow(&r->s);
        snprintf(r->s.rid, sizeof r->s.rid, "%s", rid);
    }
    r->s.intent = INTENT_BOOK;
    if (changed)
        book_save(r);

    char disp[RID_DISPLAY_LEN + 1], masked[16];
    rid_display(rid, disp);
    web_mask_rid(rid, masked);
    if (who.n_offices == 0) {
        walk_in(r, &who, disp);
        return;
    }
    if (who.has_active)
        booked(r, disp);
    else
        unbooked(r, &who, disp, masked);
}
