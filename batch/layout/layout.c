#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gaiji.h"
#include "marks.h"
#include "officecal.h"
#include "sheetmark.h"
#include "vocab.h"

#define MM (72.0 / 25.4)

struct walk {
    const struct layout_setup *s;
    struct vocab_ctx vc;    /* the names' values; its office changes inside <each> */
    const struct canvas *c; /* NULL: measure and check only */
    double page_h;          /* points */
    char office_hours[512];
    bool failed;
    char reason[200];
};

static void fail(struct walk *w, const struct tmpl_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct walk *w, const struct tmpl_node *n, const char *fmt, ...)
{
    if (w->failed)
        return;
    w->failed = true;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(w->reason, sizeof w->reason, "%s (template line %d)", msg, n->line);
}

static double py(const struct walk *w, double y_mm)
{
    return w->page_h - y_mm * MM;
}

/* ---- glyphs: the only place the layout asks about characters ------------------------ */

/* The font text is set in: the node's, or IPAmj明朝 for the whole text when some glyph of
 * it needs IPAmj明朝 and the setup sets such texts wholly in it. */
static const struct layout_font *font_for(const struct walk *w, const struct tmpl_node *n,
                                          const char *text)
{
    const struct layout_font *f = &w->s->font[n->font];
    if (!w->s->mj_whole || !w->s->glyphs || !w->s->mj.metrics || ts_covers(f->metrics, text))
        return f;
    return glyphs_text_needs_mj(w->s->glyphs, f->base, text) ? &w->s->mj : f;
}

/* The first character or sequence of text no font can print (or malformed UTF-8). */
static bool glyphs_printable(const struct layout_font *f, const char *text, uint32_t bad[2])
{
    return ts_printable(f->metrics, text, bad);
}

static double glyphs_width(const struct layout_font *f, const char *text, double size)
{
    return ts_text_width(f->metrics, text, size);
}

static double glyphs_fit(const struct layout_font *f, const char *text, double size,
                         double min_size, double max_w, double max_h, double leading)
{
    return ts_fit(f->metrics, text, size, min_size, max_w, max_h, leading);
}

/* glyphs_fit, with the lines of the size found. */
static double glyphs_fit_break(const struct layout_font *f, const char *text, double size,
                               double min_size, double max_w, double max_h, double leading,
                               struct ts_line *lines, size_t cap, size_t *n_lines)
{
    return ts_fit_break(f->metrics, text, size, min_size, max_w, max_h, leading, lines, cap,
                        n_lines);
}

#define RUN_MAX 1024 /* glyphs of one line: show() passes at most 1023 bytes */

/* Draws a run of text at x,y (points, baseline): as text in the canvas font where it has
 * every glyph (the common case, one call), else in runs: text where the canvas font can show
 * it, glyphs by ID from the glyph font elsewhere, each run starting where the last ended. */
bool layout_show_glyphs(const struct canvas *c, const struct glyph_source *g, int base, double size,
                        double x, double y, const char *text)
{
    static _Thread_local struct glyph gl[RUN_MAX];
    static _Thread_local struct canvas_glyph cg[RUN_MAX];
    uint32_t bad[2];
    long n = g ? glyphs_resolve(g, (enum glyph_font)base, text, gl, RUN_MAX, bad) : -1;
    if (n < 0 || n > RUN_MAX)
        return false;
    for (long i = 0; i < n;) {
        long j = i;
        long units = 0;
        while (j < n && gl[j].libharu == gl[i].libharu && gl[j].font == gl[i].font)
            units += gl[j++].advance;
        if (gl[i].libharu) {
            char run[RUN_MAX * 4];
            size_t len = gl[j - 1].start + gl[j - 1].len - gl[i].start;
            memcpy(run, text + gl[i].start, len);
            run[len] = '\0';
            c->ops->text(c->ctx, gl[i].font, size, x, y, run);
        } else {
            for (long k = i; k < j; k++)
                cg[k - i] =
                    (struct canvas_glyph){gl[k].gid, gl[k].advance, text + gl[k].start, gl[k].len};
            c->ops->glyphs(c->ctx, gl[i].font, size, x, y, cg, (size_t)(j - i));
        }
        x += (double)units * size / 1000.0;
        i = j;
    }
    return true;
}

/* Shows one line: as text in the canvas font when that font has every glyph (the common
 * case, one call), else through layout_show_glyphs. */
