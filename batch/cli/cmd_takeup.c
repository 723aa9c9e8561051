/* certnotice takeup: what became of the letters sent, per office, district, week or age band
 * (takeup.csv, takeup.svg, takeup.pdf in --out), and the same counts for `report`. Options
 * and files only: takeup_calc.c counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "err.h"
#include "log.h"
#include "store.h"
#include "takeup_calc.h"
#include "takeup_chart.h"

enum { TU_DB, TU_CONFIG, TU_FROM, TU_TO, TU_BY, TU_OUT };

const struct cmd_usage cmd_takeup_usage = {
    .name = "takeup",
    .summary = "What became of the letters sent (renewed, booked, walk-in, lapsed, withdrawn) "
               "per office, district, week or age band: takeup.csv, takeup.svg and takeup.pdf.",
    .opts =
        {
            [TU_DB] = {"db", "FILE", "the nightly job's database", "certnotice.db"},
            [TU_CONFIG] = {"config", "FILE", "the municipality's config", "certnotice.xml"},
            [TU_FROM] = {"from", "D", "only letters issued on or after D"},
            [TU_TO] = {"to", "D", "only letters issued on or before D"},
            [TU_BY] = {"by", "GROUP", "office, district, week (of the letter) or age (at expiry)",
                       "district"},
            [TU_OUT] = {"out", "DIR", "where the files go (created)", "takeup"},
        },
};

/* The CSV's columns: the counts in its order first, then the two that make the
 * sums whole (renewed = booked + walk_ins; letters = renewed + lapsed + withdrawn +
 * pending). New columns only go after these. */
static const char *const header[] = {"group",
                                     "letters",
                                     "reminders",
                                     "renewed_before_expiry",
                                     "renewed_after_reminder",
                                     "booked",
                                     "walk_ins",
                                     "lapsed",
                                     "withdrawn",
                                     "median_days_to_renewal",
                                     "renewed",
                                     "pending"};
#define N_COLS ((int)(sizeof header / sizeof header[0]))

static void cells(const struct takeup_group *g, char v[N_COLS][40])
{
    const struct takeup_counts *c = &g->c;
    const long n[] = {c->letters,
                      c->reminders,
                      c->renewed_before_expiry,
                      c->renewed_after_reminder,
                      c->booked,
                      c->walk_ins,
                      c->lapsed,
                      c->withdrawn};
    snprintf(v[0], 40, "%s", g->key);
    for (int i = 0; i < 8; i++)
        snprintf(v[1 + i], 40, "%ld", n[i]);
    /* A whole number of days, or a half between two. */
    if (!g->has_median)
        v[9][0] = '\0';
    else if (g->median == (double)(long)g->median)
        snprintf(v[9], 40, "%ld", (long)g->median);
    else
        snprintf(v[9], 40, "%.1f", g->median);
    snprintf(v[10], 40, "%ld", c->renewed);
    snprintf(v[11], 40, "%ld", c->pending);
}

static int write_csv(const struct takeup_calc *r, const char *path, unsigned mode,
                     struct cn_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    int rc = csv_write_row(f, header, N_COLS);
    for (size_t i = 0; !rc && i < r->n; i++) {
        char v[N_COLS][40];
        const char *row[N_COLS];
        cells(&r->groups[i], v);
        for (int k = 0; k < N_COLS; k++)
            row[k] = v[k];
        rc = csv_write_row(f, row, N_COLS);
    }
    if (fclose(f) != 0 || rc)
        rc = cn_fail(err, CN_EOUTPUT, "takeup.csv: cannot write");
    if (!rc)
        rc = atomicfile_write(path, mode, buf, len, err);
    free(buf);
    return rc;
}

