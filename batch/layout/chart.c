#include "chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdfdoc.h"
#include "strbuf.h"

double chart_text_width(const char *s, double size)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w += 0.55 * size;
        else if (*p >= 0xC0)
            w += size;
    }
    return w;
}

void chart_text(const struct canvas *c, double size, double x, double y, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&sb, fmt, ap);
    va_end(ap);
    /* A label lost to a failed allocation is left out; the SVG and PDF check their own. */
    if (!sb.failed)
        c->ops->text(c->ctx, 0, size, x, y, strbuf_str(&sb));
    strbuf_release(&sb);
}

void chart_box(const struct canvas *c, double gray, double x, double y, double w, double h)
{
    c->ops->gray_fill(c->ctx, gray);
    c->ops->rect(c->ctx, x, y, w, h);
    c->ops->fill(c->ctx);
    c->ops->gray_fill(c->ctx, 0);
}

void chart_line(const struct canvas *c, double width, bool dashed, double x0, double y0, double x1,
                double y1)
{
    c->ops->line_width(c->ctx, width);
    c->ops->dash(c->ctx, dashed);
    c->ops->move_to(c->ctx, x0, y0);
    c->ops->line_to(c->ctx, x1, y1);
    c->ops->stroke(c->ctx);
    c->ops->dash(c->ctx, false);
}

double chart_nice_step(double v)
{
    if (!(v > 0))
        return 1;
    double p = pow(10, floor(log10(v)));
    return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

/* ---- the SVG canvas: the same operations as SVG elements ---------------------------- */

struct svg_state {
    double m[6]; /* a b c d e f */
    double gray, width;
    bool dashed;
};

struct svg {
    struct strbuf out;  /* the document */
    struct strbuf path; /* the path being built, until it is filled or stroked */
    double height;
    struct svg_state st[8];
    int depth;
};

static void svg_put(struct svg *s, const char *p, size_t n)
{
    strbuf_add(&s->out, p, n);
}

/* Names come from the config: XML's five specials escaped. */
static void svg_text_escaped(struct svg *s, const char *t)
{
    for (; *t; t++) {
        switch (*t) {
        case '&':
            svg_put(s, "&amp;", 5);
            break;
        case '<':
            svg_put(s, "&lt;", 4);
            break;
        case '>':
            svg_put(s, "&gt;", 4);
            break;
        case '"':
            svg_put(s, "&quot;", 6);
            break;
        case '\'':
            svg_put(s, "&apos;", 6);
            break;
        default:
            svg_put(s, t, 1);
        }
    }
}

/* PDF user space to SVG's: the matrix, then y flipped (SVG's origin is top-left). */
static void svg_xy(const struct svg *s, double x, double y, double *ox, double *oy)
{
    const double *m = s->st[s->depth].m;
    *ox = m[0] * x + m[2] * y + m[4];
    *oy = s->height - (m[1] * x + m[3] * y + m[5]);
}

static void svg_path_add(struct svg *s, char op, double x, double y)
{
    double ox, oy;
    svg_xy(s, x, y, &ox, &oy);
    strbuf_addf(&s->path, "%c%.2f %.2f", op, ox, oy);
}

static void s_gsave(void *ctx)
{
    struct svg *s = ctx;
    if (s->depth + 1 < (int)(sizeof s->st / sizeof s->st[0])) {
        s->st[s->depth + 1] = s->st[s->depth];
        s->depth++;
    }
}

static void s_grestore(void *ctx)
{
    struct svg *s = ctx;
    if (s->depth > 0)
        s->depth--;
}

static void s_concat(void *ctx, double a, double b, double c, double d, double e, double f)
{
    struct svg *s = ctx;
    double *m = s->st[s->depth].m;
    const double n[6] = {a * m[0] + b * m[2],        a * m[1] + b * m[3],
                         c * m[0] + d * m[2],        c * m[1] + d * m[3],
                         e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]};
    memcpy(m, n, sizeof n);
}

static void s_gray_fill(void *ctx, double gray)
{
    ((struct svg *)ctx)->st[((struct svg *)ctx)->depth].gray = gray;
}

static void s_line_width(void *ctx, double width)
{
    ((struct svg *)ctx)->st[((struct svg *)ctx)->depth].width = width;
}

static void s_dash(void *ctx, bool dashed)
{
    ((struct svg *)ctx)->st[((struct svg *)ctx)->depth].dashed = dashed;
}

static void s_move_to(void *ctx, double x, double y)
{
    svg_path_add(ctx, 'M', x, y);
}

static void s_line_to(void *ctx, double x, double y)
{
    svg_path_add(ctx, 'L', x, y);
}

static void s_rect(void *ctx, double x, double y, double w, double h)
{
    s_move_to(ctx, x, y);
    s_line_to(ctx, x + w, y);
    s_line_to(ctx, x + w, y + h);
    s_line_to(ctx, x, y + h);
    struct svg *s = ctx;
    strbuf_addch(&s->path, 'Z');
}

