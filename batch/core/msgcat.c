#include "msgcat.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* A .po file a translator edits stays small (hundreds of entries); anything much larger is
 * not a catalog, and a line longer than this is a mistake rather than a text. */
#define MSGCAT_MAX_BYTES (4 << 20)

struct msgcat_entry {
    char *id, *str; /* str NULL: missing (empty or fuzzy) */
};

struct msgcat {
    struct msgcat_entry *e;
    size_t n, cap;
};

/* ---- printf conversions ---- */

/* The next conversion of s from *pos: its length modifier and letter packed into out
 * ("ld", "s"); false at the end. A positional one gives "$", which matches nothing. */
static bool next_conversion(const char *s, size_t *pos, char out[4])
{
    for (size_t i = *pos; s[i]; i++) {
        if (s[i] != '%')
            continue;
        if (s[i + 1] == '%') {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (s[j] >= '0' && s[j] <= '9')
            j++;
        if (s[j] == '$') {
            *pos = j + 1;
            memcpy(out, "$", 2);
            return true;
        }
        j = i + 1;
        while (strchr("-+ #0", s[j]) && s[j])
            j++;
        while ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == '*')
            j++;
        size_t k = 0;
        while (k < 2 && s[j] && strchr("hlzjtL", s[j]))
            out[k++] = s[j++];
        out[k++] = s[j] ? s[j] : '?';
        out[k] = '\0';
        *pos = s[j] ? j + 1 : j;
        return true;
    }
    return false;
}

bool msgcat_formats_match(const char *a, const char *b)
{
    size_t pa = 0, pb = 0;
    for (;;) {
        char ca[4], cb[4];
        const bool more_a = next_conversion(a, &pa, ca), more_b = next_conversion(b, &pb, cb);
        if (more_a != more_b)
            return false;
        if (!more_a)
            return true;
        if (strcmp(ca, cb) != 0 || strcmp(ca, "$") == 0)
            return false;
    }
}

/* ---- the .po reader ---- */

struct reader {
    const char *path;
    long line;
    struct cn_err *err;
};

static int bad(const struct reader *r, const char *what)
{
    return cn_fail(r->err, CN_EUSAGE, "%s:%ld: %s", r->path, r->line, what);
}

/* Appends the C string literal at s ("...", with \n \t \" \\ escapes) to buf. */
static int append_literal(const struct reader *r, const char *s, char **buf, size_t *len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '"')
        return bad(r, "expected a quoted string");
    s++;
    size_t n = strlen(s);
    char *grown = realloc(*buf, *len + n + 1);
    if (!grown)
        return cn_fail(r->err, CN_EUSAGE, "%s: out of memory", r->path);
    *buf = grown;
    for (; *s && *s != '"'; s++) {
        char ch = *s;
        if (ch == '\\') {
            s++;
            switch (*s) {
            case 'n':
                ch = '\n';
                break;
            case 't':
                ch = '\t';
                break;
            case '"':
                ch = '"';
                break;
            case '\\':
                ch = '\\';
                break;
            default:
                return bad(r, "unknown escape in a string");
            }
        }
        (*buf)[(*len)++] = ch;
    }
    if (*s != '"')
        return bad(r, "unterminated string");
    for (s++; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
        ;
    if (*s)
        return bad(r, "text after a string");
    (*buf)[*len] = '\0';
    return CN_OK;
}

static bool valid_utf8(const char *s)
{
    size_t n = strlen(s);
    for (;;) {
        uint32_t cp;
        const int k = utf8_next(s, n, &cp);
        if (k == 0)
            return true;
        if (k < 0)
            return false;
        s += k;
        n -= (size_t)k;
    }
}

/* One entry being read: which field the string lines continue, and its flags. */
enum field { F_NONE, F_CTXT, F_ID, F_STR };

struct pending {
    char *ctxt, *id, *str;
    size_t n_ctxt, n_id, n_str;
    bool fuzzy, has_id, has_str;
    long line;
};

static void pending_clear(struct pending *p)
{
    free(p->ctxt);
    free(p->id);
    free(p->str);
    *p = (struct pending){0};
}

static int add_entry(struct msgcat *c, const struct reader *r, struct pending *p)
{
    if (!p->has_id && !p->has_str && !p->ctxt)
        return CN_OK;
    /* Problems are reported at the entry's first line; the reader's own count goes on. */
    const struct reader at = {r->path, p->line, r->err};
    r = &at;
    if (!p->has_id || !p->has_str)
        return bad(r, "an entry needs both msgid and msgstr");
    if (!p->id || !p->id[0]) /* the header */
        return CN_OK;
    if (p->ctxt)
        return bad(r, "msgctxt is not used: the Japanese text itself is the key");
    if (!valid_utf8(p->id) || (p->str && !valid_utf8(p->str)))
        return bad(r, "not UTF-8");
    const bool missing = p->fuzzy || !p->str || !p->str[0];
    if (!missing && !msgcat_formats_match(p->id, p->str))
        return bad(r, "the translation's printf conversions (%s, %d ...) differ from the "
                      "source's");
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct msgcat_entry *e = realloc(c->e, cap * sizeof *e);
        if (!e)
            return cn_fail(r->err, CN_EUSAGE, "%s: out of memory", r->path);
        c->e = e;
        c->cap = cap;
    }
    c->e[c->n].id = p->id;
    c->e[c->n].str = missing ? NULL : p->str;
    if (missing)
        free(p->str);
    c->n++;
    p->id = p->str = NULL;
    return CN_OK;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct msgcat_entry *)a)->id, ((const struct msgcat_entry *)b)->id);
}

