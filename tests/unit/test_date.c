/* Tests for date: day numbers against known dates, strict ISO parsing, formatting, and
 * month arithmetic with the end-of-month clamp the renewal window relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

static void known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(date_from_ymd(2027, 3, 24), 20901);
    assert_int_equal(date_from_ymd(1800, 1, 1), -62091);
    assert_int_equal(date_weekday(date_from_ymd(1970, 1, 1)), 4);   /* Thursday */
    assert_int_equal(date_weekday(date_from_ymd(2027, 3, 24)), 3);  /* Wednesday */
    assert_int_equal(date_weekday(date_from_ymd(1800, 1, 1)), 3);   /* Wednesday */
    assert_int_equal(date_weekday(date_from_ymd(1969, 12, 28)), 0); /* Sunday */
}

/* Every day from 1800 to 2999 converts back to itself and follows the previous day. */
static void round_trip_every_day(void **state)
{
    (void)state;
    int py = 1799, pm = 12, pd = 31;
    for (cn_date day = date_from_ymd(1800, 1, 1); day <= date_from_ymd(2999, 12, 31); day++) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        assert_true(date_valid_ymd(y, m, d));
        assert_int_equal(date_from_ymd(y, m, d), day);
        if (d == 1) {
            assert_int_equal(pd, date_days_in_month(py, pm));
            assert_true((m == pm + 1 && y == py) || (m == 1 && pm == 12 && y == py + 1));
        } else {
            assert_true(y == py && m == pm && d == pd + 1);
        }
        assert_int_equal(date_weekday(day), (date_weekday(day - 1) + 1) % 7);
        py = y, pm = m, pd = d;
    }
}

static void leap_years(void **state)
{
    (void)state;
    assert_true(date_is_leap(2028));
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(2400));
    assert_false(date_is_leap(2027));
    assert_false(date_is_leap(1900));
    assert_false(date_is_leap(2100));
    assert_int_equal(date_days_in_month(2028, 2), 29);
    assert_int_equal(date_days_in_month(2027, 2), 28);
    assert_int_equal(date_days_in_month(2027, 4), 30);
    assert_int_equal(date_days_in_month(2027, 12), 31);
    assert_int_equal(date_days_in_month(2027, 0), 0);
    assert_int_equal(date_days_in_month(2027, 13), 0);
}

static void parse_accepts_and_formats(void **state)
{
    (void)state;
    static const char *const good[] = {"2027-03-24", "2028-02-29", "1800-01-01",
                                       "2999-12-31", "2000-02-29", "1970-01-01"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        cn_date d;
        char back[11];
        assert_true(date_parse_iso(good[i], &d));
        date_format_iso(d, back);
        assert_string_equal(back, good[i]);
    }
}

static void parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2027-02-30",     "2027-02-29",  "1900-02-29",  "2027-04-31",  "2027-13-01",
        "2027-00-10",     "2027-01-00",  "2027-1-01",   "2027-01-1",   "27-01-01",
        "2027/01/01",     "2027-01-01x", " 2027-01-01", "2027-01-01 ", "",
        "garbage",        "1799-12-31",  "3000-01-01",  "+027-01-01",  "2027-0a-01",
        "２０２７-01-01", "20270101",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cn_date d = 12345;
        if (date_parse_iso(bad[i], &d))
            fail_msg("accepted '%s'", bad[i]);
        assert_int_equal(d, 12345); /* untouched on failure */
    }
    cn_date d;
    assert_false(date_parse_iso(NULL, &d));
}

/* The reason a refused date is given: shape, range, calendar. */
static void problem_says_why(void **state)
{
    (void)state;
    static const struct {
        const char *in, *why; /* why: a substring, NULL when accepted */
    } cases[] = {
        {"2026-12-01", NULL},
        {"2999-12-31", NULL},
        {"1800-01-01", NULL},
        {"9999-12-31", "outside the years this program handles (1800-2999)"},
        {"1799-12-31", "(1800-2999)"},
        {"3000-01-01", "(1800-2999)"},
        {"2027-02-30", "not a day of the calendar"},
        {"2026-13-01", "not a day of the calendar"},
        {"20261201", "not a date (YYYY-MM-DD)"},
        {"2026-12-1", "not a date (YYYY-MM-DD)"},
        {"", "not a date"},
        {"２０２６-12-01", "not a date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = date_problem_iso(cases[i].in);
        if (!cases[i].why ? why != NULL : !why || !strstr(why, cases[i].why))
            fail_msg("'%s': %s", cases[i].in, why ? why : "(accepted)");
    }
}

static void add_months_clamps(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        int months;
        const char *to;
    } cases[] = {
        {"2027-05-31", -3, "2027-02-28"},  {"2028-05-31", -3, "2028-02-29"},
        {"2027-03-24", -3, "2026-12-24"},  {"2027-11-30", -3, "2027-08-30"},
        {"2027-01-31", 1, "2027-02-28"},   {"2028-01-31", 1, "2028-02-29"},
        {"2027-03-31", 3, "2027-06-30"},   {"2027-12-31", 2, "2028-02-29"},
        {"2027-01-15", -13, "2025-12-15"}, {"2027-10-31", 3, "2028-01-31"},
        {"2027-06-15", 0, "2027-06-15"},   {"2027-08-31", 6, "2028-02-29"},
        {"2028-02-29", 12, "2029-02-28"},  {"1800-03-31", -1, "1800-02-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cn_date from, to;
        char got[11];
        assert_true(date_parse_iso(cases[i].from, &from));
        assert_true(date_parse_iso(cases[i].to, &to));
        date_format_iso(date_add_months_clamped(from, cases[i].months), got);
        if (strcmp(got, cases[i].to) != 0)
            fail_msg("%s %+d months: got %s, expected %s", cases[i].from, cases[i].months, got,
                     cases[i].to);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_day_numbers), cmocka_unit_test(round_trip_every_day),
        cmocka_unit_test(leap_years),        cmocka_unit_test(parse_accepts_and_formats),
        cmocka_unit_test(parse_refuses),     cmocka_unit_test(add_months_clamps),
        cmocka_unit_test(problem_says_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
