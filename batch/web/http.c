#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_gate.h"
#include "log.h"

/* The handler and its limits: what both libmicrohttpd's callbacks and the harness run. */
struct app {
    struct http_limits limits;
    http_handler handler;
    http_error_page error_page;
    void *ctx, *error_ctx;
};

/* A connection the watchdog keeps an eye on: waiting is true from the connection's start
 * (or its last response) until a whole request has arrived. */
struct watch {
    int fd;
    int64_t since_ms;
    bool waiting, cut;
    struct watch *prev, *next;
};

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_gate *gate; /* accepts the connections and reads each head first */
    struct app app;
    pthread_mutex_t lock; /* the watch list */
    pthread_cond_t wake;
    struct watch *watched;
    bool stopping, watchdog_running;
    pthread_t watchdog;
};

/* What one request carries between libmicrohttpd's calls: made by the URI logger (the
 * first thing libmicrohttpd calls for a request), so target is the request line's target
 * as sent, before libmicrohttpd decodes (and a %00 cuts) it. */
struct pending {
    char *target;
    struct strbuf body;
    bool started, too_big;
};

struct http_limits http_limits_of(const struct serve_limits *sl, const char *trusted_proxy)
{
    struct http_limits l = {
        .threads = (unsigned)sl->threads,
        .connections = (unsigned)sl->connections,
        .per_ip = (unsigned)sl->per_address,
        .timeout = (unsigned)sl->idle_timeout,
        .request_timeout = (unsigned)sl->request_timeout,
        .max_header = (size_t)sl->max_header,
        .max_body = (size_t)sl->max_body,
    };
    snprintf(l.trusted_proxy, sizeof l.trusted_proxy, "%s", trusted_proxy ? trusted_proxy : "");
    /* Behind the proxy every connection comes from one address: a per-address limit would
     * cap the whole site (the proxy limits per client instead; see scripts/nginx/). */
    if (l.trusted_proxy[0])
        l.per_ip = l.connections;
    return l;
}

struct http_limits http_default_limits(void)
{
    return http_limits_of(&serve_limits_default, "");
}

static const struct http_field *find_header(const struct http_request *req, const char *name,
                                            bool last)
{
    const struct http_field *found = NULL;
    for (int i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, name) == 0) {
            found = &req->headers[i];
            if (!last)
                break;
        }
    }
    return found;
}

const char *http_header(const struct http_request *req, const char *name)
{
    const struct http_field *f = find_header(req, name, false);
    return f ? f->value : NULL;
}

const char *http_cookie(const struct http_request *req, const char *name)
{
    return webform_get(&req->cookies, name);
}

void http_dispatch(void *routes, const struct http_request *req, struct http_response *res)
{
    for (const struct http_route *r = routes; r->prefix; r++) {
        if (strncmp(req->path, r->prefix, strlen(r->prefix)) == 0) {
            r->handler(r->ctx, req, res);
            return;
        }
    }
    res->status = 404;
}

void http_redirect(struct http_response *res, const char *path)
{
    res->status = 303;
    snprintf(res->location, sizeof res->location, "%s", path);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An address in its one canonical spelling, so that "127.000.0.1" or "::0:1" cannot pass
 * for the trusted proxy or for a new client. false when it is not an address. */
static bool canonical_address(const char *s, size_t len, char out[64])
{
    char buf[64];
    struct in6_addr a6;
    struct in_addr a4;
    if (len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, &a4) == 1)
        return inet_ntop(AF_INET, &a4, out, 64) != NULL;
    if (inet_pton(AF_INET6, buf, &a6) == 1)
        return inet_ntop(AF_INET6, &a6, out, 64) != NULL;
    return false;
}

/* The client is the connection's peer, unless the peer is the trusted proxy: then it is the
 * last address of X-Forwarded-For, the one the proxy itself saw (the ones before it are
 * whatever the client claimed). */
