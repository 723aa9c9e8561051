#include "forecast_chart.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "forecast.h"
#include "pdfdoc.h"
#include "strbuf.h"

/* A4 landscape in points: the PDF's page, and the SVG's width. */
#define PAGE_W 841.89
#define PAGE_H 595.276
#define MARGIN 36.0
#define HEAD_H 62.0   /* title, subtitle, legend */
#define PANEL_H 150.0 /* one office in the SVG; the PDF shares its page out */
#define PANELS_PER_PAGE 4
#define PLOT_LEFT 62.0

/* Shades, not colours: the chart must survive the office's monochrome printer. */
#define GRAY_BAR 0.78
#define GRAY_OVER 0.38
#define GRAY_GRID 0.85

bool forecast_chart_over(const struct forecast_chart_office *o, int w)
{
    return !o->walkin && forecast_over_capacity(o->visits[w], o->seats[w]);
}

/* ---- drawing, through any canvas ----------------------------------------------------- */

/* Good enough to centre a label: IPAex is proportional for Latin, square for the rest. */
static double text_width(const char *s, double size)
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

static void text(const struct canvas *c, double size, double x, double y, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void text(const struct canvas *c, double size, double x, double y, const char *fmt, ...)
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

static void box(const struct canvas *c, double gray, double x, double y, double w, double h)
{
    c->ops->gray_fill(c->ctx, gray);
    c->ops->rect(c->ctx, x, y, w, h);
    c->ops->fill(c->ctx);
    c->ops->gray_fill(c->ctx, 0);
}

static void line(const struct canvas *c, double width, bool dashed, double x0, double y0, double x1,
                 double y1)
{
    c->ops->line_width(c->ctx, width);
    c->ops->dash(c->ctx, dashed);
    c->ops->move_to(c->ctx, x0, y0);
    c->ops->line_to(c->ctx, x1, y1);
    c->ops->stroke(c->ctx);
    c->ops->dash(c->ctx, false);
}

/* 1, 2 or 5 times a power of ten, at least v. */
static double nice_step(double v)
{
    if (!(v > 0))
        return 1;
    double p = pow(10, floor(log10(v)));
    return v <= p ? p : v <= 2 * p ? 2 * p : v <= 5 * p ? 5 * p : 10 * p;
}

static void draw_head(const struct canvas *c, const struct forecast_chart *ch, double top)
{
    char from[11], to[11];
    date_format_iso(ch->first_week, from);
    date_format_iso(ch->first_week + 7 * ch->n_weeks - 1, to);
    text(c, 15, MARGIN, top - 18, "%s", ch->title);
    text(c, 9, MARGIN, top - 33, "%s〜%s（週ごと）　%s", from, to, ch->subtitle);
    double y = top - 52, x = MARGIN;
    box(c, GRAY_BAR, x, y, 14, 9);
    text(c, 9, x + 18, y + 1, "予想来庁者数（週）");
    x += 120;
    box(c, GRAY_OVER, x, y, 14, 9);
    text(c, 9, x + 18, y + 1, "超過: 予約席数を超える週");
    x += 150;
    line(c, 1.6, false, x, y + 4.5, x + 18, y + 4.5);
    text(c, 9, x + 22, y + 1, "予約席数（週）");
    x += 110;
    text(c, 9, x, y + 1, "予約なしの窓口は 1時間あたりの来庁者数も表示");
}

static void draw_panel(const struct canvas *c, const struct forecast_chart *ch,
                       const struct forecast_chart_office *o, double top, double width,
                       double panel_h)
{
    const int n = ch->n_weeks;
    double vmax = 0, total_letters = 0, peak_hour = 0, peak_load = 0;
    int overs = 0, peak_w = -1;
    for (int w = 0; w < n; w++) {
        vmax = fmax(vmax, o->visits[w]);
        if (!o->walkin)
            vmax = fmax(vmax, o->seats[w]);
        total_letters += (double)o->letters[w];
        overs += forecast_chart_over(o, w);
        if (o->walkin && o->hours[w] > 0 && o->visits[w] / o->hours[w] > peak_hour) {
            peak_hour = o->visits[w] / o->hours[w];
            peak_w = w;
        }
        if (!o->walkin && o->seats[w] > 0 &&
            forecast_load_pct(o->visits[w], o->seats[w]) > peak_load) {
            peak_load = forecast_load_pct(o->visits[w], o->seats[w]);
            peak_w = w;
        }
    }
    char peak[11] = "";
    if (peak_w >= 0)
        date_format_iso(ch->first_week + 7 * peak_w, peak);
    if (o->walkin)
        text(c, 10.5, MARGIN, top - 12,
             "%s（%s）　予約なし　通知 %.0f通　最大 %.1f人/時（%s の週）", o->name, o->id,
             total_letters, peak_hour, peak_w >= 0 ? peak + 5 : "-");
    else if (overs)
        text(c, 10.5, MARGIN, top - 12,
             "%s（%s）　通知 %.0f通　超過 %d週　最大負荷 %.0f%%（%s の週）", o->name, o->id,
             total_letters, overs, peak_load, peak + 5);
    else
        text(c, 10.5, MARGIN, top - 12, "%s（%s）　通知 %.0f通　超過なし　最大負荷 %.0f%%", o->name,
             o->id, total_letters, peak_load);

    const double left = PLOT_LEFT, right = width - MARGIN;
    const double bottom = top - panel_h + 22, plot_top = top - 30;
    const double plot_h = plot_top - bottom, week_w = (right - left) / n;
    const double step = nice_step(vmax / 4 > 0 ? vmax / 4 : 1);
    const double ymax = step * ceil(vmax / step > 0 ? vmax / step : 1);
    for (int i = 0; i * step <= ymax + step / 2; i++) {
        const double v = i * step, y = bottom + plot_h * v / ymax;
        /* A filled hairline: the canvas strokes in black only. */
        if (v > 0)
            box(c, GRAY_GRID, left, y - 0.25, right - left, 0.5);
        char label[32];
        snprintf(label, sizeof label, "%.*f", step < 1 ? 1 : 0, v);
        text(c, 7, left - 4 - text_width(label, 7), y - 2.5, "%s", label);
    }
    line(c, 0.6, false, left, bottom, right, bottom);
    line(c, 0.6, false, left, bottom, left, plot_top);

    const int every = (int)ceil(24.0 / week_w);
    const double mark = fmin(7.0, week_w / 2.3);
    for (int w = 0; w < n; w++) {
        const double x = left + w * week_w;
        const double h = plot_h * o->visits[w] / ymax;
        const bool over = forecast_chart_over(o, w);
        box(c, over ? GRAY_OVER : GRAY_BAR, x + week_w * 0.15, bottom, week_w * 0.7, h);
        if (over)
            text(c, mark, x + (week_w - text_width("超過", mark)) / 2, bottom + h + 2, "超過");
        if (w % every == 0) {
            int y_, m, d;
            date_to_ymd(ch->first_week + 7 * w, &y_, &m, &d);
            char label[16];
            snprintf(label, sizeof label, "%d/%d", m, d);
            text(c, 7, x + (week_w - text_width(label, 7)) / 2, bottom - 10, "%s", label);
        }
    }
    if (o->walkin)
        return;
    /* The seats as steps: a week's seats hold for the whole week. */
    c->ops->line_width(c->ctx, 1.6);
    for (int w = 0; w < n; w++) {
        const double x = left + w * week_w, y = bottom + plot_h * o->seats[w] / ymax;
        if (w == 0)
            c->ops->move_to(c->ctx, x, y);
        else
            c->ops->line_to(c->ctx, x, y);
        c->ops->line_to(c->ctx, x + week_w, y);
    }
    c->ops->stroke(c->ctx);
}

/* Offices first..first+count-1 on one page of height page_h. */
static void draw(const struct canvas *c, const struct forecast_chart *ch, int first, int count,
                 double page_h, double panel_h)
{
    c->ops->gray_fill(c->ctx, 0);
    double top = page_h - MARGIN;
    draw_head(c, ch, top);
    top -= HEAD_H;
    for (int i = first; i < first + count; i++, top -= panel_h)
        draw_panel(c, ch, &ch->offices[i], top, PAGE_W, panel_h);
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

/* Office names come from the config: XML's five specials escaped. */
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

int forecast_chart_svg(const struct forecast_chart *ch, char **out, size_t *len, struct cn_err *err)
{
    struct svg *s = calloc(1, sizeof *s);
    if (!s)
        return cn_fail(err, CN_EOUTPUT, "forecast.svg: out of memory");
    s->height = MARGIN * 2 + HEAD_H + PANEL_H * ch->n_offices;
    s->st[0] = (struct svg_state){.m = {1, 0, 0, 1, 0, 0}, .width = 1};
    strbuf_addf(
        &s->out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.2f %.2f\" font-family=\"IPAexGothic, 'IPAexゴシック', sans-serif\" "
        "role=\"img\" aria-label=\"",
        PAGE_W, s->height, PAGE_W, s->height);
    svg_text_escaped(s, ch->title);
    svg_put(s, "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", 51);
    const struct canvas c = {&svg_ops, s};
    draw(&c, ch, 0, ch->n_offices, s->height, PANEL_H);
    svg_put(s, "</svg>\n", 7);
    int rc = CN_OK;
    if (s->out.failed || s->path.failed) {
        rc = cn_fail(err, CN_EOUTPUT, "forecast.svg: out of memory");
        strbuf_release(&s->out);
    } else {
        *out = strbuf_detach(&s->out, len);
    }
    strbuf_release(&s->path);
    free(s);
    return rc;
}

int forecast_chart_pdf(const struct forecast_chart *ch, const char *font_path, const char *path,
                       unsigned mode, struct cn_err *err)
{
    struct cn_err inner = {0};
    struct pdfdoc *doc = NULL;
    int rc = pdfdoc_new(&font_path, 1, &doc, &inner);
    if (rc == CN_OK)
        rc = pdfdoc_fix_tounicode(doc, 0, &inner);
    for (int first = 0; rc == CN_OK && (first < ch->n_offices || first == 0);
         first += PANELS_PER_PAGE) {
        const struct canvas *c;
        if ((rc = pdfdoc_add_page(doc, PAGE_W, PAGE_H, &c, &inner)))
            break;
        int count = ch->n_offices - first;
        if (count > PANELS_PER_PAGE)
            count = PANELS_PER_PAGE;
        /* A page of fewer offices gives each more height; the scale stays readable. */
        const double room = PAGE_H - 2 * MARGIN - HEAD_H;
        draw(c, ch, first, count, PAGE_H, room / (count > 2 ? count : 2));
        if (ch->n_offices == 0)
            break;
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
