/* certnotice forecast: counter demand per office and ISO week against seats (forecast.csv,
 * curve.csv, forecast.svg, forecast.pdf), or with --backtest the replay of past weeks
 * (backtest.csv and MAPE per office on stdout). Options and files only: forecast_calc.c computes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "clock.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "err.h"
#include "forecast_chart.h"
#include "forecast_calc.h"
#include "forecast.h"
#include "log.h"
#include "store.h"
#include "strbuf.h"

enum { FC_DB, FC_CONFIG, FC_FROM, FC_WEEKS, FC_OFFICE, FC_OUT, FC_BACKTEST };

const struct cmd_usage cmd_forecast_usage = {
    .name = "forecast",
    .summary = "Counter demand per office and week against seats: forecast.csv, curve.csv, "
               "forecast.svg and forecast.pdf in --out; --backtest replays past weeks.",
    .opts =
        {
            [FC_DB] = {"db", "FILE", "the nightly job's database", "certnotice.db"},
            [FC_CONFIG] = {"config", "FILE", "the municipality's config", "certnotice.xml"},
            [FC_FROM] = {"from", "D",
                         "the first week (its Monday); default this week, with --backtest "
                         "--weeks before it"},
            [FC_WEEKS] = {"weeks", "N", "how many weeks (1-104)", "26"},
            [FC_OFFICE] = {"office", "ID", "only this office (the config's id)"},
            [FC_OUT] = {"out", "DIR", "where the files go (created)", "forecast"},
            [FC_BACKTEST] = {"backtest", NULL,
                             "predict each past week from what was known the week before; "
                             "backtest.csv and MAPE next to the naive baselines"},
        },
};

/* Rows are built in memory and written whole: a spreadsheet never opens half a file. */
struct outbuf {
    struct strbuf text;
    FILE *f; /* the CSV rows' stream into text */
};

static int out_begin(struct outbuf *o, struct cn_err *err)
{
    o->text = (struct strbuf)STRBUF_INIT;
    o->f = strbuf_stream(&o->text);
    return o->f ? CN_OK : cn_fail(err, CN_EOUTPUT, "out of memory");
}

