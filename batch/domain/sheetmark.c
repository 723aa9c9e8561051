#include "sheetmark.h"

#include <stdio.h>
#include <string.h>

int sheetmark_check(const char *text, size_t len)
{
    static const int weight[3] = {1, 3, 7};
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned)weight[i % 3] * (unsigned char)text[i];
    return (int)(sum % 10);
}

bool sheetmark_batch_ok(const char *b)
{
    size_t n = strlen(b);
    if (n == 0 || n > SHEETMARK_BATCH_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '-'))
            return false;
    }
    return true;
}

static bool fields_ok(const struct sheetmark *m)
{
    return sheetmark_batch_ok(m->batch) && m->file >= 1 && m->file <= 9999 && m->seq >= 1 &&
           m->seq <= 9999999 && m->pages >= 1 && m->pages <= 9 && m->page >= 1 &&
           m->page <= m->pages;
}

bool sheetmark_format(const struct sheetmark *m, char *out, size_t cap)
{
    if (cap)
        out[0] = '\0';
    if (!fields_ok(m) || cap < 2)
        return false;
    int n = snprintf(out, cap, "%s|%d|%06ld|%d|%d|", m->batch, m->file, m->seq, m->page, m->pages);
    if (n < 0 || (size_t)n + 2 > cap) {
        out[0] = '\0';
        return false;
    }
    out[n] = (char)('0' + sheetmark_check(out, (size_t)n - 1));
    out[n + 1] = '\0';
    return true;
}

/* A field of digits only, at most max of them, into *v. */
static bool digits(const char *s, size_t len, size_t max, long *v)
{
    if (len == 0 || len > max)
        return false;
    long x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

bool sheetmark_parse(const char *text, struct sheetmark *out)
{
    const char *f[6];
    size_t len[6];
    const char *p = text;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 6; i++) {
        const char *bar = strchr(p, '|');
        if ((bar != NULL) != (i < 5))
            return false;
        f[i] = p;
        len[i] = bar ? (size_t)(bar - p) : strlen(p);
        p = bar ? bar + 1 : p + len[i];
    }
    long file, seq, page, pages, check;
    if (len[0] == 0 || len[0] > SHEETMARK_BATCH_MAX || !digits(f[1], len[1], 4, &file) ||
        len[2] < 6 || !digits(f[2], len[2], 7, &seq) || !digits(f[3], len[3], 1, &page) ||
        !digits(f[4], len[4], 1, &pages) || !digits(f[5], len[5], 1, &check))
        return false;
    memcpy(out->batch, f[0], len[0]);
    out->batch[len[0]] = '\0';
    out->file = (int)file;
    out->seq = seq;
    out->page = (int)page;
    out->pages = (int)pages;
    /* Exactly what format writes: no leading zeros in FILE, six digits or more in SEQUENCE. */
    char again[SHEETMARK_MAX + 1];
    bool ok = fields_ok(out) && check == sheetmark_check(text, (size_t)(f[5] - text) - 1) &&
              sheetmark_format(out, again, sizeof again) && strcmp(again, text) == 0;
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}
