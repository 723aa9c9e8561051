#include "staff_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_booking.h"
#include "csv.h"
#include "forecast_web.h"
#include "jcal.h"
#include "log.h"
#include "pages.h"
#include "rid.h"
#include "secret.h"
#include "slots.h"
#include "store_staff.h"

#define COOKIE "cn_staff"
#define LOGIN_COOKIE "cn_staff_login"
/* Secure always: browsers and curl keep a Secure cookie from http://127.0.0.1 (a secure
 * context), so local tests work over plain HTTP; anywhere else the staff listener must sit
 * behind TLS, or no session cookie comes back. */
#define COOKIE_ATTRS "; Path=/staff; HttpOnly; Secure; SameSite=Strict"
#define MAX_SLOTS 64

struct staff_web {
    struct booking_web *res;
    const struct config *cfg;
};

/* One request. */
struct sreq {
    struct staff_web *w;
    const struct http_request *in;
    struct http_response *out;
    struct store_booking *bs;
    struct store *db;
    struct staff_session s; /* valid when have_session */
    bool have_session;
    int64_t now;
    struct slot_time at;
    int rows; /* rows a listing has written */
};

int staff_web_new(struct booking_web *residents, struct staff_web **out, struct cn_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    (*out)->res = residents;
    (*out)->cfg = booking_web_config(residents);
    return secret_init(err);
}

void staff_web_free(struct staff_web *w)
{
    free(w);
}

/* ---- small helpers ---- */

static const struct office *office_by_id(const struct config *cfg, const char *id)
{
    for (size_t i = 0; id && i < cfg->n_offices; i++)
        if (strcmp(cfg->offices[i].id, id) == 0)
            return &cfg->offices[i];
    return NULL;
}

static bool all_offices(const struct sreq *r)
{
    return strcmp(r->s.office, STAFF_ALL_OFFICES) == 0;
}

/* Whether the session's account may see the office's names and act on its bookings. */
static bool may_office(const struct sreq *r, const char *office)
{
    return all_offices(r) || strcmp(r->s.office, office) == 0;
}

static void fmt_day(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d年%d月%d日（%s）", y, m, dd, jcal_weekday_kanji(d));
}

static void audit(struct sreq *r, const char *who, const char *action, const char *detail)
{
    struct cn_err err = {0};
    if (store_staff_audit(r->db, who, action, detail, r->in->client, &err))
        log_error("staff", "%s", err.msg); /* the action stands; the log says what is missing */
}

static void begin(struct sreq *r, const char *title, bool errors)
{
    char service[128];
    snprintf(service, sizeof service, "%s 窓口", r->w->cfg->municipality);
    page_begin(&r->out->body, service, title, errors, NULL);
    if (!r->have_session)
        return;
    struct html *h = &r->out->body;
    html_raw(h, "<nav class=\"staffnav noprint\" aria-label=\"窓口のメニュー\"><ul>"
                "<li><a href=\"/staff/day\">予約一覧</a></li>"
                "<li><a href=\"/staff/phone\">電話予約</a></li>"
                "<li><a href=\"/staff/closures\">休止・定員</a></li>"
                "<li><a href=\"/staff/forecast\">来庁予測</a></li></ul>");
    page_form_post(h, "/staff/logout", r->s.csrf);
    html_f(h, "<span class=\"who\">%s</span> ", r->s.staff);
    html_raw(h, "<button type=\"submit\" class=\"button secondary small\">ログアウト</button>"
                "</form></nav>\n");
}

static void end(struct sreq *r)
{
    page_end(&r->out->body, "", "");
}

static void status_page(struct sreq *r, int status)
{
    html_free(&r->out->body);
    r->out->status = status;
    char service[128];
    snprintf(service, sizeof service, "%s 窓口", r->w->cfg->municipality);
    page_status(&r->out->body, service, status, "", "");
}

static void fail_page(struct sreq *r, const struct cn_err *err)
{
    log_error("staff", "%s", err->msg);
    status_page(r, 503);
}

/* The office a page is about: ?office= (or the form's), else the account's own, else the
 * first office that takes bookings. NULL (403 sent) when the account may not see it. */
static const struct office *page_office(struct sreq *r, const char *asked)
{
    const struct config *cfg = r->w->cfg;
    const struct office *o = NULL;
    if (asked && asked[0])
        o = office_by_id(cfg, asked);
    else if (!all_offices(r))
        o = office_by_id(cfg, r->s.office);
    for (size_t i = 0; !o && !(asked && asked[0]) && i < cfg->n_offices; i++)
        if (cfg->offices[i].booking.enabled)
            o = &cfg->offices[i];
    if (!o) {
        status_page(r, 404);
        return NULL;
    }
    if (!may_office(r, o->id)) {
        log_warn("staff", "refused: %s asked for office %s", r->s.staff, o->id);
        status_page(r, 403);
        return NULL;
    }
    return o;
}

/* The offices the account may pick, as a select. */
static void office_select(struct sreq *r, const char *id, const struct office *current)
{
    struct html *h = &r->out->body;
    html_f(h,
           "<div class=\"field\"><label for=\"%s\">窓口</label><select id=\"%s\" name=\"office\">",
           id, id);
    for (size_t i = 0; i < r->w->cfg->n_offices; i++) {
        const struct office *o = &r->w->cfg->offices[i];
        if (!o->booking.enabled || !may_office(r, o->id))
            continue;
        html_f(h, "<option value=\"%s\"%s>%s</option>", o->id, current == o ? " selected" : "",
               o->name);
    }
    html_raw(h, "</select></div>\n");
}

