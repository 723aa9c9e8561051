/* Tests for jcal: era dates at every era boundary and 元年, the letter's date with its
 * weekday, and national holidays (names, substitutes, sandwiched days, special years). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "jcal.h"

static cn_date iso(const char *s)
{
    cn_date d;
    if (!date_parse_iso(s, &d))
        fail_msg("bad test date %s", s);
    return d;
}

static void era_boundaries(void **state)
{
    (void)state;
    static const struct {
        const char *date, *wareki;
    } cases[] = {
        {"1873-01-01", "明治6年1月1日"},    {"1912-07-29", "明治45年7月29日"},
        {"1912-07-30", "大正元年7月30日"},  {"1912-12-31", "大正元年12月31日"},
        {"1913-01-01", "大正2年1月1日"},    {"1926-12-24", "大正15年12月24日"},
        {"1926-12-25", "昭和元年12月25日"}, {"1927-01-01", "昭和2年1月1日"},
        {"1989-01-07", "昭和64年1月7日"},   {"1989-01-08", "平成元年1月8日"},
        {"1989-12-31", "平成元年12月31日"}, {"1990-01-01", "平成2年1月1日"},
        {"2019-04-30", "平成31年4月30日"},  {"2019-05-01", "令和元年5月1日"},
        {"2019-12-31", "令和元年12月31日"}, {"2020-01-01", "令和2年1月1日"},
        {"2026-12-25", "令和8年12月25日"},  {"2999-12-31", "令和981年12月31日"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[JCAL_WAREKI_MAX];
        size_t n = jcal_wareki(iso(cases[i].date), out, sizeof out);
        if (strcmp(out, cases[i].wareki) != 0)
            fail_msg("%s: got %s, expected %s", cases[i].date, out, cases[i].wareki);
        assert_int_equal(n, strlen(cases[i].wareki));
    }
}

static void era_date_fields(void **state)
{
    (void)state;
    struct jcal_era_date e;
    assert_true(jcal_era_date(iso("2019-05-01"), &e));
    assert_string_equal(e.era, "令和");
    assert_int_equal(e.year, 1);
    assert_int_equal(e.month, 5);
    assert_int_equal(e.day, 1);
    assert_true(jcal_era_date(iso("1873-01-01"), &e));
    assert_string_equal(e.era, "明治");
    assert_false(jcal_era_date(iso("1872-12-31"), &e));
}

static void before_1873_has_no_era_date(void **state)
{
    (void)state;
    char out[JCAL_WAREKI_MAX] = "x";
    assert_int_equal(jcal_wareki(iso("1872-12-31"), out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(jcal_wareki_weekday(iso("1800-01-01"), out, sizeof out), 0);
    assert_string_equal(out, "");
}

static void too_small_buffer_gives_empty(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'x', sizeof out);
    /* "令和8年12月25日" is 20 bytes: never a cut era name on a letter. */
    assert_int_equal(jcal_wareki(iso("2026-12-25"), out, 8), 0);
    assert_string_equal(out, "");
    assert_int_equal(jcal_wareki(iso("2026-12-25"), out, 0), 0);
    char exact[21];
    assert_int_equal(jcal_wareki(iso("2026-12-25"), exact, sizeof exact), 20);
}

