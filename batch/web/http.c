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
    struct app app;
    pthread_mutex_t lock; /* the watch list */
    pthread_cond_t wake;
    struct watch *watched;
    bool stopping, watchdog_running;
    pthread_t watchdog;
};

/* What one request carries between libmicrohttpd's calls. */
struct pending {
    struct strbuf body;
    bool too_big;
};

struct http_limits http_limits_of(const struct serve_limits *sl, const char *trusted_proxy)
{
    struct http_limits l = {
        .threads = 8,
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
static void serve(const struct app *app, struct http_request *req, const char *target,
                  bool too_many_headers, bool query_ok, const char *peer, const char *body,
                  size_t body_len, struct http_response *res)
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
    const char *q = strchr(in->target, '?');
    const size_t plen = q ? (size_t)(q - in->target) : strlen(in->target);
    char path[2048];
    bool ok = webform_decode_path(in->target, plen, path, sizeof path);
    if (!ok)
        path[0] = '\0';
    req.path = path;
    if (ok && q)
        ok = webform_parse(q + 1, strlen(q + 1), &req.query);
    serve(&app, &req, in->target, too_many, ok, in->peer, in->body, in->body_len, res);
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
    struct webform *query;
    bool ok, too_many;
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

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    struct collect *c = cls;
    if (!webform_add(c->query, key, value ? value : ""))
        c->ok = false;
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

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *res)
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
    if (res->location[0])
        MHD_add_response_header(r, "Location", res->location);
    if (res->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
    if (res->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", res->disposition);
    /* a refused request's body may still be on its way: the connection is not reused */
    if (res->status == 413 || res->status == 431 || res->status == 400)
        MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct http_server *srv, struct MHD_Connection *conn, int status)
{
    struct http_response res = {.status = status};
    error_response(&srv->app, status, &res);
    enum MHD_Result ret = send_response(conn, &res);
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct pending *p = *con_cls;
    if (!p) {
        if (!method_known(method))
            return send_error(srv, conn, 405);
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        *con_cls = p;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > srv->app.limits.max_body)
            return send_error(srv, conn, 413);
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
        struct http_request req = {.method = method, .path = url};
        struct collect c = {&req, &req.query, true, false};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, &c);
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, &c);
        char peer[64];
        peer_address(conn, peer);
        serve(&srv->app, &req, url, c.too_many, c.ok, peer, p->body.buf, p->body.len, &res);
    }
    enum MHD_Result ret = send_response(conn, &res);
    html_free(&res.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct pending *p = *con_cls;
    if (p) {
        strbuf_release(&p->body);
        free(p);
    }
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

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct cn_err *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host || *end || port < 1 ||
        port > 65535)
        return cn_fail(err, CN_EUSAGE, "--listen '%s' is not ADDR:PORT", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return cn_fail(err, CN_EUSAGE, "--listen '%s': '%s' is not an IPv4 address", listen, host);
    return CN_OK;
}

int http_start(const char *listen, const struct http_limits *limits, http_handler handler,
               void *ctx, http_error_page error_page, void *error_ctx, struct http_server **out,
               struct cn_err *err)
{
    *out = NULL;
    struct sockaddr_in sa;
    int rc = parse_listen(listen, &sa, err);
    if (rc)
        return rc;
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    srv->app = (struct app){*limits, handler, error_page, ctx, error_ctx};
    char proxy[64] = "";
    if (limits->trusted_proxy[0] &&
        !canonical_address(limits->trusted_proxy, strlen(limits->trusted_proxy), proxy)) {
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
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, limits->threads,
        MHD_OPTION_CONNECTION_LIMIT, limits->connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        limits->per_ip, MHD_OPTION_CONNECTION_TIMEOUT, limits->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        http_stop(srv);
        return cn_fail(err, CN_EUSAGE, "cannot listen on %s (in use, or not allowed)", listen);
    }
    *out = srv;
    return CN_OK;
}

void http_stop(struct http_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
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
