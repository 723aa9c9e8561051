/* takeup_calc: the take-up of the letters a database sent, per office, district, week (of
 * the letter) or age band (at expiry): letters, reminders, renewals (before expiry, after a
 * reminder, booked, walk-in), lapses, withdrawals and the median days from letter to
 * renewal. Must not write files or print: cmd_takeup.c and report present it. */
#ifndef CN_TAKEUP_CALC_H
#define CN_TAKEUP_CALC_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "date.h"
#include "err.h"
#include "outcome.h"
#include "store.h"
#include "takeup_chart.h"

enum takeup_by { TAKEUP_BY_OFFICE, TAKEUP_BY_DISTRICT, TAKEUP_BY_WEEK, TAKEUP_BY_AGE };

/* "office", "district", "week", "age". */
const char *takeup_by_name(enum takeup_by by);
bool takeup_by_parse(const char *s, enum takeup_by *out);

struct takeup_group {
    char key[32];    /* office id, district code, the week's Monday, "40-49" */
    char label[128]; /* the office's or district's name; the key otherwise */
    struct takeup_counts c;
    int *days; /* letter to renewal, one per renewal */
    size_t n_days, cap_days;
    double median;
    bool has_median;
};

struct takeup_calc {
    enum takeup_by by;
    cn_date from, to;            /* letters issued in [from, to]; DATE_NONE: open */
    struct takeup_group *groups; /* by key */
    size_t n, cap;
    struct takeup_group total;
};

int takeup_calc_run(struct store *s, const struct config *cfg, enum takeup_by by, cn_date from,
                    cn_date to, struct takeup_calc *out, struct cn_err *err);
void takeup_calc_free(struct takeup_calc *r);

/* The chart of a result; rows point into r and into out, which must outlive the chart. */
struct takeup_calc_chart {
    struct takeup_chart chart;
    struct takeup_chart_row *rows;
    char title[256], subtitle[256];
};
int takeup_calc_chart(const struct takeup_calc *r, const struct config *cfg,
                      struct takeup_calc_chart *out, struct cn_err *err);
void takeup_calc_chart_free(struct takeup_calc_chart *c);

#endif
