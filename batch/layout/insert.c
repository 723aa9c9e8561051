#include "insert.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "lang.h"
#include "marks.h"
#include "sheetmark.h"
#include "typeset.h"

#define MM (72.0 / 25.4)
#define PAGE_W 210.0
#define PAGE_H 297.0
#define LEFT 20.0
#define RIGHT 190.0
#define BOTTOM 287.0
#define RUBY 0.5       /* furigana size, of the text's */
#define QR_MM 30.0     /* the QR code with its quiet zone */
#define MAX_ATOMS 1024 /* breakable pieces of one paragraph */
#define GAP 1.5        /* mm between paragraphs */

/* Debian's fonts for the scripts IPAex lacks (fonts-dejavu-core, fonts-nanum,
 * fonts-wqy-microhei); <language font="..."> may name others. */
static const char *const default_fonts[IF_COUNT] = {
    [IF_LATIN] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    [IF_KO] = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    [IF_ZH] = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
};

struct insert_setup {
    const struct config *cfg;
    struct texts *texts;
    hb_font_t *font[IF_COUNT]; /* NULL: not needed by any language offered */
    unsigned upem[IF_COUNT];
    char path[IF_COUNT][512];
};

static enum insert_font font_of(enum lang l)
{
    switch (l) {
    case LANG_KO:
        return IF_KO;
    case LANG_ZH_HANS:
        return IF_ZH;
    case LANG_EN:
    case LANG_VI:
    case LANG_PT:
        return IF_LATIN;
    default:
        return IF_JA;
    }
}

static int load_font(struct insert_setup *s, enum insert_font f, const char *path,
                     struct cn_err *err)
{
    snprintf(s->path[f], sizeof s->path[f], "%s", path);
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return cn_fail(err, CN_EUSAGE, "insert: font %s cannot be read (install its package)",
                       path);
    hb_face_t *face = hb_face_create(blob, 0); /* a collection's first face */
    hb_blob_destroy(blob);
    s->upem[f] = hb_face_get_upem(face);
    const unsigned n_glyphs = hb_face_get_glyph_count(face);
    s->font[f] = hb_font_create(face);
    hb_face_destroy(face);
    if (!n_glyphs || !s->upem[f])
        return cn_fail(err, CN_EUSAGE, "insert: font %s is not a TrueType font", path);
    hb_font_make_immutable(s->font[f]);
    return CN_OK;
}

int insert_setup_load(const struct config *cfg, struct insert_setup **out, struct cn_err *err)
{
    *out = NULL;
    if (!(cfg->languages & ~(1u << LANG_JA)))
        return CN_OK;
    struct insert_setup *s = calloc(1, sizeof *s);
    if (!s)
        return cn_fail(err, CN_EUSAGE, "insert: out of memory");
    s->cfg = cfg;
    /* Every insert has its やさしい日本語 half, offered on the pages or not. */
    int rc = texts_load(cfg->catalogs, cfg->languages | (1u << LANG_JA_EASY), &s->texts, err);
    if (!rc)
        rc = load_font(s, IF_JA, cfg->font_ud_gothic, err);
    for (int l = 0; !rc && l < LANG_COUNT; l++) {
        const enum insert_font f = font_of((enum lang)l);
        if ((cfg->languages & (1u << l)) && !s->font[f])
            rc = load_font(s, f, default_fonts[f], err);
    }
    if (rc) {
        insert_setup_free(s);
        return rc;
    }
    *out = s;
    return CN_OK;
}

void insert_setup_free(struct insert_setup *s)
{
    if (!s)
        return;
    for (int f = 0; f < IF_COUNT; f++)
        hb_font_destroy(s->font[f]);
    texts_free(s->texts);
    free(s);
}

const struct texts *insert_texts(const struct insert_setup *s)
{
    return s ? s->texts : NULL;
}

void insert_font_paths(const struct insert_setup *s, const char *paths[IF_COUNT])
{
    for (int f = 0; f < IF_COUNT; f++)
        paths[f] = s->path[f];
}

/* ---- glyphs ------------------------------------------------------------------------ */

struct ig {
    uint16_t gid, adv; /* advance in thousandths of the size */
    uint8_t font;
};

