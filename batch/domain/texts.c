#include "texts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msgcat.h"

struct texts {
    struct msgcat *cat[LANG_COUNT]; /* NULL for Japanese and languages not offered */
};

int texts_load(const char *dir, lang_set offered, struct texts **out, struct cn_err *err)
{
    *out = NULL;
    struct texts *t = calloc(1, sizeof *t);
    if (!t)
        return cn_fail(err, CN_EUSAGE, "texts: out of memory");
    for (int l = 0; l < LANG_COUNT; l++) {
        if (l == LANG_JA || !(offered & (1u << l)))
            continue;
        char path[1024];
        if ((size_t)snprintf(path, sizeof path, "%s/%s.po", dir, lang_code((enum lang)l)) >=
            sizeof path) {
            texts_free(t);
            return cn_fail(err, CN_EUSAGE, "texts: the catalogs' folder path is too long");
        }
        int rc = msgcat_load(path, &t->cat[l], err);
        if (rc) {
            texts_free(t);
            return rc;
        }
    }
    *out = t;
    return CN_OK;
}

void texts_free(struct texts *t)
{
    if (!t)
        return;
    for (int l = 0; l < LANG_COUNT; l++)
        msgcat_free(t->cat[l]);
    free(t);
}

const char *texts_get(const struct texts *t, enum lang l, const char *ja)
{
    if (!t || (unsigned)l >= LANG_COUNT)
        return ja;
    const char *s = msgcat_find(t->cat[l], ja);
    return s ? s : ja;
}

bool texts_format(const char *fmt, const char *const *args, size_t n, char *out, size_t cap)
{
    size_t len = 0, k = 0;
    bool ok = true;
    if (!cap)
        return false;
    for (const char *p = fmt; *p; p++) {
        const char *piece = p;
        size_t plen = 1;
        if (p[0] == '%' && p[1] == 's') {
            piece = k < n && args[k] ? args[k] : "";
            plen = strlen(piece);
            k++;
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            p++;
        }
        if (len + plen >= cap) {
            plen = cap - 1 - len;
            ok = false;
        }
        memcpy(out + len, piece, plen);
        len += plen;
        if (!ok)
            break;
    }
    out[len] = '\0';
    return ok;
}

bool texts_ruby_next(const char **s, struct ruby_seg *seg)
{
    const char *p = *s;
    if (!*p)
        return false;
    *seg = (struct ruby_seg){0};
    if (*p == '[') {
        const char *bar = strchr(p + 1, '|');
        const char *end = bar ? strchr(bar + 1, ']') : NULL;
        /* Only a whole [base|reading] without another [ inside is markup; anything else
         * is the text's own bracket. */
        if (end && bar > p + 1 && end > bar + 1 && !memchr(p + 1, '[', (size_t)(end - p - 1))) {
            seg->base = p + 1;
            seg->base_len = (size_t)(bar - p - 1);
            seg->reading = bar + 1;
            seg->reading_len = (size_t)(end - bar - 1);
            *s = end + 1;
            return true;
        }
    }
    const char *q = p + 1;
    while (*q && *q != '[')
        q++;
    seg->base = p;
    seg->base_len = (size_t)(q - p);
    *s = q;
    return true;
}

bool texts_plain(const char *s, char *out, size_t cap)
{
    size_t len = 0;
    struct ruby_seg seg;
    if (cap)
        out[0] = '\0';
    while (texts_ruby_next(&s, &seg)) {
        if (len + seg.base_len >= cap)
            return false;
        memcpy(out + len, seg.base, seg.base_len);
        len += seg.base_len;
        out[len] = '\0';
    }
    return true;
}
