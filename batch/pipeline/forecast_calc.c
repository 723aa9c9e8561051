#include "forecast_calc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "officecal.h"
#include "rules.h"
#include "slots.h"
#include "store_staff.h"
#include "store_forecast.h"
#include "store_resident.h"

/* What the history says about one resident: when their window opened, when they came. */
struct obs {
    cn_date window_start, visit;
};

struct work {
    const struct config *cfg;
    struct forecast_calc *r;
    int office_of[64]; /* config office index -> result index, -1 when not forecast */
    cn_date day0;      /* first day whose openings matter: a curve span before the weeks */
    int n_days;        /* day0 .. end of the last week */
    double **openings; /* [n_offices][n_days] */
    struct obs *obs;   /* the history, for re-measuring the curve week by week */
    struct slot_changes changes; /* staff's closures and seat changes of the week in hand */
    size_t n_obs, cap_obs;
    struct cn_err *err;
};

/* cn_fail's status spelled out where the caller goes on to use what failed: the static
 * analyser does not see through cn_fail. */
static int out_of_memory(struct cn_err *err)
{
    cn_fail(err, CN_EOUTPUT, "out of memory");
    return CN_EOUTPUT;
}

static int result_office(const struct work *w, const char *district)
{
    const struct district *d = config_district(w->cfg, district);
    if (!d || d->n_offices < 1 || d->offices[0] < 0 || d->offices[0] >= 64)
        return -1;
    return w->office_of[d->offices[0]];
}

static int week_of(const struct forecast_calc *r, cn_date day)
{
    if (day < r->first_week || day >= r->first_week + 7 * r->n_weeks)
        return -1;
    return (day - r->first_week) / 7;
}

/* One window opening (and its letter, lead days before) for the district's office. */
static void count_opening(struct work *w, const char *district, cn_date start)
{
    const int o = result_office(w, district);
    if (o < 0)
        return;
    struct forecast_calc_office *ro = &w->r->offices[o];
    const long k = (long)start - w->day0;
    if (k >= 0 && k < w->n_days)
        w->openings[o][k] += 1;
    int wk = week_of(w->r, start);
    if (wk >= 0)
        ro->windows[wk]++;
    if ((wk = week_of(w->r, start - w->cfg->lead_days)) >= 0)
        ro->letters[wk]++;
}

/* Counted exactly as the night counts letters: rules_cert_groups and rules_due on the
 * night the letter goes out (lead days before the window), before any letter exists. */
static int on_resident(const struct resident *res, void *ctx)
{
    struct work *w = ctx;
    struct cert_group groups[2];
    const int n = rules_cert_groups(res, groups);
    for (int i = 0; i < n; i++) {
        const struct window win = rules_window(groups[i].expiry);
        const cn_date letter = win.start - w->cfg->lead_days;
        const struct due_input in = {
            .run_date = letter,
            .lead_days = w->cfg->lead_days,
            .expired_letters = w->cfg->expired_letters,
            .status = res->status,
            .hold = res->hold,
            .returned = res->returned_hold,
            .card_expiry = res->card_expiry,
            .cert_expiry = groups[i].expiry,
        };
        if (rules_due(&in) == DUE_YES)
            count_opening(w, res->district, win.start);
    }
    return CN_OK;
}

/* The visit curve is measured from renewals where the night has read them from the export
 * (a notice with an outcome): the day a renewal was seen is the visit, walk-ins included,
 * in every district; a lapse is a resident who never came; a withdrawal (moved out, died)
 * is neither and is left out. A notice without an outcome (a database from before outcomes
 * were kept) falls back to the bookings: only districts where a booking is required show
 * every visit there, since elsewhere a walk-in leaves no trace and would read as a
 * resident who never came. */
static int on_history(const struct forecast_history *h, void *ctx)
{
    struct work *w = ctx;
    const struct district *d = config_district(w->cfg, h->district);
    cn_date visit = h->first_visit;
    if (!d || h->cert_expiry == DATE_NONE || h->outcome == OUTCOME_WITHDRAWN)
        return CN_OK;
    if (h->outcome == OUTCOME_RENEWED)
        visit = h->outcome_on;
    else if (h->outcome == OUTCOME_LAPSED)
        visit = DATE_NONE;
    else if (d->policy != RESV_REQUIRED)
        return CN_OK;
    struct obs *o = grow_for_one(w->obs, &w->cap_obs, w->n_obs, sizeof *o, 4096);
    if (!o)
        return cn_fail(w->err, CN_EOUTPUT, "out of memory for %zu residents' history", w->n_obs);
    w->obs = o;
    w->obs[w->n_obs++] = (struct obs){rules_window(h->cert_expiry).start, visit};
    w->r->renewal_history += h->outcome != OUTCOME_NONE;
    /* A renewed certificate is gone from the resident's record (on_resident sees the new
     * expiry): its window, which did open, is counted from the letter. */
    if (h->outcome == OUTCOME_RENEWED)
        count_opening(w, h->district, rules_window(h->cert_expiry).start);
    return CN_OK;
}