static void letter_date_with_weekday(void **state)
{
    (void)state;
    static const struct {
        const char *date, *text;
    } cases[] = {
        {"2027-03-24", "令和9年3月24日（水）"},  {"2019-05-01", "令和元年5月1日（水）"},
        {"1989-01-08", "平成元年1月8日（日）"},  {"2026-11-23", "令和8年11月23日（月）"},
        {"2026-11-28", "令和8年11月28日（土）"}, {"2026-11-27", "令和8年11月27日（金）"},
        {"2026-11-26", "令和8年11月26日（木）"}, {"2026-11-24", "令和8年11月24日（火）"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[JCAL_WAREKI_MAX];
        jcal_wareki_weekday(iso(cases[i].date), out, sizeof out);
        assert_string_equal(out, cases[i].text);
    }
    assert_string_equal(jcal_weekday_kanji(iso("2026-11-22")), "日");
}

static void holiday_names(void **state)
{
    (void)state;
    static const struct {
        const char *date, *name; /* NULL: a normal day */
    } cases[] = {
        {"2026-01-01", "元日"},
        {"2026-01-12", "成人の日"}, /* 2nd Monday */
        {"1999-01-15", "成人の日"}, /* fixed date before 2000 */
        {"2026-02-23", "天皇誕生日"},
        {"2018-12-23", "天皇誕生日"},
        {"2019-12-23", NULL},
        {"2019-02-23", NULL},
        {"1988-04-29", "天皇誕生日"},
        {"1989-04-29", "みどりの日"},
        {"2007-04-29", "昭和の日"},
        {"2026-03-20", "春分の日"},
        {"2026-09-23", "秋分の日"},
        {"2026-09-22", "休日"}, /* 国民の休日 between 敬老の日 and 秋分の日 */
        {"2026-05-06", "こどもの日 振替休日"},
        {"2008-05-06", "こどもの日 振替休日"}, /* 5/4 Sunday, carried past 5/5 */
        {"2020-05-06", "憲法記念日 振替休日"},
        {"1973-04-30", "天皇誕生日 振替休日"}, /* the first 振替休日 */
        {"1973-02-12", NULL},                  /* before the 1973-04-12 amendment */
        {"1988-05-04", "休日"},
        {"2019-04-30", "休日"},
        {"2019-05-01", "休日（祝日扱い）"},
        {"2019-05-02", "休日"},
        {"2019-10-22", "休日（祝日扱い）"},
        {"2019-10-14", "体育の日（スポーツの日）"},
        {"2020-07-23", "海の日"},
        {"2020-07-24", "スポーツの日"},
        {"2020-08-10", "山の日"},
        {"2020-10-12", NULL},
        {"2021-07-22", "海の日"},
        {"2021-07-23", "スポーツの日"},
        {"2021-08-08", "山の日"},
        {"2021-08-09", "山の日 振替休日"},
        {"2021-07-19", NULL},
        {"2015-08-11", NULL}, /* 山の日 from 2016 */
        {"2016-08-11", "山の日"},
        {"1989-02-24", "大喪の礼"},
        {"1990-11-12", "即位礼正殿の儀"},
        {"1993-06-09", "結婚の儀"},
        {"2026-11-24", NULL},
        {"2099-03-20", "春分の日"},
        {"1969-01-01", NULL}, /* outside the covered years */
        {"2100-01-01", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = jcal_holiday_name(iso(cases[i].date));
        const char *want = cases[i].name;
        if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
            fail_msg("%s: got %s, expected %s", cases[i].date, got ? got : "(none)",
                     want ? want : "(none)");
        assert_int_equal(jcal_is_holiday(iso(cases[i].date)), want != NULL);
    }
}

static void year_list(void **state)
{
    (void)state;
    struct jcal_holiday list[JCAL_MAX_HOLIDAYS];
    assert_int_equal(jcal_holidays(2019, list, JCAL_MAX_HOLIDAYS), 22);
    for (int i = 1; i < 22; i++)
        assert_true(list[i - 1].date < list[i].date);
    assert_int_equal(list[0].date, iso("2019-01-01"));
    assert_string_equal(list[0].name, "元日");
    assert_int_equal(jcal_holidays(2026, list, JCAL_MAX_HOLIDAYS), 18);

    /* A short buffer is filled and the full count returned. */
    struct jcal_holiday two[2];
    assert_int_equal(jcal_holidays(2026, two, 2), 18);
    assert_int_equal(two[1].date, iso("2026-01-12"));

    assert_int_equal(jcal_holidays(1969, list, JCAL_MAX_HOLIDAYS), -1);
    assert_int_equal(jcal_holidays(2100, list, JCAL_MAX_HOLIDAYS), -1);
}

/* Beyond the reference list's last year, the rules still hold: every year has its fixed
 * days, at most JCAL_MAX_HOLIDAYS, no Sunday holiday without a following rest day. */
static void every_year_is_consistent(void **state)
{
    (void)state;
    for (int y = JCAL_FIRST_YEAR; y <= JCAL_LAST_YEAR; y++) {
        struct jcal_holiday list[JCAL_MAX_HOLIDAYS];
        int n = jcal_holidays(y, list, JCAL_MAX_HOLIDAYS);
        assert_true(n >= 12 && n <= JCAL_MAX_HOLIDAYS);
        assert_string_equal(jcal_holiday_name(date_from_ymd(y, 1, 1)), "元日");
        assert_string_equal(jcal_holiday_name(date_from_ymd(y, 11, 3)), "文化の日");
        for (int i = 0; i < n; i++) {
            if (i > 0)
                assert_true(list[i - 1].date < list[i].date);
            assert_string_equal(jcal_holiday_name(list[i].date), list[i].name);
            if (y >= 1974 && date_weekday(list[i].date) == 0 && !jcal_is_holiday(list[i].date + 1))
                fail_msg("%d: a Sunday holiday without 振替休日", y);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(era_boundaries),
        cmocka_unit_test(era_date_fields),
        cmocka_unit_test(before_1873_has_no_era_date),
        cmocka_unit_test(too_small_buffer_gives_empty),
        cmocka_unit_test(letter_date_with_weekday),
        cmocka_unit_test(holiday_names),
        cmocka_unit_test(year_list),
        cmocka_unit_test(every_year_is_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