static void date_field(struct html *h, const char *id, const char *name, const char *label,
                       cn_date value)
{
    char iso[11] = "";
    if (value != DATE_NONE)
        date_format_iso(value, iso);
    html_f(h,
           "<div class=\"field\"><label for=\"%s\">%s</label><span class=\"hint\" "
           "id=\"%s-hint\">例：2027-01-12</span><input id=\"%s\" name=\"%s\" type=\"text\" "
           "inputmode=\"numeric\" aria-describedby=\"%s-hint\" value=\"%s\"></div>\n",
           id, label, id, id, name, id, iso);
}

/* ---- login and logout ---- */

static void login_form(struct sreq *r, const char *name, const char *error)
{
    char token[SECRET_TOKEN_LEN + 1];
    struct cn_err err = {0};
    if (secret_token(token, &err)) {
        fail_page(r, &err);
        return;
    }
    /* Before a session there is no server-side token: the form's token must equal this
     * cookie's, which only this site can set (double submit). */
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie, LOGIN_COOKIE "=%s" COOKIE_ATTRS, token);
    struct html *h = &r->out->body;
    begin(r, "ログイン", error != NULL);
    if (error) {
        const struct page_error e = {"name", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<h1>窓口職員のログイン</h1>\n");
    page_form_post(h, "/staff/login", token);
    html_f(h,
           "<div class=\"field\"><label for=\"name\">職員ID</label><input id=\"name\" "
           "name=\"name\" type=\"text\" autocomplete=\"username\" spellcheck=\"false\" "
           "autocapitalize=\"none\" value=\"%s\"></div>\n"
           "<div class=\"field\"><label for=\"password\">パスワード</label><input "
           "id=\"password\" name=\"password\" type=\"password\" "
           "autocomplete=\"current-password\"></div>\n",
           name ? name : "");
    page_button(h, "ログイン", false);
    html_raw(h, "</form>\n");
    end(r);
}

static bool locked(struct sreq *r, const char *key, int64_t *until)
{
    bool is = false;
    struct cn_err err = {0};
    if (store_booking_locked(r->bs, key, r->now, &is, until, &err)) {
        fail_page(r, &err);
        *until = 0;
        return true;
    }
    return is;
}

static void locked_page(struct sreq *r, const char *name)
{
    r->out->status = 429;
    html_free(&r->out->body);
    struct html *h = &r->out->body;
    begin(r, "ログインできません", false);
    html_raw(h, "<h1>ログインできません</h1>\n");
    html_f(h,
           "<p>パスワードを続けて間違えたため、職員ID %s はしばらくログインできません（%d分）。"
           "急ぐときは管理者に連絡してください。</p>\n",
           name, STAFF_LOCK_SECONDS / 60);
    end(r);
}

static void do_login(struct sreq *r)
{
    const char *typed = webform_get(&r->in->form, "csrf");
    if (!secret_equal(typed, http_cookie(r->in, LOGIN_COOKIE))) {
        log_warn("staff", "login refused: missing or wrong CSRF token");
        status_page(r, 403);
        return;
    }
    const char *name = webform_get(&r->in->form, "name");
    const char *pw = webform_get(&r->in->form, "password");
    if (!name || !pw || !name[0] || !pw[0]) {
        login_form(r, name, "職員IDとパスワードを入力してください");
        return;
    }
    const bool name_ok = staff_name_ok(name);
    char key[64], key_ip[96];
    snprintf(key, sizeof key, "staff:%s", name_ok ? name : "?");
    snprintf(key_ip, sizeof key_ip, "staffip:%s", r->in->client);
    int64_t until = 0;
    if (locked(r, key_ip, &until) || (name_ok && locked(r, key, &until))) {
        if (until) {
            audit(r, name_ok ? name : "?", "login locked", "");
            locked_page(r, name_ok ? name : "?");
        }
        return;
    }
    struct staff_account a;
    bool found = false;
    struct cn_err err = {0};
    if (name_ok && store_staff_get(r->db, name, &a, &found, &err)) {
        fail_page(r, &err);
        return;
    }
    bool right = false;
    if (found)
        right = secret_check_password(a.hash, pw);
    else
        secret_burn_check(pw); /* the same time for a name that does not exist */
    explicit_bzero(a.hash, sizeof a.hash);
    if (!right) {
        int n = 0, n_ip = 0;
        int64_t u = 0, u_ip = 0;
        if (store_booking_fail(r->bs, key, r->now, STAFF_LOGIN_TRIES, STAFF_LOCK_SECONDS,
                               STAFF_LOCK_SECONDS, &n, &u, &err) ||
            store_booking_fail(r->bs, key_ip, r->now, STAFF_CLIENT_TRIES, STAFF_LOCK_SECONDS,
                               STAFF_LOCK_SECONDS, &n_ip, &u_ip, &err)) {
            fail_page(r, &err);
            return;
        }
        char detail[64];
        snprintf(detail, sizeof detail, "try %d%s", n, u ? ", locked" : "");
        audit(r, name_ok ? name : "?", "login failed", detail);
        log_warn("staff", "login failed tries=%d client_tries=%d", n, n_ip);
        if (u || u_ip) {
            locked_page(r, name_ok ? name : "?");
            return;
        }
        login_form(r, name, "職員IDかパスワードが正しくありません");
        return;
    }
    char token[SECRET_TOKEN_LEN + 1];
    struct staff_session ss;
    memset(&ss, 0, sizeof ss);
    if (store_booking_forget(r->bs, key, &err) || secret_token(token, &err) ||
        secret_token(ss.csrf, &err)) {
        fail_page(r, &err);
        return;
    }
    secret_token_digest(token, ss.digest);
    snprintf(ss.staff, sizeof ss.staff, "%s", name);
    ss.last_seen = r->now;
    if (store_staff_session_new(r->db, &ss, &err)) {
        fail_page(r, &err);
        return;
    }
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie, COOKIE "=%s" COOKIE_ATTRS, token);
    explicit_bzero(token, sizeof token);
    audit(r, name, "login", "");
    log_info("staff", "login ok");
    http_redirect(r->out, "/staff/day");
}

