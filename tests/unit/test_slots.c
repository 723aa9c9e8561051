/* Tests for slots: the booking rules of each seed city, read from the city's own config so
 * that a config change that breaks a city's published rule fails here. Table tests. */
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
#include "slots.h"

#define CITY(name) "templates/municipalities/" name ".xml"

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    if (!date_parse_iso(iso, &d))
        fail_msg("bad date in the table: %s", iso);
    return d;
}

/* "2027-03-01 16:59" */
static struct slot_time T(const char *s) {
    char day[11];
    snprintf(day, sizeof day, "%.10s", s);
    struct slot_time t = {D(day), 0};
    if (strlen(s) != 16 || !slots_parse_hhmm(s + 11, &t.min))
        fail_msg("bad time in the table: %s", s);
    return t;
}

static const struct office *
office_of(const struct config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n_offices; i++)
        if (strcmp(cfg->offices[i].id, id) == 0)
            return &cfg->offices[i];
    fail_msg("no office %s in %s", id, cfg->path);
    return NULL;
}

struct check_case {
    const char *config, *office;
    const char *now, *slot;
    int taken;
    const char *window_start, *window_end, *letter;
    enum slot_verdict want;
    const char *why;
};

static const struct check_case check_cases[] = {
    /* Yokohama: 17:00 the day before, 40 days, 2nd and 4th Saturdays even on a holiday. */
    {CITY("yokohama"), "tsurumi", "2027-03-01 16:59", "2027-03-02 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_OK, "cutoff: 16:59 the day before"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 17:00", "2027-03-02 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_CUTOFF, "cutoff: 17:00 the day before"},
    {CITY("yokohama"), "tsurumi", "2027-03-02 09:00", "2027-03-02 16:00", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_CUTOFF, "the same day is past the cutoff"},
    {CITY("yokohama"), "tsurumi", "2027-03-09 10:00", "2027-04-16 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_OK, "horizon: the 40th day is a Sunday, Friday is in"},
    {CITY("yokohama"), "tsurumi", "2027-03-09 10:00", "2027-04-19 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_HORIZON, "horizon: past the 40th day"},
    {CITY("yokohama"), "tsurumi", "2029-08-01 10:00", "2029-08-11 09:00", 0, "2029-06-01",
     "2029-12-31", "2029-05-15", SLOT_OK, "2nd Saturday open on 山の日"},
    {CITY("yokohama"), "tsurumi", "2029-08-01 10:00", "2029-08-11 11:30", 0, "2029-06-01",
     "2029-12-31", "2029-05-15", SLOT_OK, "Saturday's last slot ends at 12:00"},
    {CITY("yokohama"), "tsurumi", "2029-08-01 10:00", "2029-08-11 12:00", 0, "2029-06-01",
     "2029-12-31", "2029-05-15", SLOT_CLOSED, "Saturday closes at 12:00"},
    {CITY("yokohama"), "tsurumi", "2029-10-20 10:00", "2029-11-03 09:00", 0, "2029-06-01",
     "2029-12-31", "2029-05-15", SLOT_CLOSED, "1st Saturday closed (文化の日 too)"},
    {CITY("yokohama"), "tsurumi", "2029-08-01 10:00", "2029-08-18 09:00", 0, "2029-06-01",
     "2029-12-31", "2029-05-15", SLOT_CLOSED, "3rd Saturday closed"},
    {CITY("yokohama"), "tsurumi", "2027-12-01 10:00", "2027-12-28 08:45", 0, "2027-10-01",
     "2028-03-31", "2027-09-15", SLOT_OK, "12/28 open"},
    {CITY("yokohama"), "tsurumi", "2027-12-01 10:00", "2027-12-29 08:45", 0, "2027-10-01",
     "2028-03-31", "2027-09-15", SLOT_CLOSED, "12/29 closed"},
    {CITY("yokohama"), "tsurumi", "2027-12-01 10:00", "2028-01-03 08:45", 0, "2027-10-01",
     "2028-03-31", "2027-09-15", SLOT_CLOSED, "1/3 closed"},
    {CITY("yokohama"), "tsurumi", "2027-12-01 10:00", "2028-01-04 08:45", 0, "2027-10-01",
     "2028-03-31", "2027-09-15", SLOT_OK, "1/4 open"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-10 08:45", 0, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_NOT_ALLOWED, "before the window (opens on window)"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-11 08:45", 0, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_OK, "the window's first day"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-11 08:45", 0, "2026-12-11",
     "2027-03-10", "2026-11-25", SLOT_NOT_ALLOWED, "after expiry: not in Yokohama"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-11 08:45", 2, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_OK, "two of three seats taken"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-11 08:45", 3, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_FULL, "three of three seats taken"},
    {CITY("yokohama"), "tsurumi", "2027-03-01 10:00", "2027-03-11 09:00", 0, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_CLOSED, "9:00 is not a slot start at 8:45 opening"},
    {CITY("yokohama"), "nishi", "2027-03-01 10:00", "2027-03-11 08:45", 0, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_NO_BOOKING, "西区 takes walk-ins"},
    {CITY("yokohama"), "aoba", "2027-03-01 10:00", "2027-03-11 08:45", 0, "2027-03-11",
     "2027-06-10", "2027-02-25", SLOT_NO_BOOKING, "青葉区 takes walk-ins"},
    /* Kasugai main office: Wednesdays to 19:30, Sundays except the 3rd, Sunday lunch. */
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-07 11:30", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "1st Sunday, before lunch"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-07 12:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CLOSED, "Sunday lunch closure 12:00"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-07 12:30", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CLOSED, "Sunday lunch closure 12:30"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-07 13:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "Sunday after lunch"},
    {CITY("kasugai"), "main", "2027-02-01 10:00", "2027-02-21 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CLOSED, "3rd Sunday closed"},
    {CITY("kasugai"), "main", "2027-02-01 10:00", "2027-02-28 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "4th Sunday open"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-03 19:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "Wednesday evening"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-04 19:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CLOSED, "Thursday closes at 17:00"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-04 16:30", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "Thursday's last slot"},
    {CITY("kasugai"), "main", "2027-03-01 10:00", "2027-03-10 09:00", 0, "2026-12-01", "2027-03-01",
     "2026-11-15", SLOT_OK, "新規発行 after expiry is booked too"},
    {CITY("kasugai"), "kozoji", "2027-03-01 10:00", "2027-03-07 09:00", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_CLOSED, "branch closed on Sunday"},
    {CITY("kasugai"), "kozoji", "2027-03-01 10:00", "2027-03-08 09:00", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_OK, "branch books on Monday"},
    /* Minoh: main office only, two business days ahead, 9:00-17:00, the 2nd and 4th
     * Saturdays and every Saturday in March and April. */
    {CITY("minoh"), "main", "2027-03-01 10:00", "2027-03-13 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "a Saturday in March"},
    {CITY("minoh"), "main", "2027-04-01 10:00", "2027-04-24 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "a Saturday in April"},
    {CITY("minoh"), "main", "2027-04-20 10:00", "2027-05-01 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CLOSED, "a 1st Saturday in May"},
    {CITY("minoh"), "main", "2027-04-20 10:00", "2027-05-08 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "a 2nd Saturday in May (004: 第2・第4土曜日)"},
    {CITY("minoh"), "main", "2027-03-11 23:59", "2027-03-15 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "2 business days: Thursday for Monday"},
    {CITY("minoh"), "main", "2027-03-12 08:00", "2027-03-15 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CUTOFF, "2 business days: Friday is too late"},
    {CITY("minoh"), "main", "2027-03-18 16:00", "2027-03-23 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_OK, "2 business days skip the 振替休日 3/22"},
    {CITY("minoh"), "main", "2027-03-19 09:00", "2027-03-23 09:00", 0, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_CUTOFF, "Friday before 3/22 is too late for 3/23"},
    {CITY("minoh"), "main", "2027-03-01 10:00", "2027-03-08 09:00", 1, "2027-01-01", "2027-12-31",
     "2026-12-01", SLOT_FULL, "one seat per slot"},
    {CITY("minoh"), "toyokawa", "2027-03-01 10:00", "2027-03-08 09:00", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_NO_BOOKING, "branches take no bookings"},
    /* Takatsuki takes no bookings anywhere. */
    {CITY("takatsuki"), "main", "2027-03-01 10:00", "2027-03-08 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_NO_BOOKING, "Takatsuki main"},
    {CITY("takatsuki"), "tonda", "2027-03-01 10:00", "2027-03-08 08:45", 0, "2027-01-01",
     "2027-12-31", "2026-12-01", SLOT_NO_BOOKING, "Takatsuki 富田"},
    /* The demo: the main office books from the letter's date. */
    {CITY("demo"), "main", "2026-12-02 10:00", "2026-12-10 08:30", 0, "2027-01-01", "2027-03-31",
     "2026-12-01", SLOT_OK, "opens on the letter's date"},
    {CITY("demo"), "main", "2026-11-20 10:00", "2026-11-30 08:30", 0, "2027-01-01", "2027-03-31",
     "2026-12-01", SLOT_NOT_ALLOWED, "before the letter's date"},
};

/* The case's office, its city's config loaded into cfg (the caller frees it). */
static const struct office *case_office(const struct check_case *c, struct config *cfg)
{
    struct cn_err err = {0};
    if (config_load(c->config, cfg, &err) != CN_OK)
        fail_msg("%s", err.msg);
    return office_of(cfg, c->office);
}

static void check_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        struct config cfg;
        const struct office *o = case_office(c, &cfg);
        struct slot_resident res = {D(c->window_start), D(c->window_end), D(c->letter)};
        enum slot_verdict got =
            slots_check(&o->calendar, &o->booking, &res, T(c->now), T(c->slot), c->taken);
        config_free(&cfg);
        if (got != c->want)
            fail_msg("case %zu (%s): got %d, want %d", i, c->why, (int)got, (int)c->want);
    }
}

/* The two halves a page uses (slots_day_verdict once a day, slots_start_verdict per start)
 * say what slots_check_changed says, for every start of every day around each case's "now",
 * with a closure and a seat change in the way. */
static void halves_agree(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        struct config cfg;
        const struct office *o = case_office(c, &cfg);
        const struct slot_resident res = {D(c->window_start), D(c->window_end), D(c->letter)};
        const struct slot_time now = T(c->now);
        struct slot_changes ch;
        memset(&ch, 0, sizeof ch);
        ch.n_closures = 1;
        ch.closure[0] = (__typeof__(ch.closure[0])){now.day + 9, 600, 700};
        ch.n_seats = 1;
        ch.seats[0].first = now.day + 12;
        ch.seats[0].last = now.day + 14;
        ch.seats[0].seats = 0;
        for (cn_date day = now.day - 3; day <= now.day + 60; day++) {
            int starts[64];
            const int n = slots_of_day(&o->calendar, &o->booking, day, starts, 64);
            const enum slot_verdict all =
                slots_day_verdict(&o->calendar, &o->booking, &res, now, day);
            for (int k = 0; k < n; k++)
                for (int taken = 0; taken <= 3; taken += 3) {
                    const enum slot_verdict halves =
                        all != SLOT_OK
                            ? all
                            : slots_start_verdict(&o->booking, &ch, day, starts[k], taken);
                    const enum slot_verdict whole =
                        slots_check_changed(&o->calendar, &o->booking, &ch, &res, now,
                                            (struct slot_time){day, starts[k]}, taken);
                    if (halves != whole)
                        fail_msg("case %zu (%s), day %d, start %d: halves %d, whole %d", i, c->why,
                                 (int)day, starts[k], (int)halves, (int)whole);
                }
        }
        config_free(&cfg);
    }
}

struct horizon_case {
    const char *config, *office, *today, *want;
};

static const struct horizon_case horizon_cases[] = {
    /* 2027-03-02 + 40 = 04-11, a Sunday: back to the 2nd Saturday 04-10 (open). */
    {CITY("yokohama"), "tsurumi", "2027-03-02", "2027-04-10"},
    /* 2027-03-09 + 40 = 04-18, a Sunday; 04-17 is a 3rd Saturday: back to Friday. */
    {CITY("yokohama"), "tsurumi", "2027-03-09", "2027-04-16"},
    {CITY("yokohama"), "tsurumi", "2027-03-03", "2027-04-12"},
    /* 2027-11-22 + 40 = 2028-01-01: back over the year-end closure to 12/28. */
    {CITY("yokohama"), "tsurumi", "2027-11-22", "2027-12-28"},
    /* Kasugai main: 2027-01-12 + 40 = 02-21, the 3rd Sunday: back to Saturday? closed;
     * Friday 02-19. */
    {CITY("kasugai"), "main", "2027-01-12", "2027-02-19"},
    /* ... and a 4th Sunday is open. */
    {CITY("kasugai"), "main", "2027-01-19", "2027-02-28"},
    /* Minoh: a Saturday in March is open, and the 2nd Saturday of May (05-09 + 40 is a
     * Sunday). */
    {CITY("minoh"), "main", "2027-01-31", "2027-03-12"},
    {CITY("minoh"), "main", "2027-02-01", "2027-03-13"},
    {CITY("minoh"), "main", "2027-03-30", "2027-05-08"},
};

static void horizon_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof horizon_cases / sizeof horizon_cases[0]; i++) {
        const struct horizon_case *c = &horizon_cases[i];
        struct config cfg;
        struct cn_err err = {0};
        if (config_load(c->config, &cfg, &err) != CN_OK)
            fail_msg("%s", err.msg);
        const struct office *o = office_of(&cfg, c->office);
        cn_date got = slots_horizon_last(&o->calendar, &o->booking, D(c->today));
        config_free(&cfg);
        char iso[11];
        date_format_iso(got, iso);
        if (got != D(c->want))
            fail_msg("horizon case %zu (%s from %s): got %s, want %s", i, c->office, c->today, iso,
                     c->want);
    }
}

/* The slots of a day: lunch closures cut them, the close ends them. */
static void day_slots(void **state)
{
    (void)state;
    struct config cfg;
    struct cn_err err = {0};
    assert_int_equal(config_load(CITY("takatsuki"), &cfg, &err), CN_OK);
    const struct office *tonda = office_of(&cfg, "tonda");
    struct booking_rules r = slots_default_rules(); /* Takatsuki books nothing: try 30 min */
    int s[64];
    int n = slots_of_day(&tonda->calendar, &r, D("2027-03-08"), s, 64);
    /* 8:45 .. 10:45 (5; 11:15 would run into the 11:30 lunch), then 13:00 .. 16:30 (8;
     * 17:00 would end after 17:15). */
    assert_int_equal(n, 13);
    assert_int_equal(s[0], 8 * 60 + 45);
    assert_int_equal(s[4], 10 * 60 + 45);
    assert_int_equal(s[5], 13 * 60);
    assert_int_equal(s[12], 16 * 60 + 30);
    assert_int_equal(slots_of_day(&tonda->calendar, &r, D("2027-03-07"), s, 64), 0);
    assert_int_equal(slots_of_day(&tonda->calendar, &r, D("2027-12-29"), s, 64), 0);
    /* cap bounds what is written and returned */
    assert_int_equal(slots_of_day(&tonda->calendar, &r, D("2027-03-08"), s, 3), 3);
    config_free(&cfg);

    assert_int_equal(config_load(CITY("kasugai"), &cfg, &err), CN_OK);
    const struct office *main_office = office_of(&cfg, "main");
    n = slots_of_day(&main_office->calendar, &main_office->booking, D("2027-03-07"), s, 64);
    assert_int_equal(n, 15); /* Sunday: 8:30-11:30 (7) and 13:00-16:30 (8) */
    n = slots_of_day(&main_office->calendar, &main_office->booking, D("2027-03-03"), s, 64);
    assert_int_equal(n, 22); /* Wednesday 8:30-19:30 */
    config_free(&cfg);
}

static void allowed_dates(void **state)
{
    (void)state;
    struct booking_rules r = slots_default_rules();
    struct slot_resident res = {D("2027-01-01"), D("2027-03-31"), D("2026-12-01")};
    struct date_range a = slots_allowed(&r, &res);
    assert_int_equal(a.first, D("2027-01-01"));
    assert_int_equal(a.last, D("2027-03-31"));
    r.opens_on_letter = true;
    r.after_expiry = true;
    a = slots_allowed(&r, &res);
    assert_int_equal(a.first, D("2026-12-01"));
    assert_int_equal(a.last, DATE_MAX_OPEN);
    res.letter_date = DATE_NONE; /* a notice without a run date: the window decides */
    assert_int_equal(slots_allowed(&r, &res).first, D("2027-01-01"));
}

static void business_days(void **state)
{
    (void)state;
    assert_true(slots_business_day(D("2027-03-19")));  /* Friday */
    assert_false(slots_business_day(D("2027-03-20"))); /* Saturday */
    assert_false(slots_business_day(D("2027-03-22"))); /* 振替休日 */
    assert_false(slots_business_day(D("2027-12-29"))); /* year end */
    assert_false(slots_business_day(D("2028-01-03"))); /* year end */
    assert_true(slots_business_day(D("2028-01-04")));
}

static void hhmm(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int want; /* -1: refused */
    } cases[] = {{"09:30", 570}, {"00:00", 0},   {"23:59", 1439}, {"9:30", -1},  {"24:00", -1},
                 {"12:60", -1},  {"12:30x", -1}, {"", -1},        {"12-30", -1}, {"1a:00", -1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int m = -1;
        bool ok = slots_parse_hhmm(cases[i].s, &m);
        assert_int_equal(ok ? m : -1, cases[i].want);
        if (ok) {
            char out[6];
            slots_format_hhmm(m, out);
            assert_string_equal(out, cases[i].s);
        }
    }
}

/* Staff's closures and seat changes: a slot overlapping a closure by one minute is closed,
 * the newest seat change wins, a seat change of 0 fills every slot. */
static void changes_table(void **state)
{
    (void)state;
    struct booking_rules r = slots_default_rules();
    r.seats = 2;
    struct slot_changes c;
    memset(&c, 0, sizeof c);
    c.n_closures = 2;
    c.closure[0].day = D("2027-01-12"); /* 10:00-11:00 */
    c.closure[0].from_min = 600;
    c.closure[0].to_min = 660;
    c.closure[1].day = D("2027-01-13"); /* the whole day */
    c.closure[1].from_min = 0;
    c.closure[1].to_min = 1440;
    c.n_seats = 3; /* newest first */
    c.seats[0].first = D("2027-01-20");
    c.seats[0].last = D("2027-01-20");
    c.seats[0].seats = 0;
    c.seats[1].first = D("2027-01-14");
    c.seats[1].last = D("2027-01-21");
    c.seats[1].seats = 5;
    c.seats[2].first = D("2027-01-21");
    c.seats[2].last = D("2027-01-31");
    c.seats[2].seats = 1;
    static const struct {
        const char *day;
        int start, want;
        bool closed;
        const char *why;
    } cases[] = {
        {"2027-01-12", 570, 2, false, "09:30-10:00 ends where the closure begins"},
        {"2027-01-12", 571, 0, true, "09:31-10:01 overlaps it by a minute"},
        {"2027-01-12", 630, 0, true, "inside the closure"},
        {"2027-01-12", 660, 2, false, "11:00 starts where it ends"},
        {"2027-01-13", 540, 0, true, "a whole day closed"},
        {"2027-01-11", 600, 2, false, "another day: the config's seats"},
        {"2027-01-14", 600, 5, false, "a seat change"},
        {"2027-01-20", 600, 0, false, "the newest change (0 seats) wins over an older one"},
        {"2027-01-21", 600, 5, false, "two older changes: the newer (listed first) wins"},
        {"2027-01-31", 600, 1, false, "the last day of a change"},
        {"2027-02-01", 600, 2, false, "after every change"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const cn_date d = D(cases[i].day);
        const int got = slots_seats(&r, &c, d, cases[i].start);
        if (got != cases[i].want || slots_closed(&r, &c, d, cases[i].start) != cases[i].closed)
            fail_msg("case %zu (%s): seats %d, want %d", i, cases[i].why, got, cases[i].want);
    }
    assert_int_equal(slots_seats(&r, NULL, D("2027-01-12"), 600), 2);

    /* The whole check: a closed slot is SLOT_CLOSED, a changed seat count decides FULL. */
    struct config cfg;
    struct cn_err err = {0};
    if (config_load(CITY("demo"), &cfg, &err) != CN_OK)
        fail_msg("%s", err.msg);
    const struct office *o = office_of(&cfg, "main");
    struct slot_resident res = {D("2027-01-01"), D("2027-03-31"), D("2026-12-01")};
    struct slot_changes one;
    memset(&one, 0, sizeof one);
    one.n_closures = 1;
    one.closure[0].day = D("2026-12-10");
    one.closure[0].from_min = 0;
    one.closure[0].to_min = 1440;
    const struct slot_time now = T("2026-12-02 10:00");
    assert_int_equal(
        slots_check_changed(&o->calendar, &o->booking, NULL, &res, now, T("2026-12-10 08:30"), 0),
        SLOT_OK);
    assert_int_equal(
        slots_check_changed(&o->calendar, &o->booking, &one, &res, now, T("2026-12-10 08:30"), 0),
        SLOT_CLOSED);
    one.n_closures = 0;
    one.n_seats = 1;
    one.seats[0].first = one.seats[0].last = D("2026-12-10");
    one.seats[0].seats = o->booking.seats + 1;
    assert_int_equal(slots_check_changed(&o->calendar, &o->booking, &one, &res, now,
                                         T("2026-12-10 08:30"), o->booking.seats),
                     SLOT_OK);
    assert_int_equal(slots_check_changed(&o->calendar, &o->booking, &one, &res, now,
                                         T("2026-12-10 08:30"), o->booking.seats + 1),
                     SLOT_FULL);
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_table),   cmocka_unit_test(horizon_table),
        cmocka_unit_test(day_slots),     cmocka_unit_test(allowed_dates),
        cmocka_unit_test(business_days), cmocka_unit_test(hhmm),
        cmocka_unit_test(changes_table), cmocka_unit_test(halves_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
