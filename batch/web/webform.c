#include "webform.h"

#include <string.h>

#include "utf8.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Well-formed UTF-8 (no overlongs, no surrogates) and no control characters but tab. */
static bool clean_text(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        const int len = utf8_next((const char *)s + i, n - i, &cp);
        /* 0: a NUL byte, a control character like the others. */
        if (len <= 0 || (cp < 0x20 && cp != '\t') || cp == 0x7F)
            return false;
        i += (size_t)len;
    }
    return true;
}

/* Decodes s[0..n) into out (cap bytes with the NUL). */
/* plus: '+' is a space (forms and queries), not in a path. */
static bool decode(const char *s, size_t n, char *out, size_t cap, bool plus)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+' && plus) {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return false;
            const int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return false;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (o + 1 >= cap)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return clean_text((const unsigned char *)out, o);
}

bool webform_add(struct webform *f, const char *name, const char *value)
{
    const size_t nl = strlen(name), vl = strlen(value);
    if (!nl || nl >= WEBFORM_NAME_MAX || vl >= WEBFORM_VALUE_MAX || f->n >= WEBFORM_MAX_FIELDS ||
        !clean_text((const unsigned char *)name, nl) ||
        !clean_text((const unsigned char *)value, vl) || webform_get(f, name))
        return false;
    memcpy(f->f[f->n].name, name, nl + 1);
    memcpy(f->f[f->n].value, value, vl + 1);
    f->n++;
    return true;
}

bool webform_parse(const char *s, size_t len, struct webform *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && s[eq] != '=')
                eq++;
            char name[WEBFORM_NAME_MAX], value[WEBFORM_VALUE_MAX];
            if (!decode(s + i, eq - i, name, sizeof name, true) ||
                !decode(s + (eq < end ? eq + 1 : end), eq < end ? end - eq - 1 : 0, value,
                        sizeof value, true) ||
                !webform_add(out, name, value))
                return false;
        }
        i = end + 1;
    }
    return true;
}

const char *webform_get(const struct webform *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            return f->f[i].value;
    return NULL;
}

bool webform_text_ok(const char *s)
{
    return clean_text((const unsigned char *)s, strlen(s));
}

bool webform_decode_path(const char *s, size_t len, char *out, size_t cap)
{
    return decode(s, len, out, cap, false);
}

static bool cookie_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Browsers send what other pages of the site set too: a pair this service cannot use is
 * skipped, never a reason to refuse the request. */
int webform_cookies(const char *header, struct webform *out)
{
    memset(out, 0, sizeof *out);
    if (!header)
        return 0;
    const char *p = header;
    while (*p && out->n < WEBFORM_MAX_FIELDS) {
        while (cookie_space(*p) || *p == ';')
            p++;
        const char *start = p;
        while (*p && *p != ';')
            p++;
        const char *end = p;
        while (end > start && cookie_space(end[-1]))
            end--;
        const char *eq = memchr(start, '=', (size_t)(end - start));
        if (!eq || eq == start)
            continue;
        const char *ne = eq;
        while (ne > start && cookie_space(ne[-1]))
            ne--;
        const char *v = eq + 1, *ve = end;
        while (v < ve && cookie_space(*v))
            v++;
        if (ve - v >= 2 && *v == '"' && ve[-1] == '"')
            v++, ve--;
        const size_t nl = (size_t)(ne - start), vl = (size_t)(ve - v);
        if (nl >= WEBFORM_NAME_MAX || vl >= WEBFORM_VALUE_MAX)
            continue;
        char name[WEBFORM_NAME_MAX], value[WEBFORM_VALUE_MAX];
        memcpy(name, start, nl);
        name[nl] = '\0';
        memcpy(value, v, vl);
        value[vl] = '\0';
        /* the first of two pairs with one name is the more specific path's (RFC 6265 5.4) */
        if (!webform_get(out, name))
            webform_add(out, name, value);
    }
    return out->n;
}
