/* Tests for officecal: which days an office opens and when (first matching rule, holiday
 * and year-end closures) for the calendars the seed cities publish (docs/domain.md), and their description. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* ---- The cities' pages' calendars, as the configs write them ------------------------- */

static struct hours_rule lunch_rule(unsigned days, int open, int close, int l0, int l1)
{
    struct hours_rule r = open_rule(days, open, close);
    r.lunch_start = (int16_t)l0;
    r.lunch_end = (int16_t)l1;
    return r;
}

#define HOL (1u << OFFICECAL_HOLIDAY_BIT)

/* Kasugai 戸籍住民課 (000, 003): weekdays 8:30-17:00, Wednesday to 19:30, Sundays but the
 * 3rd for bookings only, some Saturdays and holidays (not published), walk-ins weekdays
 * 9:00-16:00 only. */
static struct office_calendar kasugai_koseki(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = closed_rule(WD(SUN), 1u << 3);
    c.rules[c.n_rules++] = open_rule(WD(WED), HM(8, 30), HM(19, 30));
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(8, 30), HM(17, 0));
    struct hours_rule sun = lunch_rule(WD(SUN), HM(8, 30), HM(17, 0), HM(12, 0), HM(13, 0));
    sun.bookings_only = true;
    c.rules[c.n_rules++] = sun;
    struct hours_rule some = closed_rule(WD(SAT) | HOL, 0);
    some.closed = false;
    some.some = true;
    some.bookings_only = true;
    c.rules[c.n_rules++] = some;
    c.walkin[c.n_walkin++] = open_rule(MON_FRI, HM(9, 0), HM(16, 0));
    c.yearend_closed = c.takes_bookings = c.takes_walkins = true;
    return c;
}

/* A Kasugai branch: weekdays, bookings only (walk-ins go to 戸籍住民課). */
static struct office_calendar kasugai_branch(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(8, 30), HM(17, 0));
    c.yearend_closed = c.takes_bookings = true;
    return c;
}

/* Takatsuki 市民課 (001): walk-ins only, reception paused 11:30-13:00, holiday openings on
 * dates the page does not give. */
static struct office_calendar takatsuki_main(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = lunch_rule(MON_FRI, HM(8, 45), HM(17, 15), HM(11, 30), HM(13, 0));
    struct hours_rule some = closed_rule(WD(SAT) | WD(SUN) | HOL, 0);
    some.closed = false;
    some.some = true;
    c.rules[c.n_rules++] = some;
    c.yearend_closed = c.takes_walkins = true;
    return c;
}

/* Minoh 戸籍住民異動室 (004): 9:00-17:00 on weekdays, the 2nd and 4th Saturdays, and every
 * Saturday in March and April; bookings optional. Its branches: weekdays, hours unknown. */
static struct office_calendar minoh_main(void)
{
    struct office_calendar c = {0};
    c.rules[c.n_rules++] = open_rule(MON_FRI, HM(9, 0), HM(17, 0));
    struct hours_rule sat = open_rule(WD(SAT), HM(9, 0), HM(17, 0));
    sat.nth = (1u << 2) | (1u << 4);
    c.rules[c.n_rules++] = sat;
    sat.nth = 0;
    sat.months = (1u << 3) | (1u << 4);
    c.rules[c.n_rules++] = sat;
    c.yearend_closed = c.takes_bookings = c.takes_walkins = true;
    return c;
}

static struct office_calendar minoh_branch(void)
{
    struct office_calendar c = {0};
    struct hours_rule r = closed_rule(MON_FRI, 0);
    r.closed = false;
    r.unconfirmed = true;
    c.rules[c.n_rules++] = r;
    c.yearend_closed = c.takes_walkins = true;
    return c;
}

/* A calendar with dated exceptions: a holiday opening for bookings, a weekday closure and a
 * year-end opening. */
static struct office_calendar with_dates(void)
{
    struct office_calendar c = kasugai_branch();
    c.takes_walkins = true;
    cn_date d;
    assert_true(date_parse_iso("2026-11-23", &d)); /* 勤労感謝の日 */
    c.dates[c.n_dates].date = d;
    c.dates[c.n_dates].hours = open_rule(0, HM(9, 0), HM(12, 0));
    c.dates[c.n_dates++].hours.bookings_only = true;
    assert_true(date_parse_iso("2026-11-24", &d));
    c.dates[c.n_dates].date = d;
    c.dates[c.n_dates++].hours = closed_rule(0, 0);
    assert_true(date_parse_iso("2026-12-29", &d));
    c.dates[c.n_dates].date = d;
    c.dates[c.n_dates++].hours = lunch_rule(0, HM(9, 0), HM(16, 0), HM(12, 0), HM(13, 0));
    return c;
}