static void svg_emit(struct svg *s, bool fill, bool stroke)
{
    const struct svg_state *st = &s->st[s->depth];
    int g = (int)lround(st->gray * 255);
    svg_put(s, "<path d=\"", 9);
    svg_put(s, strbuf_str(&s->path), s->path.len);
    svg_put(s, "\" fill=\"", 8);
    if (fill)
        strbuf_addf(&s->out, "rgb(%d,%d,%d)", g, g, g);
    else
        svg_put(s, "none", 4);
    if (stroke)
        strbuf_addf(&s->out, "\" stroke=\"black\" stroke-width=\"%.2f\"%s/>\n", st->width,
                    st->dashed ? " stroke-dasharray=\"2 2\"" : "");
    else
        svg_put(s, "\"/>\n", 4);
    strbuf_reset(&s->path);
}

static void s_fill(void *ctx)
{
    svg_emit(ctx, true, false);
}

static void s_stroke(void *ctx)
{
    svg_emit(ctx, false, true);
}

static void s_fill_stroke(void *ctx)
{
    svg_emit(ctx, true, true);
}

static void s_text(void *ctx, int font, double size, double x, double y, const char *utf8)
{
    (void)font;
    struct svg *s = ctx;
    double ox, oy;
    svg_xy(s, x, y, &ox, &oy);
    int g = (int)lround(s->st[s->depth].gray * 255);
    strbuf_addf(&s->out, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" fill=\"rgb(%d,%d,%d)\">",
                ox, oy, size, g, g, g);
    svg_text_escaped(s, utf8);
    svg_put(s, "</text>\n", 8);
}

/* The chart draws no glyphs by ID. */
static void s_glyphs(void *ctx, int gfont, double size, double x, double y,
                     const struct canvas_glyph *gl, size_t n)
{
    (void)ctx, (void)gfont, (void)size, (void)x, (void)y, (void)gl, (void)n;
}

static const struct canvas_ops svg_ops = {
    .gsave = s_gsave,
    .grestore = s_grestore,
    .concat = s_concat,
    .gray_fill = s_gray_fill,
    .line_width = s_line_width,
    .dash = s_dash,
    .rect = s_rect,
    .move_to = s_move_to,
    .line_to = s_line_to,
    .fill = s_fill,
    .stroke = s_stroke,
    .fill_stroke = s_fill_stroke,
    .text = s_text,
    .glyphs = s_glyphs,
};

int chart_svg(double height, const char *label, const char *name, chart_draw_fn draw, void *ctx,
              char **out, size_t *len, struct cn_err *err)
{
    struct svg *s = calloc(1, sizeof *s);
    if (!s)
        return cn_fail(err, CN_EOUTPUT, "%s: out of memory", name);
    s->height = height;
    s->st[0] = (struct svg_state){.m = {1, 0, 0, 1, 0, 0}, .width = 1};
    strbuf_addf(
        &s->out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.2f %.2f\" font-family=\"IPAexGothic, 'IPAexゴシック', sans-serif\" "
        "role=\"img\" aria-label=\"",
        CHART_PAGE_W, s->height, CHART_PAGE_W, s->height);
    svg_text_escaped(s, label);
    svg_put(s, "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", 51);
    const struct canvas c = {&svg_ops, s};
    draw(&c, ctx, 0, s->height);
    svg_put(s, "</svg>\n", 7);
    int rc = CN_OK;
    if (s->out.failed || s->path.failed) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: out of memory", name);
        strbuf_release(&s->out);
    } else {
        *out = strbuf_detach(&s->out, len);
    }
    strbuf_release(&s->path);
    free(s);
    return rc;
}

int chart_pdf(const char *font_path, const char *path, unsigned mode, int pages, chart_draw_fn draw,
              void *ctx, struct cn_err *err)
{
    struct cn_err inner = {0};
    struct pdfdoc *doc = NULL;
    int rc = pdfdoc_new(&font_path, 1, &doc, &inner);
    if (rc == CN_OK)
        rc = pdfdoc_fix_tounicode(doc, 0, &inner);
    for (int page = 0; rc == CN_OK && (page < pages || page == 0); page++) {
        const struct canvas *c;
        if ((rc = pdfdoc_add_page(doc, CHART_PAGE_W, CHART_PAGE_H, &c, &inner)))
            break;
        draw(c, ctx, page, CHART_PAGE_H);
    }
    if (rc == CN_OK)
        rc = pdfdoc_status(doc, "libharu", &inner);
    if (rc == CN_OK)
        rc = pdfdoc_save(doc, path, mode, &inner);
    pdfdoc_free(doc);
    if (rc != CN_OK)
        return cn_fail(err, CN_EOUTPUT, "%s: %s", path, inner.msg);
    return CN_OK;
}