static struct forecast_curve curve_as_of(const struct work *w, cn_date as_of,
                                         struct forecast_tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < w->n_obs; i++)
        forecast_tally_add(t, w->obs[i].window_start, w->obs[i].visit, as_of);
    return forecast_curve_choose(&w->cfg->forecast_curve, t, w->cfg->forecast_min_residents);
}

/* Expected visits per day of office o with curve c, visits on closed days moved to the
 * next open one. daily and open have n_days room. */
static void daily_visits(const struct work *w, int o, const struct forecast_curve *c, double *daily,
                         bool *open)
{
    const struct office_calendar *cal = &w->r->offices[o].office->calendar;
    forecast_convolve(w->openings[o], w->n_days, c, daily);
    for (int j = 0; j < w->n_days; j++) {
        const struct day_hours h = officecal_day(cal, w->day0 + j);
        /* Open but with unpublished hours is still open: the visits stay on that day. */
        open[j] = h.open || h.unconfirmed;
    }
    forecast_carry(daily, open, w->n_days);
}

static double week_sum(const struct work *w, const double *daily, int week)
{
    const int j0 = (w->r->first_week - w->day0) + 7 * week;
    double v = 0;
    for (int j = j0; j < j0 + 7; j++)
        v += daily[j];
    return v;
}

void forecast_calc_free(struct forecast_calc *r)
{
    for (int i = 0; r->offices && i < r->n_offices; i++) {
        struct forecast_calc_office *o = &r->offices[i];
        free(o->windows);
        free(o->letters);
        free(o->visits);
        free(o->seats);
        free(o->hours);
        free(o->actual);
        free(o->base_default);
        free(o->base_last_year);
    }
    free(r->offices);
    memset(r, 0, sizeof *r);
}

static void work_free(struct work *w)
{
    for (int i = 0; w->openings && i < w->r->n_offices; i++)
        free(w->openings[i]);
    free(w->openings);
    free(w->obs);
}

/* Sets up the result's offices and weeks, reads residents and history. */
static int gather(struct store *s, const struct config *cfg, cn_date from, int weeks,
                  const char *only_office, bool backtest, struct forecast_calc *r, struct work *w,
                  struct cn_err *err)
{
    memset(r, 0, sizeof *r);
    memset(w, 0, sizeof *w);
    w->cfg = cfg;
    w->r = r;
    w->err = err;
    r->first_week = forecast_week_start(from);
    r->n_weeks = weeks;
    r->min_residents = cfg->forecast_min_residents;
    w->day0 = r->first_week - FORECAST_CURVE_DAYS;
    w->n_days = FORECAST_CURVE_DAYS + 7 * weeks;
    if (cfg->n_offices > 64) {
        cn_fail(err, CN_EUSAGE, "%s: more than 64 offices", cfg->path);
        return CN_EUSAGE;
    }
    r->offices = calloc(cfg->n_offices ? cfg->n_offices : 1, sizeof *r->offices);
    w->openings = calloc(cfg->n_offices ? cfg->n_offices : 1, sizeof *w->openings);
    if (!r->offices || !w->openings)
        return out_of_memory(err);
    bool found = only_office == NULL;
    for (size_t i = 0; i < cfg->n_offices; i++) {
        w->office_of[i] = -1;
        const struct office *of = &cfg->offices[i];
        if (only_office && strcmp(of->id, only_office) != 0)
            continue;
        found = true;
        /* The backtest compares with bookings; an office without them has nothing to
         * compare with. */
        if (backtest && !of->booking.enabled)
            continue;
        const size_t nw = (size_t)weeks;
        struct forecast_calc_office *o = &r->offices[r->n_offices];
        o->office = of;
        o->walkin = !of->booking.enabled;
        o->windows = calloc(nw, sizeof *o->windows);
        o->letters = calloc(nw, sizeof *o->letters);
        o->visits = calloc(nw, sizeof *o->visits);
        o->seats = calloc(nw, sizeof *o->seats);
        o->hours = calloc(nw, sizeof *o->hours);
        o->actual = calloc(nw, sizeof *o->actual);
        o->base_default = calloc(nw, sizeof *o->base_default);
        o->base_last_year = calloc(nw, sizeof *o->base_last_year);
        w->openings[r->n_offices] = calloc((size_t)w->n_days, sizeof(double));
        w->office_of[i] = r->n_offices++;
        if (!o->windows || !o->letters || !o->visits || !o->seats || !o->hours || !o->actual ||
            !o->base_default || !o->base_last_year || !w->openings[r->n_offices - 1])
            return out_of_memory(err);
        for (int k = 0; k < weeks; k++) {
            const cn_date monday = r->first_week + 7 * k;
            /* A week at a time: staff's changes of one week stay far below what one read
             * holds (SLOT_MAX_CHANGES). */
            int rc = of->booking.enabled
                         ? store_staff_changes(s, of->id, monday, monday + 6, &w->changes, err)
                         : CN_OK;
            if (rc)
                return rc;
            for (cn_date day = monday; day < monday + 7; day++) {
                o->seats[k] += forecast_day_seats(&of->calendar, &of->booking, &w->changes, day);
                o->hours[k] += forecast_day_walkin_hours(&of->calendar, day);
            }
        }
    }
    if (!found) {
        cn_fail(err, CN_EUSAGE, "--office %s: no such office in %s", only_office, cfg->path);
        return CN_EUSAGE;
    }
    int rc = store_each_resident(s, on_resident, w, err);
    if (!rc)
        rc = store_forecast_history(s, on_history, w, err);
    return rc;
}

