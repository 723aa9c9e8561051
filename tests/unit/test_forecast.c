/* Tests for forecast: the curve's parsing and measurement, the convolution, the carry over
 * closed days, weeks, seats of real city calendars, load and MAPE. Table tests. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "config_load.h"
#include "date.h"
#include "forecast.h"

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    if (!date_parse_iso(iso, &d))
        fail_msg("bad date in the table: %s", iso);
    return d;
}

static void curve_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        double week0, week2, total;
    } cases[] = {
        {"0.5 0.25 0.125", true, 0.5, 0.125, 0.875},
        {"  1  ", true, 1, 0, 1},
        {FORECAST_DEFAULT_CURVE, true, 0.14, 0.08, 0.87},
        {"0.6 0.5", false, 0, 0, 0},                             /* more than everybody */
        {"0.1 -0.1", false, 0, 0, 0},                            /* negative */
        {"0.1 x", false, 0, 0, 0},                               /* not a number */
        {"0.1,0.2", false, 0, 0, 0},                             /* wrong separator */
        {"", false, 0, 0, 0},                                    /* empty */
        {"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", false, 0, 0, 0}, /* 18 weeks */
        {"nan", false, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct forecast_curve c = {.week = {9}};
        const char *why = NULL;
        bool ok = forecast_curve_parse(cases[i].text, &c, &why);
        assert_int_equal(ok, cases[i].ok);
        if (!ok) {
            assert_non_null(why);
            assert_true(c.week[0] == 9); /* untouched */
            continue;
        }
        assert_false(c.measured);
        assert_true(fabs(c.week[0] - cases[i].week0) < 1e-12);
        assert_true(fabs(c.week[2] - cases[i].week2) < 1e-12);
        assert_true(fabs(forecast_curve_total(&c) - cases[i].total) < 1e-9);
        assert_true(fabs(forecast_curve_day(&c, 3) - cases[i].week0 / 7) < 1e-12);
        assert_true(forecast_curve_day(&c, -1) == 0);
        assert_true(forecast_curve_day(&c, FORECAST_CURVE_DAYS) == 0);
    }
}

/* Which residents the measurement counts and in which week their visit falls. */
static void tally(void **state)
{
    (void)state;
    const cn_date as_of = D("2027-06-01");
    static const struct {
        const char *start, *visit; /* visit NULL: never came */
        int residents, week;       /* week -1: counted as never came */
    } cases[] = {
        {"2026-12-01", "2026-12-01", 1, 0},  /* first day */
        {"2026-12-01", "2026-12-08", 1, 1},  /* day 7 is week 1 */
        {"2026-12-01", "2026-11-20", 1, 0},  /* booked from the letter, before the window */
        {"2026-12-01", NULL, 1, -1},         /* never came: still in the denominator */
        {"2026-12-01", "2027-03-30", 1, -1}, /* day 119: after the curve */
        {"2026-12-01", "2027-03-29", 1, 16}, /* day 118: last day of the curve */
        {"2027-02-02", NULL, 1, -1},         /* span ends 2027-06-01 = as_of: complete */
        {"2027-02-03", "2027-02-03", 0, -1}, /* span not over by as_of: may yet come */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct forecast_tally t = {0};
        forecast_tally_add(&t, D(cases[i].start), cases[i].visit ? D(cases[i].visit) : DATE_NONE,
                           as_of);
        assert_int_equal(t.residents, cases[i].residents);
        long sum = 0;
        for (int w = 0; w < FORECAST_CURVE_WEEKS; w++)
            sum += t.visits[w];
        assert_int_equal(sum, cases[i].week >= 0);
        if (cases[i].week >= 0)
            assert_int_equal(t.visits[cases[i].week], 1);
    }
}

/* The measured curve replaces the default at the minimum, not before. */
static void choose(void **state)
{
    (void)state;
    struct forecast_curve dflt;
    const char *why;
    assert_true(forecast_curve_parse("0.5 0.25", &dflt, &why));
    struct forecast_tally t = {.residents = 4, .visits = {1, 0, 2}};
    static const struct {
        long min;
        bool measured;
    } cases[] = {{5, false}, {4, true}, {3, true}, {0, true}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct forecast_curve c = forecast_curve_choose(&dflt, &t, cases[i].min);
        assert_int_equal(c.measured, cases[i].measured);
        assert_int_equal(c.residents, cases[i].measured ? 4 : 0);
        assert_true(c.week[0] == (cases[i].measured ? 0.25 : 0.5));
        assert_true(c.week[2] == (cases[i].measured ? 0.5 : 0));
    }
    struct forecast_tally empty = {0};
    assert_false(forecast_curve_choose(&dflt, &empty, 0).measured); /* nothing to divide by */
}

