#include "staff_site.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "secret.h"
#include "staff_req.h"

/* /staff/forecast (issue 17): the forecast counts the registry's residents whose windows
 * open, which never cross the wall: it is made inside (certnotice forecast) and printed
 * there. The page says so rather than guess from the booking store. */
static void page_forecast(struct sreq *r)
{
    staff_begin(r, "来庁予測", false);
    html_raw(&r->out->body,
             "<h1>来庁予測と予約席数</h1>\n<p>来庁予測は住民記録をもとに庁内で作成します"
             "（certnotice forecast の forecast.pdf）。予約サイトには住民記録を置かないため、"
             "ここでは表示しません。</p>\n");
    staff_end(r);
}

static void route(struct sreq *r)
{
    const char *p = r->in->path;
    const bool post = strcmp(r->in->method, "POST") == 0;
    if (strcmp(p, "/staff/login") == 0) {
        if (post)
            staff_do_login(r);
        else if (r->have_session)
            http_redirect(r->out, "/staff/day");
        else
            staff_login_form(r, NULL, NULL);
        return;
    }
    if (!r->have_session) {
        if (post) {
            log_warn("staff", "POST refused: no session");
            staff_status(r, 403);
        } else {
            http_redirect(r->out, "/staff/login");
        }
        return;
    }
    if (post &&
        !secret_token_equal(webform_get(&r->in->form, "csrf"), r->s.csrf, SECRET_TOKEN_LEN)) {
        log_warn("staff", "POST refused: missing or wrong CSRF token");
        staff_status(r, 403);
        return;
    }
    if ((strcmp(p, "/staff") == 0 || strcmp(p, "/staff/") == 0) && !post)
        http_redirect(r->out, "/staff/day");
    else if (strcmp(p, "/staff/logout") == 0 && post)
        staff_do_logout(r);
    else if (strcmp(p, "/staff/day") == 0 && !post)
        staff_page_day(r, false);
    else if (strcmp(p, "/staff/day.csv") == 0 && !post)
        staff_page_day(r, true);
    else if (strcmp(p, "/staff/mark") == 0 && post)
        staff_do_mark(r);
    else if (strcmp(p, "/staff/phone") == 0)
        staff_page_phone(r, post);
    else if (strcmp(p, "/staff/closures") == 0 && !post)
        staff_page_closures(r, webform_get(&r->in->query, "office"), NULL, NULL);
    else if (strcmp(p, "/staff/close") == 0 && post)
        staff_do_close(r);
    else if (strcmp(p, "/staff/seats") == 0 && post)
        staff_do_seats(r);
    else if (strcmp(p, "/staff/forecast") == 0 && !post)
        page_forecast(r);
    else
        staff_status(r, 404);
}

void staff_handle(void *ctx, const struct http_request *in, struct http_response *out)
{
    struct sreq r = {.rt = ctx, .in = in, .out = out};
    r.cfg = web_runtime_config(r.rt);
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
        staff_status(&r, 404);
        return;
    }
    web_runtime_now(r.rt, &r.now, &r.at);
    struct cn_err err = {0};
    r.bs = web_runtime_store(r.rt, &err);
    if (!r.bs) {
        staff_fail(&r, &err);
        return;
    }
    r.db = store_booking_db(r.bs);
    const char *token = http_cookie(in, STAFF_COOKIE);
    if (token && strlen(token) == SECRET_TOKEN_LEN) {
        char digest[SECRET_TOKEN_LEN + 1];
        secret_token_digest(token, digest);
        static const struct staff_session_limits lim = {STAFF_IDLE, STAFF_LIFETIME};
        if (store_staff_session_get(r.db, digest, r.now, &lim, &r.s, &r.have_session, &err)) {
            r.have_session = false;
            staff_fail(&r, &err);
        }
    }
    if (!err.msg[0])
        route(&r);
    web_runtime_release(r.rt, r.bs);
    /* no query string, no names: the path and the account only */
    log_info("staff", "%s %.60s status=%d staff=%s", in->method, p, out->status,
             r.have_session ? r.s.staff : "-");
}
