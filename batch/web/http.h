/* http: the web service's HTTP layer on libmicrohttpd: a thread pool with connection,
 * per-address, idle and whole-request timeouts, header and body size limits; form, query
 * and cookie decoding; the client's address (X-Forwarded-For from the trusted proxy only);
 * security headers on every response (HSTS too over TLS); 400/405/413/431 pages; every
 * connection's first head read by http_gate before libmicrohttpd; one decoding of the
 * target (NUL refused); and an in-process harness that runs a request through the same
 * checks without a socket. Must not know the pages
 * or the booking: routes belong to the handler it is given. */
#ifndef CN_HTTP_H
#define CN_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "err.h"
#include "html.h"
#include "http_head.h"
#include "webform.h"

#define HTTP_MAX_HEADERS 64
/* The longest decoded path: a longer one is refused (400). */
#define HTTP_PATH_MAX 2048

struct http_request {
    const char *method; /* "GET" (HEAD is served as GET) or "POST" */
    const char *path;   /* decoded, without the query */
    struct webform query;
    struct webform form;    /* a POST's urlencoded body; empty for GET */
    struct webform cookies; /* the Cookie header's pairs (webform_cookies) */
    char client[64];        /* the client's address (see http_limits.trusted_proxy) */
    bool https;             /* the proxy says the client came over TLS: cookies get Secure */
    struct http_field headers[HTTP_MAX_HEADERS]; /* as received */
    int n_headers;
};

struct http_response {
    int status;               /* 200 unless set */
    const char *content_type; /* text/html; charset=utf-8 unless set */
    struct html body;
    char location[512];    /* a redirect's target, sent as Location */
    char set_cookie[256];  /* one Set-Cookie value, or "" */
    char set_cookie2[96];  /* a second one (the residents' language), or "" */
    char disposition[128]; /* Content-Disposition, or "" */
};

struct http_limits {
    unsigned threads;     /* the pool: each thread serves many connections (epoll); one blocked on
                             the database stalls its share, so more threads than cores (8 on 2) */
    unsigned connections; /* open connections at once */
    unsigned per_ip;      /* open connections from one address (0: none) */
    unsigned timeout;     /* seconds a connection may stay idle: libmicrohttpd's default is never */
    unsigned request_timeout; /* seconds from a connection's start (or its last response) to a
                                 whole request: a client dripping bytes is cut off (0: none) */
    size_t max_header;        /* request line and headers larger than this get 431 */
    size_t max_body;          /* a larger request body gets 413 */
    /* The reverse proxy whose X-Forwarded-For / X-Forwarded-Proto are believed, as an IP
     * address; "" believes no one, and the connection's address is the client's. */
    char trusted_proxy[64];
};

/* The config's limits (<booking><limits>) as the HTTP layer applies them, with the pool's
 * size; behind a trusted proxy the per-address limit is lifted. */
struct http_limits http_limits_of(const struct serve_limits *sl, const char *trusted_proxy);
/* The same for the config's defaults (serve_limits_default), no proxy. */
struct http_limits http_default_limits(void);

/* Fills res for a request; called on the pool's threads, concurrently. */
typedef void (*http_handler)(void *ctx, const struct http_request *req, struct http_response *res);
/* Fills res with the page for an error status the HTTP layer decided (400, 405, 413). */
typedef void (*http_error_page)(void *ctx, int status, struct http_response *res);

struct http_server;

/* listen: "ADDR:PORT" (IPv4). */
int http_start(const char *listen, const struct http_limits *limits, http_handler handler,
               void *ctx, http_error_page error_page, void *error_ctx, struct http_server **out,
               struct cn_err *err);
void http_stop(struct http_server *srv);

/* One request without a socket (fuzzing and tests), through the same checks, decoding and
 * handler as one that came over the network. target: the path with its query, as sent;
 * headers: n of them; peer: the connection's address. res is filled as for the network
 * (the caller frees res->body). */
struct http_harness_request {
    const char *method, *target;
    const struct http_field *headers;
    int n_headers;
    const char *body;
    size_t body_len;
    const char *peer;
    const char *version; /* "HTTP/1.1" (Host required) or "HTTP/1.0"; NULL: no Host check */
};
void http_harness(const struct http_limits *limits, http_handler handler, void *ctx,
                  http_error_page error_page, void *error_ctx,
                  const struct http_harness_request *in, struct http_response *res);

/* A request header or cookie, or NULL. */
const char *http_header(const struct http_request *req, const char *name);
const char *http_cookie(const struct http_request *req, const char *name);

/* A table of handlers by path prefix, first match wins, for http_start's handler (with the
 * table as its ctx): the residents' pages under "/", the counter's under "/staff" (issue 13)
 * each stay in their own module. The last entry has a NULL prefix. */
struct http_route {
    const char *prefix; /* "/staff/" matches "/staff/..." ; "/" matches everything */
    http_handler handler;
    void *ctx;
};
void http_dispatch(void *routes, const struct http_request *req, struct http_response *res);

/* Sets a redirect: 303 See Other to a path of this service. */
void http_redirect(struct http_response *res, const char *path);

#endif