static void client_address(const struct http_limits *limits, const char *peer,
                           struct http_request *req)
{
    snprintf(req->client, sizeof req->client, "%s", peer && peer[0] ? peer : "unknown");
    if (!limits->trusted_proxy[0] || !peer || strcmp(peer, limits->trusted_proxy) != 0)
        return;
    const struct http_field *xff = find_header(req, "X-Forwarded-For", true);
    if (xff) {
        const char *v = xff->value, *comma = strrchr(v, ',');
        const char *a = comma ? comma + 1 : v;
        while (*a == ' ' || *a == '\t')
            a++;
        size_t len = strlen(a);
        while (len && (a[len - 1] == ' ' || a[len - 1] == '\t'))
            len--;
        char client[64];
        if (canonical_address(a, len, client))
            snprintf(req->client, sizeof req->client, "%s", client);
    }
    const char *proto = http_header(req, "X-Forwarded-Proto");
    req->https = proto && strcasecmp(proto, "https") == 0;
}

static bool form_encoded(const char *type)
{
    static const char want[] = "application/x-www-form-urlencoded";
    if (!type || strncasecmp(type, want, sizeof want - 1) != 0)
        return false;
    const char c = type[sizeof want - 1];
    return c == '\0' || c == ';' || c == ' ';
}

static void error_response(const struct app *app, int status, struct http_response *res)
{
    html_free(&res->body);
    *res = (struct http_response){.status = status};
    app->error_page(app->error_ctx, status, res);
    res->status = status;
    log_info("http", "status=%d (refused by the HTTP layer)", status);
}

/* The target as sent (path and query, still percent-encoded) into the decoded path and
 * the query's pairs: the one decoding of the network and the harness. false when either
 * breaks the rules (a %00 or another control character, bad UTF-8, a repeated name). */
static bool decode_target(const char *target, char *path, size_t cap, struct webform *query)
{
    const char *q = strchr(target, '?');
    const size_t plen = q ? (size_t)(q - target) : strlen(target);
    memset(query, 0, sizeof *query);
    bool ok = webform_decode_path(target, plen, path, cap);
    if (!ok)
        path[0] = '\0';
    if (ok && q)
        ok = webform_parse(q + 1, strlen(q + 1), query);
    return ok;
}

static bool method_known(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 || strcmp(method, "POST") == 0;
}

/* The request line and headers, as the size limit counts them. */
static size_t header_size(const struct http_request *req, const char *target)
{
    size_t n = strlen(target) + 16;
    for (int i = 0; i < req->n_headers; i++)
        n += strlen(req->headers[i].name) + strlen(req->headers[i].value) + 4;
    return n;
}

/* Everything after the bytes have arrived, for the network and the harness alike: the
 * limits, the decoding, the client's address, then the handler. req has its method,
 * headers and query (query_ok false when it broke the rules) set; path is decoded. */
static void serve(const struct app *app, struct http_request *req, const char *version,
                  const char *target, bool too_many_headers, bool query_ok, const char *peer,
                  const char *body, size_t body_len, struct http_response *res)
{
    *res = (struct http_response){.status = 200};
    if (!method_known(req->method)) {
        error_response(app, 405, res);
        return;
    }
    if (too_many_headers || header_size(req, target) > app->limits.max_header) {
        error_response(app, 431, res);
        return;
    }
    if (http_head_status(req->headers, req->n_headers, version)) {
        error_response(app, 400, res);
        return;
    }
    if (body_len > app->limits.max_body) {
        error_response(app, 413, res);
        return;
    }
    const bool post = strcmp(req->method, "POST") == 0;
    req->method = post ? "POST" : "GET";
    webform_cookies(http_header(req, "Cookie"), &req->cookies);
    client_address(&app->limits, peer, req);
    bool ok = query_ok && req->path[0] == '/' && webform_text_ok(req->path);
    if (ok && post)
        ok = form_encoded(http_header(req, "Content-Type")) &&
             webform_parse(body ? body : "", body_len, &req->form);
    if (!ok) {
        error_response(app, 400, res);
        return;
    }
    app->handler(app->ctx, req, res);
}