/* The text's own font first, then Japanese (office names, 〜), then the others. */
static bool resolve(const struct insert_setup *s, enum insert_font primary, uint32_t cp,
                    struct ig *g)
{
    const enum insert_font order[] = {primary, IF_JA, IF_LATIN, IF_KO, IF_ZH};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const enum insert_font f = order[i];
        hb_codepoint_t gid;
        if (!s->font[f] || !hb_font_get_nominal_glyph(s->font[f], cp, &gid) || !gid)
            continue;
        long a = hb_font_get_glyph_h_advance(s->font[f], gid) * 1000L / (long)s->upem[f];
        g->gid = (uint16_t)gid;
        g->adv = (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
        g->font = (uint8_t)f;
        return true;
    }
    return false;
}

/* ---- one page: measured (c NULL) or drawn ----------------------------------------- */

struct pg {
    const struct insert_setup *s;
    const struct canvas *c;
    int gbase;
    bool failed;
    char reason[200];
};

static void fail(struct pg *p, const char *what, const char *detail)
{
    if (!p->failed)
        snprintf(p->reason, sizeof p->reason, "insert: %s%.120s", what, detail);
    p->failed = true;
}

/* Width in points of bytes [s, s+n) at size; draws them from x,y (points) when draw. */
static double run(struct pg *p, enum insert_font primary, const char *s, size_t n, double size,
                  double x, double y, bool draw)
{
    struct canvas_glyph gl[64];
    size_t k = 0;
    int font = -1;
    double w = 0, x0 = x;
    for (size_t i = 0; i < n;) {
        const size_t at = i;
        const uint32_t cp = ts_utf8_next(s, &i);
        if (i > n)
            break;
        struct ig g;
        if (!resolve(p->s, primary, cp, &g)) {
            char name[16];
            snprintf(name, sizeof name, "U+%04X", (unsigned)cp);
            fail(p, "no font has ", name);
            return w;
        }
        if (draw && p->c && k && (g.font != font || k == sizeof gl / sizeof gl[0])) {
            p->c->ops->glyphs(p->c->ctx, p->gbase + font, size, x0, y, gl, k);
            for (size_t j = 0; j < k; j++)
                x0 += gl[j].advance * size / 1000.0;
            k = 0;
        }
        font = g.font;
        gl[k++] = (struct canvas_glyph){g.gid, g.adv, s + at, i - at};
        w += g.adv * size / 1000.0;
    }
    if (draw && p->c && k)
        p->c->ops->glyphs(p->c->ctx, p->gbase + font, size, x0, y, gl, k);
    return w;
}

/* A piece a line may not be broken inside: a word of a spaced script, one CJK character
 * or a word with its furigana. */
struct atom {
    const char *base, *ruby;
    size_t blen, rlen;
    double w, bw, rw; /* whole, base and reading widths in points */
    bool space_before, no_break_before;
};

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF);
}

static uint32_t first_cp(const char *s)
{
    size_t i = 0;
    return ts_utf8_next(s, &i);
}

static uint32_t last_cp(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0)
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return first_cp(s + i);
}

/* Splits text into atoms; false when it has more than cap. */
static size_t atomise(const char *text, struct atom *a, size_t cap)
{
    size_t n = 0;
    bool space = false, in_word = false;
    struct ruby_seg seg;
    const char *s = text;
    while (texts_ruby_next(&s, &seg)) {
        if (seg.reading) {
            if (n == cap)
                return cap + 1;
            a[n++] = (struct atom){seg.base, seg.reading, seg.base_len, seg.reading_len, 0, 0,
                                   0,        space,       false};
            space = in_word = false;
            continue;
        }
        for (size_t i = 0; i < seg.base_len;) {
            const size_t at = i;
            const uint32_t cp = ts_utf8_next(seg.base, &i);
            if (cp == ' ' || cp == '\n') {
                space = true;
                in_word = false;
                continue;
            }
            if (in_word && !is_cjk(cp)) {
                a[n - 1].blen += i - at;
                continue;
            }
            if (n == cap)
                return cap + 1;
            a[n++] = (struct atom){seg.base + at, NULL, i - at, 0, 0, 0, 0, space, false};
            space = false;
            in_word = !is_cjk(cp);
        }
    }
    for (size_t i = 1; i < n; i++)
        a[i].no_break_before =
            !a[i].space_before && (ts_no_line_start(first_cp(a[i].base)) ||
                                   ts_no_line_end(last_cp(a[i - 1].base, a[i - 1].blen)));
    return n;
}

