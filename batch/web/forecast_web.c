#include "forecast_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forecast_calc.h"
#include "forecast.h"

/* The chart as a screen reader or a text browser gets it: which office overflows when. */
static void over_table(struct html *h, const struct forecast_calc *r)
{
    html_raw(h, "<table class=\"daylist forecast\">\n<caption>席数を超える週</caption>\n<thead><tr>"
                "<th scope=\"col\">窓口</th><th scope=\"col\">超過の週</th>"
                "<th scope=\"col\">最大負荷</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < r->n_offices; i++) {
        const struct forecast_calc_office *o = &r->offices[i];
        char weeks[512] = "", peak[32] = "-";
        size_t used = 0;
        double max = 0;
        for (int w = 0; w < r->n_weeks; w++) {
            if (o->seats[w] > 0 && forecast_load_pct(o->visits[w], o->seats[w]) > max)
                max = forecast_load_pct(o->visits[w], o->seats[w]);
            if (!forecast_over_capacity(o->visits[w], o->seats[w]))
                continue;
            int y, m, d;
            date_to_ymd(r->first_week + 7 * w, &y, &m, &d);
            int n = snprintf(weeks + used, sizeof weeks - used, "%s%d/%d", used ? "、" : "", m, d);
            if (n > 0 && (size_t)n < sizeof weeks - used)
                used += (size_t)n;
        }
        if (o->walkin)
            snprintf(weeks, sizeof weeks, "予約なしの窓口（席数なし）");
        else if (!used)
            snprintf(weeks, sizeof weeks, "なし");
        if (!o->walkin)
            snprintf(peak, sizeof peak, "%.0f%%", max);
        html_f(h, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td></tr>\n", o->office->name,
               weeks, peak);
    }
    html_raw(h, "</tbody>\n</table>\n");
}

int forecast_web_section(struct html *h, struct store *s, const struct config *cfg, cn_date today,
                         struct cn_err *err)
{
    struct forecast_calc r = {0};
    char *svg = NULL;
    size_t len = 0;
    int rc = forecast_calc_svg(s, cfg, today, FORECAST_WEB_WEEKS, &r, &svg, &len, err);
    if (rc)
        return rc;
    /* Inline, without the XML declaration: part of the page, so no second request. */
    const char *start = strstr(svg, "<svg");
    html_raw(h, "<div class=\"forecast-chart\">\n");
    if (start)
        html_rawn(h, start, len - (size_t)(start - svg));
    html_raw(h, "</div>\n");
    over_table(h, &r);
    free(svg);
    forecast_calc_free(&r);
    return CN_OK;
}
