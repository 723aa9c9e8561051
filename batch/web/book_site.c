#include "book_site.h"

#include <stdio.h>
#include <string.h>

#include "book_req.h"
#include "log.h"
#include "web_format.h"
#include "web_verify.h"

void book_error_page(void *ctx, int status, struct http_response *res)
{
    const struct config *cfg = web_runtime_config(ctx);
    page_status(&res->body, cfg->municipality, status, cfg->booking_phone, cfg->booking_hours);
}

static bool csrf_ok(struct req *r)
{
    return r->have_session && session_csrf_ok(&r->s, webform_get(&r->in->form, "csrf"));
}

static void route(struct req *r)
{
    const char *p = r->in->path;
    const bool post = strcmp(r->in->method, "POST") == 0;
    if (post && !csrf_ok(r)) {
        log_warn("serve", "POST refused: missing or wrong CSRF token");
        book_status(r, 403);
        return;
    }
    if (strcmp(p, "/style.css") == 0 && !post) {
        html_raw(&r->out->body, page_css);
        r->out->content_type = "text/css; charset=utf-8";
    } else if (strcmp(p, "/") == 0 && !post)
        book_page_id_form(r, NULL, NULL);
    else if (strcmp(p, "/R") == 0 && !post)
        book_page_find(r);
    else if (strncmp(p, "/R/", 3) == 0 && p[3] && !post)
        book_page_start(r, p + 3);
    else if (strcmp(p, "/birthday") == 0)
        book_page_birthday(r, post);
    else if (strcmp(p, "/office") == 0)
        book_page_office(r, post);
    else if (strcmp(p, "/date") == 0)
        book_page_date(r, post);
    else if (strcmp(p, "/slot") == 0)
        book_page_slot(r, post);
    else if (strcmp(p, "/check") == 0)
        book_page_check(r, post);
    else if (strcmp(p, "/done") == 0 && !post)
        book_page_done(r, false);
    else if (strcmp(p, "/print") == 0 && !post)
        book_page_done(r, true);
    else if (strcmp(p, "/booking.ics") == 0 && !post)
        book_page_ics(r);
    else if (strcmp(p, "/cancel") == 0)
        book_page_cancel(r, post);
    else
        book_status(r, 404);
}

/* A code of an offered language, exactly as lang_code writes it, or false. */
static bool offered(const struct config *cfg, const char *code, enum lang *out)
{
    return code && lang_parse(code, out) && strcmp(code, lang_code(*out)) == 0 &&
           (cfg->languages & (1u << *out));
}

/* The pages' language: a language link (?lang=CODE, remembered in a session cookie,
 * Secure as the session's own: see book_set_cookie), the cookie, else the browser's Accept-Language
 * among the offered ones, else Japanese. */
static enum lang request_lang(struct req *r)
{
    enum lang l;
    const char *chosen = webform_get(&r->in->query, "lang");
    if (offered(r->cfg, chosen, &l)) {
        snprintf(r->out->set_cookie2, sizeof r->out->set_cookie2,
                 BOOK_LANG_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Secure", lang_code(l));
        return l;
    }
    if (offered(r->cfg, http_cookie(r->in, BOOK_LANG_COOKIE), &l))
        return l;
    return lang_negotiate(http_header(r->in, "Accept-Language"), r->cfg->languages, LANG_JA);
}

void book_handle(void *ctx, const struct http_request *in, struct http_response *out)
{
    struct req r = {.rt = ctx, .in = in, .out = out};
    r.cfg = web_runtime_config(r.rt);
    r.lang = request_lang(&r);
    r.pl = (struct page_lang){r.lang, web_runtime_texts(r.rt), r.cfg->languages};
    page_lang_set(&r.pl);
    web_runtime_now(r.rt, &r.now, &r.at);
    const char *token = http_cookie(in, BOOK_COOKIE);
    char id_prefix[VERIFY_KEY_MAX], client[VERIFY_KEY_MAX];
    r.have_session = token && session_read(web_runtime_sessions(r.rt), token, r.now, &r.s, &r.facts,
                                           book_birthday_locks(&r, id_prefix, client));
    struct cn_err err = {0};
    r.bs = web_runtime_store(r.rt, &err);
    if (!r.bs)
        book_fail(&r, &err);
    else
        route(&r);
    /* A session made by this request and not saved by its page is stored now: the page's
     * form carries its CSRF token, which the next request must find. */
    if (r.have_session && r.s.unstored)
        book_save(&r);
    if (r.bs)
        web_runtime_release(r.rt, r.bs);
    page_lang_set(NULL);
    /* The path may carry a reservation ID: the log gets its first four symbols only. */
    char shown[64];
    if (strncmp(in->path, "/R/", 3) == 0) {
        char masked[16];
        web_mask_rid(in->path + 3, masked);
        snprintf(shown, sizeof shown, "/R/%s", masked);
    } else {
        snprintf(shown, sizeof shown, "%.60s", in->path);
    }
    log_info("serve", "%s %s status=%d", in->method, shown, out->status);
}
