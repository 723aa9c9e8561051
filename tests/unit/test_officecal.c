/* Tests for officecal: which days an office opens and when (first matching rule, holiday
 * and year-end closures) for the calendars DOMAIN.md lists, and their description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "officecal.h"

#define HM(h, m) ((h)*60 + (m))
#define WD(w) (1u << (w))
enum { SUN, MON, TUE, WED, THU, FRI, SAT };
#define MON_FRI (WD(MON) | WD(TUE) | WD(WED) | WD(THU) | WD(FRI))

static struct hours_rule open_rule(unsigned days, int open, int close)
{
    struct hours_rule r = {0};
    r.weekdays = (uint8_t)days;
    r.open_min = (int16_t)open;
    r.close_min = (int16_t)close;
    r.lunch_start = r.lunch_end = -1;
    return r;
}

static struct hours_rule closed_rule(unsigned days, unsigned nth)
{
    struct hours_rule r = open_rule(days, 0, 0);
    r.nth = (uint8_t)nth;
    r.closed = true;
    return r;
}

/* Kasugai's main office: Wednesday to 19:30, Sundays except the 3rd with a lunch break. */
static struct office_calendar kasugai(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = open_rule(WD(WED), HM(8, 30), HM(19, 30));
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(8, 30), HM(17, 15));
    c.rules[c.n_rules++] = closed_rule(WD(SUN), 1u << 3);
    struct hours_rule sun = open_rule(WD(SUN), HM(8, 30), HM(17, 15));
    sun.lunch_start = HM(12, 0);
    sun.lunch_end = HM(13, 0);
    c.rules[c.n_rules++] = sun;
    c.yearend_closed = true;
    return c;
}

/* Yokohama's ward offices: 2nd and 4th Saturday mornings, even on a holiday. */
static struct office_calendar yokohama(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(8, 45), HM(17, 0));
    struct hours_rule sat = open_rule(WD(SAT), HM(9, 0), HM(12, 0));
    sat.nth = (1u << 2) | (1u << 4);
    sat.open_on_holiday = true;
    c.rules[c.n_rules++] = sat;
    c.yearend_closed = true;
    return c;
}

/* Minoh: every Saturday in March and April, the renewal rush. */
static struct office_calendar minoh(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(8, 45), HM(17, 15));
    struct hours_rule sat = open_rule(WD(SAT), HM(9, 0), HM(17, 0));
    sat.months = (1u << 3) | (1u << 4);
    c.rules[c.n_rules++] = sat;
    c.yearend_closed = true;
    return c;
}

struct day_case {
    const char *date;
    int weekday; /* guards the table itself */
    bool open;
    int open_min, close_min, lunch_start;
};

static void check_days(const struct office_calendar *cal, const struct day_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cn_date d;
        assert_true(date_parse_iso(cases[i].date, &d));
        assert_int_equal(date_weekday(d), cases[i].weekday);
        struct day_hours h = officecal_day(cal, d);
        if (h.open != cases[i].open)
            fail_msg("%s: open=%d, expected %d", cases[i].date, h.open, cases[i].open);
        if (!h.open)
            continue;
        if (h.open_min != cases[i].open_min || h.close_min != cases[i].close_min ||
            h.lunch_start != cases[i].lunch_start)
            fail_msg("%s: %d-%d lunch %d, expected %d-%d lunch %d", cases[i].date, h.open_min,
                     h.close_min, h.lunch_start, cases[i].open_min, cases[i].close_min,
                     cases[i].lunch_start);
    }
}