/* Each day's expected visits and whether the office is open, for daily_visits. */
struct days {
    double *daily;
    bool *open;
};

static int days_alloc(const struct work *w, struct days *d, struct cn_err *err)
{
    d->daily = malloc((size_t)w->n_days * sizeof *d->daily);
    d->open = malloc((size_t)w->n_days * sizeof *d->open);
    return d->daily && d->open ? CN_OK : out_of_memory(err);
}

/* Frees the work of a forecast or a backtest, and out too when it failed. */
static int days_done(struct work *w, struct days *d, struct forecast_calc *out, int rc)
{
    free(d->daily);
    free(d->open);
    work_free(w);
    if (rc)
        forecast_calc_free(out);
    return rc;
}

int forecast_calc_forecast(struct store *s, const struct config *cfg, cn_date from, int weeks,
                           const char *only_office, struct forecast_calc *out, struct cn_err *err)
{
    struct work w;
    struct days d = {0};
    int rc = gather(s, cfg, from, weeks, only_office, false, out, &w, err);
    if (!rc)
        rc = days_alloc(&w, &d, err);
    double *daily = d.daily;
    bool *open = d.open;
    if (!rc) {
        out->curve = curve_as_of(&w, out->first_week, &out->history);
        for (int o = 0; o < out->n_offices; o++) {
            daily_visits(&w, o, &out->curve, daily, open);
            for (int k = 0; k < weeks; k++)
                out->offices[o].visits[k] = week_sum(&w, daily, k);
        }
    }
    return days_done(&w, &d, out, rc);
}

struct actual_ctx {
    struct forecast_calc *r;
    const struct config *cfg;
    const struct work *w;
};

static void add_actual(struct actual_ctx *a, int o, cn_date day, long visits)
{
    int k = week_of(a->r, day);
    if (k >= 0)
        a->r->offices[o].actual[k] += (double)visits;
    /* 52 weeks: the same weekdays a year later. */
    if ((k = week_of(a->r, day + 364)) >= 0)
        a->r->offices[o].base_last_year[k] += (double)visits;
}

static int on_visits(const char *office, cn_date day, long visits, void *ctx)
{
    struct actual_ctx *a = ctx;
    const struct office *known = config_office(a->cfg, office);
    const int o = known ? a->w->office_of[known - a->cfg->offices] : -1;
    if (o >= 0)
        add_actual(a, o, day, visits);
    return CN_OK;
}

/* A renewal is a visit at the office the resident's district names first. */
static int on_renewals(const char *district, cn_date day, long renewals, void *ctx)
{
    struct actual_ctx *a = ctx;
    const int o = result_office(a->w, district);
    if (o >= 0)
        add_actual(a, o, day, renewals);
    return CN_OK;
}