static void glyphs_show(const struct walk *w, const struct layout_font *f, double size, double x,
                        double y, const char *text)
{
    if (f->canvas_font >= 0 && ts_covers(f->metrics, text)) {
        w->c->ops->text(w->c->ctx, f->canvas_font, size, x, y, text);
        return;
    }
    /* false: the check refused such text before anything was drawn */
    layout_show_glyphs(w->c, w->s->glyphs, f->base, size, x, y, text);
}

/* ---- text ------------------------------------------------------------------------- */

/* Expands and checks a node's text: every character printable. */
static bool node_text(struct walk *w, const struct tmpl_node *n, char *buf, size_t cap)
{
    if (!tmpl_expand(n->text, vocab_lookup, &w->vc, buf, cap)) {
        fail(w, n, "%s", "text too long");
        return false;
    }
    uint32_t bad[2];
    if (!glyphs_printable(font_for(w, n, buf), buf, bad)) {
        /* The template's text, not the letter's: says which field without copying it. */
        char seq[40];
        glyphs_name(bad, seq, sizeof seq);
        const char *why = bad[0] == 0xFFFD       ? "(malformed UTF-8)"
                          : gaiji_is_pua(bad[0]) ? "(a gaiji the gaiji map lacks)"
                          : !w->s->glyphs        ? "missing from the font"
                                                 : "has no glyph in any font";
        fail(w, n, "character %s %s in \"%.60s\"", seq, why, n->text);
        return false;
    }
    return true;
}

static void show(struct walk *w, const struct tmpl_node *n, const struct layout_font *f,
                 double size, double x_mm, double base_mm, const char *text, size_t len)
{
    if (!w->c || len == 0)
        return;
    char line[1024];
    if (len >= sizeof line)
        len = sizeof line - 1;
    memcpy(line, text, len);
    line[len] = '\0';
    /* A text's fill is its colour: white on a dark band. */
    bool gray = n->kind == TK_TEXT && n->fill >= 0;
    if (gray)
        w->c->ops->gray_fill(w->c->ctx, n->fill);
    glyphs_show(w, f, size, x_mm * MM, py(w, base_mm), line);
    if (gray)
        w->c->ops->gray_fill(w->c->ctx, 0);
}

static double align_x(const struct tmpl_node *n, double x, double box_w, double text_w_pt)
{
    double tw = text_w_pt / MM;
    if (n->align == TA_CENTER)
        return x + (box_w - tw) / 2;
    if (n->align == TA_RIGHT)
        return x + box_w - tw;
    return x;
}

static double draw_text(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    char buf[1024];
    if (!node_text(w, n, buf, sizeof buf))
        return oy + n->y;
    const struct layout_font *f = font_for(w, n, buf);
    double size = n->size;
    if (n->w > 0) {
        size = glyphs_fit(f, buf, n->size, n->min_size, n->w * MM, 0, 1);
        if (size == 0) {
            fail(w, n, "\"%.60s\" does not fit at the smallest size", buf);
            return oy + n->y;
        }
    }
    /* x is where the text starts, centres or ends, as aligned; w only limits it. */
    double tw = glyphs_width(f, buf, size) / MM;
    double x = n->align == TA_LEFT     ? ox + n->x
               : n->align == TA_CENTER ? ox + n->x - tw / 2
                                       : ox + n->x - tw;
    show(w, n, f, size, x, oy + n->y, buf, strlen(buf));
    return oy + n->y + size * 0.3 / MM;
}

/* A text broken into a box: the font, the size it fits at and its lines. */
struct flowed {
    const struct layout_font *f;
    double size;
    size_t nl;
    struct ts_line lines[64];
};

/* Fits text into a box box_w x box_h mm at the largest size from size0 down to min_size;
 * false (the walk failed) when it does not fit. */
static bool flow_fit(struct walk *w, const struct tmpl_node *n, const char *buf, double box_w,
                     double box_h, double size0, double min_size, struct flowed *fl)
{
    fl->f = font_for(w, n, buf);
    fl->size = glyphs_fit_break(fl->f, buf, size0, min_size, box_w * MM, box_h * MM, n->leading,
                                fl->lines, 64, &fl->nl);
    if (fl->size == 0) {
        fail(w, n, "\"%.60s\" does not fit its box at the smallest size", buf);
        return false;
    }
    if (fl->nl > 64)
        fl->nl = 64;
    return true;
}

