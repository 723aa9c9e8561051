#include "http_gate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "http_head.h"
#include "log.h"

/* A connection the gate counts: still being read (fd >= 0, not handed), being closed after
 * a refusal (closing), or handed on (counted until released). */
struct slot {
    bool used, handed, closing;
    int fd;
    struct sockaddr_storage sa;
    socklen_t salen;
    int64_t start_ms, last_ms;
};

struct http_gate {
    struct http_gate_conf conf;
    struct http_gate_ops ops;
    int epfd, stopfd;
    pthread_t thread;
    bool running;
    pthread_mutex_t lock; /* the slots' used/handed, which http_gate_release changes */
    struct slot *slots;   /* conf.connections of them */
    char *buf;            /* conf.max_head + 1: what a peek reads */
};

/* epoll's data: the listening socket, the stop signal, or slot i as i + 2. */
enum { EV_LISTEN = 0, EV_STOP = 1 };
/* How long a refused connection may stay to read its answer. */
#define LINGER_MS 2000

/* listen(2), whose name the function above takes for its argument */
static int listen_socket(int fd)
{
    return listen(fd, SOMAXCONN);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr *b)
{
    if (a->ss_family != b->sa_family)
        return false;
    if (b->sa_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)(const void *)a)->sin_addr,
                      &((const struct sockaddr_in *)(const void *)b)->sin_addr,
                      sizeof(struct in_addr)) == 0;
    if (b->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)(const void *)a)->sin6_addr,
                      &((const struct sockaddr_in6 *)(const void *)b)->sin6_addr,
                      sizeof(struct in6_addr)) == 0;
    return true;
}

static bool same_connection(const struct slot *s, const struct sockaddr *b)
{
    if (!same_host(&s->sa, b))
        return false;
    if (b->sa_family == AF_INET)
        return ((const struct sockaddr_in *)(const void *)&s->sa)->sin_port ==
               ((const struct sockaddr_in *)(const void *)b)->sin_port;
    if (b->sa_family == AF_INET6)
        return ((const struct sockaddr_in6 *)(const void *)&s->sa)->sin6_port ==
               ((const struct sockaddr_in6 *)(const void *)b)->sin6_port;
    return true;
}

/* A free slot for a new connection from sa, or NULL when the limits say no. Locked. */
static struct slot *claim(struct http_gate *g, const struct sockaddr *sa)
{
    struct slot *free_slot = NULL;
    unsigned from_host = 0;
    for (unsigned i = 0; i < g->conf.connections; i++) {
        struct slot *s = &g->slots[i];
        if (!s->used) {
            if (!free_slot)
                free_slot = s;
        } else if (same_host(&s->sa, sa)) {
            from_host++;
        }
    }
    if (g->conf.per_ip && from_host >= g->conf.per_ip)
        return NULL;
    return free_slot;
}

static void drop(struct http_gate *g, struct slot *s)
{
    close(s->fd); /* also leaves the epoll set */
    pthread_mutex_lock(&g->lock);
    s->used = false;
    s->fd = -1;
    pthread_mutex_unlock(&g->lock);
}

static void accept_all(struct http_gate *g)
{
    for (;;) {
        struct sockaddr_storage sa = {0}; /* accept4 fills it; the analyser cannot tell */
        socklen_t len = sizeof sa;
        const int fd =
            accept4(g->conf.listen_fd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; /* EAGAIN, or out of descriptors: the backlog waits */
        }
        pthread_mutex_lock(&g->lock);
        struct slot *s = claim(g, (const struct sockaddr *)&sa);
        if (s) {
            const int64_t now = now_ms();
            *s = (struct slot){.used = true, .fd = fd, .sa = sa, .salen = len};
            s->start_ms = s->last_ms = now;
        }
        pthread_mutex_unlock(&g->lock);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET};
        if (s)
            ev.data.u64 = (uint64_t)(s - g->slots) + 2;
        if (!s || epoll_ctl(g->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
            if (s)
                drop(g, s);
            else
                close(fd); /* over a limit: closed at once, as libmicrohttpd did */
        }
    }
}

/* Reads and forgets what a refused client still sends; true when it has gone. */
static bool drain(int fd)
{
    char sink[4096];
    for (int i = 0; i < 64; i++) {
        const ssize_t n = recv(fd, sink, sizeof sink, 0);
        if (n == 0)
            return true;
        if (n < 0)
            return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    }
    return false;
}

static void readable(struct http_gate *g, struct slot *s)
{
    if (s->closing) {
        if (drain(s->fd))
            drop(g, s);
        return;
    }
    const ssize_t n = recv(s->fd, g->buf, g->conf.max_head + 1, MSG_PEEK);
    if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            drop(g, s);
        return;
    }
    s->last_ms = now_ms();
    const int st =
        http_head_check(g->buf, (size_t)n, g->conf.max_head, g->conf.max_body, g->conf.max_fields);
    if (st == HTTP_HEAD_MORE)
        return;
    if (st == 0) {
        epoll_ctl(g->epfd, EPOLL_CTL_DEL, s->fd, NULL);
        pthread_mutex_lock(&g->lock);
        s->handed = true;
        pthread_mutex_unlock(&g->lock);
        const int fd = s->fd;
        s->fd = -1;
        if (!g->ops.pass(g->ops.ctx, fd, (const struct sockaddr *)&s->sa, s->salen)) {
            pthread_mutex_lock(&g->lock);
            s->used = false;
            pthread_mutex_unlock(&g->lock);
        }
        return;
    }
    /* The answer goes out, then the writing side closes; what the client still sends is
     * read and dropped until it closes too, so that closing never resets the connection
     * before the answer has been read. */
    g->ops.refuse(g->ops.ctx, s->fd, st);
    s->closing = true;
    s->last_ms = now_ms();
    shutdown(s->fd, SHUT_WR);
    if (drain(s->fd))
        drop(g, s);
}