void http_harness(const struct http_limits *limits, http_handler handler, void *ctx,
                  http_error_page error_page, void *error_ctx,
                  const struct http_harness_request *in, struct http_response *res)
{
    const struct app app = {*limits, handler, error_page, ctx, error_ctx};
    struct http_request req = {.method = in->method};
    const bool too_many = in->n_headers > HTTP_MAX_HEADERS;
    for (int i = 0; i < in->n_headers && i < HTTP_MAX_HEADERS; i++)
        req.headers[req.n_headers++] = in->headers[i];
    char path[HTTP_PATH_MAX];
    const bool ok = decode_target(in->target, path, sizeof path, &req.query);
    req.path = path;
    serve(&app, &req, in->version, in->target, too_many, ok, in->peer, in->body, in->body_len, res);
}

/* ---- libmicrohttpd ---- */

static void peer_address(struct MHD_Connection *conn, char out[64])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, 64, "unknown");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, 64);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, 64);
}

struct collect {
    struct http_request *req;
    bool too_many;
};

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    (void)kind;
    struct collect *c = cls;
    if (c->req->n_headers == HTTP_MAX_HEADERS)
        c->too_many = true;
    else
        c->req->headers[c->req->n_headers++] = (struct http_field){key, value ? value : ""};
    return MHD_YES;
}

static const struct http_field security_headers[] = {
    {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                                "base-uri 'none'"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-store"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
};

/* Sent only to a client that came over TLS (HTTP's answer would be ignored anyway): a
 * year, this host only (a municipality's other hosts are not ours to pin to HTTPS). */
static const struct http_field hsts = {"Strict-Transport-Security", "max-age=31536000"};

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *res,
                                     bool https)
{
    if (html_failed(&res->body)) {
        /* an incomplete page is never sent */
        html_free(&res->body);
        res->status = 500;
        html_raw(&res->body, "<!DOCTYPE html><title>500</title><p>Internal error</p>");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->body.sb.len, (void *)strbuf_str(&res->body.sb), MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            res->content_type ? res->content_type : "text/html; charset=utf-8");
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(r, security_headers[i].name, security_headers[i].value);
    if (https)
        MHD_add_response_header(r, hsts.name, hsts.value);
    if (res->location[0])
        MHD_add_response_header(r, "Location", res->location);
    if (res->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
    if (res->set_cookie2[0])
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie2);
    if (res->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", res->disposition);
    /* a refused request's body may still be on its way, or a request smuggled behind it:
     * the connection is not reused */
    if (res->status == 413 || res->status == 431 || res->status == 400)
        MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct http_server *srv, struct MHD_Connection *conn, int status,
                                  bool https)
{
    struct http_response res = {.status = status};
    error_response(&srv->app, status, &res);
    enum MHD_Result ret = send_response(conn, &res, https);
    html_free(&res.body);
    return ret;
}

static struct watch *watch_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void watch_set(struct http_server *srv, struct MHD_Connection *conn, bool waiting)
{
    struct watch *w = watch_of(conn);
    if (!w)
        return;
    pthread_mutex_lock(&srv->lock);
    w->waiting = waiting;
    if (waiting)
        w->since_ms = now_ms();
    pthread_mutex_unlock(&srv->lock);
}

/* The URI logger: libmicrohttpd's first call for a request, with the target as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct pending *p = calloc(1, sizeof *p);
    if (p && !(p->target = strdup(uri ? uri : ""))) {
        free(p);
        p = NULL;
    }
    return p; /* NULL (out of memory): on_request ends the connection */
}