static void kasugai_days(void **state)
{
    (void)state;
    struct office_calendar cal = kasugai();
    static const struct day_case cases[] = {
        {"2026-11-24", TUE, true, HM(8, 30), HM(17, 15), -1},
        {"2026-11-25", WED, true, HM(8, 30), HM(19, 30), -1}, /* the late day */
        {"2026-11-23", MON, false, 0, 0, 0},                  /* 勤労感謝の日 */
        {"2026-09-23", WED, false, 0, 0, 0},                  /* 秋分の日 on the late day */
        {"2026-11-01", SUN, true, HM(8, 30), HM(17, 15), HM(12, 0)},
        {"2026-11-08", SUN, true, HM(8, 30), HM(17, 15), HM(12, 0)},
        {"2026-11-15", SUN, false, 0, 0, 0}, /* the 3rd Sunday */
        {"2026-11-22", SUN, true, HM(8, 30), HM(17, 15), HM(12, 0)},
        {"2026-11-29", SUN, true, HM(8, 30), HM(17, 15), HM(12, 0)}, /* 5th Sunday */
        {"2026-11-21", SAT, false, 0, 0, 0},                         /* no rule */
        {"2026-12-28", MON, true, HM(8, 30), HM(17, 15), -1},
        {"2026-12-29", TUE, false, 0, 0, 0}, /* year-end */
        {"2026-12-30", WED, false, 0, 0, 0},
        {"2027-01-03", SUN, false, 0, 0, 0}, /* a Sunday, but still year-end */
        {"2027-01-04", MON, true, HM(8, 30), HM(17, 15), -1},
        {"2027-03-22", MON, false, 0, 0, 0}, /* 振替休日 */
    };
    check_days(&cal, cases, sizeof cases / sizeof cases[0]);
}

static void yearend_only_when_configured(void **state)
{
    (void)state;
    struct office_calendar cal = kasugai();
    cal.yearend_closed = false;
    static const struct day_case cases[] = {
        {"2026-12-29", TUE, true, HM(8, 30), HM(17, 15), -1},
        {"2026-12-30", WED, true, HM(8, 30), HM(19, 30), -1},
        {"2027-01-03", SUN, true, HM(8, 30), HM(17, 15), HM(12, 0)},
        {"2027-01-01", FRI, false, 0, 0, 0}, /* 元日 is a holiday anyway */
    };
    check_days(&cal, cases, sizeof cases / sizeof cases[0]);
}

static void yokohama_saturdays(void **state)
{
    (void)state;
    struct office_calendar cal = yokohama();
    static const struct day_case cases[] = {
        {"2024-11-02", SAT, false, 0, 0, 0},
        {"2024-11-09", SAT, true, HM(9, 0), HM(12, 0), -1},
        {"2024-11-16", SAT, false, 0, 0, 0},
        {"2024-11-23", SAT, true, HM(9, 0), HM(12, 0), -1}, /* 4th Saturday, 勤労感謝の日 */
        {"2024-11-30", SAT, false, 0, 0, 0},
        {"2024-11-04", MON, false, 0, 0, 0}, /* 振替休日: weekdays close on holidays */
        {"2024-11-05", TUE, true, HM(8, 45), HM(17, 0), -1},
        {"2029-12-29", SAT, false, 0, 0, 0},                /* 4th Saturday but year-end wins */
        {"2029-08-11", SAT, true, HM(9, 0), HM(12, 0), -1}, /* 2nd Saturday, 山の日 */
    };
    check_days(&cal, cases, sizeof cases / sizeof cases[0]);
}

static void minoh_spring_saturdays(void **state)
{
    (void)state;
    struct office_calendar cal = minoh();
    static const struct day_case cases[] = {
        {"2028-02-26", SAT, false, 0, 0, 0},
        {"2028-03-04", SAT, true, HM(9, 0), HM(17, 0), -1},
        {"2028-03-25", SAT, true, HM(9, 0), HM(17, 0), -1},
        {"2028-04-22", SAT, true, HM(9, 0), HM(17, 0), -1},
        {"2028-04-29", SAT, false, 0, 0, 0}, /* 昭和の日 on a Saturday */
        {"2032-03-20", SAT, false, 0, 0, 0}, /* 春分の日 on a Saturday */
        {"2028-05-06", SAT, false, 0, 0, 0},
        {"2028-03-05", SUN, false, 0, 0, 0},
        {"2028-03-06", MON, true, HM(8, 45), HM(17, 15), -1},
    };
    check_days(&cal, cases, sizeof cases / sizeof cases[0]);
}