/* Handles one line of the file. */
static int read_line(struct msgcat *c, struct reader *r, struct pending *p, enum field *f,
                     const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0' || *s == '\n' || *s == '\r') {
        *f = F_NONE;
        return CN_OK;
    }
    if (*s == '#') {
        /* A comment after a string starts the next entry. */
        if (*f != F_NONE || p->has_str) {
            int rc = add_entry(c, r, p);
            pending_clear(p);
            *f = F_NONE;
            if (rc)
                return rc;
        }
        if (s[1] == ',' && strstr(s, "fuzzy"))
            p->fuzzy = true;
        return CN_OK;
    }
    if (*s == '"') {
        if (*f == F_CTXT)
            return append_literal(r, s, &p->ctxt, &p->n_ctxt);
        if (*f == F_ID)
            return append_literal(r, s, &p->id, &p->n_id);
        if (*f == F_STR)
            return append_literal(r, s, &p->str, &p->n_str);
        return bad(r, "a string outside an entry");
    }
    static const struct {
        const char *kw;
        enum field f;
    } kws[] = {{"msgctxt", F_CTXT},
               {"msgid_plural", F_NONE},
               {"msgid", F_ID},
               {"msgstr[", F_NONE},
               {"msgstr", F_STR}};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++) {
        const size_t k = strlen(kws[i].kw);
        if (strncmp(s, kws[i].kw, k) != 0)
            continue;
        if (kws[i].f == F_NONE)
            return bad(r, "plural forms are not used by this program");
        /* A keyword that begins a new entry ends the one before. */
        if ((kws[i].f == F_CTXT || kws[i].f == F_ID) && (p->has_id || p->has_str)) {
            int rc = add_entry(c, r, p);
            pending_clear(p);
            if (rc)
                return rc;
        }
        if (!p->line)
            p->line = r->line;
        *f = kws[i].f;
        if (*f == F_ID) {
            if (p->has_id)
                return bad(r, "msgid twice in an entry");
            p->has_id = true;
            p->id = calloc(1, 1);
            return p->id ? append_literal(r, s + k, &p->id, &p->n_id)
                         : cn_fail(r->err, CN_EUSAGE, "%s: out of memory", r->path);
        }
        if (*f == F_STR) {
            if (!p->has_id || p->has_str)
                return bad(r, "msgstr without its msgid");
            p->has_str = true;
            p->str = calloc(1, 1);
            return p->str ? append_literal(r, s + k, &p->str, &p->n_str)
                          : cn_fail(r->err, CN_EUSAGE, "%s: out of memory", r->path);
        }
        p->ctxt = calloc(1, 1);
        return p->ctxt ? append_literal(r, s + k, &p->ctxt, &p->n_ctxt)
                       : cn_fail(r->err, CN_EUSAGE, "%s: out of memory", r->path);
    }
    return bad(r, "unknown line (expected msgid, msgstr, a string or a comment)");
}

int msgcat_load(const char *path, struct msgcat **out, struct cn_err *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cn_fail(err, CN_EUSAGE, "%s: cannot open the catalog: %s", path, strerror(errno));
    struct msgcat *c = calloc(1, sizeof *c);
    struct reader r = {path, 0, err};
    struct pending p = {0};
    enum field f = F_NONE;
    char *line = NULL;
    size_t cap = 0, total = 0;
    ssize_t got;
    int rc = c ? CN_OK : cn_fail(err, CN_EUSAGE, "%s: out of memory", path);
    while (rc == CN_OK && (got = getline(&line, &cap, fp)) >= 0) {
        r.line++;
        total += (size_t)got;
        if (total > MSGCAT_MAX_BYTES)
            rc = bad(&r, "the catalog is too large");
        else if (strlen(line) != (size_t)got)
            rc = bad(&r, "a NUL byte");
        else
            rc = read_line(c, &r, &p, &f, line);
    }
    if (rc == CN_OK && ferror(fp))
        rc = cn_fail(err, CN_EUSAGE, "%s: read error", path);
    if (rc == CN_OK)
        rc = add_entry(c, &r, &p);
    pending_clear(&p);
    free(line);
    fclose(fp);
    if (rc == CN_OK && c && c->n) {
        qsort(c->e, c->n, sizeof *c->e, by_id);
        for (size_t i = 1; i < c->n; i++)
            if (strcmp(c->e[i - 1].id, c->e[i].id) == 0) {
                rc = cn_fail(err, CN_EUSAGE, "%s: the same msgid twice: \"%.60s\"", path,
                             c->e[i].id);
                break;
            }
    }
    if (rc) {
        msgcat_free(c);
        return rc;
    }
    *out = c;
    return CN_OK;
}

void msgcat_free(struct msgcat *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].id);
        free(c->e[i].str);
    }
    free(c->e);
    free(c);
}

static const struct msgcat_entry *lookup(const struct msgcat *c, const char *msgid)
{
    if (!c || !msgid)
        return NULL;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const int d = strcmp(msgid, c->e[mid].id);
        if (d == 0)
            return &c->e[mid];
        if (d < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *msgcat_find(const struct msgcat *c, const char *msgid)
{
    const struct msgcat_entry *e = lookup(c, msgid);
    return e ? e->str : NULL;
}

bool msgcat_has(const struct msgcat *c, const char *msgid)
{
    return lookup(c, msgid) != NULL;
}

size_t msgcat_count(const struct msgcat *c)
{
    return c ? c->n : 0;
}

void msgcat_entry(const struct msgcat *c, size_t i, const char **id, const char **str)
{
    *id = c->e[i].id;
    *str = c->e[i].str;
}
