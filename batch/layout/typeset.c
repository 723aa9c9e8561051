#include "typeset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct ts_face {
    /* 0: no glyph. Otherwise the advance in 1/1000 em, + 1 so a zero-width glyph still
     * counts as present. 128 KB per face, built once. */
    uint16_t adv[65536];
    ts_fallback_fn fallback;
    const void *fb_ctx;
    int fb_base;
};

static uint16_t be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

struct ttf {
    const unsigned char *data;
    size_t size;
    unsigned units_per_em;
    unsigned n_hmetrics;
    const unsigned char *hmtx;
    size_t hmtx_len;
};

static const unsigned char *ttf_table(const struct ttf *t, const char tag[4], size_t *len)
{
    if (t->size < 12)
        return NULL;
    unsigned n = be16(t->data + 4);
    for (unsigned i = 0; i < n; i++) {
        const unsigned char *rec = t->data + 12 + 16 * (size_t)i;
        if (rec + 16 > t->data + t->size)
            return NULL;
        if (memcmp(rec, tag, 4) == 0) {
            uint32_t off = be32(rec + 8), l = be32(rec + 12);
            if (off > t->size || l > t->size - off)
                return NULL;
            *len = l;
            return t->data + off;
        }
    }
    return NULL;
}

static int glyph_advance(const struct ttf *t, unsigned gid)
{
    if (t->n_hmetrics == 0)
        return 0;
    unsigned idx = gid < t->n_hmetrics ? gid : t->n_hmetrics - 1;
    if ((size_t)idx * 4 + 2 > t->hmtx_len)
        return 0;
    return (int)((long)be16(t->hmtx + 4 * (size_t)idx) * 1000 / (long)t->units_per_em);
}

static void face_set(struct ts_face *f, const struct ttf *t, uint32_t cp, unsigned gid)
{
    if (cp > 0xFFFF || gid == 0)
        return;
    int a = glyph_advance(t, gid);
    if (a < 0)
        a = 0;
    if (a > 65534)
        a = 65534;
    f->adv[cp] = (uint16_t)(a + 1);
}

/* cmap format 4: segments of BMP code points (the subtable every Japanese TTF carries). */
static bool read_format4(struct ts_face *f, const struct ttf *t, const unsigned char *st,
                         size_t avail)
{
    if (avail < 14)
        return false;
    size_t len = be16(st + 2);
    if (len > avail)
        len = avail;
    unsigned segx2 = be16(st + 6);
    if (14 + 4 * (size_t)segx2 + 2 > len)
        return false;
    const unsigned char *ends = st + 14, *starts = ends + segx2 + 2, *deltas = starts + segx2,
                        *ranges = deltas + segx2;
    for (unsigned s = 0; s < segx2 / 2; s++) {
        size_t at = 2 * (size_t)s;
        unsigned end = be16(ends + at), start = be16(starts + at);
        uint16_t delta = be16(deltas + at);
        unsigned ro = be16(ranges + at);
        for (unsigned c = start; c <= end && c != 0xFFFF; c++) {
            unsigned gid;
            if (ro == 0) {
                gid = (c + delta) & 0xFFFF;
            } else {
                const unsigned char *g = ranges + at + ro + 2 * (size_t)(c - start);
                if (g + 2 > st + len)
                    break;
                gid = be16(g);
                if (gid)
                    gid = (gid + delta) & 0xFFFF;
            }
            face_set(f, t, c, gid);
        }
    }
    return true;
}

/* cmap format 12: 32-bit groups; only their BMP part is kept. */
static bool read_format12(struct ts_face *f, const struct ttf *t, const unsigned char *st,
                          size_t avail)
{
    if (avail < 16)
        return false;
    uint32_t n = be32(st + 12);
    if (n > (avail - 16) / 12)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *g = st + 16 + 12 * (size_t)i;
        uint32_t a = be32(g), b = be32(g + 4), gid = be32(g + 8);
        for (uint32_t c = a; c <= b && c <= 0xFFFF; c++)
            face_set(f, t, c, gid + (c - a));
    }
    return true;
}

