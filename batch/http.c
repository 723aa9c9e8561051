#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "log.h"

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_limits limits;
    http_handler handler;
    http_error_page error_page;
    void *ctx, *error_ctx;
};

/* What one request carries between libmicrohttpd's calls. */
struct pending {
    struct html body;
    bool too_big;
};

struct http_limits http_default_limits(void)
{
    struct http_limits l = {
        .threads = 4,
        .connections = 512,
        .per_ip = 32,
        .timeout = 15,
        .max_body = 8192,
        .trust_proxy = true,
    };
    return l;
}

const char *http_header(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
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

static bool loopback(const struct sockaddr *sa)
{
    if (sa && sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) ==
               127;
    if (sa && sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
    return false;
}

static void client_address(const struct http_server *srv, struct http_request *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(req->client, sizeof req->client, "unknown");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->client,
                  sizeof req->client);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  req->client, sizeof req->client);
    /* Behind the reverse proxy every connection comes from it: only then are its headers
     * about the real client believed. */
    if (srv->limits.trust_proxy && loopback(sa)) {
        const char *real = http_header(req, "X-Real-IP");
        struct in6_addr a6;
        struct in_addr a4;
        if (real && (inet_pton(AF_INET, real, &a4) == 1 || inet_pton(AF_INET6, real, &a6) == 1))
            snprintf(req->client, sizeof req->client, "%s", real);
        const char *proto = http_header(req, "X-Forwarded-Proto");
        req->https = proto && strcasecmp(proto, "https") == 0;
    }
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    bool *ok = ((void **)cls)[1];
    if (!webform_add(((void **)cls)[0], key, value ? value : ""))
        *ok = false;
    return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_response *res)
{
    if (res->body.oom) {
        /* an incomplete page is never sent */
        html_free(&res->body);
        res->status = 500;
        html_raw(&res->body, "<!DOCTYPE html><title>500</title><p>Internal error</p>");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->body.len, res->body.buf ? res->body.buf : (void *)"", MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type",
                            res->content_type ? res->content_type : "text/html; charset=utf-8");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
                            "base-uri 'none'");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    if (res->location[0])
        MHD_add_response_header(r, "Location", res->location);
    if (res->set_cookie[0])
        MHD_add_response_header(r, "Set-Cookie", res->set_cookie);
    if (res->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", res->disposition);
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_error(struct http_server *srv, struct MHD_Connection *conn, int status)
{
    struct http_response res = {.status = status};
    srv->error_page(srv->error_ctx, status, &res);
    res.status = status;
    log_info("http", "status=%d (refused by the HTTP layer)", status);
    enum MHD_Result ret = send_response(conn, &res);
    html_free(&res.body);
    return ret;
}

static bool form_encoded(const char *type)
{
    static const char want[] = "application/x-www-form-urlencoded";
    if (!type || strncasecmp(type, want, sizeof want - 1) != 0)
        return false;
    const char c = type[sizeof want - 1];
    return c == '\0' || c == ';' || c == ' ';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct pending *p = *con_cls;
    const bool post = strcmp(method, "POST") == 0;
    if (!p) {
        if (!post && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return send_error(srv, conn, 405);
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        *con_cls = p;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > srv->limits.max_body)
            p->too_big = true;
        if (p->too_big)
            return send_error(srv, conn, 413);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (p->too_big || p->body.len + *upload_data_size > srv->limits.max_body)
            p->too_big = true;
        else
            html_rawn(&p->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (p->too_big)
        return send_error(srv, conn, 413);

    struct http_request req = {.method = post ? "POST" : "GET", .path = url, .conn = conn};
    client_address(srv, &req);
    bool ok = url[0] == '/';
    void *qctx[2] = {&req.query, &ok};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, qctx);
    if (ok && !webform_text_ok(url))
        ok = false;
    if (ok && post)
        ok = form_encoded(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type")) &&
             !p->body.oom && webform_parse(p->body.buf ? p->body.buf : "", p->body.len, &req.form);
    if (!ok)
        return send_error(srv, conn, 400);

    struct http_response res = {.status = 200};
    srv->handler(srv->ctx, &req, &res);
    enum MHD_Result ret = send_response(conn, &res);
    html_free(&res.body);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct pending *p = *con_cls;
    if (p) {
        html_free(&p->body);
        free(p);
    }
    *con_cls = NULL;
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
    srv->limits = *limits;
    srv->handler = handler;
    srv->error_page = error_page;
    srv->ctx = ctx;
    srv->error_ctx = error_ctx;
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, limits->threads,
        MHD_OPTION_CONNECTION_LIMIT, limits->connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        limits->per_ip, MHD_OPTION_CONNECTION_TIMEOUT, limits->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        free(srv);
        return cn_fail(err, CN_EUSAGE, "cannot listen on %s (in use, or not allowed)", listen);
    }
    *out = srv;
    return CN_OK;
}

void http_stop(struct http_server *srv)
{
    if (!srv)
        return;
    MHD_stop_daemon(srv->daemon);
    free(srv);
}
