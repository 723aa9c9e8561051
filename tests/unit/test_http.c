/* Tests for http through its in-process harness: who the client is (X-Forwarded-For only
 * from the trusted proxy), the limits (405, 413, 431), decoding refused whole (400), the
 * request's head (framing, Host), and what reaches the handler. Table tests; no socket
 * (tests/e2e/http_edges.sh sends the same over one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

/* Echoes what the handler was given: "client https method path query-a form-a cookie". */
static void echo(void *ctx, const struct http_request *req, struct http_response *res)
{
    (void)ctx;
    const char *qa = webform_get(&req->query, "a"), *fa = webform_get(&req->form, "a"),
               *c = http_cookie(req, "cn_sid");
    html_f(&res->body, "%s %d %s %s %s %s %s", req->client, req->https ? 1 : 0, req->method,
           req->path, qa ? qa : "-", fa ? fa : "-", c ? c : "-");
}

static void error_page(void *ctx, int status, struct http_response *res)
{
    (void)ctx;
    html_f(&res->body, "error %d", status);
}

struct run {
    const char *method, *target, *h1, *h2, *body, *peer;
    int status;
    const char *want;
};

/* One request through the harness: up to three "Name: value" headers (NULL for none). */
static void run_one(const struct http_limits *limits, size_t i, const char *method,
                    const char *target, const char *const hs[3], const char *body, const char *peer,
                    const char *version, int status, const char *want)
{
    struct http_field headers[4];
    int nh = 0;
    char names[3][64];
    for (int k = 0; k < 3; k++) {
        if (!hs[k])
            continue;
        const char *colon = strchr(hs[k], ':');
        snprintf(names[k], sizeof names[k], "%.*s", (int)(colon - hs[k]), hs[k]);
        headers[nh++] = (struct http_field){names[k], colon[1] == ' ' ? colon + 2 : colon + 1};
    }
    if (body)
        headers[nh++] = (struct http_field){"Content-Type", "application/x-www-form-urlencoded"};
    const struct http_harness_request in = {.method = method,
                                            .target = target,
                                            .headers = headers,
                                            .n_headers = nh,
                                            .body = body,
                                            .body_len = body ? strlen(body) : 0,
                                            .peer = peer,
                                            .version = version};
    struct http_response res;
    http_harness(limits, echo, NULL, error_page, NULL, &in, &res);
    const char *got = strbuf_str(&res.body.sb);
    if (res.status != status || strcmp(got, want) != 0)
        fail_msg("case %zu (%s %s): %d '%s', wanted %d '%s'", i, method, target, res.status, got,
                 status, want);
    html_free(&res.body);
}

static void run_cases(const struct http_limits *limits, const struct run *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *const hs[3] = {cases[i].h1, cases[i].h2, NULL};
        run_one(limits, i, cases[i].method, cases[i].target, hs, cases[i].body, cases[i].peer, NULL,
                cases[i].status, cases[i].want);
    }
}

static void client_address(void **state)
{
    (void)state;
    struct http_limits limits = http_default_limits();
    snprintf(limits.trusted_proxy, sizeof limits.trusted_proxy, "127.0.0.1");
    static const struct run cases[] = {
        {"GET", "/", NULL, NULL, NULL, "192.0.2.1", 200, "192.0.2.1 0 GET / - - -"},
        /* an untrusted peer's headers are nothing */
        {"GET", "/", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-Proto: https", NULL, "192.0.2.1",
         200, "192.0.2.1 0 GET / - - -"},
        /* the proxy's: the last address, the one it saw */
        {"GET", "/", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-Proto: https", NULL, "127.0.0.1",
         200, "198.51.100.1 1 GET / - - -"},
        {"GET", "/", "X-Forwarded-For: 10.0.0.1, 198.51.100.1", NULL, NULL, "127.0.0.1", 200,
         "198.51.100.1 0 GET / - - -"},
        {"GET", "/", "X-Forwarded-For: 198.51.100.1", "x-forwarded-for: 198.51.100.2 ", NULL,
         "127.0.0.1", 200, "198.51.100.2 0 GET / - - -"},
        {"GET", "/", "X-Forwarded-For: 2001:db8::1", NULL, NULL, "127.0.0.1", 200,
         "2001:db8::1 0 GET / - - -"},
        /* not an address: the proxy's own stays */
        {"GET", "/", "X-Forwarded-For: evil", NULL, NULL, "127.0.0.1", 200,
         "127.0.0.1 0 GET / - - -"},
        {"GET", "/", "X-Forwarded-For: 010.0.0.1", NULL, NULL, "127.0.0.1", 200,
         "127.0.0.1 0 GET / - - -"},
        {"GET", "/", "X-Forwarded-For: 198.51.100.1", NULL, NULL, "127.0.0.2", 200,
         "127.0.0.2 0 GET / - - -"},
    };
    run_cases(&limits, cases, sizeof cases / sizeof cases[0]);
    /* no proxy named: nobody's headers count, not even loopback's */
    limits.trusted_proxy[0] = '\0';
    static const struct run untrusted[] = {
        {"GET", "/", "X-Forwarded-For: 198.51.100.1", "X-Forwarded-Proto: https", NULL, "127.0.0.1",
         200, "127.0.0.1 0 GET / - - -"},
    };
    run_cases(&limits, untrusted, 1);
}

