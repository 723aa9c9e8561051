#include "forecast_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "chart.h"
#include "forecast.h"

#define PAGE_W CHART_PAGE_W
#define PAGE_H CHART_PAGE_H
#define MARGIN CHART_MARGIN
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

static void draw_head(const struct canvas *c, const struct forecast_chart *ch, double top)
{
    char from[11], to[11];
    date_format_iso(ch->first_week, from);
    date_format_iso(ch->first_week + 7 * ch->n_weeks - 1, to);
    chart_text(c, 15, MARGIN, top - 18, "%s", ch->title);
    chart_text(c, 9, MARGIN, top - 33, "%s〜%s（週ごと）　%s", from, to, ch->subtitle);
    double y = top - 52, x = MARGIN;
    chart_box(c, GRAY_BAR, x, y, 14, 9);
    chart_text(c, 9, x + 18, y + 1, "予想来庁者数（週）");
    x += 120;
    chart_box(c, GRAY_OVER, x, y, 14, 9);
    chart_text(c, 9, x + 18, y + 1, "超過: 予約席数を超える週");
    x += 150;
    chart_line(c, 1.6, false, x, y + 4.5, x + 18, y + 4.5);
    chart_text(c, 9, x + 22, y + 1, "予約席数（週）");
    x += 110;
    chart_text(c, 9, x, y + 1, "予約なしの窓口は 1時間あたりの来庁者数も表示");
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
        chart_text(c, 10.5, MARGIN, top - 12,
                   "%s（%s）　予約なし　通知 %.0f通　最大 %.1f人/時（%s の週）", o->name, o->id,
                   total_letters, peak_hour, peak_w >= 0 ? peak + 5 : "-");
    else if (overs)
        chart_text(c, 10.5, MARGIN, top - 12,
                   "%s（%s）　通知 %.0f通　超過 %d週　最大負荷 %.0f%%（%s の週）", o->name, o->id,
                   total_letters, overs, peak_load, peak + 5);
    else
        chart_text(c, 10.5, MARGIN, top - 12, "%s（%s）　通知 %.0f通　超過なし　最大負荷 %.0f%%",
                   o->name, o->id, total_letters, peak_load);

    const double left = PLOT_LEFT, right = width - MARGIN;
    const double bottom = top - panel_h + 22, plot_top = top - 30;
    const double plot_h = plot_top - bottom, week_w = (right - left) / n;
    const double step = chart_nice_step(vmax / 4 > 0 ? vmax / 4 : 1);
    const double ymax = step * ceil(vmax / step > 0 ? vmax / step : 1);
    for (int i = 0; i * step <= ymax + step / 2; i++) {
        const double v = i * step, y = bottom + plot_h * v / ymax;
        /* A filled hairline: the canvas strokes in black only. */
        if (v > 0)
            chart_box(c, GRAY_GRID, left, y - 0.25, right - left, 0.5);
        char label[32];
        snprintf(label, sizeof label, "%.*f", step < 1 ? 1 : 0, v);
        chart_text(c, 7, left - 4 - chart_text_width(label, 7), y - 2.5, "%s", label);
    }
    chart_line(c, 0.6, false, left, bottom, right, bottom);
    chart_line(c, 0.6, false, left, bottom, left, plot_top);

    const int every = (int)ceil(24.0 / week_w);
    const double mark = fmin(7.0, week_w / 2.3);
    for (int w = 0; w < n; w++) {
        const double x = left + w * week_w;
        const double h = plot_h * o->visits[w] / ymax;
        const bool over = forecast_chart_over(o, w);
        chart_box(c, over ? GRAY_OVER : GRAY_BAR, x + week_w * 0.15, bottom, week_w * 0.7, h);
        if (over)
            chart_text(c, mark, x + (week_w - chart_text_width("超過", mark)) / 2, bottom + h + 2,
                       "超過");
        if (w % every == 0) {
            int y_, m, d;
            date_to_ymd(ch->first_week + 7 * w, &y_, &m, &d);
            char label[16];
            snprintf(label, sizeof label, "%d/%d", m, d);
            chart_text(c, 7, x + (week_w - chart_text_width(label, 7)) / 2, bottom - 10, "%s",
                       label);
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

struct draw_ctx {
    const struct forecast_chart *ch;
};

/* The SVG holds every office on its one page; a PDF page holds PANELS_PER_PAGE, and a page
 * of fewer offices gives each more height (the scale stays readable). */
static void draw_svg(const struct canvas *c, void *ctx, int page, double page_h)
{
    (void)page;
    const struct forecast_chart *ch = ((struct draw_ctx *)ctx)->ch;
    draw(c, ch, 0, ch->n_offices, page_h, PANEL_H);
}

static void draw_pdf(const struct canvas *c, void *ctx, int page, double page_h)
{
    const struct forecast_chart *ch = ((struct draw_ctx *)ctx)->ch;
    const int first = page * PANELS_PER_PAGE;
    int count = ch->n_offices - first;
    if (count > PANELS_PER_PAGE)
        count = PANELS_PER_PAGE;
    const double room = PAGE_H - 2 * MARGIN - HEAD_H;
    draw(c, ch, first, count, page_h, room / (count > 2 ? count : 2));
}

int forecast_chart_svg(const struct forecast_chart *ch, char **out, size_t *len, struct cn_err *err)
{
    struct draw_ctx d = {ch};
    return chart_svg(MARGIN * 2 + HEAD_H + PANEL_H * ch->n_offices, ch->title, "forecast.svg",
                     draw_svg, &d, out, len, err);
}

int forecast_chart_pdf(const struct forecast_chart *ch, const char *font_path, const char *path,
                       unsigned mode, struct cn_err *err)
{
    struct draw_ctx d = {ch};
    const int pages = (ch->n_offices + PANELS_PER_PAGE - 1) / PANELS_PER_PAGE;
    return chart_pdf(font_path, path, mode, pages, draw_pdf, &d, err);
}
