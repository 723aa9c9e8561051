/* http_gate: accepts the service's connections and reads (peeks) each one's request head
 * before libmicrohttpd sees a byte: a head that is whole and acceptable is handed on with
 * every byte still unread; any other is answered by the owner's page (the security headers
 * included) and closed; heads that never arrive whole are closed on the idle and request
 * timeouts. Counts the open connections, in total and per address, until the owner says a
 * handed-on one has ended. Must not parse beyond the head or build pages. */
#ifndef CN_HTTP_GATE_H
#define CN_HTTP_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "err.h"

struct http_gate_conf {
    int listen_fd;            /* listening; the gate owns (and closes) it from now on */
    unsigned connections;     /* open at once: the gate's and those handed on */
    unsigned per_ip;          /* open from one address (0: no limit) */
    unsigned idle_timeout;    /* s of silence before the head is whole (0: none) */
    unsigned request_timeout; /* s for the whole head (0: none) */
    size_t max_head, max_body;
    int max_fields;
};

struct http_gate_ops {
    void *ctx;
    /* A whole, acceptable head: fd (non-blocking, nothing read) is the callee's now. false
     * when it could not be taken (the callee closed fd). */
    bool (*pass)(void *ctx, int fd, const struct sockaddr *sa, socklen_t len);
    /* A refused head: write the answer for status to fd (non-blocking); the gate closes
     * it once the client has had the time to read it. */
    void (*refuse)(void *ctx, int fd, int status);
};

struct http_gate;

int http_gate_start(const struct http_gate_conf *conf, const struct http_gate_ops *ops,
                    struct http_gate **out, struct cn_err *err);
/* The listening socket for "ADDR:PORT" (IPv4), non-blocking, for the conf's listen_fd. */
int http_gate_listen(const char *listen, int *fd, struct cn_err *err);
/* A connection handed on has ended: its address stops counting. Any thread; NULL g or sa
 * does nothing. */
void http_gate_release(struct http_gate *g, const struct sockaddr *sa);
/* Stops accepting and closes the connections not handed on; release may still be called
 * until free. */
void http_gate_stop(struct http_gate *g);
void http_gate_free(struct http_gate *g);

#endif