static bool read_cmap(struct ts_face *f, const struct ttf *t)
{
    size_t len;
    const unsigned char *cmap = ttf_table(t, "cmap", &len);
    if (!cmap || len < 4)
        return false;
    unsigned n = be16(cmap + 2);
    const unsigned char *best = NULL;
    int best_rank = 0;
    for (unsigned i = 0; i < n && 4 + 8 * (size_t)(i + 1) <= len; i++) {
        const unsigned char *rec = cmap + 4 + 8 * (size_t)i;
        unsigned plat = be16(rec), enc = be16(rec + 2);
        uint32_t off = be32(rec + 4);
        if (off + 2 > len)
            continue;
        unsigned fmt = be16(cmap + off);
        int rank = 0;
        if (plat == 3 && enc == 10 && fmt == 12)
            rank = 3;
        else if ((plat == 3 && enc == 1 && fmt == 4) || (plat == 0 && fmt == 4))
            rank = 2;
        if (rank > best_rank) {
            best_rank = rank;
            best = cmap + off;
        }
    }
    if (!best)
        return false;
    size_t avail = len - (size_t)(best - cmap);
    return best_rank == 3 ? read_format12(f, t, best, avail) : read_format4(f, t, best, avail);
}

int ts_face_load(const char *path, struct ts_face **out, struct cn_err *err)
{
    int rc = CN_OK;
    unsigned char *buf = NULL;
    struct ts_face *f = NULL;
    FILE *fp = fopen(path, "rb");
    *out = NULL;
    if (!fp) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: %s", path, strerror(errno));
        goto done;
    }
    if (fseek(fp, 0, SEEK_END) != 0) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: cannot seek", path);
        goto done;
    }
    long size = ftell(fp);
    if (size < 12 || size > 64L * 1024 * 1024 || fseek(fp, 0, SEEK_SET) != 0) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: not a TrueType font", path);
        goto done;
    }
    buf = malloc((size_t)size);
    f = calloc(1, sizeof *f);
    if (!buf || !f) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: out of memory", path);
        goto done;
    }
    if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: read error", path);
        goto done;
    }
    struct ttf t = {.data = buf, .size = (size_t)size};
    size_t hlen, hhlen;
    const unsigned char *head = ttf_table(&t, "head", &hlen);
    const unsigned char *hhea = ttf_table(&t, "hhea", &hhlen);
    t.hmtx = ttf_table(&t, "hmtx", &t.hmtx_len);
    if (!head || hlen < 54 || !hhea || hhlen < 36 || !t.hmtx) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: not a TrueType font (head/hhea/hmtx missing)", path);
        goto done;
    }
    t.units_per_em = be16(head + 18);
    t.n_hmetrics = be16(hhea + 34);
    if (t.units_per_em == 0 || !read_cmap(f, &t)) {
        rc = cn_fail(err, CN_EUSAGE, "font %s: no usable Unicode cmap", path);
        goto done;
    }
    *out = f;
    f = NULL;
done:
    if (fp)
        fclose(fp);
    free(buf);
    free(f);
    return rc;
}

void ts_face_free(struct ts_face *face)
{
    free(face);
}

void ts_face_set_fallback(struct ts_face *face, ts_fallback_fn fn, const void *ctx, int base)
{
    face->fallback = fn;
    face->fb_ctx = ctx;
    face->fb_base = base;
}