static int out_end(struct outbuf *o, const char *dir, const char *name, unsigned mode,
                   struct cn_err *err)
{
    char path[4096];
    int rc = fclose(o->f) != 0 || o->text.failed
                 ? cn_fail(err, CN_EOUTPUT, "%s: out of memory", name)
                 : CN_OK;
    if (!rc && (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        rc = cn_fail(err, CN_EUSAGE, "--out %s: path too long", dir);
    if (!rc)
        rc = atomicfile_write(path, mode, strbuf_str(&o->text), o->text.len, err);
    strbuf_release(&o->text);
    return rc;
}

static void fmt(char *out, size_t cap, double v)
{
    snprintf(out, cap, "%.1f", v);
}

static int write_forecast_csv(const struct forecast_calc *r, const char *dir, unsigned mode,
                              struct cn_err *err)
{
    struct outbuf o;
    int rc = out_begin(&o, err);
    if (rc)
        return rc;
    /* The first eight columns are the city spreadsheets' contract (docs/contracts.md); more go
     * after them only. */
    static const char *const header[] = {
        "office",          "week_start", "windows_opening", "letters", "visits_expected",
        "seats",           "load_pct",   "over_capacity",   "mode",    "walkin_hours",
        "visits_per_hour", "curve",      "curve_residents"};
    const int nh = (int)(sizeof header / sizeof header[0]);
    rc = csv_write_row(o.f, header, nh);
    for (int i = 0; !rc && i < r->n_offices; i++) {
        const struct forecast_calc_office *ro = &r->offices[i];
        for (int w = 0; !rc && w < r->n_weeks; w++) {
            char week[11], windows[24], letters[24], visits[32], seats[24], load[32], hours[32],
                per_hour[32], residents[24];
            date_format_iso(r->first_week + 7 * w, week);
            snprintf(windows, sizeof windows, "%ld", ro->windows[w]);
            snprintf(letters, sizeof letters, "%ld", ro->letters[w]);
            fmt(visits, sizeof visits, ro->visits[w]);
            snprintf(seats, sizeof seats, "%d", ro->seats[w]);
            load[0] = per_hour[0] = '\0';
            if (ro->seats[w] > 0)
                fmt(load, sizeof load, forecast_load_pct(ro->visits[w], ro->seats[w]));
            fmt(hours, sizeof hours, ro->hours[w]);
            if (ro->walkin && ro->hours[w] > 0)
                snprintf(per_hour, sizeof per_hour, "%.2f", ro->visits[w] / ro->hours[w]);
            snprintf(residents, sizeof residents, "%ld", r->curve.residents);
            const char *row[] = {ro->office->id,
                                 week,
                                 windows,
                                 letters,
                                 visits,
                                 seats,
                                 load,
                                 forecast_over_capacity(ro->visits[w], ro->seats[w]) ? "1" : "0",
                                 ro->walkin ? "walkin" : "booking",
                                 hours,
                                 per_hour,
                                 r->curve.measured ? "measured" : "default",
                                 residents};
            rc = csv_write_row(o.f, row, nh);
        }
    }
    if (rc) {
        fclose(o.f);
        strbuf_release(&o.text);
        return cn_fail(err, CN_EOUTPUT, "forecast.csv: cannot write");
    }
    return out_end(&o, dir, "forecast.csv", mode, err);
}

static int write_curve_csv(const struct forecast_calc *r, const struct config *cfg, const char *dir,
                           unsigned mode, struct cn_err *err)
{
    struct outbuf o;
    int rc = out_begin(&o, err);
    if (rc)
        return rc;
    static const char *const header[] = {"week", "default_share", "used_share"};
    rc = csv_write_row(o.f, header, 3);
    for (int w = 0; !rc && w < FORECAST_CURVE_WEEKS; w++) {
        char wk[16], d[32], u[32];
        snprintf(wk, sizeof wk, "%d", w);
        snprintf(d, sizeof d, "%.4f", cfg->forecast_curve.week[w]);
        snprintf(u, sizeof u, "%.4f", r->curve.week[w]);
        const char *row[] = {wk, d, u};
        rc = csv_write_row(o.f, row, 3);
    }
    if (rc) {
        fclose(o.f);
        strbuf_release(&o.text);
        return cn_fail(err, CN_EOUTPUT, "curve.csv: cannot write");
    }
    return out_end(&o, dir, "curve.csv", mode, err);
}

static int write_charts(const struct forecast_calc *r, const struct config *cfg, const char *dir,
                        struct cn_err *err)
{
    char path[4096];
    struct forecast_calc_chart c;
    char *svg = NULL;
    size_t len = 0;
    int rc = forecast_calc_chart(r, cfg, &c, err);
    if (!rc)
        rc = forecast_chart_svg(&c.chart, &svg, &len, err);
    if (!rc && (size_t)snprintf(path, sizeof path, "%s/forecast.svg", dir) >= sizeof path)
        rc = cn_fail(err, CN_EUSAGE, "--out %s: path too long", dir);
    if (!rc)
        rc = atomicfile_write(path, cfg->file_mode, svg, len, err);
    free(svg);
    if (!rc)
        snprintf(path, sizeof path, "%s/forecast.pdf", dir);
    if (!rc)
        rc = forecast_chart_pdf(&c.chart, cfg->font_gothic, path, cfg->file_mode, err);
    forecast_calc_chart_free(&c);
    return rc;
}

/* One summary line per office on stdout: a section chief running the command sees the
 * overflowing weeks without opening a file. */
static void print_summary(const struct forecast_calc *r)
{
    char label[256];
    forecast_calc_curve_label(r, label, sizeof label);
    printf("%s\n", label);
    for (int i = 0; i < r->n_offices; i++) {
        const struct forecast_calc_office *ro = &r->offices[i];
        int overs = 0;
        char first[11] = "";
        for (int w = 0; w < r->n_weeks; w++)
            if (forecast_over_capacity(ro->visits[w], ro->seats[w]) && overs++ == 0)
                date_format_iso(r->first_week + 7 * w, first);
        if (ro->walkin)
            printf("%s: walk-in, no seats\n", ro->office->id);
        else if (overs)
            printf("%s: %d weeks over capacity, first the week of %s\n", ro->office->id, overs,
                   first);
        else
            printf("%s: within capacity\n", ro->office->id);
    }
}

/* "12.3", or "" when undefined (no week with visits): a spreadsheet's empty cell. */
static void fmt_mape(char *out, size_t cap, double mape, int used)
{
    if (used)
        fmt(out, cap, mape);
    else
        out[0] = '\0';
}

static int write_backtest(const struct forecast_calc *r, const char *dir, unsigned mode,
                          struct cn_err *err)
{
    struct outbuf o;
    int rc = out_begin(&o, err);
    if (rc)
        return rc;
    static const char *const header[] = {"office",        "week_start",    "actual",
                                         "predicted",     "default_curve", "last_year",
                                         "ape_predicted", "ape_default",   "ape_last_year"};
    rc = csv_write_row(o.f, header, 9);
    char label[256];
    forecast_calc_curve_label(r, label, sizeof label);
    printf("%s\noffice,weeks,mape_predicted,mape_default_curve,mape_last_year\n", label);
    for (int i = 0; !rc && i < r->n_offices; i++) {
        const struct forecast_calc_office *ro = &r->offices[i];
        const double *pred[3] = {ro->visits, ro->base_default, ro->base_last_year};
        for (int w = 0; !rc && w < r->n_weeks; w++) {
            char week[11], v[7][32];
            date_format_iso(r->first_week + 7 * w, week);
            fmt(v[0], sizeof v[0], ro->actual[w]);
            for (int k = 0; k < 3; k++) {
                int used;
                fmt(v[1 + k], sizeof v[1 + k], pred[k][w]);
                double ape = forecast_mape(&ro->actual[w], &pred[k][w], 1, &used);
                fmt_mape(v[4 + k], sizeof v[4 + k], ape, used);
            }
            const char *row[] = {ro->office->id, week, v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
            rc = csv_write_row(o.f, row, 9);
        }
        char m[3][32];
        int used[3];
        for (int k = 0; k < 3; k++) {
            const double mape = forecast_mape(ro->actual, pred[k], r->n_weeks, &used[k]);
            fmt_mape(m[k], sizeof m[k], mape, used[k]);
        }
        printf("%s,%d,%s,%s,%s\n", ro->office->id, used[0], m[0], m[1], m[2]);
    }
    if (rc) {
        fclose(o.f);
        strbuf_release(&o.text);
        return cn_fail(err, CN_EOUTPUT, "backtest.csv: cannot write");
    }
    return out_end(&o, dir, "backtest.csv", mode, err);
}

int cmd_forecast(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_forecast_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    long weeks = 26;
    cn_date from = DATE_NONE;
    if (!opts_int(u, FC_WEEKS, &a, 1, 104, &weeks) || !opts_date(u, FC_FROM, &a, &from))
        return CN_EUSAGE;
    const bool backtest = a.value[FC_BACKTEST] != NULL;
    const char *db = a.value[FC_DB], *dir = a.value[FC_OUT];
    struct cn_err err = {0};
    struct config cfg;
    if ((rc = config_load(a.value[FC_CONFIG], &cfg, &err))) {
        log_error("forecast", "%s", err.msg);
        return rc;
    }
    if (from == DATE_NONE) {
        from = clock_today_in(cfg.time_zone);
        if (backtest)
            from -= 7 * (cn_date)weeks;
    }
    struct store *store = NULL;
    struct forecast_calc r = {0};
    /* A mistyped --db must not leave an empty database behind and forecast nothing. */
    if (access(db, F_OK) != 0) {
        rc = cn_fail(&err, CN_EINPUT, "%s: no database: %s", db, strerror(errno));
        goto out;
    }
    if ((rc = store_open(db, cfg.file_mode, &store, &err)))
        goto out;
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
        rc = cn_fail(&err, CN_EOUTPUT, "--out %s: cannot create: %s", dir, strerror(errno));
        goto out;
    }
    if (backtest) {
        if (!(rc = forecast_calc_backtest(store, &cfg, from, (int)weeks, a.value[FC_OFFICE], &r,
                                          &err)))
            rc = write_backtest(&r, dir, cfg.file_mode, &err);
    } else if (!(rc = forecast_calc_forecast(store, &cfg, from, (int)weeks, a.value[FC_OFFICE], &r,
                                             &err)) &&
               !(rc = write_forecast_csv(&r, dir, cfg.file_mode, &err)) &&
               !(rc = write_curve_csv(&r, &cfg, dir, cfg.file_mode, &err)) &&
               !(rc = write_charts(&r, &cfg, dir, &err))) {
        print_summary(&r);
    }
    if (!rc && fflush(stdout) != 0)
        rc = cn_fail(&err, CN_EOUTPUT, "writing to standard output failed");
out:
    if (rc)
        log_error("forecast", "%s", err.msg);
    forecast_calc_free(&r);
    store_close(store);
    config_free(&cfg);
    return rc;
}