static void do_logout(struct sreq *r)
{
    struct cn_err err = {0};
    if (store_staff_session_end(r->db, r->s.digest, &err)) {
        fail_page(r, &err);
        return;
    }
    audit(r, r->s.staff, "logout", "");
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie, COOKIE "=; Max-Age=0" COOKIE_ATTRS);
    http_redirect(r->out, "/staff/login");
}

/* ---- the day list ---- */

static const char *attendance_label(enum attendance a)
{
    switch (a) {
    case ATTEND_ARRIVED:
        return "来庁";
    case ATTEND_DONE:
        return "完了";
    case ATTEND_NO_SHOW:
        return "不在";
    default:
        return "予約";
    }
}

struct day_ctx {
    struct sreq *r;
    const struct office *o;
    cn_date day;
    int n;
    FILE *csv;
};

static int day_row(const struct day_entry *e, void *ctx)
{
    struct day_ctx *c = ctx;
    struct html *h = &c->r->out->body;
    char hhmm[6], rid[RID_DISPLAY_LEN + 1], birth[11] = "", iso[11], ref[BOOKING_REF_LEN];
    slots_format_hhmm(e->start_min, hhmm);
    rid_display(e->rid, rid);
    if (e->birth != DATE_NONE)
        date_format_iso(e->birth, birth);
    date_format_iso(c->day, iso);
    booking_ref(e->id, ref);
    c->n++;
    if (c->csv) {
        const char *row[] = {hhmm,  rid, e->name, e->kana, birth, attendance_name(e->attendance),
                             e->by, ref};
        return csv_write_row(c->csv, row, 8) ? CN_EOUTPUT : 0;
    }
    html_f(h, "<tr%s><td>%s</td><td class=\"rid\">%s</td><td>%s</td><td>%s</td><td>%s</td>",
           e->closure_id ? " class=\"hit\"" : "", hhmm, rid, e->name, e->kana, birth);
    html_f(h, "<td>%s", attendance_label(e->attendance));
    if (strcmp(e->by, "web") != 0)
        html_f(h, "<br><span class=\"hint\">電話（%s）</span>", e->by);
    if (e->closure_id)
        html_raw(h, "<br><strong>休止：要連絡</strong>");
    html_raw(h, "</td><td class=\"noprint marks\">");
    static const enum attendance marks[] = {ATTEND_ARRIVED, ATTEND_DONE, ATTEND_NO_SHOW};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        page_form_post(h, "/staff/mark", c->r->s.csrf);
        html_f(h,
               "<input type=\"hidden\" name=\"id\" value=\"%s\"><input type=\"hidden\" "
               "name=\"office\" value=\"%s\"><input type=\"hidden\" name=\"date\" value=\"%s\">"
               "<button type=\"submit\" name=\"mark\" value=\"%s\" class=\"button small%s\" "
               "aria-label=\"%s %s %s\">%s</button></form>",
               ref, c->o->id, iso, attendance_name(marks[i]),
               e->attendance == marks[i] ? " current" : " secondary", attendance_label(marks[i]),
               hhmm, rid, attendance_label(marks[i]));
    }
    html_raw(h, "</td></tr>\n");
    return 0;
}

static bool day_of_page(struct sreq *r, const char *v, cn_date *day)
{
    *day = r->at.day;
    if (v && v[0] && !date_parse_iso(v, day)) {
        status_page(r, 400);
        return false;
    }
    return true;
}