bool ts_is_selector(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

bool ts_has_glyph(const struct ts_face *face, uint32_t cp)
{
    return cp <= 0xFFFF && face->adv[cp] != 0;
}

int ts_advance(const struct ts_face *face, uint32_t cp)
{
    if (cp > 0xFFFF || face->adv[cp] == 0)
        return 1000; /* what libharu draws in place of a missing glyph: a full-width blank */
    return face->adv[cp] - 1;
}

uint32_t ts_utf8_next(const char *s, size_t *pos)
{
    uint32_t cp;
    const int len = utf8_next(s + *pos, SIZE_MAX, &cp);
    /* A malformed sequence prints as U+FFFD, never as a character it did not encode. A NUL
     * is stepped over like any byte: a caller walking a length may meet one inside. */
    if (len < 0) {
        *pos += (size_t)-len;
        return 0xFFFD;
    }
    *pos += len ? (size_t)len : 1;
    return cp;
}

uint32_t ts_utf8_next_seq(const char *s, size_t *pos, uint32_t *vs)
{
    uint32_t cp = ts_utf8_next(s, pos);
    *vs = 0;
    /* Every selector's UTF-8 starts with EF (U+FE0x) or F3 (U+E01xx): other text, nearly
     * all of it, is not decoded twice. */
    unsigned char b = (unsigned char)s[*pos];
    if (b == 0xEF || b == 0xF3) {
        size_t after = *pos;
        uint32_t next = ts_utf8_next(s, &after);
        if (ts_is_selector(next)) {
            *vs = next;
            *pos = after;
        }
    }
    return cp;
}

/* One glyph of utf8 at *pos: its character (*cp), selector (*vs, 0 if none) and advance,
 * -1 when neither the face nor its fallback can print it. */
static int next_glyph(const struct ts_face *face, const char *utf8, size_t *pos, uint32_t *cp,
                      uint32_t *vs)
{
    *cp = ts_utf8_next_seq(utf8, pos, vs);
    if (*cp == '\n')
        return 0;
    if (*cp == 0xFFFD || ts_is_selector(*cp))
        return -1;
    if (*vs == 0 && ts_has_glyph(face, *cp))
        return face->adv[*cp] - 1;
    return face->fallback ? face->fallback(face->fb_ctx, face->fb_base, *cp, *vs) : -1;
}

/* The advance a glyph takes on the line: an unprintable one is measured as the full-width
 * blank libharu would draw (the check refuses such text before it is drawn). */
static int glyph_width(const struct ts_face *face, const char *utf8, size_t *pos, uint32_t *cp)
{
    uint32_t vs;
    int a = next_glyph(face, utf8, pos, cp, &vs);
    return a < 0 ? 1000 : a;
}

double ts_text_width(const struct ts_face *face, const char *utf8, double size)
{
    long units = 0;
    uint32_t cp;
    for (size_t i = 0; utf8[i];)
        units += glyph_width(face, utf8, &i, &cp);
    return (double)units * size / 1000.0;
}

bool ts_printable(const struct ts_face *face, const char *utf8, uint32_t bad[2])
{
    for (size_t i = 0; utf8[i];) {
        uint32_t cp, vs;
        if (next_glyph(face, utf8, &i, &cp, &vs) < 0) {
            if (bad) {
                bad[0] = cp;
                bad[1] = vs;
            }
            return false;
        }
    }
    return true;
}

bool ts_covers(const struct ts_face *face, const char *utf8)
{
    for (size_t i = 0; utf8[i];) {
        uint32_t c = ts_utf8_next(utf8, &i);
        if (c != '\n' && (c == 0xFFFD || ts_is_selector(c) || !ts_has_glyph(face, c)))
            return false;
    }
    return true;
}

static int cmp_cp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static bool in_sorted(uint32_t cp, const uint32_t *list, size_t n)
{
    return bsearch(&cp, list, n, sizeof *list, cmp_cp) != NULL;
}

/* Sorted code points (looked up per character of every line, so not a UTF-8 string):
 * 、。，．・：；？！゛゜ヽヾゝゞ々ー―‐〜～…‥）〕］｝〉》」』】〙〗 small kana
 * ぁぃぅぇぉっゃゅょゎゕゖ ァィゥェォッャュョヮヵヶ ㇰ-ㇿ and , . : ; ? ! ) ] } % ' " ” ’ ℃ °. */
static const uint32_t no_start[] = {
    0x0021, 0x0022, 0x0025, 0x0027, 0x0029, 0x002C, 0x002E, 0x003A, 0x003B, 0x003F, 0x005D, 0x007D,
    0x00B0, 0x2010, 0x2015, 0x2019, 0x201D, 0x2025, 0x2026, 0x2103, 0x3001, 0x3002, 0x3005, 0x3009,
    0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017, 0x3019, 0x301C, 0x3041, 0x3043, 0x3045, 0x3047,
    0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E, 0x3095, 0x3096, 0x309B, 0x309C, 0x309D, 0x309E,
    0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,
    0x30FB, 0x30FC, 0x30FD, 0x30FE, 0x31F0, 0x31F1, 0x31F2, 0x31F3, 0x31F4, 0x31F5, 0x31F6, 0x31F7,
    0x31F8, 0x31F9, 0x31FA, 0x31FB, 0x31FC, 0x31FD, 0x31FE, 0x31FF, 0xFF01, 0xFF09, 0xFF0C, 0xFF0E,
    0xFF1A, 0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D, 0xFF5E};

/* （〔［｛〈《「『【〘〖 ( [ { “ ‘ 〒 ￥ ＄ $: they belong with what follows. */
static const uint32_t no_end[] = {0x0024, 0x0028, 0x005B, 0x007B, 0x2018, 0x201C, 0x3008,
                                  0x300A, 0x300C, 0x300E, 0x3010, 0x3012, 0x3014, 0x3016,
                                  0x3018, 0xFF04, 0xFF08, 0xFF3B, 0xFF5B, 0xFFE5};

bool ts_no_line_start(uint32_t cp)
{
    return in_sorted(cp, no_start, sizeof no_start / sizeof *no_start);
}

bool ts_no_line_end(uint32_t cp)
{
    return in_sorted(cp, no_end, sizeof no_end / sizeof *no_end);
}

static bool is_word_char(uint32_t cp)
{
    /* Latin words, numbers, URLs and e-mail addresses stay on one line where they can. */
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '-' || cp == '/' || cp == '.' || cp == ':' || cp == '_' || cp == '@' ||
           cp == '{' || cp == '}' || cp == ',';
}

/* May a line break fall between prev and next? */
static bool break_allowed(uint32_t prev, uint32_t next)
{
    if (ts_no_line_start(next) || ts_no_line_end(prev))
        return false;
    if (is_word_char(prev) && is_word_char(next))
        return false;
    return true;
}

size_t ts_break(const struct ts_face *face, const char *utf8, double size, double max_width,
                struct ts_line *lines, size_t cap)
{
    size_t n = 0;
    size_t pos = 0;
    const size_t total = strlen(utf8);
    while (pos < total) {
        /* Spaces carried over from a break do not indent the next line. */
        while (utf8[pos] == ' ')
            pos++;
        if (pos >= total)
            break;
        size_t start = pos, i = pos;
        size_t last_ok = 0;  /* byte offset of the last allowed break inside the line */
        double ok_width = 0; /* line width up to last_ok */
        double width = 0;
        uint32_t prev = 0;
        size_t end = total, next = total;
        bool forced = false;
        while (i < total) {
            size_t at = i;
            uint32_t c;
            double w = glyph_width(face, utf8, &i, &c) * size / 1000.0;
            if (c == '\n') {
                end = at;
                next = i;
                forced = true;
                break;
            }
            if (at > start && break_allowed(prev, c)) {
                last_ok = at;
                ok_width = width;
            }
            if (at > start && width + w > max_width + 1e-6) {
                if (last_ok > start) {
                    end = next = last_ok;
                    width = ok_width;
                } else {
                    /* Nothing allowed a break: cut where it overflows rather than
                     * overflow. */
                    end = next = at;
                }
                forced = true;
                break;
            }
            width += w;
            prev = c;
        }
        if (!forced)
            end = next = total;
        /* Trailing spaces take no room on the printed line. */
        size_t e = end;
        while (e > start && utf8[e - 1] == ' ') {
            e--;
            width -= ts_advance(face, ' ') * size / 1000.0;
        }
        if (n < cap && lines) {
            lines[n].start = start;
            lines[n].len = e - start;
            lines[n].width = width;
        }
        n++;
        pos = next;
    }
    return n;
}

double ts_fit_break(const struct ts_face *face, const char *utf8, double size, double min_size,
                    double max_width, double max_height, double leading, struct ts_line *lines,
                    size_t cap, size_t *n_lines)
{
    /* Counted in quarter points so that the steps do not drift as a float counter would. */
    for (int step = 0;; step++) {
        double s = size - 0.25 * step;
        if (s < min_size - 1e-9)
            break;
        if (max_height <= 0) {
            if (!strchr(utf8, '\n') && ts_text_width(face, utf8, s) <= max_width + 1e-6) {
                if (n_lines)
                    *n_lines = ts_break(face, utf8, s, max_width, lines, cap);
                return s;
            }
            continue;
        }
        /* The lines of the size that fits are those of its own break: not broken again. */
        size_t n = ts_break(face, utf8, s, max_width, lines, cap);
        /* The last line needs only its own size, not a full line pitch. */
        if (n == 0 || (double)(n - 1) * s * leading + s <= max_height + 1e-6) {
            if (n_lines)
                *n_lines = n;
            return s;
        }
    }
    if (n_lines)
        *n_lines = 0;
    return 0;
}

double ts_fit(const struct ts_face *face, const char *utf8, double size, double min_size,
              double max_width, double max_height, double leading)
{
    return ts_fit_break(face, utf8, size, min_size, max_width, max_height, leading, NULL, 0, NULL);
}