struct visit_case {
    const char *office;
    const char *date;
    int weekday;
    enum officecal_visit visit;
    const char *want; /* the intervals as "8:30-12:00,13:00-17:00"; "" when not served */
};

static struct office_calendar calendar_named(const char *name)
{
    if (strcmp(name, "kasugai") == 0)
        return kasugai_koseki();
    if (strcmp(name, "kasugai-branch") == 0)
        return kasugai_branch();
    if (strcmp(name, "takatsuki") == 0)
        return takatsuki_main();
    if (strcmp(name, "minoh") == 0)
        return minoh_main();
    if (strcmp(name, "minoh-branch") == 0)
        return minoh_branch();
    if (strcmp(name, "yokohama") == 0) {
        struct office_calendar c = yokohama();
        c.takes_bookings = true;
        return c;
    }
    return with_dates();
}

static void intervals_per_visit(void **state)
{
    (void)state;
#define B OFFICECAL_BOOKING
#define W OFFICECAL_WALKIN
    static const struct visit_case cases[] = {
        {"kasugai", "2026-11-24", TUE, B, "8:30-17:00"},
        {"kasugai", "2026-11-24", TUE, W, "9:00-16:00"}, /* walk-ins 9-16 only (000) */
        {"kasugai", "2026-11-25", WED, B, "8:30-19:30"}, /* the evening (003) */
        {"kasugai", "2026-11-25", WED, W, "9:00-16:00"},
        {"kasugai", "2026-11-22", SUN, B, "8:30-12:00,13:00-17:00"},
        {"kasugai", "2026-11-22", SUN, W, ""}, /* Sundays: bookings only (000) */
        {"kasugai", "2026-11-15", SUN, B, ""}, /* the 3rd Sunday */
        {"kasugai", "2026-11-21", SAT, B, ""}, /* "some Saturdays": not published */
        {"kasugai", "2026-11-23", MON, B, ""}, /* 勤労感謝の日 */
        {"kasugai", "2026-12-29", TUE, B, ""}, /* year-end */
        {"kasugai-branch", "2026-11-24", TUE, B, "8:30-17:00"},
        {"kasugai-branch", "2026-11-24", TUE, W, ""}, /* walk-ins at 戸籍住民課 only */
        {"kasugai-branch", "2026-11-22", SUN, B, ""},
        {"takatsuki", "2026-11-24", TUE, W, "8:45-11:30,13:00-17:15"},
        {"takatsuki", "2026-11-24", TUE, B, ""},       /* no bookings at all */
        {"takatsuki", "2026-11-28", SAT, W, ""},       /* holiday openings: dates not published */
        {"minoh", "2026-11-14", SAT, B, "9:00-17:00"}, /* 2nd Saturday */
        {"minoh", "2026-11-14", SAT, W, "9:00-17:00"},
        {"minoh", "2026-11-07", SAT, B, ""},           /* 1st Saturday */
        {"minoh", "2027-03-06", SAT, B, "9:00-17:00"}, /* every Saturday in March */
        {"minoh", "2027-04-03", SAT, W, "9:00-17:00"},
        {"minoh", "2032-03-20", SAT, B, ""},        /* 春分の日 on a March Saturday */
        {"minoh-branch", "2026-11-24", TUE, W, ""}, /* open, hours not published */
        {"minoh-branch", "2026-11-24", TUE, B, ""},
        {"yokohama", "2024-11-23", SAT, B, "9:00-12:00"}, /* 4th Saturday on a holiday */
        {"yokohama", "2024-11-23", SAT, W, ""},
        {"dates", "2026-11-23", MON, B, "9:00-12:00"}, /* a holiday opening */
        {"dates", "2026-11-23", MON, W, ""},           /* ... for bookings only */
        {"dates", "2026-11-24", TUE, B, ""},           /* a dated closure */
        {"dates", "2026-11-25", WED, W, "8:30-17:00"},
        {"dates", "2026-12-29", TUE, W, "9:00-12:00,13:00-16:00"}, /* beats the year-end */
        {"dates", "2026-12-30", WED, B, ""},
    };
#undef B
#undef W
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct visit_case *c = &cases[i];
        struct office_calendar cal = calendar_named(c->office);
        cn_date d;
        assert_true(date_parse_iso(c->date, &d));
        assert_int_equal(date_weekday(d), c->weekday);
        struct officecal_interval iv[OFFICECAL_MAX_INTERVALS];
        int n = officecal_intervals(&cal, d, c->visit, iv);
        char got[128] = "";
        size_t len = 0;
        for (int k = 0; k < n; k++)
            len += (size_t)snprintf(got + len, sizeof got - len, "%s%d:%02d-%d:%02d", k ? "," : "",
                                    iv[k].start / 60, iv[k].start % 60, iv[k].end / 60,
                                    iv[k].end % 60);
        if (strcmp(got, c->want) != 0)
            fail_msg("%s %s %s: got '%s', expected '%s'", c->office, c->date,
                     c->visit == OFFICECAL_BOOKING ? "booking" : "walk-in", got, c->want);
    }
}