static void page_day(struct sreq *r, bool csv)
{
    const struct office *o = page_office(r, webform_get(&r->in->query, "office"));
    cn_date day;
    if (!o || !day_of_page(r, webform_get(&r->in->query, "date"), &day))
        return;
    char iso[11], title[256], label[64];
    date_format_iso(day, iso);
    fmt_day(day, label, sizeof label);
    struct day_ctx c = {r, o, day, 0, NULL};
    struct cn_err err = {0};
    int rc;
    if (csv) {
        char *buf = NULL;
        size_t len = 0;
        c.csv = open_memstream(&buf, &len);
        if (!c.csv) {
            status_page(r, 503);
            return;
        }
        static const char *const header[] = {"time",      "reservation_id", "name",
                                             "kana",      "birth_date",     "attendance",
                                             "booked_by", "reference"};
        rc = csv_write_row(c.csv, header, 8) ? CN_EOUTPUT : CN_OK;
        if (!rc)
            rc = store_staff_day(r->db, o->id, day, day_row, &c, &err);
        fclose(c.csv);
        if (!rc)
            html_rawn(&r->out->body, buf, len);
        if (buf)
            explicit_bzero(buf, len);
        free(buf);
        if (rc) {
            if (!err.msg[0])
                cn_fail(&err, CN_EOUTPUT, "writing the day's CSV failed");
            fail_page(r, &err);
            return;
        }
        r->out->content_type = "text/csv; charset=utf-8";
        snprintf(r->out->disposition, sizeof r->out->disposition,
                 "attachment; filename=\"bookings-%s-%s.csv\"", o->id, iso);
        char detail[96];
        snprintf(detail, sizeof detail, "%s %s rows %d", o->id, iso, c.n);
        audit(r, r->s.staff, "day csv", detail);
        return;
    }
    struct html *h = &r->out->body;
    snprintf(title, sizeof title, "予約一覧 %s %s", o->name, label);
    begin(r, title, false);
    html_f(h, "<h1><span class=\"office\">%s</span> %s の予約</h1>\n", o->name, label);
    html_raw(h, "<form method=\"get\" action=\"/staff/day\" class=\"noprint inline\">\n");
    office_select(r, "day-office", o);
    date_field(h, "day-date", "date", "日付", day);
    page_button(h, "表示", false);
    html_raw(h, "</form>\n");
    html_f(h,
           "<p class=\"noprint\"><a href=\"/staff/day.csv?office=%s&amp;date=%s\">CSVで"
           "ダウンロード</a>　印刷はブラウザの印刷（Ctrl+P）で、A4 縦に収まります。</p>\n",
           o->id, iso);
    html_raw(h, "<table class=\"daylist\"><thead><tr><th scope=\"col\">時間</th>"
                "<th scope=\"col\">予約ID</th><th scope=\"col\">氏名</th>"
                "<th scope=\"col\">フリガナ</th><th scope=\"col\">生年月日</th>"
                "<th scope=\"col\">状況</th><th scope=\"col\" class=\"noprint\">記録</th>"
                "</tr></thead>\n<tbody>\n");
    rc = store_staff_day(r->db, o->id, day, day_row, &c, &err);
    if (rc) {
        fail_page(r, &err);
        return;
    }
    html_raw(h, "</tbody></table>\n");
    html_f(h, "<p>予約 %d 件</p>\n", c.n);
    end(r);
}

static void do_mark(struct sreq *r)
{
    const char *ref = webform_get(&r->in->form, "id");
    const char *mark = webform_get(&r->in->form, "mark");
    const char *date = webform_get(&r->in->form, "date");
    const struct office *o = page_office(r, webform_get(&r->in->form, "office"));
    if (!o)
        return;
    enum attendance a;
    char *end_ptr = NULL;
    const long long id = ref && ref[0] == 'Y' ? strtoll(ref + 1, &end_ptr, 10) : 0;
    if (!attendance_parse(mark, &a) || id <= 0 || !end_ptr || *end_ptr) {
        status_page(r, 400);
        return;
    }
    bool done = false;
    struct cn_err err = {0};
    if (store_staff_mark(r->db, id, o->id, a, &done, &err)) {
        fail_page(r, &err);
        return;
    }
    if (!done) {
        status_page(r, 404);
        return;
    }
    char detail[96], to[128];
    snprintf(detail, sizeof detail, "%.16s %s %s", ref, o->id, attendance_name(a));
    audit(r, r->s.staff, "mark", detail);
    cn_date day;
    char iso[11] = "";
    if (date && date_parse_iso(date, &day))
        date_format_iso(day, iso);
    snprintf(to, sizeof to, "/staff/day?office=%s&date=%s", o->id, iso);
    http_redirect(r->out, to);
}

/* ---- phone bookings ---- */

/* A caller identified by reservation ID and birthday, as the resident's pages do it. */
struct caller {
    char rid[RID_LEN + 1];
    const char *month, *day; /* as typed: carried in the next forms */
    struct booking_resident res;
    const struct district *district;
    struct window window;
    const struct office *offices[BOOKING_WEB_MAX_OFFICES];
    int n_offices; /* those the account may book at */
    struct booking active;
    bool has_active;
};

static void phone_form(struct sreq *r, const char *rid, const char *error)
{
    struct html *h = &r->out->body;
    begin(r, "電話予約", error != NULL);
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
    end(r);
}

