/* takeup_chart: the take-up chart: per group (office, district, week or age band) one bar
 * of its letters split by what became of them (renewed with a booking, walk-in, still open,
 * withdrawn, lapsed), with the reminders and the median days to renewal in its line; the
 * total first. Drawn through chart.h as SVG or PDF, the forecast chart's style. Must not
 * count anything nor read the database: it draws the numbers it is given. */
#ifndef CN_TAKEUP_CHART_H
#define CN_TAKEUP_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "outcome.h"

struct takeup_chart_row {
    const char *label;
    const struct takeup_counts *c;
    double median; /* days from letter to renewal */
    bool has_median;
};

struct takeup_chart {
    const char *title;
    const char *subtitle;
    const struct takeup_chart_row *rows; /* rows[0] is the total */
    int n_rows;
};

int takeup_chart_svg(const struct takeup_chart *ch, char **out, size_t *len, struct cn_err *err);
int takeup_chart_pdf(const struct takeup_chart *ch, const char *font_path, const char *path,
                     unsigned mode, struct cn_err *err);

#endif