static void pending_free(struct pending *p)
{
    if (!p)
        return;
    strbuf_release(&p->body);
    free(p->target);
    free(p);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)url; /* decoded by libmicrohttpd, cut at a %00: p->target is decoded here instead */
    struct http_server *srv = cls;
    struct pending *p = *con_cls;
    if (!p)
        return MHD_NO;
    struct http_request req = {.method = method};
    struct collect c = {&req, false};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &c);
    char peer[64];
    peer_address(conn, peer);
    client_address(&srv->app.limits, peer, &req);
    if (!p->started) {
        /* before any of the body is read: refused requests are answered and closed now */
        p->started = true;
        if (!method_known(method))
            return send_error(srv, conn, 405, req.https);
        if (http_head_status(req.headers, req.n_headers, version))
            return send_error(srv, conn, 400, req.https);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > srv->app.limits.max_body)
            return send_error(srv, conn, 413, req.https);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (p->too_big || p->body.len + *upload_data_size > srv->app.limits.max_body)
            p->too_big = true;
        else
            strbuf_add(&p->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    watch_set(srv, conn, false);
    struct http_response res;
    if (p->too_big || p->body.failed) {
        res = (struct http_response){0};
        error_response(&srv->app, 413, &res);
    } else {
        char path[HTTP_PATH_MAX];
        const bool ok = decode_target(p->target, path, sizeof path, &req.query);
        req.path = path;
        serve(&srv->app, &req, version, p->target, c.too_many, ok, peer, p->body.buf, p->body.len,
              &res);
    }
    enum MHD_Result ret = send_response(conn, &res, req.https);
    html_free(&res.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    pending_free(*con_cls);
    *con_cls = NULL;
    /* the next request on a kept-alive connection gets its own time */
    watch_set(cls, conn, true);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        struct watch *w = ci ? calloc(1, sizeof *w) : NULL;
        if (!w)
            return; /* unwatched: the idle timeout still applies */
        w->fd = ci->connect_fd;
        w->since_ms = now_ms();
        w->waiting = true;
        pthread_mutex_lock(&srv->lock);
        w->next = srv->watched;
        if (w->next)
            w->next->prev = w;
        srv->watched = w;
        pthread_mutex_unlock(&srv->lock);
        *socket_context = w;
        return;
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    http_gate_release(srv->gate, ci ? ci->client_addr : NULL);
    struct watch *w = *socket_context;
    if (!w)
        return;
    /* CLOSED comes before libmicrohttpd closes the socket: once w is off the list under the
     * lock, the watchdog cannot shut down an fd that has been reused. */
    pthread_mutex_lock(&srv->lock);
    if (w->prev)
        w->prev->next = w->next;
    else
        srv->watched = w->next;
    if (w->next)
        w->next->prev = w->prev;
    pthread_mutex_unlock(&srv->lock);
    free(w);
    *socket_context = NULL;
}

/* libmicrohttpd's timeout counts silence only: a client that sends a byte every few
 * seconds holds its connection for ever. The watchdog ends connections whose request has
 * not arrived whole within request_timeout; shutdown() wakes libmicrohttpd's own thread,
 * which closes the connection as a client that went away. */
static void *watchdog(void *arg)
{
    struct http_server *srv = arg;
    const int64_t limit = (int64_t)srv->app.limits.request_timeout * 1000;
    pthread_mutex_lock(&srv->lock);
    while (!srv->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 500 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&srv->wake, &srv->lock, &until);
        const int64_t now = now_ms();
        int cut = 0;
        for (struct watch *w = srv->watched; w; w = w->next) {
            if (w->waiting && !w->cut && now - w->since_ms > limit) {
                shutdown(w->fd, SHUT_RDWR);
                w->cut = true;
                cut++;
            }
        }
        if (cut)
            log_warn("http", "closed %d connection(s) that sent no whole request in %u s", cut,
                     srv->app.limits.request_timeout);
    }
    pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* libmicrohttpd's own complaints (a malformed request line, a full pool) go to the log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = '\0';
    log_warn("http", "%s", msg);
}

/* The gate's callbacks: a head that passed goes to libmicrohttpd with its bytes unread; a
 * refused one gets this service's page, with every security header, written here. */
static bool gate_pass(void *cls, int fd, const struct sockaddr *sa, socklen_t len)
{
    struct http_server *srv = cls;
    return MHD_add_connection(srv->daemon, fd, sa, len) == MHD_YES;
}

