/* /staff/login and /staff/logout: the counter's accounts, with the lockouts per account
 * and per client (web_verify.h) and a double-submit CSRF token before there is a session. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "secret.h"
#include "staff_req.h"
#include "web_verify.h"

void staff_login_form(struct sreq *r, const char *name, const char *error)
{
    char token[SECRET_TOKEN_LEN + 1];
    struct cn_err err = {0};
    if (secret_token(token, &err)) {
        staff_fail(r, &err);
        return;
    }
    /* Before a session there is no server-side token: the form's token must equal this
     * cookie's, which only this site can set (double submit). */
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie,
             STAFF_LOGIN_COOKIE "=%s" STAFF_COOKIE_ATTRS, token);
    struct html *h = &r->out->body;
    staff_begin(r, "ログイン", error != NULL);
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
    staff_end(r);
}

/* Whether the client, or the account (NULL: a name that cannot exist), is locked: one read.
 * true with *until 0: the read failed (a page sent). */
static bool locked(struct sreq *r, const char *ip, const char *acc, int64_t *until)
{
    int64_t ip_until = 0, acc_until = 0;
    struct cn_err err = {0};
    if (verify_locked(r->bs, ip, acc, r->now, &ip_until, &acc_until, &err)) {
        staff_fail(r, &err);
        *until = 0;
        return true;
    }
    *until = ip_until ? ip_until : acc_until;
    return *until != 0;
}

static void locked_page(struct sreq *r, const char *name)
{
    r->out->status = 429;
    html_free(&r->out->body);
    struct html *h = &r->out->body;
    staff_begin(r, "ログインできません", false);
    html_raw(h, "<h1>ログインできません</h1>\n");
    html_f(h,
           "<p>パスワードを続けて間違えたため、職員ID %s はしばらくログインできません（%d分）。"
           "急ぐときは管理者に連絡してください。</p>\n",
           name, VERIFY_STAFF_LOCK_SECONDS / 60);
    staff_end(r);
}

/* A wrong password: its attempts were counted before the check. */
static void wrong_password(struct sreq *r, const char *name, bool name_ok,
                           const struct verify_try *acc, const struct verify_try *ip)
{
    char detail[64];
    snprintf(detail, sizeof detail, "try %d%s", acc->count, acc->until ? ", locked" : "");
    staff_audit(r, name_ok ? name : "?", "login failed", detail);
    log_warn("staff", "login failed tries=%d client_tries=%d", acc->count, ip->count);
    if (acc->until || ip->until) {
        locked_page(r, name_ok ? name : "?");
        return;
    }
    staff_login_form(r, name, "職員IDかパスワードが正しくありません");
}

/* The right password: a new session, its token in the cookie and only its digest stored. */
static void logged_in(struct sreq *r, const char *name, const struct verify_try *acc,
                      const struct verify_try *ip)
{
    char token[SECRET_TOKEN_LEN + 1];
    struct staff_session ss;
    memset(&ss, 0, sizeof ss);
    struct cn_err err = {0};
    /* the account's count starts again; the client's attempt was no guess */
    if (verify_settle(r->bs, acc->key, ip, &err) || secret_token(token, &err) ||
        secret_token(ss.csrf, &err)) {
        staff_fail(r, &err);
        return;
    }
    secret_token_digest(token, ss.digest);
    snprintf(ss.staff, sizeof ss.staff, "%s", name);
    ss.last_seen = r->now;
    if (store_staff_session_new(r->db, &ss, &err)) {
        staff_fail(r, &err);
        return;
    }
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie, STAFF_COOKIE "=%s" STAFF_COOKIE_ATTRS,
             token);
    explicit_bzero(token, sizeof token);
    staff_audit(r, name, "login", "");
    log_info("staff", "login ok");
    http_redirect(r->out, "/staff/day");
}

void staff_do_login(struct sreq *r)
{
    /* Both well-formed tokens of the right length: an empty cookie and an empty field are
     * not a match. */
    const char *typed = webform_get(&r->in->form, "csrf");
    if (!secret_token_equal(typed, http_cookie(r->in, STAFF_LOGIN_COOKIE), SECRET_TOKEN_LEN)) {
        log_warn("staff", "login refused: missing or wrong CSRF token");
        staff_status(r, 403);
        return;
    }
    const char *name = webform_get(&r->in->form, "name");
    const char *pw = webform_get(&r->in->form, "password");
    if (!name || !pw || !name[0] || !pw[0]) {
        staff_login_form(r, name, "職員IDとパスワードを入力してください");
        return;
    }
    const bool name_ok = staff_name_ok(name);
    struct verify_try acc = {.lim = &verify_staff_limit}, ip = {.lim = &verify_staff_client_limit};
    verify_key("staff", name_ok ? name : "?", acc.key);
    verify_client_key("staffip", r->in->client, ip.key);
    int64_t until = 0;
    if (locked(r, ip.key, name_ok ? acc.key : NULL, &until)) {
        if (until) {
            staff_audit(r, name_ok ? name : "?", "login locked", "");
            locked_page(r, name_ok ? name : "?");
        }
        return;
    }
    /* Counted before the password is checked, both keys in one statement: logins in
     * parallel check at most the tries between them, and a lock written by one is seen by
     * the next (a name that cannot exist is counted, never refused, on its own key). */
    struct cn_err err = {0};
    if (verify_attempts(r->bs, &acc, &ip, r->now, &err)) {
        staff_fail(r, &err);
        return;
    }
    if (!ip.allowed || (name_ok && !acc.allowed)) {
        if (ip.allowed && verify_refund(r->bs, &ip, &err))
            log_error("staff", "%s", err.msg);
        if (acc.allowed && verify_refund(r->bs, &acc, &err))
            log_error("staff", "%s", err.msg);
        staff_audit(r, name_ok ? name : "?", "login locked", "");
        locked_page(r, name_ok ? name : "?");
        return;
    }
    struct staff_account a;
    bool found = false;
    if (name_ok && store_staff_get(r->db, name, &a, &found, &err)) {
        staff_fail(r, &err);
        return;
    }
    bool right = false;
    if (found)
        right = secret_check_password(a.hash, pw);
    else
        secret_burn_check(pw); /* the same time for a name that does not exist */
    explicit_bzero(a.hash, sizeof a.hash);
    if (right)
        logged_in(r, name, &acc, &ip);
    else
        wrong_password(r, name, name_ok, &acc, &ip);
}

void staff_do_logout(struct sreq *r)
{
    struct cn_err err = {0};
    if (store_staff_session_end(r->db, r->s.digest, &err)) {
        staff_fail(r, &err);
        return;
    }
    staff_audit(r, r->s.staff, "logout", "");
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie,
             STAFF_COOKIE "=; Max-Age=0" STAFF_COOKIE_ATTRS);
    http_redirect(r->out, "/staff/login");
}
