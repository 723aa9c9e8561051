#include "takeup_chart.h"

#include <stdio.h>

#include "chart.h"

#define HEAD_H 62.0
#define ROW_H 30.0
#define BAR_H 10.0
#define ROWS_PER_PAGE 15 /* (page - margins - head) / ROW_H */

/* The segments in drawing order, left to right: the renewed first, then what is left. */
enum segment { SEG_BOOKED, SEG_WALK_IN, SEG_PENDING, SEG_WITHDRAWN, SEG_LAPSED, SEG_COUNT };
static const double shade[SEG_COUNT] = {0.25, 0.55, 0.95, 0.78, 0.0};
static const char *const seg_name[SEG_COUNT] = {"予約して更新", "予約なしで更新", "未確定",
                                                "転出・死亡", "失効"};

static long seg_value(const struct takeup_counts *c, enum segment s)
{
    switch (s) {
    case SEG_BOOKED:
        return c->booked;
    case SEG_WALK_IN:
        return c->walk_ins;
    case SEG_PENDING:
        return c->pending;
    case SEG_WITHDRAWN:
        return c->withdrawn;
    case SEG_LAPSED:
    default:
        return c->lapsed;
    }
}

static double pct(long part, long whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

static void draw_head(const struct canvas *c, const struct takeup_chart *ch, double top)
{
    chart_text(c, 15, CHART_MARGIN, top - 18, "%s", ch->title);
    chart_text(c, 9, CHART_MARGIN, top - 33, "%s", ch->subtitle);
    double x = CHART_MARGIN;
    const double y = top - 52;
    for (int s = 0; s < SEG_COUNT; s++) {
        chart_box(c, shade[s], x, y, 14, 9);
        c->ops->line_width(c->ctx, 0.4);
        c->ops->rect(c->ctx, x, y, 14, 9);
        c->ops->stroke(c->ctx);
        chart_text(c, 9, x + 18, y + 1, "%s", seg_name[s]);
        x += 30 + chart_text_width(seg_name[s], 9);
    }
    chart_text(c, 9, x + 10, y + 1, "割合は通知数に対して");
}

static void draw_row(const struct canvas *c, const struct takeup_chart_row *r, double top)
{
    const struct takeup_counts *k = r->c;
    char median[32] = "-";
    if (r->has_median)
        snprintf(median, sizeof median, "%.1f日", r->median);
    chart_text(
        c, 9, CHART_MARGIN, top - 10,
        "%s　通知 %ld通　更新 %ld人（%.0f%%、期限内 %ld人）　再通知 %ld通（その後更新 %ld人）"
        "　失効 %ld人　通知から更新まで中央値 %s",
        r->label, k->letters, k->renewed, pct(k->renewed, k->letters), k->renewed_before_expiry,
        k->reminders, k->renewed_after_reminder, k->lapsed, median);
    const double left = CHART_MARGIN, width = CHART_PAGE_W - 2 * CHART_MARGIN;
    const double y = top - 14 - BAR_H;
    double x = left;
    for (int s = 0; s < SEG_COUNT && k->letters > 0; s++) {
        const double w = width * (double)seg_value(k, (enum segment)s) / (double)k->letters;
        if (w > 0)
            chart_box(c, shade[s], x, y, w, BAR_H);
        x += w;
    }
    c->ops->line_width(c->ctx, 0.5);
    c->ops->rect(c->ctx, left, y, width, BAR_H);
    c->ops->stroke(c->ctx);
}

static void draw_rows(const struct canvas *c, const struct takeup_chart *ch, int first, int count,
                      double page_h)
{
    c->ops->gray_fill(c->ctx, 0);
    double top = page_h - CHART_MARGIN;
    draw_head(c, ch, top);
    top -= HEAD_H;
    for (int i = first; i < first + count && i < ch->n_rows; i++, top -= ROW_H)
        draw_row(c, &ch->rows[i], top);
}

static void draw_svg(const struct canvas *c, void *ctx, int page, double page_h)
{
    (void)page;
    const struct takeup_chart *ch = ctx;
    draw_rows(c, ch, 0, ch->n_rows, page_h);
}

static void draw_pdf(const struct canvas *c, void *ctx, int page, double page_h)
{
    draw_rows(c, ctx, page * ROWS_PER_PAGE, ROWS_PER_PAGE, page_h);
}

int takeup_chart_svg(const struct takeup_chart *ch, char **out, size_t *len, struct cn_err *err)
{
    return chart_svg(CHART_MARGIN * 2 + HEAD_H + ROW_H * ch->n_rows, ch->title, "takeup.svg",
                     draw_svg, (void *)ch, out, len, err);
}

int takeup_chart_pdf(const struct takeup_chart *ch, const char *font_path, const char *path,
                     unsigned mode, struct cn_err *err)
{
    return chart_pdf(font_path, path, mode, (ch->n_rows + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE,
                     draw_pdf, (void *)ch, err);
}