/* Heads that take too long: silent for idle_timeout, or not whole after request_timeout
 * (a byte now and then); refused ones whose client does not go. */
static void sweep(struct http_gate *g)
{
    const int64_t now = now_ms();
    int cut = 0;
    for (unsigned i = 0; i < g->conf.connections; i++) {
        struct slot *s = &g->slots[i];
        if (!s->used || s->handed)
            continue;
        if (s->closing) {
            if (now - s->last_ms > LINGER_MS)
                drop(g, s);
        } else if (g->conf.request_timeout &&
                   now - s->start_ms > (int64_t)g->conf.request_timeout * 1000) {
            drop(g, s);
            cut++;
        } else if (g->conf.idle_timeout &&
                   now - s->last_ms > (int64_t)g->conf.idle_timeout * 1000) {
            drop(g, s);
        }
    }
    if (cut)
        log_warn("http", "closed %d connection(s) that sent no whole request in %u s", cut,
                 g->conf.request_timeout);
}

static void *run(void *arg)
{
    struct http_gate *g = arg;
    struct epoll_event ev[64];
    int64_t swept = now_ms();
    for (;;) {
        const int n = epoll_wait(g->epfd, ev, 64, 250);
        for (int i = 0; i < n; i++) {
            const uint64_t d = ev[i].data.u64;
            if (d == EV_STOP)
                return NULL;
            if (d == EV_LISTEN)
                accept_all(g);
            else if (g->slots[d - 2].used && !g->slots[d - 2].handed)
                readable(g, &g->slots[d - 2]);
        }
        if (now_ms() - swept >= 250) {
            sweep(g);
            swept = now_ms();
        }
    }
}

void http_gate_release(struct http_gate *g, const struct sockaddr *sa)
{
    if (!g || !sa)
        return;
    pthread_mutex_lock(&g->lock);
    for (unsigned i = 0; i < g->conf.connections; i++) {
        struct slot *s = &g->slots[i];
        if (s->used && s->handed && same_connection(s, sa)) {
            s->used = false;
            break;
        }
    }
    pthread_mutex_unlock(&g->lock);
}

int http_gate_start(const struct http_gate_conf *conf, const struct http_gate_ops *ops,
                    struct http_gate **out, struct cn_err *err)
{
    *out = NULL;
    struct http_gate *g = calloc(1, sizeof *g);
    if (!g) {
        close(conf->listen_fd);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    g->conf = *conf;
    g->ops = *ops;
    g->epfd = g->stopfd = -1;
    pthread_mutex_init(&g->lock, NULL);
    g->slots = calloc(conf->connections ? conf->connections : 1, sizeof *g->slots);
    g->buf = malloc(conf->max_head + 1);
    g->epfd = epoll_create1(EPOLL_CLOEXEC);
    g->stopfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event lev = {.events = EPOLLIN, .data.u64 = EV_LISTEN};
    struct epoll_event sev = {.events = EPOLLIN, .data.u64 = EV_STOP};
    if (!g->slots || !g->buf || g->epfd < 0 || g->stopfd < 0 ||
        epoll_ctl(g->epfd, EPOLL_CTL_ADD, conf->listen_fd, &lev) != 0 ||
        epoll_ctl(g->epfd, EPOLL_CTL_ADD, g->stopfd, &sev) != 0 ||
        pthread_create(&g->thread, NULL, run, g) != 0) {
        http_gate_free(g);
        return cn_fail(err, CN_EOUTPUT, "cannot start the connection gate: %s", strerror(errno));
    }
    g->running = true;
    *out = g;
    return CN_OK;
}

void http_gate_stop(struct http_gate *g)
{
    if (!g)
        return;
    if (g->running) {
        const uint64_t one = 1;
        if (write(g->stopfd, &one, sizeof one) != (ssize_t)sizeof one)
            log_warn("http", "the connection gate could not be told to stop");
        pthread_join(g->thread, NULL);
        g->running = false;
    }
    pthread_mutex_lock(&g->lock);
    for (unsigned i = 0; g->slots && i < g->conf.connections; i++) {
        if (g->slots[i].used && !g->slots[i].handed) {
            close(g->slots[i].fd);
            g->slots[i].used = false;
        }
    }
    pthread_mutex_unlock(&g->lock);
    if (g->conf.listen_fd >= 0)
        close(g->conf.listen_fd);
    g->conf.listen_fd = -1;
}

void http_gate_free(struct http_gate *g)
{
    if (!g)
        return;
    http_gate_stop(g);
    if (g->epfd >= 0)
        close(g->epfd);
    if (g->stopfd >= 0)
        close(g->stopfd);
    pthread_mutex_destroy(&g->lock);
    free(g->slots);
    free(g->buf);
    free(g);
}

int http_gate_listen(const char *listen, int *fd, struct cn_err *err)
{
    *fd = -1;
    char host[64];
    const char *colon = strrchr(listen, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host || *end || port < 1 ||
        port > 65535)
        return cn_fail(err, CN_EUSAGE, "--listen '%s' is not ADDR:PORT", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
        return cn_fail(err, CN_EUSAGE, "--listen '%s': '%s' is not an IPv4 address", listen, host);
    const int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int on = 1;
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(s, (const struct sockaddr *)&sa, sizeof sa) != 0 || listen_socket(s) != 0) {
        if (s >= 0)
            close(s);
        return cn_fail(err, CN_EUSAGE, "cannot listen on %s (in use, or not allowed)", listen);
    }
    *fd = s;
    return CN_OK;
}