/* Lays out text in the box from x (mm) w wide, its first line's top at y (mm); returns the
 * y below its last line. */
static double para(struct pg *p, enum insert_font font, const char *text, double x, double y,
                   double w, double size, double leading)
{
    struct atom a[MAX_ATOMS];
    const size_t n = atomise(text, a, MAX_ATOMS);
    if (n > MAX_ATOMS) {
        fail(p, "a paragraph is too long", "");
        return y;
    }
    const double space_w = run(p, font, " ", 1, size, 0, 0, false);
    for (size_t i = 0; i < n; i++) {
        a[i].bw = run(p, font, a[i].base, a[i].blen, size, 0, 0, false);
        a[i].rw = a[i].ruby ? run(p, font, a[i].ruby, a[i].rlen, size * RUBY, 0, 0, false) : 0;
        a[i].w = a[i].bw > a[i].rw ? a[i].bw : a[i].rw;
    }
    const double max_w = w * MM, pitch = size * leading;
    double top = y * MM;
    for (size_t i = 0; i < n;) {
        /* The atoms of one line: as many as fit, never a break where kinsoku forbids it;
         * a chain that may not be broken at the end moves to the next line whole. */
        size_t j = i + 1, last_break = i;
        double lw = a[i].w;
        while (j < n) {
            if (!a[j].no_break_before && lw <= max_w)
                last_break = j;
            const double add = (a[j].space_before ? space_w : 0) + a[j].w;
            if (lw + add > max_w && !a[j].no_break_before)
                break;
            lw += add;
            j++;
        }
        if (lw > max_w && last_break > i) {
            j = last_break;
            lw = a[i].w;
            for (size_t k = i + 1; k < j; k++)
                lw += (a[k].space_before ? space_w : 0) + a[k].w;
        }
        if (lw > max_w + 0.5)
            fail(p, "a text does not fit its box", "");
        const double base_y = PAGE_H * MM - top - size * (leading - 0.4);
        double px = x * MM;
        for (size_t k = i; k < j; k++) {
            if (k > i && a[k].space_before)
                px += space_w;
            const double off = (a[k].w - a[k].bw) / 2;
            run(p, font, a[k].base, a[k].blen, size, px + off, base_y, true);
            if (a[k].ruby)
                run(p, font, a[k].ruby, a[k].rlen, size * RUBY, px + (a[k].w - a[k].rw) / 2,
                    base_y + size * 0.95, true);
            px += a[k].w;
        }
        top += pitch;
        i = j;
    }
    return top / MM;
}

/* ---- the page's content ------------------------------------------------------------ */

/* The Japanese source texts; the catalogs (templates/po/LANG.po) translate them. */
static const char T_TITLE[] = N_("マイナンバーカードの電子証明書の更新についてのお知らせ");
static const char T_WHAT[] = N_("この封筒は%sからの大切なお知らせです。あなたのマイナンバーカード"
                                "の電子証明書は、%sに有効期限が切れます。");
static const char T_WINDOW[] = N_("%sから%sまでの間に、窓口で更新できます。手数料はかかりません。");
static const char T_RID[] = N_("予約ID");
static const char T_BOOK_REQUIRED[] =
    N_("更新には予約が必要です。QRコードを読み取って、窓口に行く日時を予約してください。"
       "予約のページは%sでも読めます。");
static const char T_BOOK_OPTIONAL[] =
    N_("QRコードを読み取ると、窓口に行く日時を予約できます（予約しなくても行けます）。"
       "予約のページは%sでも読めます。");
static const char T_BOOK_NONE[] = N_("予約は要りません。窓口が開いている時間に行ってください。");
static const char T_WHERE[] = N_("行く場所");
static const char T_BRING[] =
    N_("マイナンバーカードとこの封筒の手紙を持って行ってください。本人が行けないときは、"
       "手紙の裏の「照会書兼回答書」（日本語）を見てください。");
