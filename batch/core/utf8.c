#include "utf8.h"

int utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    *cp = 0;
    if (n == 0 || p[0] == 0)
        return 0;
    uint32_t c = p[0];
    int extra;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        c &= 0x1F;
        extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
        c &= 0x0F;
        extra = 2;
    } else if ((c & 0xF8) == 0xF0) {
        c &= 0x07;
        extra = 3;
    } else {
        return -1;
    }
    for (int i = 1; i <= extra; i++) {
        /* A NUL is no continuation byte, so the walk never passes the end of the text. */
        if ((size_t)i >= n || (p[i] & 0xC0) != 0x80)
            return -i;
        c = c << 6 | (p[i] & 0x3F);
    }
    static const uint32_t min_for[4] = {0, 0x80, 0x800, 0x10000};
    if (c < min_for[extra] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return -(extra + 1);
    *cp = c;
    return extra + 1;
}

int utf8_decode(const char *s, uint32_t *out, int cap)
{
    for (int n = 0;; n++) {
        uint32_t cp;
        const int len = utf8_next(s, SIZE_MAX, &cp);
        if (len == 0)
            return n;
        if (len < 0 || n == cap)
            return -1;
        out[n] = cp;
        s += len;
    }
}

int utf8_append(char *out, size_t *len, size_t cap, uint32_t cp)
{
    unsigned char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (*len + n >= cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[(*len)++] = (char)b[i];
    out[*len] = '\0';
    return 0;
}
