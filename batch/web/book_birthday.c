/* /birthday: the resident proves the letter is theirs by its birthday (month and day), with
 * the lockouts per ID and per client (web_verify.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "book_req.h"
#include "log.h"
#include "web_format.h"
#include "web_verify.h"

static void birthday_form(struct req *r, const char *month, const char *day,
                          const struct page_error *errs, int n_err, bool bad_month, bool bad_day)
{
    struct html *h = &r->out->body;
    char back[64];
    snprintf(back, sizeof back, "/R/%s", r->s.rid);
    book_begin(r, "誕生日の入力", n_err > 0, back);
    page_error_summary(h, errs, n_err);
    page_form_post(h, "/birthday", r->s.csrf);
    html_f(h,
           "<div class=\"%s\"><fieldset role=\"group\" aria-describedby=\"bday-hint%s\">\n"
           "<legend><h1>",
           n_err ? "has-error" : "", n_err ? " bday-error" : "");
    html_t(h, T_(r, "誕生日を入力してください"));
    html_raw(h, "</h1></legend>\n<span class=\"hint\" id=\"bday-hint\">");
    html_t(h, T_(r, "通知書の宛名の方の誕生日（月と日）です。例：4月1日なら 4 と 1"));
    html_raw(h, "</span>\n");
    if (n_err)
        page_field_error(h, "bday", errs[0].msg);
    html_raw(h, "<div class=\"date-input\"><div><label for=\"bday-month\">");
    html_t(h, T_(r, "月"));
    html_f(h,
           "</label>"
           "<input id=\"bday-month\" name=\"bday-month\" type=\"text\" inputmode=\"numeric\" "
           "autocomplete=\"bday-month\" maxlength=\"6\"%s value=\"%s\"></div>\n"
           "<div><label for=\"bday-day\">",
           bad_month ? " class=\"invalid\"" : "", month ? month : "");
    html_t(h, T_(r, "日"));
    html_f(h,
           "</label>"
           "<input id=\"bday-day\" name=\"bday-day\" type=\"text\" inputmode=\"numeric\" "
           "autocomplete=\"bday-day\" maxlength=\"6\"%s value=\"%s\"></div></div>\n"
           "</fieldset></div>\n",
           bad_day ? " class=\"invalid\"" : "", day ? day : "");
    page_button(h, T_(r, "次へ"), false);
    html_raw(h, "</form>\n");
    book_end(r);
}

/* The ID is locked until the next day (a second lock within a day): booking by phone. */
static void locked_till_tomorrow(struct req *r)
{
    struct html *h = &r->out->body;
    r->out->status = 429;
    book_begin(r, "この予約IDは明日まで使えません", false, "/");
    book_h1(r, "この予約IDは明日まで使えません");
    book_p(r, "誕生日の入力を続けて間違えたため、この予約IDは明日になるまでインターネットで"
              "使えません。");
    html_raw(h, "<p>");
    html_tf(h,
            T_(r, "予約は電話でも受け付けています。電話 %s（%s）にお電話ください。予約IDと"
                  "誕生日を確かめてから、予約をお取りします。"),
            r->cfg->booking_phone, r->cfg->booking_hours);
    html_raw(h, "</p>\n");
    book_end(r);
}

static void locked_page(struct req *r, int64_t until, bool client)
{
    if (!client && verify_until_tomorrow(until, r->now)) {
        locked_till_tomorrow(r);
        return;
    }
    struct html *h = &r->out->body;
    const time_t t = (time_t)until;
    struct tm tm;
    localtime_r(&t, &tm);
    r->out->status = 429;
    book_begin(r, "しばらくお待ちください", false, "/");
    book_h1(r, "しばらくお待ちください");
    html_raw(h, "<p>");
    if (client)
        html_tf(h, T_(r, "誕生日の入力を何度も間違えたため、%d時%02d分まで入力を受け付けません。"),
                tm.tm_hour, tm.tm_min);
    else
        html_tf(h, T_(r, "誕生日の入力を%d回間違えたため、この予約IDは%d時%02d分まで使えません。"),
                VERIFY_ID_TRIES, tm.tm_hour, tm.tm_min);
    html_raw(h, "</p>\n");
    book_ask_phone(r);
    book_end(r);
}