int forecast_calc_backtest(struct store *s, const struct config *cfg, cn_date from, int weeks,
                           const char *only_office, struct forecast_calc *out, struct cn_err *err)
{
    struct work w;
    struct days d = {0};
    int rc = gather(s, cfg, from, weeks, only_office, true, out, &w, err);
    if (!rc)
        rc = days_alloc(&w, &d, err);
    double *daily = d.daily;
    bool *open = d.open;
    if (!rc) {
        /* What the counters saw: the renewals, walk-ins included, once the night reads them
         * from the export; before that the bookings marked arrived or done. */
        struct actual_ctx a = {out, cfg, &w};
        rc = out->renewal_history > 0
                 ? store_forecast_renewals(s, out->first_week - 364,
                                           out->first_week + 7 * weeks - 1, on_renewals, &a, err)
                 : store_forecast_visits(s, out->first_week - 364,
                                         out->first_week + 7 * weeks - 1, on_visits, &a, err);
    }
    for (int o = 0; !rc && o < out->n_offices; o++) {
        daily_visits(&w, o, &cfg->forecast_curve, daily, open);
        for (int k = 0; k < weeks; k++)
            out->offices[o].base_default[k] = week_sum(&w, daily, k);
    }
    /* Each week with the curve known on its Monday: what a run that morning would say. */
    for (int k = 0; !rc && k < weeks; k++) {
        out->curve = curve_as_of(&w, out->first_week + 7 * k, &out->history);
        for (int o = 0; o < out->n_offices; o++) {
            daily_visits(&w, o, &out->curve, daily, open);
            out->offices[o].visits[k] = week_sum(&w, daily, k);
        }
    }
    return days_done(&w, &d, out, rc);
}

int forecast_calc_chart(const struct forecast_calc *r, const struct config *cfg,
                        struct forecast_calc_chart *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    out->offices = calloc(r->n_offices ? (size_t)r->n_offices : 1, sizeof *out->offices);
    if (!out->offices) {
        cn_fail(err, CN_EOUTPUT, "out of memory");
        return CN_EOUTPUT;
    }
    snprintf(out->title, sizeof out->title, "%s 窓口の来庁予測と予約席数", cfg->municipality);
    forecast_calc_curve_label(r, out->subtitle, sizeof out->subtitle);
    for (int i = 0; i < r->n_offices; i++) {
        const struct forecast_calc_office *ro = &r->offices[i];
        out->offices[i] = (struct forecast_chart_office){.id = ro->office->id,
                                                         .name = ro->office->name,
                                                         .walkin = ro->walkin,
                                                         .visits = ro->visits,
                                                         .seats = ro->seats,
                                                         .hours = ro->hours,
                                                         .letters = ro->letters};
    }
    out->chart = (struct forecast_chart){.title = out->title,
                                         .subtitle = out->subtitle,
                                         .first_week = r->first_week,
                                         .n_weeks = r->n_weeks,
                                         .offices = out->offices,
                                         .n_offices = r->n_offices};
    return CN_OK;
}

void forecast_calc_chart_free(struct forecast_calc_chart *c)
{
    free(c->offices);
    c->offices = NULL;
}

void forecast_calc_curve_label(const struct forecast_calc *r, char *out, size_t cap)
{
    if (r->curve.measured && r->renewal_history > 0)
        snprintf(out, cap, "来庁曲線: 更新の実績（%ld人で測定）", r->curve.residents);
    else if (r->curve.measured)
        snprintf(out, cap, "来庁曲線: 予約・来庁の実績（%ld人で測定）", r->curve.residents);
    else
        snprintf(out, cap, "来庁曲線: 設定の既定値（実績 %ld人 < 必要 %ld人）",
                 r->history.residents, r->min_residents);
}

int forecast_calc_svg(struct store *s, const struct config *cfg, cn_date from, int weeks,
                      struct forecast_calc *out, char **svg, size_t *len, struct cn_err *err)
{
    struct forecast_calc_chart c = {0};
    int rc = forecast_calc_forecast(s, cfg, from, weeks, NULL, out, err);
    if (!rc)
        rc = forecast_calc_chart(out, cfg, &c, err);
    if (!rc)
        rc = forecast_chart_svg(&c.chart, svg, len, err);
    forecast_calc_chart_free(&c);
    if (rc)
        forecast_calc_free(out);
    return rc;
}