static const char T_PHONE_LANG[] = N_("%sでの問い合わせ：%s");
static const char T_PHONE_JA[] = N_("問い合わせ（日本語）：%s");
static const char T_OFFICIAL[] =
    N_("この紙は説明のための翻訳です。正式なお知らせは日本語の手紙です。");

static const char *tr(const struct pg *p, enum lang l, const char *ja)
{
    return texts_get(p->s->texts, l, ja);
}

/* One language's half of the page from y (mm); returns the y below it. */
static double section(struct pg *p, const struct letter *l, const struct letter_values *v,
                      enum lang lang, double y, double size)
{
    const struct config *cfg = p->s->cfg;
    const enum insert_font f = font_of(lang);
    /* Furigana need the room between lines. */
    const double lead = lang == LANG_JA_EASY ? 2.0 : 1.5;
    const double width = RIGHT - LEFT;
    char buf[1024], d1[64], d2[64];

    y = para(p, f, tr(p, lang, T_TITLE), LEFT, y, width, size + 3, lead);
    lang_fmt_date(lang, l->certs.expiry, d1, sizeof d1);
    const char *what[] = {cfg->municipality, d1};
    texts_format(tr(p, lang, T_WHAT), what, 2, buf, sizeof buf);
    y = para(p, f, buf, LEFT, y + GAP, width, size, lead);
    lang_fmt_day(lang, l->window.start, d1, sizeof d1);
    lang_fmt_day(lang, l->window.end, d2, sizeof d2);
    const char *window[] = {d1, d2};
    texts_format(tr(p, lang, T_WINDOW), window, 2, buf, sizeof buf);
    y = para(p, f, buf, LEFT, y + GAP, width, size, lead);

    const char *insert_name = lang_self_name(l->insert_lang);
    if (l->variant.policy != RESV_NONE) {
        /* The QR code on the left, the ID and how to book beside it. */
        const double top = y + 2, text_x = LEFT + QR_MM + 4;
        struct cn_err err = {0};
        if (marks_qr(p->c, v->url, LEFT * MM, (PAGE_H - top) * MM, QR_MM, &err) != CN_OK)
            fail(p, "QR code: ", err.msg);
        double ty = para(p, f, tr(p, lang, T_RID), text_x, top + 1, RIGHT - text_x, size, 1.3);
        ty = para(p, IF_LATIN, v->rid, text_x, ty, RIGHT - text_x, size * 1.9, 1.25);
        const char *book[] = {insert_name};
        texts_format(
            tr(p, lang, l->variant.policy == RESV_REQUIRED ? T_BOOK_REQUIRED : T_BOOK_OPTIONAL),
            book, 1, buf, sizeof buf);
        ty = para(p, f, buf, text_x, ty + 1, RIGHT - text_x, size, lead);
        y = ty > top + QR_MM ? ty : top + QR_MM;
    } else {
        y = para(p, f, tr(p, lang, T_BOOK_NONE), LEFT, y + GAP, width, size, lead);
    }

    y = para(p, f, tr(p, lang, T_WHERE), LEFT, y + GAP, width, size, lead);
    for (int i = 0; l->district && i < l->district->n_offices; i++) {
        const struct office *o = &cfg->offices[l->district->offices[i]];
        snprintf(buf, sizeof buf, "・%s　%s", o->name, o->contact);
        y = para(p, IF_JA, buf, LEFT + 3, y, width - 3, size * 0.95, 1.4);
    }
    y = para(p, f, tr(p, lang, T_BRING), LEFT, y + GAP, width, size, lead);

    const struct language_line *line = &cfg->language_line[l->insert_lang];
    char phone[192];
    if (line->phone[0]) {
        snprintf(phone, sizeof phone, "%s%s%s%s", line->phone, line->hours[0] ? " (" : "",
                 line->hours, line->hours[0] ? ")" : "");
        const char *args[] = {insert_name, phone};
        texts_format(tr(p, lang, T_PHONE_LANG), args, 2, buf, sizeof buf);
    } else {
        snprintf(phone, sizeof phone, "%s",
                 cfg->booking_phone[0] ? cfg->booking_phone : cfg->sender_phone);
        const char *args[] = {phone};
        texts_format(tr(p, lang, T_PHONE_JA), args, 1, buf, sizeof buf);
    }
    y = para(p, f, buf, LEFT, y + GAP, width, size, lead);
    return para(p, f, tr(p, lang, T_OFFICIAL), LEFT, y + GAP, width, size * 0.8, lead);
}

