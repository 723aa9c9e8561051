/* Tests for http_head: a request's head as bytes, whole or not, and what it is refused
 * with (issue 26: the gate answers these itself, with the service's headers, where
 * libmicrohttpd would have sent its own page or served a smuggled request). Table tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http_head.h"

#define GET "GET /R/ABC HTTP/1.1\r\nHost: a\r\n"

static void heads(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        int want;
    } cases[] = {
        {GET "\r\n", 0},
        {"GET / HTTP/1.0\r\n\r\n", 0}, /* 1.0 needs no Host */
        {"\r\n" GET "\r\n", 0},        /* an empty line before the request line is ignored */
        {"GET / HTTP/1.1\nHost: a\n\n", 0},
        {GET "X-A:  b  \r\nX-Empty:\r\n\r\n", 0},
        {"POST /birthday HTTP/1.1\r\nHost: a\r\nContent-Length: 64\r\n\r\n", 0},
        {"POST /birthday HTTP/1.1\r\nHost: a\r\nContent-Length: 0000000000000000000064\r\n\r\n", 0},
        /* not whole yet */
        {"", HTTP_HEAD_MORE},
        {"GET / HTTP/1.1\r\nHost: a\r\n", HTTP_HEAD_MORE},
        {"GET / HTT", HTTP_HEAD_MORE},
        {"\r\n\r\n", HTTP_HEAD_MORE},
        /* the body's framing */
        {GET "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {GET "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n", 400},
        {GET "Transfer-Encoding: chunked\r\n\r\n", 400},
        {GET "Content-Length: 1\r\nContent-Length: 1\r\n\r\n", 400},
        {GET "Content-Length: 12abc\r\n\r\n", 400},
        {GET "Content-Length: -1\r\n\r\n", 400},
        {GET "Content-Length: 1 2\r\n\r\n", 400},
        {GET "Content-Length:\r\n\r\n", 400},
        {GET "Content-Length: 65\r\n\r\n", 413},
        {GET "Content-Length: 99999999999999999999999\r\n\r\n", 413},
        {GET "Content-Length: 18446744073709551616\r\n\r\n", 413},
        /* Host */
        {"GET / HTTP/1.1\r\n\r\n", 400},
        {GET "Host: b\r\n\r\n", 400},
        {"GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", 400},
        /* the request line */
        {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 400},
        {"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400},
        {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {"GET /\r\nHost: a\r\n\r\n", 400},
        {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        {" GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
        /* fields */
        {GET "X-A b\r\n\r\n", 400},
        {GET ": b\r\n\r\n", 400},
        {GET "X-A : b\r\n\r\n", 400},
        {GET "X-A: b\r\n c\r\n\r\n", 400}, /* folded */
        {GET "X-A: b\x01\r\n\r\n", 400},
        {GET "X-A: b\rc\r\n\r\n", 400},
        {GET "X-A: \xe6\x9c\x88\r\n\r\n", 0}, /* obs-text in a value */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const size_t len = strlen(cases[i].head);
        const int got = http_head_check(cases[i].head, len, 256, 64, 8);
        if (got != cases[i].want)
            fail_msg("case %zu: got %d, want %d", i, got, cases[i].want);
    }
    /* a NUL in the request line: refused, not cut short to "/style.css" */
    static const char nul[] = "GET /style.css\0.html HTTP/1.1\r\nHost: a\r\n\r\n";
    assert_int_equal(http_head_check(nul, sizeof nul - 1, 256, 64, 8), 400);
}

/* The size limits: the head's bytes (431 once over, whole or not) and its field count. */
static void limits(void **state)
{
    (void)state;
    char buf[600];
    snprintf(buf, sizeof buf, GET "X-Pad: %0200d\r\n\r\n", 0);
    assert_int_equal(http_head_check(buf, strlen(buf), 512, 64, 8), 0);
    assert_int_equal(http_head_check(buf, strlen(buf), 200, 64, 8), 431);
    /* over the limit before the end arrived */
    assert_int_equal(http_head_check(buf, 201, 200, 64, 8), 431);
    assert_int_equal(http_head_check(buf, 150, 200, 64, 8), HTTP_HEAD_MORE);
    snprintf(buf, sizeof buf, GET "A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
    assert_int_equal(http_head_check(buf, strlen(buf), 512, 64, 4), 0);
    assert_int_equal(http_head_check(buf, strlen(buf), 512, 64, 3), 431);
}

/* The parsed fields' rule, as http applies it to what libmicrohttpd parsed. */
static void status_of_fields(void **state)
{
    (void)state;
    const struct http_field host = {"Host", "a"}, cl = {"Content-Length", "3"},
                            te = {"Transfer-Encoding", "chunked"};
    const struct http_field ok[] = {host, cl}, both[] = {host, cl, te}, two[] = {host, host};
    assert_int_equal(http_head_status(ok, 2, "HTTP/1.1"), 0);
    assert_int_equal(http_head_status(both, 3, "HTTP/1.1"), 400);
    assert_int_equal(http_head_status(two, 2, "HTTP/1.1"), 400);
    assert_int_equal(http_head_status(&cl, 1, "HTTP/1.1"), 400);
    assert_int_equal(http_head_status(&cl, 1, "HTTP/1.0"), 0);
    assert_int_equal(http_head_status(&cl, 1, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heads),
        cmocka_unit_test(limits),
        cmocka_unit_test(status_of_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