static void decoding_and_limits(void **state)
{
    (void)state;
    struct http_limits limits = http_default_limits();
    limits.max_header = 200;
    limits.max_body = 64;
    static const struct run cases[] = {
        {"GET", "/R/AB%43?a=%E6%9C%88", NULL, NULL, NULL, "p", 200, "p 0 GET /R/ABC 月 - -"},
        {"HEAD", "/x", NULL, NULL, NULL, "p", 200, "p 0 GET /x - - -"},
        {"POST", "/f?a=1", "Cookie: x=1; cn_sid=tok", NULL, "a=2", "p", 200, "p 0 POST /f 1 2 tok"},
        {"PUT", "/", NULL, NULL, NULL, "p", 405, "error 405"},
        {"GET", "/%zz", NULL, NULL, NULL, "p", 400, "error 400"},
        {"GET", "/?a=1&a=2", NULL, NULL, NULL, "p", 400, "error 400"},
        {"GET", "x", NULL, NULL, NULL, "p", 400, "error 400"},
        {"POST", "/", NULL, NULL, "a=%FF", "p", 400, "error 400"},
        {"POST", "/", "Content-Type: text/plain", NULL, NULL, "p", 400, "error 400"},
        {"POST", "/", NULL, NULL,
         "a=0123456789012345678901234567890123456789012345678901234567890123456789", "p", 413,
         "error 413"},
        {"GET", "/",
         "X-Pad: 01234567890123456789012345678901234567890123456789012345678901234567"
         "89012345678901234567890123456789012345678901234567890123456789",
         "X-Pad2: 0123456789012345678901234567890123456789012345678901234567890123456789", NULL,
         "p", 431, "error 431"},
    };
    run_cases(&limits, cases, sizeof cases / sizeof cases[0]);
}

/* The request's head (issue 26): one framing of the body, never Content-Length and
 * Transfer-Encoding both (a proxy reading one and this service the other would serve a
 * smuggled request); HTTP/1.1 needs one Host; a %00 in the path is refused, not cut. */
static void request_head(void **state)
{
    (void)state;
    const struct http_limits limits = http_default_limits();
    static const struct {
        const char *method, *target, *h[3], *version;
        int status;
    } cases[] = {
        {"GET", "/x", {"Host: a"}, "HTTP/1.1", 200},
        {"GET", "/x", {NULL}, "HTTP/1.0", 200},
        {"GET", "/x", {NULL}, "HTTP/1.1", 400},
        {"GET", "/x", {"Host: a", "Host: b"}, "HTTP/1.1", 400},
        {"GET", "/x", {"Host: a", "Host: b"}, "HTTP/1.0", 400},
        {"POST",
         "/x",
         {"Host: a", "Content-Length: 4", "Transfer-Encoding: chunked"},
         "HTTP/1.1",
         400},
        {"POST",
         "/x",
         {"Host: a", "transfer-encoding: chunked", "content-length: 0"},
         "HTTP/1.1",
         400},
        {"POST", "/x", {"Host: a", "Content-Length: 0", "Content-Length: 0"}, "HTTP/1.1", 400},
        {"POST",
         "/x",
         {"Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"},
         "HTTP/1.1",
         400},
        {"POST", "/x", {"Host: a", "Content-Length: 12abc"}, "HTTP/1.1", 400},
        {"POST", "/x", {"Host: a", "Content-Length: -1"}, "HTTP/1.1", 400},
        {"POST", "/x", {"Host: a", "Content-Length:"}, "HTTP/1.1", 400},
        {"GET", "/x", {"Host: a", "Content-Length: 0"}, "HTTP/1.1", 200},
        /* NUL: refused whole, never cut short to a path that exists */
        {"GET", "/style.css%00.html", {"Host: a"}, "HTTP/1.1", 400},
        {"GET", "/R/%00", {"Host: a"}, "HTTP/1.1", 400},
        {"GET", "/x?a=%00", {"Host: a"}, "HTTP/1.1", 400},
        {"GET", "/x%0d%0aSet-Cookie:%20a=b", {"Host: a"}, "HTTP/1.1", 400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_one(&limits, i, cases[i].method, cases[i].target, cases[i].h, NULL, "p",
                cases[i].version, cases[i].status,
                cases[i].status == 200 ? "p 0 GET /x - - -" : "error 400");
}

/* One set of limit defaults: the HTTP layer's are the config's, and a trusted proxy lifts
 * the per-address limit (every connection comes from it). */
static void limits_from_config(void **state)
{
    (void)state;
    const struct serve_limits *d = &serve_limits_default;
    const struct http_limits l = http_default_limits();
    assert_int_equal(l.threads, d->threads);
    assert_int_equal(l.connections, d->connections);
    assert_int_equal(l.per_ip, d->per_address);
    assert_int_equal(l.timeout, d->idle_timeout);
    assert_int_equal(l.request_timeout, d->request_timeout);
    assert_int_equal(l.max_header, d->max_header);
    assert_int_equal(l.max_body, d->max_body);
    assert_string_equal(l.trusted_proxy, "");
    struct serve_limits own = *d;
    own.connections = 100;
    own.per_address = 3;
    own.threads = 4;
    const struct http_limits p = http_limits_of(&own, "10.0.0.1");
    assert_int_equal(p.threads, 4);
    assert_string_equal(p.trusted_proxy, "10.0.0.1");
    assert_int_equal(p.per_ip, 100);
    assert_int_equal(http_limits_of(&own, NULL).per_ip, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_address),
        cmocka_unit_test(decoding_and_limits),
        cmocka_unit_test(request_head),
        cmocka_unit_test(limits_from_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
