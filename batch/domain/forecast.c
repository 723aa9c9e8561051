#include "forecast.h"

#include <math.h>
#include <stdlib.h>

_Static_assert(FORECAST_CURVE_DAYS == FORECAST_CURVE_WEEKS * 7, "the curve is whole weeks");

bool forecast_curve_parse(const char *text, struct forecast_curve *out, const char **why)
{
    struct forecast_curve c = {0};
    const char *p = text;
    int n = 0;
    double sum = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        if (n == FORECAST_CURVE_WEEKS) {
            *why = "has more than 17 weekly shares";
            return false;
        }
        char *end;
        double v = strtod(p, &end);
        if (end == p || (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r') ||
            !(v >= 0 && v <= 1)) {
            *why = "must be weekly shares between 0 and 1 separated by spaces";
            return false;
        }
        c.week[n++] = v;
        sum += v;
        p = end;
    }
    if (n == 0) {
        *why = "is empty";
        return false;
    }
    /* A little slack for shares written with two decimals. */
    if (sum > 1.0 + 1e-9) {
        *why = "sums to more than 1 (the shares are of all residents)";
        return false;
    }
    *out = c;
    return true;
}

double forecast_curve_day(const struct forecast_curve *c, int k)
{
    if (k < 0 || k >= FORECAST_CURVE_DAYS)
        return 0;
    return c->week[k / 7] / 7.0;
}

double forecast_curve_total(const struct forecast_curve *c)
{
    double sum = 0;
    for (int w = 0; w < FORECAST_CURVE_WEEKS; w++)
        sum += c->week[w];
    return sum;
}

void forecast_tally_add(struct forecast_tally *t, cn_date window_start, cn_date visit,
                        cn_date as_of)
{
    if (window_start == DATE_NONE || (long)window_start + FORECAST_CURVE_DAYS > (long)as_of)
        return;
    t->residents++;
    if (visit == DATE_NONE)
        return;
    long k = (long)visit - window_start;
    if (k < 0)
        k = 0;
    if (k < FORECAST_CURVE_DAYS)
        t->visits[k / 7]++;
}

struct forecast_curve forecast_curve_choose(const struct forecast_curve *dflt,
                                            const struct forecast_tally *t, long min_residents)
{
    if (min_residents < 1)
        min_residents = 1;
    if (t->residents < min_residents) {
        struct forecast_curve c = *dflt;
        c.measured = false;
        c.residents = 0;
        return c;
    }
    struct forecast_curve c = {.measured = true, .residents = t->residents};
    for (int w = 0; w < FORECAST_CURVE_WEEKS; w++)
        c.week[w] = (double)t->visits[w] / (double)t->residents;
    return c;
}

void forecast_convolve(const double *openings, int n, const struct forecast_curve *c,
                       double *visits)
{
    for (int j = 0; j < n; j++) {
        double v = 0;
        for (int k = 0; k < FORECAST_CURVE_DAYS && k <= j; k++)
            v += openings[j - k] * forecast_curve_day(c, k);
        visits[j] = v;
    }
}

void forecast_carry(double *visits, const bool *open, int n)
{
    double pending = 0;
    int from = -1; /* the first closed day whose visits are pending */
    for (int j = 0; j < n; j++) {
        if (!open[j]) {
            if (from < 0)
                from = j;
            pending += visits[j];
            visits[j] = 0;
            continue;
        }
        visits[j] += pending;
        pending = 0;
        from = -1;
    }
    /* No open day after them: put them back where they were expected. */
    if (from >= 0)
        visits[from] += pending;
}

cn_date forecast_week_start(cn_date day)
{
    return day - (date_weekday(day) + 6) % 7;
}

int forecast_day_seats(const struct office_calendar *cal, const struct booking_rules *r,
                       const struct slot_changes *c, cn_date day)
{
    if (!r->enabled || !cal->takes_bookings)
        return 0;
    int starts[24 * 60 / 5]; /* the shortest slot config.c allows */
    const int n = slots_of_day(cal, r, day, starts, (int)(sizeof starts / sizeof starts[0]));
    int seats = 0;
    for (int i = 0; i < n; i++)
        seats += slots_seats(r, c, day, starts[i]);
    return seats;
}

double forecast_day_walkin_hours(const struct office_calendar *cal, cn_date day)
{
    struct officecal_interval iv[OFFICECAL_MAX_INTERVALS];
    int n = officecal_intervals(cal, day, OFFICECAL_WALKIN, iv);
    int min = 0;
    for (int i = 0; i < n; i++)
        min += iv[i].end - iv[i].start;
    return min / 60.0;
}

double forecast_load_pct(double visits, int seats)
{
    return seats > 0 ? visits * 100.0 / seats : 0;
}

bool forecast_over_capacity(double visits, int seats)
{
    return seats > 0 && visits > seats;
}

double forecast_mape(const double *actual, const double *predicted, int n, int *used)
{
    double sum = 0;
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!(actual[i] > 0))
            continue;
        sum += fabs(actual[i] - predicted[i]) / actual[i];
        m++;
    }
    *used = m;
    return m ? sum * 100.0 / m : -1;
}