/* The marks every page carries: the human-readable line, the DataMatrix, the fold ticks. */
static void page_marks(struct pg *p, const struct letter *l, const struct letter_values *v)
{
    char text[128];
    snprintf(text, sizeof text, "No.%s　%d/%d　F%s　%s", v->seq, v->page_no, v->page_count,
             v->file_no, v->variant);
    const double w = run(p, IF_JA, text, strlen(text), 6.5, 0, 0, false);
    run(p, IF_JA, text, strlen(text), 6.5, 200 * MM - w, (PAGE_H - 7) * MM, true);
    if (!p->c) /* the check comes before the letter is numbered, as the templates' marks */
        return;
    struct sheetmark m = {
        .file = l->file_no, .seq = l->seq, .page = v->page_no, .pages = v->page_count};
    snprintf(m.batch, sizeof m.batch, "%s", l->batch && *l->batch ? l->batch : "SPECIMEN");
    char mark[SHEETMARK_MAX + 1];
    struct cn_err err = {0};
    if (!sheetmark_format(&m, mark, sizeof mark))
        fail(p, "no sheet mark for this letter", "");
    else if (marks_datamatrix(p->c, mark, 188 * MM, (PAGE_H - 9) * MM, 10, &err) != CN_OK)
        fail(p, "DataMatrix: ", err.msg);
    const struct canvas_ops *o = p->c->ops;
    o->line_width(p->c->ctx, 0.3);
    for (int k = 1; k <= 2; k++) {
        o->move_to(p->c->ctx, 2 * MM, (PAGE_H - 99 * k) * MM);
        o->line_to(p->c->ctx, 6 * MM, (PAGE_H - 99 * k) * MM);
    }
    o->stroke(p->c->ctx);
}

/* The page's body at size; returns the y below it. */
static double body(struct pg *p, const struct letter *l, const struct letter_values *v, double size)
{
    double y = section(p, l, v, l->insert_lang, 16, size);
    if (l->insert_lang == LANG_JA_EASY)
        return y;
    y += 3;
    if (p->c) {
        const struct canvas_ops *o = p->c->ops;
        o->line_width(p->c->ctx, 0.5);
        o->dash(p->c->ctx, true);
        o->move_to(p->c->ctx, LEFT * MM, (PAGE_H - y) * MM);
        o->line_to(p->c->ctx, RIGHT * MM, (PAGE_H - y) * MM);
        o->stroke(p->c->ctx);
        o->dash(p->c->ctx, false);
    }
    return section(p, l, v, LANG_JA_EASY, y + 4, size);
}

bool insert_page(const struct insert_setup *s, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int gfont_base,
                 char *reason, size_t cap)
{
    /* The largest size from 10.5 pt (14 for やさしい日本語 alone, which has the page to itself)
     * down to 8 at which the text fits the page. */
    double size = l->insert_lang == LANG_JA_EASY ? 14 : 10.5;
    struct pg m;
    for (;; size -= 0.5) {
        m = (struct pg){.s = s, .c = NULL, .gbase = gfont_base};
        page_marks(&m, l, v);
        const double y = body(&m, l, v, size);
        if (m.failed || y <= BOTTOM)
            break;
        if (size <= 8.0) {
            fail(&m, "the text does not fit the page even at 8 pt", "");
            break;
        }
    }
    if (m.failed || !c) {
        if (reason && cap)
            snprintf(reason, cap, "%s", m.failed ? m.reason : "");
        return !m.failed;
    }
    struct pg p = {.s = s, .c = c, .gbase = gfont_base};
    c->ops->gray_fill(c->ctx, 0);
    page_marks(&p, l, v);
    body(&p, l, v, size);
    if (reason && cap)
        snprintf(reason, cap, "%s", p.failed ? p.reason : "");
    return !p.failed;
}

bool insert_back(const struct insert_setup *s, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int gfont_base,
                 char *reason, size_t cap)
{
    struct pg p = {.s = s, .c = c, .gbase = gfont_base};
    page_marks(&p, l, v);
    if (reason && cap)
        snprintf(reason, cap, "%s", p.failed ? p.reason : "");
    return !p.failed;
}
