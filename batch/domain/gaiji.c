#include "gaiji.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "utf8.h"

#define SEQ_MAX 4

struct entry {
    uint32_t pua;
    char utf8[4 * SEQ_MAX + 1];
};

struct gaiji_map {
    struct entry *e;
    size_t n, cap;
};

bool gaiji_is_pua(uint32_t cp)
{
    return (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0xFFFFD) ||
           (cp >= 0x100000 && cp <= 0x10FFFD);
}

static size_t put_utf8(uint32_t c, char *o)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* One code point (U+XXXX or XXXX) at *p; false when there is none. */
static bool read_cp(const char **p, uint32_t *cp)
{
    const char *s = *p;
    if ((s[0] == 'U' || s[0] == 'u') && s[1] == '+')
        s += 2;
    if (!isxdigit((unsigned char)*s))
        return false;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 16);
    if (errno || end - s > 6 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    *cp = (uint32_t)v;
    *p = end;
    return true;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    return s;
}

static int cmp_entry(const void *a, const void *b)
{
    uint32_t x = ((const struct entry *)a)->pua, y = ((const struct entry *)b)->pua;
    return (x > y) - (x < y);
}

/* Parses one line into e; NULL on success, else what is wrong. Blank: e->pua 0. */
static const char *parse_line(const char *line, struct entry *e)
{
    memset(e, 0, sizeof *e);
    const char *p = skip_space(line);
    if (*p == '\0' || *p == '\n' || *p == '#')
        return NULL;
    if (!read_cp(&p, &e->pua))
        return "expected a code point such as U+E000";
    if (!gaiji_is_pua(e->pua))
        return "the first code point is not in the Private Use Area";
    size_t len = 0;
    int n = 0;
    for (;;) {
        p = skip_space(p);
        if (*p == '\0' || *p == '\n' || *p == '#')
            break;
        uint32_t c;
        if (!read_cp(&p, &c))
            return "expected a code point such as U+8FBB";
        if (gaiji_is_pua(c))
            return "a sequence may not contain a Private Use Area character";
        if (c < 0x20 || ++n > SEQ_MAX)
            return n > SEQ_MAX ? "more than four code points" : "a control character";
        len += put_utf8(c, e->utf8 + len);
    }
    if (n == 0)
        return "the code point has no sequence";
    return NULL;
}

int gaiji_load(const char *path, struct gaiji_map **out, struct cn_err *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cn_fail(err, CN_EUSAGE, "gaiji map %s: %s", path, strerror(errno));
    struct gaiji_map *m = calloc(1, sizeof *m);
    int rc = CN_OK;
    char line[512];
    long no = 0;
    if (!m) {
        rc = cn_fail(err, CN_EUSAGE, "gaiji map %s: out of memory", path);
        goto done;
    }
    while (fgets(line, sizeof line, fp)) {
        no++;
        struct entry e;
        const char *why = parse_line(line, &e);
        if (why) {
            rc = cn_fail(err, CN_EUSAGE, "gaiji map %s:%ld: %s", path, no, why);
            goto done;
        }
        if (e.pua == 0)
            continue;
        struct entry *more = grow_for_one(m->e, &m->cap, m->n, sizeof *m->e, 64);
        if (!more) {
            rc = cn_fail(err, CN_EUSAGE, "gaiji map %s: out of memory", path);
            goto done;
        }
        m->e = more;
        m->e[m->n++] = e;
    }
    if (ferror(fp)) {
        rc = cn_fail(err, CN_EUSAGE, "gaiji map %s: read error", path);
        goto done;
    }
    if (m->n)
        qsort(m->e, m->n, sizeof *m->e, cmp_entry);
    for (size_t i = 1; i < m->n; i++)
        if (m->e[i].pua == m->e[i - 1].pua) {
            rc = cn_fail(err, CN_EUSAGE, "gaiji map %s: U+%04X is mapped twice", path,
                         (unsigned)m->e[i].pua);
            goto done;
        }
    *out = m;
    m = NULL;
done:
    fclose(fp);
    gaiji_free(m);
    return rc;
}

void gaiji_free(struct gaiji_map *m)
{
    if (!m)
        return;
    free(m->e);
    free(m);
}

bool gaiji_apply(const struct gaiji_map *m, const char *utf8, char *out, size_t cap, uint32_t *bad)
{
    size_t o = 0;
    *bad = 0;
    for (size_t i = 0; utf8[i];) {
        uint32_t c;
        const int n = utf8_next(utf8 + i, SIZE_MAX, &c);
        /* A malformed sequence is no gaiji: its bytes pass through for the check to flag. */
        size_t len = n < 0 ? (size_t)-n : (size_t)n;
        const char *src = utf8 + i;
        i += len;
        if (gaiji_is_pua(c)) {
            struct entry key = {.pua = c};
            const struct entry *e =
                m && m->n ? bsearch(&key, m->e, m->n, sizeof *m->e, cmp_entry) : NULL;
            if (!e) {
                *bad = c;
                return false;
            }
            src = e->utf8;
            len = strlen(e->utf8);
        }
        if (o + len >= cap)
            return false;
        memcpy(out + o, src, len);
        o += len;
    }
    if (o >= cap)
        return false;
    out[o] = '\0';
    return true;
}