/* A resident of one office goes on with it: set in the session, which the caller saves.
 * false: the resident chooses one, or is cancelling. */
static bool only_office(struct req *r, const struct web_who *who)
{
    if (r->s.intent == INTENT_CANCEL || who->n_offices > 1)
        return false;
    snprintf(r->s.office, sizeof r->s.office, "%s", who->offices[0]->id);
    return true;
}

/* Where a verified resident goes next. */
static void redirect_after_birthday(struct req *r, const struct web_who *who)
{
    http_redirect(r->out, r->s.intent == INTENT_CANCEL ? "/cancel"
                          : who->n_offices > 1         ? "/office"
                                                       : "/date");
}

static void next_after_birthday(struct req *r, const struct web_who *who)
{
    if (only_office(r, who))
        book_save(r);
    redirect_after_birthday(r, who);
}

/* The form's GET shows the locks before any answer: their ends come with the session's read
 * (a stored session; the memory jar's page reads them itself). The ID's key is verify_key's
 * "rid" with the session's ID after it. */
struct session_locks *book_birthday_locks(struct req *r, char *id_prefix, char *client)
{
    if (strcmp(r->in->path, "/birthday") != 0 || strcmp(r->in->method, "GET") != 0)
        return NULL;
    verify_key("rid", "", id_prefix);
    verify_client_key("ip", r->in->client, client);
    r->locks = (struct session_locks){.id_prefix = id_prefix, .client = client};
    return &r->locks;
}

/* A page before any answer is counted: the locked page when the ID or the client is locked
 * (true: a page was sent), both read at once, or with the session. */
static bool locked_first(struct req *r, const struct verify_try *id, const struct verify_try *ip)
{
    int64_t id_until = r->locks.id_until, ip_until = r->locks.client_until;
    struct cn_err err = {0};
    if (!r->locks.read &&
        verify_locked(r->bs, id->key, ip->key, r->now, &id_until, &ip_until, &err)) {
        book_fail(r, &err);
        return true;
    }
    if (id_until || ip_until)
        locked_page(r, id_until ? id_until : ip_until, id_until == 0);
    return id_until || ip_until;
}

/* The form's errors before any comparison: nothing typed, or no such month or day. */
static int form_errors(struct req *r, const char *ms, const char *ds, struct page_error e[2],
                       bool *bad_m, bool *bad_d)
{
    const int m = ms ? verify_small_number(ms, 2) : -1, d = ds ? verify_small_number(ds, 2) : -1;
    const bool m_empty = !ms || !ms[0], d_empty = !ds || !ds[0];
    int n = 0;
    *bad_m = *bad_d = false;
    if (m_empty && d_empty) {
        e[n++] = (struct page_error){"bday-month", T_(r, "誕生日の月と日を入力してください")};
        *bad_m = *bad_d = true;
    } else if (m_empty) {
        e[n++] = (struct page_error){"bday-month", T_(r, "誕生日の月を入力してください")};
        *bad_m = true;
    } else if (d_empty) {
        e[n++] = (struct page_error){"bday-day", T_(r, "誕生日の日を入力してください")};
        *bad_d = true;
    } else if (m < 1 || m > 12) {
        e[n++] =
            (struct page_error){"bday-month", T_(r, "月は1から12までの数字で入力してください")};
        *bad_m = true;
    } else if (d < 1 || d > date_days_in_month(2000, m)) {
        e[n++] =
            (struct page_error){"bday-day", T_(r, "日はその月にある日付の数字で入力してください")};
        *bad_d = true;
    }
    return n;
}

/* The answer's attempts, counted before it is told: the ID's and the client's, in one
 * statement. false when either is locked (a page sent; nothing of the answer looked at, and
 * the other key's attempt given back). */
static bool count_attempts(struct req *r, struct verify_try *id, struct verify_try *ip)
{
    struct cn_err err = {0};
    if (verify_attempts(r->bs, id, ip, r->now, &err)) {
        book_fail(r, &err);
        return false;
    }
    if (id->allowed && ip->allowed)
        return true;
    /* the other key's attempt was never compared: given back */
    const struct verify_try *counted = id->allowed ? id : ip->allowed ? ip : NULL;
    if (counted && verify_refund(r->bs, counted, &err))
        log_error("serve", "%s", err.msg);
    locked_page(r, !id->allowed ? id->until : ip->until, id->allowed);
    return false;
}

