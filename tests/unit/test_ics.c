/* Tests for ics: an RFC 5545 event with escaped text, Japan's time as UTC, lines of at most
 * 75 octets folded between characters, CRLF line ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ics.h"

static void event(void **state)
{
    (void)state;
    const struct ics_event e = {
        .uid = "Y000001@certnotice",
        .day = date_from_ymd(2027, 1, 12),
        .start_min = 9 * 60,
        .end_min = 9 * 60 + 30,
        .stamp = 1798761600, /* 2027-01-01 00:00:00 UTC */
        .summary = "電子証明書の更新（市役所 市民課）",
        .location = "見本市中央一丁目1番1号 本庁舎1階, 窓口; 2番\\",
        .description = "予約番号 Y000001\n持ち物：マイナンバーカード、通知書（予約ID通知書）、"
                       "設定している暗証番号",
    };
    char buf[4096];
    size_t n = ics_write(&e, buf, sizeof buf);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert_non_null(strstr(buf, "DTSTAMP:20270101T000000Z\r\n"));
    assert_non_null(strstr(buf, "DTSTART:20270112T000000Z\r\n")); /* 9:00 JST */
    assert_non_null(strstr(buf, "DTEND:20270112T003000Z\r\n"));
    assert_non_null(strstr(buf, "本庁舎1階\\, 窓口\\; 2番\\\\"));
    assert_non_null(strstr(buf, "Y000001\\n持ち物"));
    assert_non_null(strstr(buf, "END:VCALENDAR\r\n"));
    /* every line ends in CRLF, is at most 75 octets, and starts on a character boundary */
    const char *line = buf;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        assert_true(crlf - line <= 75);
        const unsigned char first = (unsigned char)(line[0] == ' ' ? line[1] : line[0]);
        assert_true((first & 0xC0) != 0x80);
        line = crlf + 2;
    }
    /* unfolded, the text is whole again */
    char unfolded[4096];
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == ' ') {
            i += 2;
            continue;
        }
        unfolded[u++] = buf[i];
    }
    unfolded[u] = '\0';
    assert_non_null(strstr(unfolded, "DESCRIPTION:予約番号 Y000001\\n持ち物：マイナンバーカード、"
                                     "通知書（予約ID通知書）、設定している暗証番号\r\n"));
    assert_int_equal(ics_write(&e, buf, 100), 0); /* too small: nothing half-written */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(event)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