/* How tall fitted text is (mm): its last line needs only its own size, not a pitch. */
static double flow_height(const struct tmpl_node *n, const struct flowed *fl)
{
    return fl->nl ? (double)(fl->nl - 1) * fl->size * n->leading / MM + fl->size / MM : 0;
}

/* Draws fitted text in its box at x,y (mm); returns the bottom of the last line (mm). */
static double flow_show(struct walk *w, const struct tmpl_node *n, const char *buf,
                        const struct flowed *fl, double x, double y, double box_w)
{
    double pitch = fl->size * n->leading / MM;
    for (size_t i = 0; i < fl->nl; i++) {
        double lx = align_x(n, x, box_w, fl->lines[i].width);
        /* The first baseline sits one ascent (~0.88 em in IPAex) under the box's top. */
        show(w, n, fl->f, fl->size, lx, y + fl->size * 0.88 / MM + (double)i * pitch,
             buf + fl->lines[i].start, fl->lines[i].len);
    }
    return y + flow_height(n, fl);
}

/* Breaks text into the box and draws it; returns the bottom of the last line (mm). */
static double flow(struct walk *w, const struct tmpl_node *n, const char *buf, double x, double y,
                   double box_w, double box_h, double size0, double min_size)
{
    struct flowed fl;
    if (!flow_fit(w, n, buf, box_w, box_h, size0, min_size, &fl))
        return y + box_h;
    return flow_show(w, n, buf, &fl, x, y, box_w);
}

static double draw_para(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    char buf[4096];
    if (!node_text(w, n, buf, sizeof buf))
        return oy + n->y + n->h;
    return flow(w, n, buf, ox + n->x, oy + n->y, n->w, n->h, n->size, n->min_size);
}

/* ---- lines and boxes -------------------------------------------------------------- */

static void stroke_style(struct walk *w, const struct tmpl_node *n)
{
    w->c->ops->line_width(w->c->ctx, n->stroke);
    w->c->ops->dash(w->c->ctx, n->dash);
}

static void rect_mm(struct walk *w, double x, double y, double wd, double h)
{
    w->c->ops->rect(w->c->ctx, x * MM, py(w, y + h), wd * MM, h * MM);
}

static void draw_rect(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->c)
        return;
    bool fill = n->fill >= 0, stroke = n->stroke > 0;
    if (!fill && !stroke)
        return;
    if (fill)
        w->c->ops->gray_fill(w->c->ctx, n->fill);
    if (stroke)
        stroke_style(w, n);
    rect_mm(w, ox + n->x, oy + n->y, n->w, n->h);
    if (fill && stroke)
        w->c->ops->fill_stroke(w->c->ctx);
    else if (fill)
        w->c->ops->fill(w->c->ctx);
    else
        w->c->ops->stroke(w->c->ctx);
    w->c->ops->gray_fill(w->c->ctx, 0);
}

static void draw_line(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->c)
        return;
    stroke_style(w, n);
    w->c->ops->move_to(w->c->ctx, (ox + n->x) * MM, py(w, oy + n->y));
    w->c->ops->line_to(w->c->ctx, (ox + n->x2) * MM, py(w, oy + n->y2));
    w->c->ops->stroke(w->c->ctx);
}

static void draw_pinboxes(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->c)
        return;
    stroke_style(w, n);
    double x = ox + n->x;
    for (int i = 0; i < n->n; i++) {
        rect_mm(w, x, oy + n->y, n->w, n->h);
        x += n->w;
        /* A gap every `group` boxes helps the resident count 16 characters. */
        if (n->group > 0 && (i + 1) % n->group == 0)
            x += 1.5;
    }
    w->c->ops->stroke(w->c->ctx);
}

/* ---- marks ------------------------------------------------------------------------ */

static void draw_qr(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->c && w->s->qr_fits)
        return;
    struct cn_err err = {0};
    if (marks_qr(w->c, w->vc.v->url, (ox + n->x) * MM, py(w, oy + n->y), n->w, &err) != CN_OK)
        fail(w, n, "QR code: %s", err.msg);
}

static void draw_barcode(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    /* No barcode rather than a wrong one: the run sends such letters to review. */
    if (!w->c)
        return;
    const struct letter *l = w->vc.l;
    const struct resident *r = l->r;
    if (l->barcode_from == BARCODE_GIVEN)
        marks_custbar_symbols(w->c, &l->barcode, (ox + n->x) * MM, py(w, oy + n->y), n->size);
    else if (l->barcode_from == BARCODE_RULES)
        marks_custbar(w->c, r->postal_code, r->address, r->address2, (ox + n->x) * MM,
                      py(w, oy + n->y), n->size);
}

