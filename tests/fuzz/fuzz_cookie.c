/* fuzz_cookie: arbitrary bytes as a Cookie header, through webform_cookies, through the
 * HTTP layer's harness (http_cookie, as a page reads it), and the value as a session token
 * (session_get). Beyond "no crash": at most WEBFORM_MAX_FIELDS pairs, each name non-empty,
 * unique, without '=' or ';', each value clean and without ';'; the page sees the same
 * cn_sid the parser found; and no token but the session's own finds the session. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "session.h"
#include "webform.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct session_jar *jar;
static struct session live;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct cn_err err = {0};
    if (session_jar_new(16, 60, &jar, &err) || session_new(jar, 1000, &live, &err))
        abort();
    return 0;
}

struct seen {
    const char *want;
    bool called;
};

static void handler(void *ctx, const struct http_request *req, struct http_response *res)
{
    struct seen *s = ctx;
    const char *got = http_cookie(req, "cn_sid");
    s->called = true;
    if ((got == NULL) != (s->want == NULL) || (got && strcmp(got, s->want) != 0))
        abort();
    res->status = 200;
}

static void error_page(void *ctx, int status, struct http_response *res)
{
    (void)ctx;
    (void)status;
    html_raw(&res->body, "error");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (!header)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    struct webform f;
    const int n = webform_cookies(header, &f);
    if (n != f.n || n < 0 || n > WEBFORM_MAX_FIELDS)
        abort();
    for (int i = 0; i < n; i++) {
        if (!f.f[i].name[0] || strpbrk(f.f[i].name, "=;") || strchr(f.f[i].value, ';') ||
            !webform_text_ok(f.f[i].name) || !webform_text_ok(f.f[i].value))
            abort();
        for (int k = 0; k < i; k++)
            if (strcmp(f.f[k].name, f.f[i].name) == 0)
                abort();
    }
    /* through the HTTP layer, as a page reads the cookie */
    struct seen s = {webform_get(&f, "cn_sid"), false};
    const struct http_field headers[] = {{"Cookie", header}};
    const struct http_harness_request in = {"GET", "/", headers, 1, NULL, 0, "192.0.2.1", NULL};
    const struct http_limits limits = http_default_limits();
    struct http_response res;
    http_harness(&limits, handler, &s, error_page, NULL, &in, &res);
    if (!s.called && res.status != 431)
        abort();
    html_free(&res.body);
    /* the value as a session token: only the real one opens the session */
    struct session got;
    const char *token = s.want ? s.want : header;
    if (session_get(jar, token, 1001, &got) != (strcmp(token, live.token) == 0))
        abort();
    free(header);
    return 0;
}