static int small_number(const char *s)
{
    int v = 0, n = 0;
    for (; s && *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 2)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return n ? v : -1;
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
    char key[40];
    snprintf(key, sizeof key, "rid:%s", c->rid);
    int64_t until = 0;
    if (locked(r, key, &until)) {
        if (until) {
            r->out->status = 429;
            phone_form(r, typed, "この予約IDは誕生日の間違いが続いたため、しばらく使えません");
        }
        return false;
    }
    bool found = false;
    struct cn_err err = {0};
    if (store_booking_resident(r->bs, c->rid, &c->res, &found, &err)) {
        fail_page(r, &err);
        return false;
    }
    if (!found || !booking_resident_opens(&c->res)) {
        phone_form(r, typed, "この予約IDは見つかりません");
        return false;
    }
    const int m = small_number(c->month), d = small_number(c->day);
    if (m != c->res.birth_month || d != c->res.birth_day) {
        int n = 0;
        int64_t u = 0;
        if (store_booking_fail(r->bs, key, r->now, BOOKING_ID_TRIES, BOOKING_LOCK_SECONDS,
                               BOOKING_LOCK_SECONDS, &n, &u, &err)) {
            fail_page(r, &err);
            return false;
        }
        char detail[64];
        snprintf(detail, sizeof detail, "%s try %d", c->rid, n);
        audit(r, r->s.staff, "phone wrong birthday", detail);
        phone_form(r, typed, "誕生日が一致しません");
        return false;
    }
    const struct office *offs[BOOKING_WEB_MAX_OFFICES];
    const int n = booking_web_resident_offices(r->w->cfg, &c->res, &c->district, &c->window, offs);
    for (int i = 0; i < n; i++)
        if (may_office(r, offs[i]->id))
            c->offices[c->n_offices++] = offs[i];
    if (store_booking_active(r->bs, c->rid, &c->active, &c->has_active, &err)) {
        fail_page(r, &err);
        return false;
    }
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
    fmt_day(c->window.start, a, sizeof a);
    fmt_day(c->window.end, b, sizeof b);
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, "予約ID", disp, NULL, NULL);
    char win[160];
    snprintf(win, sizeof win, "%sから%sまで", a, b);
    page_summary_row(h, "更新できる期間", win, NULL, NULL);
    if (c->has_active) {
        char ref[BOOKING_REF_LEN], day[64], hhmm[6], now[320];
        booking_ref(c->active.id, ref);
        fmt_day(c->active.day, day, sizeof day);
        slots_format_hhmm(c->active.start_min, hhmm);
        const struct office *o = office_by_id(r->w->cfg, c->active.office);
        snprintf(now, sizeof now, "%s %s %s（%s）", day, hhmm, o ? o->name : c->active.office, ref);
        page_summary_row(h, "今の予約", now, NULL, NULL);
    } else {
        page_summary_row(h, "今の予約", "なし", NULL, NULL);
    }
    html_raw(h, "</dl>\n");
}

struct taken {
    int n;
    int start[MAX_SLOTS], count[MAX_SLOTS];
};

static void add_taken(cn_date day, int start, int count, void *ctx)
{
    (void)day;
    struct taken *t = ctx;
    if (t->n < MAX_SLOTS) {
        t->start[t->n] = start;
        t->count[t->n++] = count;
    }
}

static int taken_at(const struct taken *t, int start)
{
    for (int i = 0; i < t->n; i++)
        if (t->start[i] == start)
            return t->count[i];
    return 0;
}

/* Seats taken and staff's changes for one day at the office. */
static bool load_day(struct sreq *r, const struct office *o, cn_date day, struct taken *t,
                     struct slot_changes *ch)
{
    struct cn_err err = {0};
    t->n = 0;
    if (store_booking_taken(r->bs, o->id, day, day, add_taken, t, &err) ||
        store_staff_changes(r->db, o->id, day, day, ch, &err)) {
        fail_page(r, &err);
        return false;
    }
    return true;
}

static const struct office *caller_office(const struct caller *c, const char *id)
{
    for (int i = 0; id && i < c->n_offices; i++)
        if (strcmp(c->offices[i]->id, id) == 0)
            return c->offices[i];
    return NULL;
}

