#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void strbuf_release(struct strbuf *sb)
{
    free(sb->buf);
    *sb = (struct strbuf)STRBUF_INIT;
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *out = NULL;
    size_t n = 0;
    if (!sb->failed && strbuf_grow(sb, 0)) {
        out = sb->buf;
        n = sb->len;
    } else {
        free(sb->buf);
    }
    *sb = (struct strbuf)STRBUF_INIT;
    if (len)
        *len = n;
    return out;
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

void strbuf_fail(struct strbuf *sb)
{
    sb->failed = true;
}

bool strbuf_grow(struct strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    if (extra > SIZE_MAX - 1 - sb->len) {
        sb->failed = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (sb->buf && need <= sb->alloc)
        return true;
    /* Doubling keeps appends amortised O(1); 64 bytes spares tiny buffers many steps. */
    size_t alloc = sb->alloc ? sb->alloc : 64;
    while (alloc < need) {
        if (alloc > SIZE_MAX / 2) {
            alloc = need;
            break;
        }
        alloc *= 2;
    }
    char *grown = realloc(sb->buf, alloc);
    if (!grown) {
        sb->failed = true;
        return false;
    }
    if (!sb->buf)
        grown[0] = '\0';
    sb->buf = grown;
    sb->alloc = alloc;
    return true;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
    if (!strbuf_grow(sb, n))
        return;
    if (n)
        memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    /* Tried in the room there is; when the text is longer, once more with room for all
     * of it: never cut (the SVG's old 512-byte line was). */
    for (int pass = 0; pass < 2; pass++) {
        if (!strbuf_grow(sb, pass == 0 ? 64 : 0))
            return;
        size_t room = sb->alloc - sb->len;
        va_list copy;
        va_copy(copy, ap);
        int n = vsnprintf(sb->buf + sb->len, room, fmt, copy);
        va_end(copy);
        if (n < 0) {
            sb->failed = true;
            return;
        }
        if ((size_t)n < room) {
            sb->len += (size_t)n;
            return;
        }
        sb->buf[sb->len] = '\0';
        if (!strbuf_grow(sb, (size_t)n))
            return;
    }
    sb->failed = true; /* unreachable: the second pass had room */
}

static ssize_t stream_write(void *cookie, const char *data, size_t n)
{
    struct strbuf *sb = cookie;
    strbuf_add(sb, data, n);
    return sb->failed ? -1 : (ssize_t)n;
}

FILE *strbuf_stream(struct strbuf *sb)
{
    cookie_io_functions_t io = {.write = stream_write};
    return fopencookie(sb, "w", io);
}
