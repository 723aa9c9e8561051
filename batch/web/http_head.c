#include "http_head.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

int http_head_status(const struct http_field *fields, int n, const char *version)
{
    int cl = 0, te = 0, host = 0;
    for (int i = 0; i < n; i++) {
        const char *name = fields[i].name, *v = fields[i].value;
        if (strcasecmp(name, "Content-Length") == 0) {
            cl++;
            if (!v[0] || strspn(v, "0123456789") != strlen(v))
                return 400;
        } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
            te++;
        } else if (strcasecmp(name, "Host") == 0) {
            host++;
        }
    }
    if (cl > 1 || te > 0 || host > 1)
        return 400;
    if (version && strcmp(version, "HTTP/1.0") != 0 && host == 0)
        return 400;
    return 0;
}

/* RFC 9110's tchar: what a method or a field name is made of. */
static bool tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A line without its CR LF (or bare LF): no control character but a tab. */
static bool line_clean(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

/* "METHOD SP TARGET SP HTTP/1.x": single spaces, a target of visible characters. */
static bool request_line_ok(const char *s, size_t n, char version[9])
{
    size_t i = 0;
    while (i < n && tchar((unsigned char)s[i]))
        i++;
    if (i == 0 || i >= n || s[i] != ' ')
        return false;
    const size_t t = ++i;
    while (i < n && s[i] != ' ')
        i++;
    if (i == t || i >= n)
        return false;
    const char *v = s + i + 1;
    const size_t vn = n - i - 1;
    if (vn != 8 || (memcmp(v, "HTTP/1.1", 8) != 0 && memcmp(v, "HTTP/1.0", 8) != 0))
        return false;
    memcpy(version, v, 8);
    version[8] = '\0';
    return true;
}

/* Fields are checked in batches, so the names and values go through a small copy. */
#define FIELD_MAX 96
#define FIELD_TEXT 160

static size_t trim(const char **v, size_t n)
{
    while (n && (**v == ' ' || **v == '\t')) {
        (*v)++;
        n--;
    }
    while (n && ((*v)[n - 1] == ' ' || (*v)[n - 1] == '\t'))
        n--;
    return n;
}

int http_head_check(const char *buf, size_t len, size_t max_head, size_t max_body, int max_fields)
{
    size_t pos = 0;
    /* RFC 9112 2.2: empty lines before the request line are ignored */
    while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n'))
        pos++;
    char version[9] = "";
    /* The framing fields, copied out (only they and Host matter to http_head_status; their
     * values are short when they are valid, and a long one is invalid anyway). */
    struct http_field fields[FIELD_MAX];
    char text[FIELD_MAX][2][FIELD_TEXT];
    int n_fields = 0, n_kept = 0;
    uint64_t length = 0;
    bool first = true;
    for (;;) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        if (!nl)
            return len > max_head ? 431 : HTTP_HEAD_MORE;
        const size_t end = (size_t)(nl - buf) + 1;
        if (end > max_head)
            return 431;
        size_t n = end - 1 - pos;
        if (n && buf[pos + n - 1] == '\r')
            n--;
        const char *line = buf + pos;
        pos = end;
        if (!line_clean(line, n))
            return 400;
        if (first) {
            if (!request_line_ok(line, n, version))
                return 400;
            first = false;
            continue;
        }
        if (n == 0)
            break; /* the empty line: the head is whole */
        const char *colon = memchr(line, ':', n);
        if (!colon || colon == line || ++n_fields > max_fields)
            return n_fields > max_fields ? 431 : 400;
        for (const char *c = line; c < colon; c++)
            if (!tchar((unsigned char)*c))
                return 400; /* a space before the colon, or a folded line */
        const size_t nn = (size_t)(colon - line);
        const char *v = colon + 1;
        const size_t vn = trim(&v, n - nn - 1);
        static const char *const kept[] = {"Content-Length", "Transfer-Encoding", "Host"};
        for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++) {
            if (nn != strlen(kept[k]) || strncasecmp(line, kept[k], nn) != 0)
                continue;
            if (n_kept == FIELD_MAX)
                return 400;
            memcpy(text[n_kept][0], line, nn);
            text[n_kept][0][nn] = '\0';
            /* cut: a longer Host is as good as its start, a longer length is too large */
            const size_t cut = vn < FIELD_TEXT - 1 ? vn : FIELD_TEXT - 1;
            memcpy(text[n_kept][1], v, cut);
            text[n_kept][1][cut] = '\0';
            fields[n_kept] = (struct http_field){text[n_kept][0], text[n_kept][1]};
            n_kept++;
        }
    }
    const int st = http_head_status(fields, n_kept, version);
    if (st)
        return st;
    for (int i = 0; i < n_kept; i++) {
        if (strcasecmp(fields[i].name, "Content-Length") != 0)
            continue;
        const char *d = fields[i].value + strspn(fields[i].value, "0");
        if (strlen(d) > 19)
            return 413; /* beyond any uint64_t worth reading */
        for (; *d; d++)
            length = length * 10 + (uint64_t)(*d - '0');
    }
    return length > max_body ? 413 : 0;
}
