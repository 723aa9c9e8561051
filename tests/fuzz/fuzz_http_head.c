/* fuzz_http_head: arbitrary bytes as the first bytes a connection sends, through the gate's
 * rule (http_head_check), under limits the first byte picks. Beyond "no crash": the answer
 * is one the gate acts on (more, pass, 400, 413, 431); "more" only while within the size
 * limit; a head passed is whole (an empty line ends it) within the limit, has a request
 * line "TOKEN SP TARGET SP HTTP/1.0|1.1", no NUL or other control byte, no
 * Transfer-Encoding and, for HTTP/1.1, a Host; and the answer for a head does not change
 * when more bytes (a body, the next request) follow it. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the head ends (just past its empty line), or 0. */
static size_t head_end(const char *s, size_t n)
{
    size_t start = 0;
    while (start < n && (s[start] == '\r' || s[start] == '\n'))
        start++;
    for (size_t i = start; i + 1 < n; i++) {
        if (s[i] != '\n')
            continue;
        if (s[i + 1] == '\n')
            return i + 2;
        if (i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* A header line in s[0..n) whose name is name (case-insensitive), followed by ':'. */
static bool has_field(const char *s, size_t n, const char *name)
{
    const size_t k = strlen(name);
    for (size_t i = 0; i + k + 1 < n; i++)
        if (s[i] == '\n' && strncasecmp(s + i + 1, name, k) == 0 && s[i + 1 + k] == ':')
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const size_t heads[] = {64, 256, 1024, 8192};
    const size_t max_head = heads[data[0] & 3];
    const size_t max_body = (data[0] >> 2) & 1 ? 64 : 8192;
    const int max_fields = (data[0] >> 3) & 1 ? 4 : 64;
    const char *s = (const char *)data + 1;
    const size_t n = size - 1;
    const int st = http_head_check(s, n, max_head, max_body, max_fields);
    if (st != HTTP_HEAD_MORE && st != 0 && st != 400 && st != 413 && st != 431)
        abort();
    if (st == HTTP_HEAD_MORE && n > max_head)
        abort();
    if (st != 0)
        return 0;
    const size_t end = head_end(s, n);
    if (end == 0 || end > max_head)
        abort();
    for (size_t i = 0; i < end; i++) {
        const unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            abort();
    }
    if (has_field(s, end, "Transfer-Encoding"))
        abort();
    /* the request line (after any empty lines) ends in the version */
    size_t a = 0;
    while (s[a] == '\r' || s[a] == '\n')
        a++;
    const char *nl = memchr(s + a, '\n', end - a);
    size_t b = (size_t)(nl - s);
    if (b > a && s[b - 1] == '\r')
        b--;
    if (b < a + 9 || memcmp(s + b - 9, " HTTP/1.", 8) != 0 || (s[b - 1] != '0' && s[b - 1] != '1'))
        abort();
    if (s[b - 1] == '1' && !has_field(s, end, "Host"))
        abort();
    /* what follows the head does not change the answer about it */
    if (http_head_check(s, end, max_head, max_body, max_fields) != 0)
        abort();
    return 0;
}
