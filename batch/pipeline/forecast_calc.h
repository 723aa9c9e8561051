/* forecast_calc: the counter-demand forecast of a database and config, per office and ISO week
 * (who is due as the night counts them, the visit curve, seats), and its backtest. Must
 * not write files or print: cmd_forecast.c and the staff page present the result. */
#ifndef CN_FORECAST_CALC_H
#define CN_FORECAST_CALC_H

#include <stdbool.h>

#include "config.h"
#include "date.h"
#include "err.h"
#include "forecast_chart.h"
#include "forecast.h"
#include "store.h"

/* One office's weeks. The office is the first one its districts list: the one the letter
 * names first, where the resident is expected. */
struct forecast_calc_office {
    const struct office *office;
    bool walkin;            /* takes no bookings: no seats, visits per walk-in hour instead */
    long *windows;          /* [n_weeks] certificates whose window opens that week */
    long *letters;          /* [n_weeks] letters the night sends that week (lead days earlier) */
    double *visits;         /* [n_weeks] expected counter visits */
    int *seats;             /* [n_weeks] booking slots x seats of the open days */
    double *hours;          /* [n_weeks] walk-in hours */
    double *actual;         /* backtest only: [n_weeks] visits marked arrived/done */
    double *base_default;   /* backtest only: the default curve's prediction */
    double *base_last_year; /* backtest only: the visits 52 weeks before */
};

struct forecast_calc {
    cn_date first_week; /* the Monday of --from's week */
    int n_weeks;
    struct forecast_curve curve;   /* the curve used (for the backtest: the last week's) */
    struct forecast_tally history; /* what it was measured on, or would have been */
    long min_residents;
    long renewal_history; /* notices whose outcome the night read from the export */
    struct forecast_calc_office *offices;
    int n_offices;
};

/* The forecast of weeks weeks from the week of from; only_office NULL for every office,
 * else the config's id (CN_EUSAGE when unknown). */
int forecast_calc_forecast(struct store *s, const struct config *cfg, cn_date from, int weeks,
                           const char *only_office, struct forecast_calc *out, struct cn_err *err);

/* Replays the weeks as forecast_calc_forecast would have predicted each one on its Monday (the
 * history known until the day before), and reads what the counters saw (actual) and the
 * two naive baselines. Offices that take no bookings have no recorded visits: left out. */
int forecast_calc_backtest(struct store *s, const struct config *cfg, cn_date from, int weeks,
                           const char *only_office, struct forecast_calc *out, struct cn_err *err);

void forecast_calc_free(struct forecast_calc *r);

/* The chart of a result, titled with the config's municipality and the curve used; it
 * points into r, which must outlive it. */
struct forecast_calc_chart {
    struct forecast_chart chart;
    char title[256], subtitle[256];
    struct forecast_chart_office *offices;
};
int forecast_calc_chart(const struct forecast_calc *r, const struct config *cfg,
                        struct forecast_calc_chart *out, struct cn_err *err);
void forecast_calc_chart_free(struct forecast_calc_chart *c);

/* "設定の既定値（履歴 N人 < M人）", "予約・来庁の実績（N人で測定）" or, once the night reads
 * renewals from the export, "更新の実績（N人で測定）": which curve, on what. */
void forecast_calc_curve_label(const struct forecast_calc *r, char *out, size_t cap);

/* The chart of the forecast of weeks weeks from the week of from, as forecast_chart_svg's buffer,
 * with the result in *out (free it with forecast_calc_free): the staff page draws one and lists the
 * other. */
int forecast_calc_svg(struct store *s, const struct config *cfg, cn_date from, int weeks,
                      struct forecast_calc *out, char **svg, size_t *len, struct cn_err *err);

#endif
