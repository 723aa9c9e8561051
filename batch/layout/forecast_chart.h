/* forecast_chart: the forecast chart a section chief reads at a glance: per office, weeks across,
 * expected visits as bars, seats as a line, weeks over capacity dark and marked 超過; drawn
 * once through the canvas, as SVG (a buffer) or a PDF (A4 landscape). Must not compute the
 * forecast nor read the database: it draws the numbers it is given. */
#ifndef CN_FORECAST_CHART_H
#define CN_FORECAST_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "err.h"

struct forecast_chart_office {
    const char *id, *name;
    bool walkin;          /* no seats: visits per open hour in the heading, no seat line */
    const double *visits; /* [n_weeks] expected visits */
    const int *seats;     /* [n_weeks] */
    const double *hours;  /* [n_weeks] walk-in hours */
    const long *letters;  /* [n_weeks] letters sent that week */
};

struct forecast_chart {
    const char *title;    /* "見本市 窓口来庁予測" */
    const char *subtitle; /* which curve, measured on how many residents */
    cn_date first_week;   /* a Monday */
    int n_weeks;
    const struct forecast_chart_office *offices;
    int n_offices;
};

/* Whether week w of o is drawn as over capacity (the same test as forecast.csv). */
bool forecast_chart_over(const struct forecast_chart_office *o, int w);

/* The chart as one SVG document in *out (malloc'd, NUL-terminated; the caller frees it),
 * its length in *len. Text is drawn in the font family "IPAexGothic". */
int forecast_chart_svg(const struct forecast_chart *ch, char **out, size_t *len, struct cn_err *err);

/* The chart as a PDF, four offices a page, text in the TrueType font at font_path
 * (IPAex ゴシック), written atomically to path with mode. */
int forecast_chart_pdf(const struct forecast_chart *ch, const char *font_path, const char *path, unsigned mode,
                struct cn_err *err);

#endif
