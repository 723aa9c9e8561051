/* certnotice daylist: the counter's named list of an office's bookings on a day, inside
 * (names come from the registry, never from the booking store): CSV to stdout or a file,
 * or an A4 PDF to print each morning. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicfile.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "daylist.h"
#include "err.h"
#include "log.h"
#include "slots.h"
#include "store.h"
#include "store_counter.h"

enum { DAY_DB, DAY_CONFIG, DAY_OFFICE, DAY_DATE, DAY_OUT };

const struct cmd_usage cmd_daylist_usage = {
    .name = "daylist",
    .summary = "The counter's list with names for one office and day, from the bookings "
               "brought in: CSV, or an A4 PDF with --out x.pdf.",
    .opts =
        {
            [DAY_DB] = {"db", "FILE", "the night's database", "certnotice.db"},
            [DAY_CONFIG] = {"config", "FILE", "the municipality's config", "certnotice.xml"},
            [DAY_OFFICE] = {"office", "ID", "the office (the config's id)"},
            [DAY_DATE] = {"date", "D", "the day (YYYY-MM-DD)"},
            [DAY_OUT] = {"out", "FILE", "x.pdf (A4) or x.csv (mode 0600); default CSV on stdout"},
        },
};

struct rows {
    struct daylist_row *row;
    size_t n, cap;
    struct cn_err err;
};

static int add_row(const struct counter_entry *e, void *ctx)
{
    struct rows *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        struct daylist_row *g = realloc(r->row, cap * sizeof *g);
        if (!g)
            return cn_fail(&r->err, CN_EOUTPUT, "out of memory");
        r->row = g;
        r->cap = cap;
    }
    struct daylist_row *d = &r->row[r->n++];
    memset(d, 0, sizeof *d);
    slots_format_hhmm(e->start_min, d->time);
    rid_display(e->rid, d->rid);
    snprintf(d->name, sizeof d->name, "%s", e->name);
    snprintf(d->kana, sizeof d->kana, "%s", e->kana);
    if (e->birth != DATE_NONE)
        date_format_iso(e->birth, d->birth);
    snprintf(d->status, sizeof d->status, "%s", e->attendance[0] ? e->attendance : "booked");
    snprintf(d->channel, sizeof d->channel, "%s", strcmp(e->by, "web") == 0 ? "web" : "phone");
    return 0;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static int write_csv(const struct daylist *d, const char *out, unsigned mode, struct cn_err *err)
{
    if (!out) {
        if (daylist_csv(d, stdout) != 0 || fflush(stdout) != 0)
            return cn_fail(err, CN_EOUTPUT, "stdout: cannot write: %s", strerror(errno));
        return CN_OK;
    }
    struct atomicfile f;
    int rc = atomicfile_open(&f, out, mode, err);
    if (rc)
        return rc;
    FILE *s = atomicfile_stream(&f, err);
    if (!s || daylist_csv(d, s) != 0) {
        atomicfile_abort(&f);
        return s ? cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", out, strerror(errno))
                 : CN_EOUTPUT;
    }
    return atomicfile_commit(&f, err);
}

int cmd_daylist(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_daylist_usage, argc, argv, &a, &rc))
        return rc;
    cn_date day = DATE_NONE;
    if (!opts_date(&cmd_daylist_usage, DAY_DATE, &a, &day))
        return CN_EUSAGE;
    const char *office_id = a.value[DAY_OFFICE], *out = a.value[DAY_OUT];
    if (!office_id || day == DATE_NONE) {
        fprintf(stderr, "certnotice daylist: --office ID and --date D are needed\n");
        return CN_EUSAGE;
    }
    if (out && !ends_with(out, ".pdf") && !ends_with(out, ".csv")) {
        fprintf(stderr, "certnotice daylist: --out must end in .pdf or .csv\n");
        return CN_EUSAGE;
    }
    struct cn_err err = {0};
    struct config cfg;
    if ((rc = config_load(a.value[DAY_CONFIG], &cfg, &err))) {
        log_error("daylist", "%s", err.msg);
        return rc;
    }
    const struct office *o = NULL;
    for (size_t i = 0; i < cfg.n_offices && !o; i++)
        if (strcmp(cfg.offices[i].id, office_id) == 0)
            o = &cfg.offices[i];
    struct store *s = NULL;
    struct rows rows = {0};
    struct stat st;
    if (!o) {
        rc = cn_fail(&err, CN_EUSAGE, "--office %s: the config has no such office", office_id);
    } else if (stat(a.value[DAY_DB], &st) != 0) {
        rc = cn_fail(&err, CN_EINPUT, "%s: no such database: give the night's (--db)",
                     a.value[DAY_DB]);
    } else if (!(rc = store_open(a.value[DAY_DB], 0, &s, &err)) &&
               (rc = store_counter_day(s, o->id, day, add_row, &rows, &err)) && rows.err.status) {
        err = rows.err;
    }
    if (!rc) {
        const struct daylist d = {.municipality = cfg.municipality,
                                  .office = o->name,
                                  .day = day,
                                  .fonts = {cfg.font_gothic, cfg.font_mincho, cfg.font_mj,
                                            cfg.font_ud_gothic, cfg.font_ud_mincho},
                                  .rows = rows.row,
                                  .n = rows.n};
        rc = out && ends_with(out, ".pdf") ? daylist_pdf(&d, out, cfg.file_mode, &err)
                                           : write_csv(&d, out, cfg.file_mode, &err);
    }
    if (rc)
        log_error("daylist", "%s", err.msg);
    else if (out)
        log_info("daylist", "%s: %zu bookings of %s on the day", out, rows.n, o->id);
    if (rows.row)
        explicit_bzero(rows.row, rows.cap * sizeof *rows.row);
    free(rows.row);
    store_close(s);
    config_free(&cfg);
    return rc;
}