static void phone_choose(struct sreq *r, const struct caller *c, const struct office *o,
                         cn_date day, const char *error)
{
    struct html *h = &r->out->body;
    begin(r, "電話予約：日時の選択", error != NULL);
    if (error) {
        const struct page_error e = {"phone-office", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<h1>電話予約</h1>\n");
    caller_summary(r, c);
    if (c->has_active) {
        char ref[BOOKING_REF_LEN], id[24];
        booking_ref(c->active.id, ref);
        snprintf(id, sizeof id, "%lld", (long long)c->active.id);
        page_form_post(h, "/staff/phone", r->s.csrf);
        caller_fields(h, c);
        html_f(h,
               "<input type=\"hidden\" name=\"step\" value=\"cancel\"><input type=\"hidden\" "
               "name=\"id\" value=\"%s\">",
               id);
        page_button(h, "今の予約を取り消す", true);
        html_raw(h, "</form>\n");
    }
    if (c->n_offices == 0) {
        html_raw(h, "<p>この方は、この職員IDで予約できる窓口がありません（予約不要の地区か、"
                    "ほかの窓口の予約です）。</p>\n");
        end(r);
        return;
    }
    html_f(h, "<h2>%s</h2>\n", c->has_active ? "予約を変更する" : "予約する");
    page_form_post(h, "/staff/phone", r->s.csrf);
    caller_fields(h, c);
    html_raw(h, "<input type=\"hidden\" name=\"step\" value=\"day\">\n");
    html_raw(h, "<div class=\"field\"><label for=\"phone-office\">窓口</label>"
                "<select id=\"phone-office\" name=\"office\">");
    for (int i = 0; i < c->n_offices; i++)
        html_f(h, "<option value=\"%s\"%s>%s</option>", c->offices[i]->id,
               c->offices[i] == o ? " selected" : "", c->offices[i]->name);
    html_raw(h, "</select></div>\n");
    date_field(h, "phone-date", "date", "来庁する日", day);
    page_button(h, "空いている時間を見る", false);
    html_raw(h, "</form>\n");
    if (o && day != DATE_NONE) {
        struct taken t;
        struct slot_changes ch;
        if (!load_day(r, o, day, &t, &ch))
            return;
        int starts[MAX_SLOTS];
        const int n = slots_of_day(&o->calendar, &o->booking, day, starts, MAX_SLOTS);
        const struct slot_resident res = {c->window.start, c->window.end, c->res.letter_date};
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
        for (int i = 0; i < n; i++) {
            const struct slot_time st = {day, starts[i]};
            const int taken = taken_at(&t, starts[i]);
            const enum slot_verdict v =
                slots_check_changed(&o->calendar, &o->booking, &ch, &res, r->at, st, taken);
            const int seats = slots_seats(&o->booking, &ch, day, starts[i]);
            char id[24], hhmm[6], hint[48];
            snprintf(id, sizeof id, "slot-%d", i);
            slots_format_hhmm(starts[i], hhmm);
            if (v == SLOT_OK)
                snprintf(hint, sizeof hint, "残り%d人", seats - taken);
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
            page_button(h, c->has_active ? "この時間に変更する" : "この時間で予約する", false);
        else
            html_raw(h, "<p>この日は予約できる時間がありません。</p>\n");
        html_raw(h, "</form>\n");
    }
    end(r);
}

static void phone_book(struct sreq *r, const struct caller *c)
{
    const struct office *o = caller_office(c, webform_get(&r->in->form, "office"));
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
    struct taken t;
    struct slot_changes ch;
    if (!load_day(r, o, day, &t, &ch))
        return;
    const struct slot_resident res = {c->window.start, c->window.end, c->res.letter_date};
    const struct slot_time st = {day, start};
    /* The caller's own booking does not count against the slot it moves within. */
    int taken = taken_at(&t, start);
    if (c->has_active && c->active.day == day && c->active.start_min == start &&
        strcmp(c->active.office, o->id) == 0)
        taken--;
    const enum slot_verdict v =
        slots_check_changed(&o->calendar, &o->booking, &ch, &res, r->at, st, taken);
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
                             .seats = slots_seats(&o->booking, &ch, day, start),
                             .slot_min = o->booking.slot_min,
                             .replace_id = c->has_active ? c->active.id : 0};
    struct booking b;
    enum take_result tr;
    struct cn_err err = {0};
    if (store_booking_take(r->bs, &q, &b, &tr, &err)) {
        fail_page(r, &err);
        return;
    }
    if (tr != TAKE_OK) {
        phone_choose(r, c, o, day, "その時間は、たった今ほかの予約で満席になりました");
        return;
    }
    char ref[BOOKING_REF_LEN], detail[128], hhmm[6], label[64];
    booking_ref(b.id, ref);
    slots_format_hhmm(start, hhmm);
    snprintf(detail, sizeof detail, "%s %s %s %s %s", ref, c->rid, o->id, ds, hhmm);
    audit(r, r->s.staff, c->has_active ? "phone change" : "phone book", detail);
    struct html *h = &r->out->body;
    fmt_day(day, label, sizeof label);
    begin(r, "電話予約：完了", false);
    html_raw(h, "<div class=\"panel\"><h1>予約しました</h1>");
    html_f(h, "<p>予約番号<br><span class=\"ref\">%s</span></p></div>\n", ref);
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, "窓口", o->name, NULL, NULL);
    page_summary_row(h, "日付", label, NULL, NULL);
    page_summary_row(h, "時間", hhmm, NULL, NULL);
    html_raw(h, "</dl>\n<p>予約番号と日時を、電話の相手に読み上げてください。</p>\n"
                "<p><a href=\"/staff/phone\">次の電話へ</a></p>\n");
    end(r);
}

static void phone_cancel(struct sreq *r, const struct caller *c)
{
    const char *id = webform_get(&r->in->form, "id");
    if (!c->has_active || !id || strtoll(id, NULL, 10) != c->active.id ||
        !may_office(r, c->active.office)) {
        status_page(r, c->has_active && !may_office(r, c->active.office) ? 403 : 400);
        return;
    }
    bool done = false;
    struct cn_err err = {0};
    if (store_booking_cancel(r->bs, c->rid, c->active.id, &done, &err)) {
        fail_page(r, &err);
        return;
    }
    char ref[BOOKING_REF_LEN], detail[96];
    booking_ref(c->active.id, ref);
    snprintf(detail, sizeof detail, "%s %s", ref, c->rid);
    if (done)
        audit(r, r->s.staff, "phone cancel", detail);
    struct html *h = &r->out->body;
    begin(r, "電話予約：取り消し", false);
    html_f(h, "<h1>予約 %s を取り消しました</h1>\n", ref);
    html_raw(h, "<p><a href=\"/staff/phone\">次の電話へ</a></p>\n");
    end(r);
}

static void page_phone(struct sreq *r, bool post)
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
        const struct office *o = caller_office(&c, webform_get(&r->in->form, "office"));
        const char *ds = webform_get(&r->in->form, "date");
        cn_date day = DATE_NONE;
        if (step && strcmp(step, "day") == 0 && (!ds || !date_parse_iso(ds, &day))) {
            phone_choose(&*r, &c, o, DATE_NONE, "来庁する日を 2027-01-12 の形で入力してください");
            return;
        }
        phone_choose(r, &c, o ? o : (c.n_offices ? c.offices[0] : NULL), day, NULL);
    }
}

/* ---- closures and seats ---- */

static int closure_row(const struct closure_row *c, void *ctx)
{
    struct sreq *r = ctx;
    r->rows++;
    char day[64], a[6], b[6];
    fmt_day(c->day, day, sizeof day);
    slots_format_hhmm(c->from_min, a);
    if (c->to_min >= 24 * 60)
        snprintf(b, sizeof b, "24:00");
    else
        slots_format_hhmm(c->to_min, b);
    html_f(&r->out->body, "<tr><td>%s</td><td>%s〜%s</td><td>%s</td><td>%s</td></tr>\n", day, a, b,
           c->reason, c->by);
    return 0;
}

