#include "takeup_calc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast.h"
#include "grow.h"
#include "store_outcome.h"

static const char *const by_names[] = {
    [TAKEUP_BY_OFFICE] = "office",
    [TAKEUP_BY_DISTRICT] = "district",
    [TAKEUP_BY_WEEK] = "week",
    [TAKEUP_BY_AGE] = "age",
};

const char *takeup_by_name(enum takeup_by by)
{
    return (unsigned)by <= TAKEUP_BY_AGE ? by_names[by] : "";
}

bool takeup_by_parse(const char *s, enum takeup_by *out)
{
    for (int i = 0; s && i <= TAKEUP_BY_AGE; i++)
        if (strcmp(s, by_names[i]) == 0) {
            *out = (enum takeup_by)i;
            return true;
        }
    return false;
}

struct work {
    const struct config *cfg;
    struct takeup_calc *r;
    struct cn_err *err;
};

/* The office a district's residents are sent to first, as the forecast counts them. */
static void key_of(const struct work *w, const struct takeup_row *row, char key[32],
                   char label[128])
{
    const struct district *d = config_district(w->cfg, row->district);
    switch (w->r->by) {
    case TAKEUP_BY_OFFICE:
        if (d && d->n_offices > 0) {
            const struct office *o = &w->cfg->offices[d->offices[0]];
            snprintf(key, 32, "%s", o->id);
            snprintf(label, 128, "%s", o->name);
        } else {
            snprintf(key, 32, "-");
            snprintf(label, 128, "（設定にない地区）");
        }
        return;
    case TAKEUP_BY_DISTRICT:
        snprintf(key, 32, "%s", row->district);
        snprintf(label, 128, "%s", d ? d->name : row->district);
        return;
    case TAKEUP_BY_WEEK:
        if (row->f.letter_date == DATE_NONE)
            snprintf(key, 32, "unknown");
        else
            date_format_iso(forecast_week_start(row->f.letter_date), key);
        break;
    case TAKEUP_BY_AGE:
    default:
        outcome_age_band(row->birth_date, row->f.cert_expiry, key);
        break;
    }
    snprintf(label, 128, "%s", key);
}

static struct takeup_group *group_for(struct work *w, const char *key, const char *label)
{
    struct takeup_calc *r = w->r;
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const int c = strcmp(r->groups[mid].key, key);
        if (c == 0)
            return &r->groups[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct takeup_group *g = grow_for_one(r->groups, &r->cap, r->n, sizeof *g, 16);
    if (!g)
        return NULL;
    r->groups = g;
    memmove(&r->groups[lo + 1], &r->groups[lo], (r->n - lo) * sizeof *g);
    r->n++;
    g = &r->groups[lo];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    snprintf(g->label, sizeof g->label, "%s", label);
    return g;
}

static int add_days(struct takeup_group *g, int days)
{
    int *d = grow_for_one(g->days, &g->cap_days, g->n_days, sizeof *d, 64);
    if (!d)
        return -1;
    g->days = d;
    g->days[g->n_days++] = days;
    return 0;
}

static int on_row(const struct takeup_row *row, void *ctx)
{
    struct work *w = ctx;
    const cn_date l = row->f.letter_date;
    if ((w->r->from != DATE_NONE && (l == DATE_NONE || l < w->r->from)) ||
        (w->r->to != DATE_NONE && (l == DATE_NONE || l > w->r->to)))
        return CN_OK;
    char key[32], label[128];
    key_of(w, row, key, label);
    struct takeup_group *g = group_for(w, key, label);
    if (!g)
        return cn_fail(w->err, CN_EOUTPUT, "out of memory");
    const int days = outcome_tally(&g->c, &row->f);
    outcome_tally(&w->r->total.c, &row->f);
    if (days >= 0 && (add_days(g, days) || add_days(&w->r->total, days)))
        return cn_fail(w->err, CN_EOUTPUT, "out of memory");
    return CN_OK;
}

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The middle value, or the mean of the two middle ones. */
static void median(struct takeup_group *g)
{
    g->has_median = g->n_days > 0;
    if (!g->has_median)
        return;
    qsort(g->days, g->n_days, sizeof *g->days, by_int);
    const size_t m = g->n_days / 2;
    g->median = g->n_days % 2 ? g->days[m] : (g->days[m - 1] + g->days[m]) / 2.0;
}

int takeup_calc_run(struct store *s, const struct config *cfg, enum takeup_by by, cn_date from,
                    cn_date to, struct takeup_calc *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    out->by = by;
    out->from = from;
    out->to = to;
    snprintf(out->total.key, sizeof out->total.key, "total");
    snprintf(out->total.label, sizeof out->total.label, "合計");
    struct work w = {cfg, out, err};
    int rc = store_takeup_each(s, on_row, &w, err);
    if (rc) {
        takeup_calc_free(out);
        return rc;
    }
    for (size_t i = 0; i < out->n; i++)
        median(&out->groups[i]);
    median(&out->total);
    return CN_OK;
}

void takeup_calc_free(struct takeup_calc *r)
{
    for (size_t i = 0; r->groups && i < r->n; i++)
        free(r->groups[i].days);
    free(r->groups);
    free(r->total.days);
    memset(r, 0, sizeof *r);
}

static struct takeup_chart_row row_of(const struct takeup_group *g)
{
    return (struct takeup_chart_row){g->label, &g->c, g->median, g->has_median};
}

int takeup_calc_chart(const struct takeup_calc *r, const struct config *cfg,
                      struct takeup_calc_chart *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    out->rows = calloc(r->n + 1, sizeof *out->rows);
    if (!out->rows)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    out->rows[0] = row_of(&r->total);
    for (size_t i = 0; i < r->n; i++)
        out->rows[i + 1] = row_of(&r->groups[i]);
    static const char *const by_ja[] = {[TAKEUP_BY_OFFICE] = "窓口別",
                                        [TAKEUP_BY_DISTRICT] = "地区別",
                                        [TAKEUP_BY_WEEK] = "通知の週別",
                                        [TAKEUP_BY_AGE] = "年齢別（有効期限時点）"};
    snprintf(out->title, sizeof out->title, "%s 電子証明書の更新状況（%s）", cfg->municipality,
             by_ja[r->by]);
    char from[11] = "", to[11] = "";
    if (r->from != DATE_NONE)
        date_format_iso(r->from, from);
    if (r->to != DATE_NONE)
        date_format_iso(r->to, to);
    snprintf(out->subtitle, sizeof out->subtitle,
             "通知日 %s〜%s　更新は登録の更新（新しい有効期限・新しいカード）で判定",
             from[0] || to[0] ? from : "すべて", to);
    out->chart = (struct takeup_chart){out->title, out->subtitle, out->rows, (int)r->n + 1};
    return CN_OK;
}

void takeup_calc_chart_free(struct takeup_calc_chart *c)
{
    free(c->rows);
    c->rows = NULL;
}
