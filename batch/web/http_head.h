/* http_head: the rules for a request's head (request line, header fields, the body's
 * framing), as pure functions over bytes or parsed fields, for the gate that reads a
 * connection's head before libmicrohttpd does and for http's own checks alike. Must not do
 * I/O, allocate or know the pages. */
#ifndef CN_HTTP_HEAD_H
#define CN_HTTP_HEAD_H

#include <stddef.h>

/* A header field as received. */
struct http_field {
    const char *name, *value;
};

/* What the parsed fields must be before anything is served: one framing of the body by
 * Content-Length (digits, once; Transfer-Encoding is refused, with or without it: a proxy
 * and this service must never disagree on where the next request starts, and nginx sends
 * bodies with a length), and one Host (HTTP/1.1 requires it; version NULL or "HTTP/1.0"
 * does not). 0 or 400. */
int http_head_status(const struct http_field *fields, int n, const char *version);

/* http_head_check's answer while the head has not arrived whole. */
#define HTTP_HEAD_MORE (-1)

/* The bytes a connection sent so far, buf[0..len): HTTP_HEAD_MORE while the head (up to
 * its empty line) is incomplete and within max_head bytes; 0 when it is whole and may go
 * on; else the status to refuse it with: 431 a head over max_head bytes or over max_fields
 * fields; 400 a request line that is not "METHOD /target HTTP/1.x", a control character
 * (NUL included), a field without a name or colon, a folded line, or http_head_status's
 * refusal; 413 a Content-Length over max_body. */
int http_head_check(const char *buf, size_t len, size_t max_head, size_t max_body, int max_fields);

#endif