static void wrong_birthday(struct req *r, struct verify_try *id, const struct verify_try *ip,
                           const char *ms, const char *ds, const char *masked)
{
    log_warn("serve", "wrong birthday rid=%s tries=%d client_tries=%d", masked, id->count,
             ip->count);
    struct cn_err err = {0};
    if (id->until && verify_escalate(r->bs, r->s.rid, id, r->now, &err)) {
        book_fail(r, &err);
        return;
    }
    if (id->until || ip->until) {
        log_warn("serve", "locked %s rid=%s%s", id->until ? "id" : "client", masked,
                 id->until && verify_until_tomorrow(id->until, r->now) ? " until tomorrow" : "");
        locked_page(r, id->until ? id->until : ip->until, id->until == 0);
        return;
    }
    char msg[512], left[16];
    snprintf(left, sizeof left, "%d", VERIFY_ID_TRIES - id->count);
    const char *args[] = {left};
    texts_format(T_(r, "誕生日が通知書の宛名の方と一致しません。あと%s回間違えると、この予約IDは"
                       "30分間使えなくなります"),
                 args, 1, msg, sizeof msg);
    const struct page_error e = {"bday-month", msg};
    birthday_form(r, ms, ds, &e, 1, true, true);
}

void book_page_birthday(struct req *r, bool post)
{
    if (!r->have_session || !r->s.rid[0]) {
        http_redirect(r->out, "/");
        return;
    }
    struct web_who who;
    bool found;
    if (book_load_who(r, r->s.rid, &who, &found))
        return;
    if (!found || who.n_offices == 0) {
        book_redirect_start(r);
        return;
    }
    struct verify_try id = {.lim = &verify_id_limit}, ip = {.lim = &verify_client_limit};
    verify_key("rid", r->s.rid, id.key);
    verify_client_key("ip", r->in->client, ip.key);
    if (!post) {
        if (locked_first(r, &id, &ip))
            return;
        const char *intent = webform_get(&r->in->query, "intent");
        if (intent) {
            r->s.intent = strcmp(intent, "cancel") == 0   ? INTENT_CANCEL
                          : strcmp(intent, "change") == 0 ? INTENT_CHANGE
                                                          : INTENT_BOOK;
            book_save(r);
        }
        if (r->s.verified) {
            next_after_birthday(r, &who);
            return;
        }
        birthday_form(r, NULL, NULL, NULL, 0, false, false);
        return;
    }
    const char *ms = webform_get(&r->in->form, "bday-month");
    const char *ds = webform_get(&r->in->form, "bday-day");
    struct page_error e[2];
    bool bad_m, bad_d;
    const int n = form_errors(r, ms, ds, e, &bad_m, &bad_d);
    if (n) {
        if (!locked_first(r, &id, &ip))
            birthday_form(r, ms, ds, e, n, bad_m, bad_d);
        return;
    }
    char masked[16];
    web_mask_rid(r->s.rid, masked);
    if (!verify_birthday(&who.res, ms, ds)) {
        /* A wrong answer is counted before it is told; counting it says whether a key is
         * locked, with no read first. */
        if (count_attempts(r, &id, &ip))
            wrong_birthday(r, &id, &ip, ms, ds, masked);
        return;
    }
    /* A right one is taken only while neither key is locked, and the ID's count starts
     * again; the session, verified and with the office of a one-office resident, is rotated
     * then: one statement, where counting it, giving it back and the rotation took three. */
    const struct session was = r->s;
    r->s.verified = true;
    only_office(r, &who);
    struct cn_err err = {0};
    if (verify_pass(r->bs, &id, &ip, r->now, web_runtime_sessions(r->rt), &r->s, &err)) {
        book_fail(r, &err);
        return;
    }
    if (!id.allowed || !ip.allowed) {
        r->s = was; /* nothing of the answer kept */
        locked_page(r, !id.allowed ? id.until : ip.until, id.allowed);
        return;
    }
    book_set_cookie(r);
    log_info("serve", "verified rid=%s", masked);
    redirect_after_birthday(r, &who);
}