static void open_at_edges(void **state)
{
    (void)state;
    struct office_calendar k = kasugai_koseki();
    cn_date tue, sun;
    assert_true(date_parse_iso("2026-11-24", &tue));
    assert_true(date_parse_iso("2026-11-22", &sun));
    static const struct {
        bool sunday;
        enum officecal_visit visit;
        int min;
        bool open;
    } cases[] = {
        {false, OFFICECAL_WALKIN, HM(8, 59), false},  {false, OFFICECAL_WALKIN, HM(9, 0), true},
        {false, OFFICECAL_WALKIN, HM(15, 59), true},  {false, OFFICECAL_WALKIN, HM(16, 0), false},
        {false, OFFICECAL_BOOKING, HM(8, 30), true},  {false, OFFICECAL_BOOKING, HM(16, 59), true},
        {false, OFFICECAL_BOOKING, HM(17, 0), false}, {true, OFFICECAL_BOOKING, HM(11, 59), true},
        {true, OFFICECAL_BOOKING, HM(12, 0), false},  {true, OFFICECAL_BOOKING, HM(12, 59), false},
        {true, OFFICECAL_BOOKING, HM(13, 0), true},   {true, OFFICECAL_WALKIN, HM(10, 0), false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (officecal_open_at(&k, cases[i].sunday ? sun : tue, cases[i].min, cases[i].visit) !=
            cases[i].open)
            fail_msg("case %zu: minute %d", i, cases[i].min);
}

static void unpublished_hours_are_not_open(void **state)
{
    (void)state;
    struct office_calendar b = minoh_branch(), k = kasugai_koseki();
    cn_date tue, sat, hol;
    assert_true(date_parse_iso("2026-11-24", &tue));
    assert_true(date_parse_iso("2026-11-21", &sat));
    assert_true(date_parse_iso("2026-11-03", &hol)); /* 文化の日, a Tuesday */
    struct day_hours h = officecal_day(&b, tue);
    assert_false(h.open);
    assert_true(h.unconfirmed);
    h = officecal_day(&k, sat);
    assert_false(h.open);
    assert_true(h.unconfirmed);
    assert_true(h.bookings_only);
    h = officecal_day(&k, hol); /* the holiday reaches the "some holidays" rule */
    assert_false(h.open);
    assert_true(h.unconfirmed);
    h = officecal_day(&b, hol); /* a weekday rule does not open a holiday */
    assert_false(h.open);
    assert_false(h.unconfirmed);
}

static void page_descriptions(void **state)
{
    (void)state;
    struct office_calendar k = kasugai_koseki(), kb = kasugai_branch(), t = takatsuki_main(),
                           m = minoh_main(), mb = minoh_branch(), d = with_dates();
    describe_case(&k,
                  "月〜金 8:30〜17:00（水曜は19:30まで）、一部の土曜・祝日（開設日は市にご確認"
                  "ください、予約のかたのみ）、第3日曜を除く日曜 8:30〜17:00（12:00〜13:00を除く"
                  "、予約のかたのみ）。その他の祝日・年末年始（12月29日〜1月3日）は休み。予約"
                  "なしの受付は月〜金 9:00〜16:00");
    describe_case(&kb, "月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み。予約のかた"
                       "のみ受付");
    describe_case(&t, "月〜金 8:45〜17:15（11:30〜13:00を除く）、一部の土・日・祝日（開設日は市に"
                      "ご確認ください）。その他の祝日・年末年始（12月29日〜1月3日）は休み。予約"
                      "なしで受付（予約はできません）");
    describe_case(&m, "月〜金 9:00〜17:00、第2・第4土曜 9:00〜17:00、3・4月のその他の土曜 9:00〜"
                      "17:00。祝日・年末年始（12月29日〜1月3日）は休み。予約なしでも受付");
    describe_case(&mb, "月〜金（受付時間は市にご確認ください）。祝日・年末年始（12月29日〜1月3日）"
                       "は休み。予約なしで受付（予約はできません）");
    describe_case(&d, "月〜金 8:30〜17:00。祝日・年末年始（12月29日〜1月3日）は休み。臨時開庁："
                      "11月23日（月） 9:00〜12:00（予約のかたのみ）、12月29日（火） 9:00〜16:00"
                      "（12:00〜13:00を除く）。臨時休業：11月24日（火）。予約なしでも受付");
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
        cmocka_unit_test(intervals_per_visit),
        cmocka_unit_test(open_at_edges),
        cmocka_unit_test(unpublished_hours_are_not_open),
        cmocka_unit_test(page_descriptions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