static int hit_row(const struct hit_row *x, void *ctx)
{
    struct sreq *r = ctx;
    r->rows++;
    char day[64], hhmm[6], rid[RID_DISPLAY_LEN + 1], ref[BOOKING_REF_LEN];
    fmt_day(x->day, day, sizeof day);
    slots_format_hhmm(x->start_min, hhmm);
    rid_display(x->rid, rid);
    booking_ref(x->booking_id, ref);
    html_f(&r->out->body,
           "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"rid\">%s</td><td>%s</td></tr>\n", day,
           hhmm, ref, rid, x->reason);
    return 0;
}

static void page_closures(struct sreq *r, const char *office, const char *error, const char *done)
{
    const struct office *o = page_office(r, office);
    if (!o)
        return;
    struct html *h = &r->out->body;
    begin(r, "休止・定員", error != NULL);
    if (error) {
        const struct page_error e = {"close-date", error};
        page_error_summary(h, &e, 1);
    }
    html_f(h, "<h1>休止・定員：%s</h1>\n", o->name);
    if (done)
        html_f(h, "<div class=\"notice\" role=\"status\"><p>%s</p></div>\n", done);
    html_raw(h, "<form method=\"get\" action=\"/staff/closures\" class=\"inline\">\n");
    office_select(r, "closures-office", o);
    page_button(h, "表示", false);
    html_raw(h, "</form>\n");

    html_raw(h, "<h2>連絡が必要な予約</h2>\n<p>休止にかかった予約です。予約は消さずに残して"
                "あります。電話で日時の変更をお願いしてください。</p>\n"
                "<table class=\"daylist\"><thead><tr><th scope=\"col\">日付</th>"
                "<th scope=\"col\">時間</th><th scope=\"col\">予約番号</th>"
                "<th scope=\"col\">予約ID</th><th scope=\"col\">理由</th></tr></thead><tbody>\n");
    struct cn_err err = {0};
    r->rows = 0;
    if (store_staff_each_hit(r->db, o->id, r->at.day, hit_row, r, &err)) {
        fail_page(r, &err);
        return;
    }
    if (!r->rows)
        html_raw(h, "<tr><td colspan=\"5\">ありません</td></tr>\n");
    html_raw(h, "</tbody></table>\n");

    html_raw(h, "<h2>休止</h2>\n<table class=\"daylist\"><thead><tr><th scope=\"col\">日付</th>"
                "<th scope=\"col\">時間</th><th scope=\"col\">理由</th>"
                "<th scope=\"col\">登録者</th></tr></thead><tbody>\n");
    r->rows = 0;
    if (store_staff_each_closure(r->db, o->id, r->at.day, closure_row, r, &err)) {
        fail_page(r, &err);
        return;
    }
    if (!r->rows)
        html_raw(h, "<tr><td colspan=\"4\">ありません</td></tr>\n");
    html_raw(h, "</tbody></table>\n");

    html_raw(h, "<h2>休止を登録する</h2>\n");
    page_form_post(h, "/staff/close", r->s.csrf);
    html_f(h, "<input type=\"hidden\" name=\"office\" value=\"%s\">\n", o->id);
    date_field(h, "close-date", "date", "日付", DATE_NONE);
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
    date_field(h, "seats-first", "first", "最初の日", DATE_NONE);
    date_field(h, "seats-last", "last", "最後の日", DATE_NONE);
    html_f(h,
           "<div class=\"field\"><label for=\"seats\">1枠の人数（設定では %d）</label>"
           "<input id=\"seats\" name=\"seats\" type=\"text\" inputmode=\"numeric\"></div>\n",
           o->booking.seats);
    page_button(h, "定員を変える", false);
    html_raw(h, "</form>\n");
    end(r);
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

static void do_close(struct sreq *r)
{
    const char *office = webform_get(&r->in->form, "office");
    const struct office *o = page_office(r, office);
    if (!o)
        return;
    const char *ds = webform_get(&r->in->form, "date");
    const char *reason = webform_get(&r->in->form, "reason");
    cn_date day;
    int from, to;
    if (!ds || !date_parse_iso(ds, &day)) {
        page_closures(r, o->id, "日付を 2027-01-12 の形で入力してください", NULL);
        return;
    }
    if (!parse_time_or_empty(webform_get(&r->in->form, "from"), 0, &from) ||
        !parse_time_or_empty(webform_get(&r->in->form, "to"), 24 * 60, &to) || to <= from) {
        page_closures(r, o->id, "時間を 10:00 の形で、終了を開始より後に入力してください", NULL);
        return;
    }
    if (!reason || !reason[0]) {
        page_closures(r, o->id, "理由を入力してください", NULL);
        return;
    }
    int64_t id = 0;
    int hit = 0;
    struct cn_err err = {0};
    if (store_staff_close(r->db, o->id, day, from, to, o->booking.slot_min, reason, r->s.staff, &id,
                          &hit, &err)) {
        fail_page(r, &err);
        return;
    }
    char detail[160], a[6], b[6], msg[160];
    slots_format_hhmm(from, a);
    if (to >= 24 * 60)
        snprintf(b, sizeof b, "24:00");
    else
        slots_format_hhmm(to, b);
    snprintf(detail, sizeof detail, "%s %s %s-%s hits %d", o->id, ds, a, b, hit);
    audit(r, r->s.staff, "closure", detail);
    snprintf(msg, sizeof msg,
             "休止を登録しました。かかった予約 %d 件を下の一覧から連絡してください。", hit);
    page_closures(r, o->id, NULL, msg);
}

static void do_seats(struct sreq *r)
{
    const struct office *o = page_office(r, webform_get(&r->in->form, "office"));
    if (!o)
        return;
    const char *fs = webform_get(&r->in->form, "first"), *ls = webform_get(&r->in->form, "last");
    const char *ns = webform_get(&r->in->form, "seats");
    cn_date first, last;
    char *endp = NULL;
    const long seats = ns && ns[0] ? strtol(ns, &endp, 10) : -1;
    if (!fs || !ls || !date_parse_iso(fs, &first) || !date_parse_iso(ls, &last) || last < first ||
        last - first > 366) {
        page_closures(r, o->id, "最初の日と最後の日を 2027-01-12 の形で入力してください", NULL);
        return;
    }
    if (seats < 0 || seats > 99 || !endp || *endp) {
        page_closures(r, o->id, "人数を 0 から 99 の数字で入力してください", NULL);
        return;
    }
    struct cn_err err = {0};
    if (store_staff_set_seats(r->db, o->id, first, last, (int)seats, r->s.staff, &err)) {
        fail_page(r, &err);
        return;
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%s %s..%s seats %ld", o->id, fs, ls, seats);
    audit(r, r->s.staff, "capacity", detail);
    page_closures(r, o->id, NULL, "定員を変えました。");
}

/* ---- the counter-demand forecast (issue 17): counts only, every account may see it ---- */

static void page_forecast(struct sreq *r)
{
    struct cn_err err = {0};
    begin(r, "来庁予測", false);
    struct html *h = &r->out->body;
    html_raw(h, "<h1>来庁予測と予約席数</h1>\n<p class=\"hint\">窓口ごとに、週ごとの予想来庁者数"
                "（棒）と予約席数（線）。席数を超える週は濃い色と「超過」で示します。</p>\n");
    if (forecast_web_section(h, r->db, r->w->cfg, r->at.day, &err)) {
        fail_page(r, &err);
        return;
    }
    end(r);
}

/* ---- dispatch ---- */

static void route(struct sreq *r)
{
    const char *p = r->in->path;
    const bool post = strcmp(r->in->method, "POST") == 0;
    if (strcmp(p, "/staff/login") == 0) {
        if (post)
            do_login(r);
        else if (r->have_session)
            http_redirect(r->out, "/staff/day");
        else
            login_form(r, NULL, NULL);
        return;
    }
    if (!r->have_session) {
        if (post) {
            log_warn("staff", "POST refused: no session");
            status_page(r, 403);
        } else {
            http_redirect(r->out, "/staff/login");
        }
        return;
    }
    if (post && !secret_equal(webform_get(&r->in->form, "csrf"), r->s.csrf)) {
        log_warn("staff", "POST refused: missing or wrong CSRF token");
        status_page(r, 403);
        return;
    }
    if ((strcmp(p, "/staff") == 0 || strcmp(p, "/staff/") == 0) && !post)
        http_redirect(r->out, "/staff/day");
    else if (strcmp(p, "/staff/logout") == 0 && post)
        do_logout(r);
    else if (strcmp(p, "/staff/day") == 0 && !post)
        page_day(r, false);
    else if (strcmp(p, "/staff/day.csv") == 0 && !post)
        page_day(r, true);
    else if (strcmp(p, "/staff/mark") == 0 && post)
        do_mark(r);
    else if (strcmp(p, "/staff/phone") == 0)
        page_phone(r, post);
    else if (strcmp(p, "/staff/closures") == 0 && !post)
        page_closures(r, webform_get(&r->in->query, "office"), NULL, NULL);
    else if (strcmp(p, "/staff/close") == 0 && post)
        do_close(r);
    else if (strcmp(p, "/staff/seats") == 0 && post)
        do_seats(r);
    else if (strcmp(p, "/staff/forecast") == 0 && !post)
        page_forecast(r);
    else
        status_page(r, 404);
}

void staff_web_handle(void *ctx, const struct http_request *in, struct http_response *out)
{
    struct sreq r = {.w = ctx, .in = in, .out = out};
    const char *p = in->path;
    /* On the staff listener everything comes here: the stylesheet and a way in. */
    if (strcmp(p, "/style.css") == 0) {
        html_raw(&out->body, page_css);
        out->content_type = "text/css; charset=utf-8";
        return;
    }
    if (strcmp(p, "/") == 0) {
        http_redirect(out, "/staff/login");
        return;
    }
    if (strncmp(p, "/staff", 6) != 0 || (p[6] != '\0' && p[6] != '/')) {
        status_page(&r, 404);
        return;
    }
    booking_web_now(r.w->res, &r.now, &r.at);
    struct cn_err err = {0};
    r.bs = booking_web_store(r.w->res, &err);
    if (!r.bs) {
        fail_page(&r, &err);
        return;
    }
    r.db = store_booking_db(r.bs);
    const char *token = http_cookie(in, COOKIE);
    if (token && strlen(token) == SECRET_TOKEN_LEN) {
        char digest[SECRET_TOKEN_LEN + 1];
        secret_token_digest(token, digest);
        if (store_staff_session_get(r.db, digest, r.now, STAFF_IDLE, &r.s, &r.have_session, &err)) {
            r.have_session = false;
            fail_page(&r, &err);
        }
    }
    if (!err.msg[0])
        route(&r);
    booking_web_release(r.w->res, r.bs);
    /* no query string, no names: the path and the account only */
    log_info("staff", "%s %.60s status=%d staff=%s", in->method, p, out->status,
             r.have_session ? r.s.staff : "-");
}