static void gate_refuse(void *cls, int fd, int status)
{
    struct http_server *srv = cls;
    struct http_response res = {.status = status};
    error_response(&srv->app, status, &res);
    const bool page = !html_failed(&res.body);
    struct strbuf out = STRBUF_INIT;
    strbuf_addf(&out, "HTTP/1.1 %d %s\r\nContent-Type: text/html; charset=utf-8\r\n", status,
                MHD_get_reason_phrase_for((unsigned)status));
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        strbuf_addf(&out, "%s: %s\r\n", security_headers[i].name, security_headers[i].value);
    strbuf_addf(&out, "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                page ? res.body.sb.len : 0);
    if (page)
        strbuf_add(&out, res.body.sb.buf, res.body.sb.len);
    /* a small page into an empty socket buffer: a client that does not read loses it */
    for (size_t off = 0; !out.failed && off < out.len;) {
        const ssize_t w = send(fd, out.buf + off, out.len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    strbuf_release(&out);
    html_free(&res.body);
}

int http_start(const char *listen, const struct http_limits *limits, http_handler handler,
               void *ctx, http_error_page error_page, void *error_ctx, struct http_server **out,
               struct cn_err *err)
{
    *out = NULL;
    int fd = -1;
    int rc = http_gate_listen(listen, &fd, err);
    if (rc)
        return rc;
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        close(fd);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    srv->app = (struct app){*limits, handler, error_page, ctx, error_ctx};
    char proxy[64] = "";
    if (limits->trusted_proxy[0] &&
        !canonical_address(limits->trusted_proxy, strlen(limits->trusted_proxy), proxy)) {
        close(fd);
        free(srv);
        return cn_fail(err, CN_EUSAGE, "trusted proxy '%s' is not an IP address",
                       limits->trusted_proxy);
    }
    snprintf(srv->app.limits.trusted_proxy, sizeof srv->app.limits.trusted_proxy, "%s", proxy);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->wake, NULL);
    if (limits->request_timeout) {
        if (pthread_create(&srv->watchdog, NULL, watchdog, srv) != 0) {
            http_stop(srv);
            return cn_fail(err, CN_EOUTPUT, "cannot start the request watchdog");
        }
        srv->watchdog_running = true;
    }
    /* Room for the headers the limit allows and the read buffer besides: a request just over
     * max_header still gets this service's 431 page, not libmicrohttpd's bare one. */
    const size_t memory = limits->max_header * 2 + (size_t)32 * 1024;
    /* The gate accepts (and counts connections, in total and per address); libmicrohttpd
     * gets each connection from it, its head checked (MHD_USE_ITC: a connection added from
     * another thread is served at once). */
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC,
        0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
        MHD_OPTION_THREAD_POOL_SIZE, limits->threads, MHD_OPTION_CONNECTION_LIMIT,
        limits->connections, MHD_OPTION_CONNECTION_TIMEOUT, limits->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_END);
    const struct http_gate_conf gc = {.listen_fd = fd,
                                      .connections = limits->connections,
                                      .per_ip = limits->per_ip,
                                      .idle_timeout = limits->timeout,
                                      .request_timeout = limits->request_timeout,
                                      .max_head = limits->max_header,
                                      .max_body = limits->max_body,
                                      .max_fields = HTTP_MAX_HEADERS};
    const struct http_gate_ops ops = {srv, gate_pass, gate_refuse};
    if (!srv->daemon) {
        close(fd);
        http_stop(srv);
        return cn_fail(err, CN_EOUTPUT, "cannot start libmicrohttpd on %s", listen);
    }
    if ((rc = http_gate_start(&gc, &ops, &srv->gate, err))) {
        http_stop(srv);
        return rc;
    }
    *out = srv;
    return CN_OK;
}

void http_stop(struct http_server *srv)
{
    if (!srv)
        return;
    /* no new connection first; then libmicrohttpd's end (which releases its connections
     * from the gate's count); then the gate's memory */
    http_gate_stop(srv->gate);
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    http_gate_free(srv->gate);
    pthread_mutex_lock(&srv->lock);
    srv->stopping = true;
    pthread_cond_signal(&srv->wake);
    pthread_mutex_unlock(&srv->lock);
    if (srv->watchdog_running)
        pthread_join(srv->watchdog, NULL);
    pthread_cond_destroy(&srv->wake);
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}