static void first_matching_rule_decides(void **state)
{
    (void)state;
    /* The same two rules in the other order: every Sunday opens, the closing rule is
     * never reached. */
    struct office_calendar cal = {0};
    cal.rules[cal.n_rules++] = open_rule(WD(SUN), HM(9, 0), HM(12, 0));
    cal.rules[cal.n_rules++] = closed_rule(WD(SUN), 1u << 3);
    static const struct day_case cases[] = {
        {"2026-11-15", SUN, true, HM(9, 0), HM(12, 0), -1},
    };
    check_days(&cal, cases, 1);
    char text[256];
    officecal_describe(&cal, text, sizeof text);
    assert_string_equal(text, "日曜 9:00〜12:00。祝日は休み");
}

static void describe_case(const struct office_calendar *cal, const char *want)
{
    char text[512];
    size_t n = officecal_describe(cal, text, sizeof text);
    assert_string_equal(text, want);
    assert_int_equal(n, strlen(want));
}

static void descriptions(void **state)
{
    (void)state;
    struct office_calendar k = kasugai(), y = yokohama(), m = minoh();
    describe_case(&k, "月〜金 8:30〜17:15（水曜は19:30まで）、第3日曜を除く日曜 8:30〜17:15"
                      "（12:00〜13:00を除く）。祝日・年末年始（12月29日〜1月3日）は休み");
    describe_case(&y, "月〜金 8:45〜17:00、第2・第4土曜 9:00〜12:00（祝日も開庁）。"
                      "祝日・年末年始（12月29日〜1月3日）は休み");
    describe_case(&m, "月〜金 8:45〜17:15、3・4月の土曜 9:00〜17:00。"
                      "祝日・年末年始（12月29日〜1月3日）は休み");

    /* Every rule of the demo office at once: the Saturday rules overlap, so the second
     * one says it covers the other Saturdays. */
    struct office_calendar all = kasugai();
    all.rules[all.n_rules++] = y.rules[1];
    all.rules[all.n_rules++] = m.rules[1];
    describe_case(&all, "月〜金 8:30〜17:15（水曜は19:30まで）、第2・第4土曜 9:00〜12:00"
                        "（祝日も開庁）、3・4月のその他の土曜 9:00〜17:00、第3日曜を除く日曜 "
                        "8:30〜17:15（12:00〜13:00を除く）。祝日・年末年始（12月29日〜1月3日）"
                        "は休み");

    /* An earlier opening, a day list that is not a run, lunch on weekdays. */
    struct office_calendar t = {0};
    t.rules[t.n_rules++] = open_rule(WD(MON), HM(8, 0), HM(17, 0));
    struct hours_rule week = open_rule(WD(MON) | WD(TUE) | WD(THU), HM(9, 0), HM(17, 0));
    t.rules[t.n_rules++] = week;
    t.rules[t.n_rules++] = open_rule(WD(SAT) | WD(SUN), HM(10, 0), HM(12, 0));
    describe_case(&t, "月・火・木 9:00〜17:00（月曜は8:00から）、土・日 10:00〜12:00。祝日は休み");

    struct office_calendar none = {0};
    describe_case(&none, "窓口の開庁日なし。祝日は休み");
}

static void describe_truncates_safely(void **state)
{
    (void)state;
    struct office_calendar k = kasugai();
    char full[512];
    size_t n_full = officecal_describe(&k, full, sizeof full);
    for (size_t cap = 1; cap < 40; cap++) {
        char small[64];
        memset(small, 'x', sizeof small);
        size_t n = officecal_describe(&k, small, cap);
        assert_true(n < cap);
        assert_int_equal(small[n], '\0');
        assert_int_equal(small[cap], 'x'); /* nothing written past cap */
        assert_memory_equal(small, full, n);
        /* Cut only between characters: the next byte starts one. */
        assert_true(((unsigned char)full[n] & 0xC0) != 0x80);
    }
    assert_true(n_full > 40);
    assert_int_equal(officecal_describe(&k, full, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kasugai_days),
        cmocka_unit_test(yearend_only_when_configured),
        cmocka_unit_test(yokohama_saturdays),
        cmocka_unit_test(minoh_spring_saturdays),
        cmocka_unit_test(first_matching_rule_decides),
        cmocka_unit_test(descriptions),
        cmocka_unit_test(describe_truncates_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
