/* chart: what the report charts share (forecast, take-up): text, boxes and lines through
 * the canvas, a 1-2-5 scale step, and the two media they are drawn on: an SVG document in a
 * buffer and a PDF of A4 landscape pages (IPAex ゴシック). Shades of grey only: a chart must
 * survive a monochrome printer. Must not know what a chart shows. */
#ifndef CN_CHART_H
#define CN_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "err.h"

/* A4 landscape in points: the PDF's page, and the SVG's width. */
#define CHART_PAGE_W 841.89
#define CHART_PAGE_H 595.276
#define CHART_MARGIN 36.0

/* Good enough to centre a label: IPAex is proportional for Latin, square for the rest. */
double chart_text_width(const char *s, double size);
void chart_text(const struct canvas *c, double size, double x, double y, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void chart_box(const struct canvas *c, double gray, double x, double y, double w, double h);
void chart_line(const struct canvas *c, double width, bool dashed, double x0, double y0, double x1,
                double y1);
/* 1, 2 or 5 times a power of ten, at least v. */
double chart_nice_step(double v);

/* Draws page `page` (0 for the SVG's one page) of height page_h on c. */
typedef void (*chart_draw_fn)(const struct canvas *c, void *ctx, int page, double page_h);

/* One SVG document of the page width and height, labelled (aria-label) with label, in *out
 * (malloc'd, NUL-terminated; the caller frees it). name is the file named in errors. Text
 * is drawn in the font family "IPAexGothic". */
int chart_svg(double height, const char *label, const char *name, chart_draw_fn draw, void *ctx,
              char **out, size_t *len, struct cn_err *err);

/* pages A4 landscape pages, text in the TrueType font at font_path, written atomically to
 * path with mode. */
int chart_pdf(const char *font_path, const char *path, unsigned mode, int pages, chart_draw_fn draw,
              void *ctx, struct cn_err *err);

#endif