static void convolve(void **state)
{
    (void)state;
    struct forecast_curve c;
    const char *why;
    assert_true(forecast_curve_parse("0.7 0.14", &c, &why)); /* 0.1 a day, then 0.02 */
    double open[30] = {0}, v[30];
    open[0] = 10;
    open[3] = 20;
    forecast_convolve(open, 30, &c, v);
    static const struct {
        int day;
        double want;
    } cases[] = {
        {0, 1.0},                        /* 10 x 0.1 */
        {2, 1.0},        {3, 1.0 + 2.0}, /* and 20 x 0.1 */
        {7, 0.2 + 2.0},                  /* the first group in week 1 */
        {10, 0.2 + 0.4},                 /* the second group in week 1 */
        {13, 0.2 + 0.4}, {14, 0.4},      /* the first group done */
        {17, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_true(fabs(v[cases[i].day] - cases[i].want) < 1e-9);
    double sum = 0;
    for (int j = 0; j < 30; j++)
        sum += v[j];
    assert_true(fabs(sum - 30 * 0.84) < 1e-9); /* everybody expected is expected once */
}

static void carry(void **state)
{
    (void)state;
    static const struct {
        double in[6];
        bool open[6];
        double want[6];
    } cases[] = {
        {{1, 2, 3, 4, 5, 6}, {1, 1, 1, 1, 1, 1}, {1, 2, 3, 4, 5, 6}},
        {{1, 2, 3, 4, 5, 6}, {1, 0, 0, 1, 1, 1}, {1, 0, 0, 9, 5, 6}},
        {{1, 2, 3, 4, 5, 6}, {0, 1, 1, 1, 1, 0}, {0, 3, 3, 4, 5, 6}}, /* none after: stays */
        {{1, 2, 3, 4, 5, 6}, {0, 0, 0, 0, 0, 0}, {21, 0, 0, 0, 0, 0}},
        {{1, 2, 3, 4, 5, 6}, {1, 0, 1, 0, 0, 1}, {1, 0, 5, 0, 0, 15}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v[6];
        memcpy(v, cases[i].in, sizeof v);
        forecast_carry(v, cases[i].open, 6);
        for (int j = 0; j < 6; j++)
            assert_true(fabs(v[j] - cases[i].want[j]) < 1e-12);
    }
}

static void weeks(void **state)
{
    (void)state;
    static const struct {
        const char *day, *monday;
    } cases[] = {
        {"2026-12-28", "2026-12-28"}, {"2027-01-03", "2026-12-28"}, {"2027-01-04", "2027-01-04"},
        {"2026-03-01", "2026-02-23"}, {"2024-02-29", "2024-02-26"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(forecast_week_start(D(cases[i].day)), D(cases[i].monday));
}

static const struct office *office_of(const struct config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n_offices; i++)
        if (strcmp(cfg->offices[i].id, id) == 0)
            return &cfg->offices[i];
    fail_msg("no office %s in %s", id, cfg->path);
    return NULL;
}

/* Seats of a week from the cities' own calendars, counted by hand from their pages. */
static void seats(void **state)
{
    (void)state;
    static const struct {
        const char *city, *office, *monday;
        int seats;
        double walkin_hours;
    } cases[] = {
        /* Kasugai main: Mon-Fri 8:30-17:00 = 17 slots, Wed to 19:30 = 22, Sunday 15 (lunch
         * 12-13) except the 3rd Sunday; 2 seats. */
        {"kasugai", "main", "2027-02-01", (17 * 4 + 22 + 15) * 2, 4 * 7 + 7},
        {"kasugai", "main", "2027-02-15", (17 * 4 + 22) * 2, 5 * 7},      /* 2/21 3rd Sunday */
        {"kasugai", "main", "2027-02-08", (17 * 3 + 22 + 15) * 2, 4 * 7}, /* 2/11 holiday */
        {"kasugai", "main", "2026-12-28", 17 * 2, 7},                     /* 12/29-1/3 */
        {"kasugai", "tobu", "2027-02-01", 17 * 5 * 2, 0},
        /* Demo main: Mon-Fri 8:30-17:15 = 17, Wed to 19:30 = 22, Sunday 15; a 1/11 holiday. */
        {"demo", "main", "2027-01-11", (17 * 3 + 22) * 2, 4 * 7},
        /* 2027-03-20 (Sat) a dated opening 9-12 for bookings = 6; 03-21 is the 3rd Sunday,
         * 03-22 a holiday (春分の日 on Sunday moved), 03-24 closed. */
        {"demo", "main", "2027-03-15", (17 * 4 + 22 + 6) * 2, 5 * 7},
        {"demo", "north", "2027-02-08", (13 * 4 + 6) * 1, 6.5 * 4 + 3}, /* lunch; 2nd Sat; 2/11 */
        {"demo", "south", "2027-02-01", 0, 5 * 8},                      /* walk-ins only */
        {"demo", "south", "2027-03-01", 0, 5 * 8 + 8},                  /* and Saturdays in March */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "templates/municipalities/%s.xml", cases[i].city);
        struct config cfg;
        struct cn_err err = {0};
        if (config_load(path, &cfg, &err))
            fail_msg("%s", err.msg);
        const struct office *o = office_of(&cfg, cases[i].office);
        int seats = 0;
        double hours = 0;
        for (int d = 0; d < 7; d++) {
            seats += forecast_day_seats(&o->calendar, &o->booking, NULL, D(cases[i].monday) + d);
            hours += forecast_day_walkin_hours(&o->calendar, D(cases[i].monday) + d);
        }
        if (seats != cases[i].seats || fabs(hours - cases[i].walkin_hours) > 1e-9)
            fail_msg("%s %s week of %s: %d seats, %.2f walk-in hours; wanted %d, %.2f",
                     cases[i].city, cases[i].office, cases[i].monday, seats, hours, cases[i].seats,
                     cases[i].walkin_hours);
        config_free(&cfg);
    }
}

/* Staff's closures and seat changes count as the residents' pages count them. */
static void seats_changed(void **state)
{
    (void)state;
    struct config cfg;
    struct cn_err err = {0};
    if (config_load("templates/municipalities/demo.xml", &cfg, &err))
        fail_msg("%s", err.msg);
    const struct office *o = office_of(&cfg, "main");
    static struct slot_changes c; /* large: not on the stack */
    memset(&c, 0, sizeof c);
    c.n_closures = 2;
    c.closure[0].day = D("2027-02-02"); /* Tue 9:00-12:00: slots 9:00 to 11:30 closed */
    c.closure[0].from_min = 9 * 60;
    c.closure[0].to_min = 12 * 60;
    c.closure[1].day = D("2027-02-05"); /* Fri 16:50-16:55: the 16:30 slot */
    c.closure[1].from_min = 16 * 60 + 50;
    c.closure[1].to_min = 16 * 60 + 55;
    c.n_seats = 2; /* the newest first: Thu-Fri 3 seats, over Wed-Fri 5 */
    c.seats[0].first = D("2027-02-04");
    c.seats[0].last = D("2027-02-05");
    c.seats[0].seats = 3;
    c.seats[1].first = D("2027-02-03");
    c.seats[1].last = D("2027-02-05");
    c.seats[1].seats = 5;
    static const struct {
        const char *day;
        int seats;
    } cases[] = {
        {"2027-02-01", 17 * 2},       /* Monday, nothing changed */
        {"2027-02-02", (17 - 6) * 2}, /* the closed morning */
        {"2027-02-03", 22 * 5},       /* Wednesday to 19:30, 5 seats */
        {"2027-02-04", 17 * 3},       /* the newer change wins */
        {"2027-02-05", (17 - 1) * 3}, /* and a closure beats a seat change */
        {"2027-02-07", 15 * 2},       /* Sunday */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(forecast_day_seats(&o->calendar, &o->booking, &c, D(cases[i].day)),
                         cases[i].seats);
    assert_int_equal(forecast_day_seats(&o->calendar, &o->booking, NULL, D("2027-02-02")), 34);
    config_free(&cfg);
}

static void load_and_mape(void **state)
{
    (void)state;
    assert_true(fabs(forecast_load_pct(150, 100) - 150) < 1e-12);
    assert_true(forecast_load_pct(5, 0) == 0);
    assert_true(forecast_over_capacity(100.1, 100));
    assert_false(forecast_over_capacity(100, 100));
    assert_false(forecast_over_capacity(50, 0)); /* no seats: nothing to exceed */
    static const struct {
        double actual[4], pred[4];
        int n, used;
        double mape;
    } cases[] = {
        {{100, 200, 0, 50}, {110, 180, 7, 50}, 4, 3, (10 + 10 + 0) / 3.0},
        {{0, 0}, {1, 2}, 2, 0, -1},
        {{10}, {0}, 1, 1, 100},
        {{4, 8}, {6, 4}, 2, 2, 50},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int used = -1;
        double m = forecast_mape(cases[i].actual, cases[i].pred, cases[i].n, &used);
        assert_int_equal(used, cases[i].used);
        assert_true(fabs(m - cases[i].mape) < 1e-9);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(curve_parse),   cmocka_unit_test(tally),
        cmocka_unit_test(choose),        cmocka_unit_test(convolve),
        cmocka_unit_test(carry),         cmocka_unit_test(weeks),
        cmocka_unit_test(seats),         cmocka_unit_test(seats_changed),
        cmocka_unit_test(load_and_mape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
