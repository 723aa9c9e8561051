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

/* UnicodeData.txt 15.0, every code point of category Cf, as ranges; the names of those a
 * text editor or a registry export might carry. */
static const struct {
    uint32_t lo, hi;
    const char *name;
} format_chars[] = {
    {0x00AD, 0x00AD, "SOFT HYPHEN"},
    {0x0600, 0x0605, NULL},
    {0x061C, 0x061C, "ARABIC LETTER MARK"},
    {0x06DD, 0x06DD, NULL},
    {0x070F, 0x070F, NULL},
    {0x0890, 0x0891, NULL},
    {0x08E2, 0x08E2, NULL},
    {0x180E, 0x180E, "MONGOLIAN VOWEL SEPARATOR"},
    {0x200B, 0x200B, "ZERO WIDTH SPACE"},
    {0x200C, 0x200C, "ZERO WIDTH NON-JOINER"},
    {0x200D, 0x200D, "ZERO WIDTH JOINER"},
    {0x200E, 0x200E, "LEFT-TO-RIGHT MARK"},
    {0x200F, 0x200F, "RIGHT-TO-LEFT MARK"},
    {0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING"},
    {0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING"},
    {0x202C, 0x202C, "POP DIRECTIONAL FORMATTING"},
    {0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE"},
    {0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE"},
    {0x2060, 0x2060, "WORD JOINER"},
    {0x2061, 0x2064, NULL},
    {0x2066, 0x2066, "LEFT-TO-RIGHT ISOLATE"},
    {0x2067, 0x2067, "RIGHT-TO-LEFT ISOLATE"},
    {0x2068, 0x2068, "FIRST STRONG ISOLATE"},
    {0x2069, 0x2069, "POP DIRECTIONAL ISOLATE"},
    {0x206A, 0x206F, NULL},
    {0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE"},
    {0xFFF9, 0xFFFB, NULL},
    {0x110BD, 0x110BD, NULL},
    {0x110CD, 0x110CD, NULL},
    {0x13430, 0x1343F, NULL},
    {0x1BCA0, 0x1BCA3, NULL},
    {0x1D173, 0x1D17A, NULL},
    {0xE0001, 0xE0001, "LANGUAGE TAG"},
    {0xE0020, 0xE007F, "TAG"},
};

bool utf8_is_format(uint32_t cp, const char **name)
{
    for (size_t i = 0; i < sizeof format_chars / sizeof format_chars[0]; i++) {
        if (cp >= format_chars[i].lo && cp <= format_chars[i].hi) {
            if (name)
                *name = format_chars[i].name;
            return true;
        }
    }
    return false;
}