/* The sheet's mark says which batch, file, letter and page this is; a check pass has no
 * page to mark, and a specimen no batch. */
static void draw_datamatrix(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->c)
        return;
    const struct letter *l = w->vc.l;
    /* The letter's own page and pages when it has more than the template's two (an insert,
     * large print): the renderer numbers them. */
    const struct letter_values *v = w->vc.v;
    struct sheetmark m = {.file = l->file_no,
                          .seq = l->seq,
                          .page = v->page_no ? v->page_no : n->n,
                          .pages = v->page_count ? v->page_count : n->group};
    snprintf(m.batch, sizeof m.batch, "%s", l->batch && *l->batch ? l->batch : "SPECIMEN");
    char text[SHEETMARK_MAX + 1];
    struct cn_err err = {0};
    if (!sheetmark_format(&m, text, sizeof text))
        fail(w, n, "DataMatrix: no mark for batch %s file %d sequence %ld", m.batch, m.file, m.seq);
    else if (marks_datamatrix(w->c, text, (ox + n->x) * MM, py(w, oy + n->y), n->w, &err) != CN_OK)
        fail(w, n, "DataMatrix: %s", err.msg);
}

/* ---- structure -------------------------------------------------------------------- */

/* The nodes a walk draws: those of the layers lo to hi (tmpl_layer_of). */
struct layers {
    enum tmpl_layer lo, hi;
};

static void draw_node(struct walk *w, const struct tmpl_node *n, struct layers pass, double ox,
                      double oy, double *bottom);

static const struct layers all_layers = {TL_VARIANT, TL_LETTER};

static double draw_row(struct walk *w, const struct tmpl_node *t, const struct tmpl_node *row,
                       double y)
{
    const double pad = 1.2;
    double h = t->h;
    /* Each cell is fitted at its size in a box as tall as it needs, and the row is as high as
     * its tallest cell; then the frames are drawn and each cell in the row's height: at the
     * size and in the lines it was fitted with, unless the row's height is short of them (a
     * template's row-h), when it is fitted again down to the table's smallest size. */
    static _Thread_local struct {
        bool ok;
        struct tmpl_node spec;
        char text[2048];
        struct flowed fl;
    } cells[12];
    size_t n = row->n_kids < (size_t)t->n_cols ? row->n_kids : (size_t)t->n_cols;
    for (size_t i = 0; i < n; i++) {
        const struct tmpl_node *cell = &row->kids[i];
        cells[i].ok = node_text(w, cell, cells[i].text, sizeof cells[i].text);
        if (!cells[i].ok)
            continue;
        cells[i].spec = *cell;
        cells[i].spec.leading = t->leading;
        double size = cell->size > 0 ? cell->size : t->size;
        cells[i].ok = flow_fit(w, &cells[i].spec, cells[i].text, t->cols[i] - 3, 200, size, size,
                               &cells[i].fl);
        double need = cells[i].ok ? 2 * pad + flow_height(&cells[i].spec, &cells[i].fl) : 0;
        if (need > h)
            h = need;
    }
    if (w->c && (t->stroke > 0 || row->fill >= 0)) {
        double cx = t->x;
        for (size_t i = 0; i < n; i++) {
            struct tmpl_node box = *t;
            box.x = cx, box.y = y, box.w = t->cols[i], box.h = h;
            box.fill = row->fill;
            box.dash = false;
            draw_rect(w, &box, 0, 0);
            cx += t->cols[i];
        }
    }
    double x = t->x;
    for (size_t i = 0; i < n; i++) {
        const struct tmpl_node *spec = &cells[i].spec;
        struct flowed *fl = &cells[i].fl;
        double inner_h = h - 2 * pad;
        /* ts_fit's test of a fit, on the lines it already has. */
        bool fits = fl->nl == 0 || (double)(fl->nl - 1) * fl->size * spec->leading + fl->size <=
                                       inner_h * MM + 1e-6;
        if (cells[i].ok && !fits)
            cells[i].ok = flow_fit(w, spec, cells[i].text, t->cols[i] - 3, inner_h, fl->size,
                                   t->min_size, fl);
        if (cells[i].ok)
            flow_show(w, spec, cells[i].text, fl, x + 1.5, y + pad, t->cols[i] - 3);
        x += t->cols[i];
    }
    return y + h;
}