static int write_charts(const struct takeup_calc *r, const struct config *cfg, const char *dir,
                        struct cn_err *err)
{
    char path[4096];
    struct takeup_calc_chart c;
    char *svg = NULL;
    size_t len = 0;
    int rc = takeup_calc_chart(r, cfg, &c, err);
    if (!rc)
        rc = takeup_chart_svg(&c.chart, &svg, &len, err);
    if (!rc && (size_t)snprintf(path, sizeof path, "%s/takeup.svg", dir) >= sizeof path)
        rc = cn_fail(err, CN_EUSAGE, "--out %s: path too long", dir);
    if (!rc)
        rc = atomicfile_write(path, cfg->file_mode, svg, len, err);
    free(svg);
    if (!rc) {
        snprintf(path, sizeof path, "%s/takeup.pdf", dir);
        rc = takeup_chart_pdf(&c.chart, cfg->font_gothic, path, cfg->file_mode, err);
    }
    takeup_calc_chart_free(&c);
    return rc;
}

/* The table `report` and the command print: one line a group, then the total. */
static void print_table(const struct takeup_calc *r)
{
    printf("  %-12s", "group");
    for (int k = 1; k < N_COLS; k++)
        printf(" %s", header[k]);
    printf("\n");
    for (size_t i = 0; i <= r->n; i++) {
        char v[N_COLS][40];
        cells(i < r->n ? &r->groups[i] : &r->total, v);
        printf("  %-12s", v[0]);
        for (int k = 1; k < N_COLS; k++)
            printf(" %*s", (int)strlen(header[k]), v[k][0] ? v[k] : "-");
        printf("\n");
    }
}

int cmd_takeup_report(struct store *store, const char *config, struct cn_err *err)
{
    struct config cfg;
    memset(&cfg, 0, sizeof cfg);
    int rc = config ? config_load(config, &cfg, err) : CN_OK;
    struct takeup_calc r;
    if (!rc &&
        !(rc = takeup_calc_run(store, &cfg, TAKEUP_BY_DISTRICT, DATE_NONE, DATE_NONE, &r, err))) {
        printf("\ntake-up of the letters sent, by district (certnotice takeup):\n");
        print_table(&r);
        takeup_calc_free(&r);
    }
    if (config && !rc)
        config_free(&cfg);
    return rc;
}

int cmd_takeup(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_takeup_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    cn_date from = DATE_NONE, to = DATE_NONE;
    enum takeup_by by = TAKEUP_BY_DISTRICT;
    if (!opts_date(u, TU_FROM, &a, &from) || !opts_date(u, TU_TO, &a, &to))
        return CN_EUSAGE;
    if (!takeup_by_parse(a.value[TU_BY], &by)) {
        log_error("takeup", "--by %s: office, district, week or age", a.value[TU_BY]);
        return CN_EUSAGE;
    }
    const char *db = a.value[TU_DB], *dir = a.value[TU_OUT];
    struct cn_err err = {0};
    struct config cfg;
    if ((rc = config_load(a.value[TU_CONFIG], &cfg, &err))) {
        log_error("takeup", "%s", err.msg);
        return rc;
    }
    struct store *store = NULL;
    struct takeup_calc r = {0};
    char path[4096];
    /* A mistyped --db must not leave an empty database behind and count nothing. */
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
    if ((size_t)snprintf(path, sizeof path, "%s/takeup.csv", dir) >= sizeof path) {
        rc = cn_fail(&err, CN_EUSAGE, "--out %s: path too long", dir);
        goto out;
    }
    if (!(rc = takeup_calc_run(store, &cfg, by, from, to, &r, &err)) &&
        !(rc = write_csv(&r, path, cfg.file_mode, &err)) &&
        !(rc = write_charts(&r, &cfg, dir, &err))) {
        printf("take-up by %s:\n", takeup_by_name(by));
        print_table(&r);
    }
    if (!rc && fflush(stdout) != 0)
        rc = cn_fail(&err, CN_EOUTPUT, "writing to standard output failed");
out:
    if (rc)
        log_error("takeup", "%s", err.msg);
    takeup_calc_free(&r);
    store_close(store);
    config_free(&cfg);
    return rc;
}