static double draw_table(struct walk *w, const struct tmpl_node *t, double oy)
{
    double y = oy + t->y;
    for (size_t i = 0; i < t->n_kids; i++) {
        const struct tmpl_node *k = &t->kids[i];
        if (k->kind == TK_IF) {
            if (!tmpl_test(k, vocab_flag, &w->vc))
                continue;
            for (size_t j = 0; j < k->n_kids; j++)
                if (k->kids[j].kind == TK_ROW)
                    y = draw_row(w, t, &k->kids[j], y);
        } else if (k->kind == TK_ROW) {
            y = draw_row(w, t, k, y);
        }
    }
    return y;
}

static double draw_each(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    const struct district *d = w->vc.l->district;
    double y = oy + n->y;
    if (!d)
        return y;
    for (int i = 0; i < d->n_offices; i++) {
        if (i >= n->max || y + n->step > oy + n->y + n->h + 1e-6) {
            fail(w, n, "%s", "the district's offices do not fit the office list");
            break;
        }
        w->vc.office = &w->s->cfg->offices[d->offices[i]];
        officecal_describe(&w->vc.office->calendar, w->office_hours, sizeof w->office_hours);
        double bottom = y + n->step;
        for (size_t k = 0; k < n->n_kids; k++)
            draw_node(w, &n->kids[k], all_layers, ox + n->x, y, &bottom);
        y = bottom > y + n->step ? bottom : y + n->step;
        w->vc.office = NULL;
    }
    return y;
}

static void draw_node(struct walk *w, const struct tmpl_node *n, struct layers pass, double ox,
                      double oy, double *bottom)
{
    if (w->failed)
        return;
    if (n->kind == TK_GROUP || n->kind == TK_IF) {
        if (n->kind == TK_IF) {
            /* A test a later layer decides: that layer draws everything under it. */
            enum tmpl_layer decided = tmpl_layer_of(n->test_dep);
            if (decided > pass.hi)
                return;
            if (!tmpl_test(n, vocab_flag, &w->vc))
                return;
            /* A test this layer decides: the earlier layers drew nothing under it. */
            if (decided >= pass.lo)
                pass.lo = TL_VARIANT;
        }
        for (size_t i = 0; i < n->n_kids; i++)
            draw_node(w, &n->kids[i], pass, ox, oy, bottom);
        return;
    }
    enum tmpl_layer own = tmpl_layer_of(n->dep);
    if (own < pass.lo || own > pass.hi)
        return;
    double b = oy;
    switch (n->kind) {
    case TK_TEXT:
        b = draw_text(w, n, ox, oy);
        break;
    case TK_PARA:
        b = draw_para(w, n, ox, oy);
        break;
    case TK_RECT:
        draw_rect(w, n, ox, oy);
        b = oy + n->y + n->h;
        break;
    case TK_LINE:
        draw_line(w, n, ox, oy);
        break;
    case TK_TABLE:
        b = draw_table(w, n, oy);
        break;
    case TK_QR:
        draw_qr(w, n, ox, oy);
        break;
    case TK_BARCODE:
        draw_barcode(w, n, ox, oy);
        break;
    case TK_DATAMATRIX:
        draw_datamatrix(w, n, ox, oy);
        break;
    case TK_PINBOXES:
        draw_pinboxes(w, n, ox, oy);
        break;
    case TK_EACH:
        b = draw_each(w, n, ox, oy);
        break;
    default:
        break;
    }
    if (bottom && b > *bottom)
        *bottom = b;
}

bool layout_page(const struct layout_setup *s, const struct tmpl *t, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int layer, char *reason,
                 size_t cap)
{
    struct walk w = {.s = s, .c = c, .page_h = t->height * MM};
    w.vc = (struct vocab_ctx){
        .cfg = s->cfg, .l = l, .v = v, .office_hours = w.office_hours, .specimen = s->specimen};
    struct layers pass = all_layers;
    if (layer >= TL_VARIANT && layer < TL_COUNT)
        pass.lo = pass.hi = (enum tmpl_layer)layer;
    draw_node(&w, &t->root, pass, 0, 0, NULL);
    if (reason && cap)
        snprintf(reason, cap, "%s", w.failed ? w.reason : "");
    return !w.failed;
}
