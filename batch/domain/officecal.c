#include "officecal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jcal.h"

static bool in_yearend(int m, int d)
{
    return (m == 12 && d >= 29) || (m == 1 && d <= 3);
}

/* Whether rule r speaks for a day: its weekday (and nth, month) or, on a national holiday,
 * the holiday bit. An opening rule matched only by the weekday does not open a holiday
 * unless it says so; a closing rule closes it all the same. */
static bool rule_matches(const struct hours_rule *r, int wd, int nth, int m, bool holiday)
{
    if (r->months != 0 && !(r->months & (1u << m)))
        return false;
    if (holiday && (r->weekdays & (1u << OFFICECAL_HOLIDAY_BIT)))
        return true;
    if (!(r->weekdays & (1u << wd)) || (r->nth != 0 && !(r->nth & (1u << nth))))
        return false;
    return !holiday || r->closed || r->open_on_holiday;
}

static const struct hours_rule *first_match(const struct hours_rule *rules, int n, cn_date day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    const int wd = date_weekday(day), nth = (d - 1) / 7 + 1;
    const bool holiday = jcal_is_holiday(day);
    for (int i = 0; i < n; i++)
        if (rule_matches(&rules[i], wd, nth, m, holiday))
            return &rules[i];
    return NULL;
}

static struct day_hours from_rule(const struct hours_rule *r)
{
    struct day_hours h = {false, false, false, 0, 0, -1, -1};
    if (!r || r->closed)
        return h;
    h.bookings_only = r->bookings_only;
    if (r->unconfirmed || r->some) {
        h.unconfirmed = true;
        return h;
    }
    h.open = true;
    h.open_min = r->open_min;
    h.close_min = r->close_min;
    h.lunch_start = r->lunch_start;
    h.lunch_end = r->lunch_end;
    return h;
}

struct day_hours officecal_day(const struct office_calendar *cal, cn_date day)
{
    const int n_dates = cal->n_dates < OFFICECAL_MAX_DATES ? cal->n_dates : OFFICECAL_MAX_DATES;
    for (int i = 0; i < n_dates; i++)
        if (cal->dates[i].date == day)
            return from_rule(&cal->dates[i].hours);
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (cal->yearend_closed && in_yearend(m, d))
        return from_rule(NULL);
    const int n = cal->n_rules < OFFICECAL_MAX_RULES ? cal->n_rules : OFFICECAL_MAX_RULES;
    return from_rule(first_match(cal->rules, n, day));
}

/* Removes [a, b) from the sorted, disjoint intervals iv[0..n). */
static int cut(struct officecal_interval *iv, int n, int a, int b)
{
    if (a < 0 || b <= a)
        return n;
    struct officecal_interval tmp[OFFICECAL_MAX_INTERVALS] = {{0, 0}};
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (b <= iv[i].start || a >= iv[i].end) {
            tmp[k++] = iv[i];
            continue;
        }
        if (iv[i].start < a && k < OFFICECAL_MAX_INTERVALS)
            tmp[k++] = (struct officecal_interval){iv[i].start, a};
        if (b < iv[i].end && k < OFFICECAL_MAX_INTERVALS)
            tmp[k++] = (struct officecal_interval){b, iv[i].end};
    }
    memcpy(iv, tmp, (size_t)k * sizeof *iv);
    return k;
}

int officecal_intervals(const struct office_calendar *cal, cn_date day, enum officecal_visit visit,
                        struct officecal_interval out[OFFICECAL_MAX_INTERVALS])
{
    const bool walkin = visit == OFFICECAL_WALKIN;
    if (walkin ? !cal->takes_walkins : !cal->takes_bookings)
        return 0;
    const struct day_hours h = officecal_day(cal, day);
    if (!h.open || (walkin && h.bookings_only))
        return 0;
    out[0] = (struct officecal_interval){h.open_min, h.close_min};
    int n = cut(out, 1, h.lunch_start, h.lunch_end);
    const int n_walkin =
        cal->n_walkin < OFFICECAL_MAX_WALKIN ? cal->n_walkin : OFFICECAL_MAX_WALKIN;
    if (walkin && n_walkin > 0) {
        const struct day_hours w = from_rule(first_match(cal->walkin, n_walkin, day));
        if (!w.open)
            return 0;
        n = cut(out, n, 0, w.open_min);
        n = cut(out, n, w.close_min, 24 * 60 + 1);
        n = cut(out, n, w.lunch_start, w.lunch_end);
    }
    return n;
}

bool officecal_open_at(const struct office_calendar *cal, cn_date day, int min,
                       enum officecal_visit visit)
{
    struct officecal_interval iv[OFFICECAL_MAX_INTERVALS];
    const int n = officecal_intervals(cal, day, visit, iv);
    for (int i = 0; i < n; i++)
        if (iv[i].start <= min && min < iv[i].end)
            return true;
    return false;
}

/* ---- Description --------------------------------------------------------------------- */

/* A bounded string builder: appends until the first piece that does not fit, always
 * NUL-terminated, and never ends inside a UTF-8 character (a letter must not print a
 * broken kanji). */
struct text {
    char *buf;
    size_t cap, len;
    bool full;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
    if (t->full || t->cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->buf[t->len] = '\0';
        t->full = true;
        return;
    }
    if ((size_t)n < t->cap - t->len) {
        t->len += (size_t)n;
        return;
    }
    t->full = true;
    /* vsnprintf cut at cap - 1: drop the last character if it lost its tail. */
    size_t end = t->cap - 1, lead = end;
    while (lead > t->len && ((unsigned char)t->buf[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > t->len) {
        const unsigned char b = (unsigned char)t->buf[lead - 1];
        const size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (lead - 1 + need > end)
            end = lead - 1;
    }
    t->len = end;
    t->buf[end] = '\0';
}

/* "8:30" */
static void put_time(struct text *t, int min)
{
    put(t, "%d:%02d", min / 60, min % 60);
}

/* Items of a bit set written as runs: three or more consecutive become "a〜b", others
 * are joined with "・". order lists the bits in reading order. */
static void put_runs(struct text *t, unsigned bits, const int *order, int n_order,
                     const char *const *label)
{
    bool first = true;
    for (int i = 0; i < n_order;) {
        if (!(bits & (1u << order[i]))) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < n_order && (bits & (1u << order[j + 1])))
            j++;
        if (j - i >= 2) {
            put(t, "%s%s〜%s", first ? "" : "・", label[order[i]], label[order[j]]);
        } else {
            for (int k = i; k <= j; k++)
                put(t, "%s%s", first && k == i ? "" : "・", label[order[k]]);
        }
        first = false;
        i = j + 1;
    }
}

static const char *const weekday_label[7] = {"日", "月", "火", "水", "木", "金", "土"};
static const int week_order[7] = {1, 2, 3, 4, 5, 6, 0}; /* a Japanese week starts on Monday */

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* "3・4月の第2・第4土曜", "月〜金", "毎日", "土曜・祝日"; with others, "3・4月のその他の土曜";
 * a rule for some of its days only, "一部の土曜・祝日". */
static void put_days(struct text *t, const struct hours_rule *r, bool others)
{
    if (r->months && r->months != 0x1FFE) {
        static const char *const month_label[13] = {"",  "1", "2", "3",  "4",  "5", "6",
                                                    "7", "8", "9", "10", "11", "12"};
        static const int month_order[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        put_runs(t, r->months, month_order, 12, month_label);
        put(t, "月の");
    }
    if (others)
        put(t, "その他の");
    else if (r->some)
        put(t, "一部の");
    if (r->nth) {
        bool first = true;
        for (int n = 1; n <= 5; n++)
            if (r->nth & (1u << n)) {
                put(t, "%s第%d", first ? "" : "・", n);
                first = false;
            }
    }
    unsigned wd = r->weekdays & 0x7F;
    if (wd == 0x7F && !r->nth)
        put(t, "毎日");
    else if (popcount(wd) == 1)
        put(t, "%s曜", weekday_label[__builtin_ctz(wd)]);
    else
        put_runs(t, wd, week_order, 7, weekday_label);
    if (r->weekdays & (1u << OFFICECAL_HOLIDAY_BIT))
        put(t, "%s祝日", wd ? "・" : "");
}

static bool bits_overlap(unsigned a, unsigned b)
{
    return a == 0 || b == 0 || (a & b) != 0;
}

/* b's days include all of a's (0 means "all" for nth and months). */
static bool bits_cover(unsigned outer, unsigned inner)
{
    return outer == 0 || (inner != 0 && (inner & ~outer) == 0);
}

static bool days_overlap(const struct hours_rule *a, const struct hours_rule *b)
{
    return (a->weekdays & b->weekdays) && bits_overlap(a->nth, b->nth) &&
           bits_overlap(a->months, b->months);
}

static bool days_cover(const struct hours_rule *outer, const struct hours_rule *inner)
{
    return (inner->weekdays & ~outer->weekdays & 0xFF) == 0 && bits_cover(outer->nth, inner->nth) &&
           bits_cover(outer->months, inner->months);
}

/* A rule with published hours that serves everyone or bookings alike: only these compare. */
static bool same_service(const struct hours_rule *a, const struct hours_rule *b)
{
    return a->open_on_holiday == b->open_on_holiday && a->bookings_only == b->bookings_only &&
           !a->unconfirmed && !b->unconfirmed && !a->some && !b->some;
}

/* An earlier open rule that only changes the opening or the closing time of a later one's
 * days reads best as a note on the later one: "月〜金 8:30〜17:15（水曜は19:30まで）". */
static bool absorbs(const struct hours_rule *later, const struct hours_rule *earlier)
{
    return !later->closed && !earlier->closed && days_cover(later, earlier) &&
           same_service(later, earlier) && later->lunch_start == earlier->lunch_start &&
           later->lunch_end == earlier->lunch_end &&
           (later->open_min == earlier->open_min || later->close_min == earlier->close_min);
}

struct phrase_plan {
    int absorbed_by; /* -1, or the index of the rule whose phrase carries this one */
    bool dead;       /* never decides a day: earlier rules cover all its days */
    int sort_key;    /* first weekday in Monday-first order */
};

static int first_weekday_key(const struct hours_rule *r)
{
    for (int i = 0; i < 7; i++)
        if (r->weekdays & (1u << week_order[i]))
            return i;
    return 7;
}

/* "（" before the first remark of a phrase, "、" before the others. */
static void put_remark(struct text *t, bool *paren, const char *remark)
{
    put(t, "%s%s", *paren ? "、" : "（", remark);
    *paren = true;
}

/* The hours of one rule: " 8:30〜17:00（12:00〜13:00を除く、予約のかたのみ）", or the
 * please-check remark when the city does not publish them. */
static void put_rule_hours(struct text *t, const struct hours_rule *r, bool *paren)
{
    if (r->some) {
        put_remark(t, paren, "開設日は市にご確認ください");
    } else if (r->unconfirmed) {
        put_remark(t, paren, "受付時間は市にご確認ください");
    } else {
        put(t, " ");
        put_time(t, r->open_min);
        put(t, "〜");
        put_time(t, r->close_min);
    }
}

static void put_rule_remarks(struct text *t, const struct hours_rule *r, bool *paren)
{
    if (!r->unconfirmed && !r->some && r->lunch_start >= 0 && r->lunch_end > r->lunch_start) {
        put(t, "%s", *paren ? "、" : "（");
        *paren = true;
        put_time(t, r->lunch_start);
        put(t, "〜");
        put_time(t, r->lunch_end);
        put(t, "を除く");
    }
    if (r->bookings_only)
        put_remark(t, paren, "予約のかたのみ");
    if (r->open_on_holiday)
        put_remark(t, paren, "祝日も開庁");
}

static void put_phrase(struct text *t, const struct hours_rule *rules,
                       const struct phrase_plan *plan, int i)
{
    const struct hours_rule *r = &rules[i];
    /* Earlier closing rules that cut into this rule's days: "第3日曜を除く日曜". */
    bool any_excluded = false;
    bool others = false;
    for (int j = 0; j < i; j++) {
        if (plan[j].dead || plan[j].absorbed_by == i || !days_overlap(&rules[j], r))
            continue;
        if (rules[j].closed) {
            put(t, "%s", any_excluded ? "・" : "");
            put_days(t, &rules[j], false);
            any_excluded = true;
        } else {
            others = true; /* described in its own phrase, earlier in the list */
        }
    }
    if (any_excluded)
        put(t, "を除く");
    put_days(t, r, others);
    bool paren = false;
    put_rule_hours(t, r, &paren);

    for (int j = 0; j < i; j++) {
        if (plan[j].absorbed_by != i)
            continue;
        const struct hours_rule *e = &rules[j];
        put(t, paren ? "、" : "（");
        paren = true;
        put_days(t, e, false);
        put(t, "は");
        if (e->open_min == r->open_min) {
            put_time(t, e->close_min);
            put(t, "まで");
        } else {
            put_time(t, e->open_min);
            put(t, "から");
        }
    }
    put_rule_remarks(t, r, &paren);
    if (paren)
        put(t, "）");
}

/* The open phrases of a rule list, joined with "、"; returns how many were written. */
static int put_rules(struct text *t, const struct hours_rule *rules, int n)
{
    struct phrase_plan plan[OFFICECAL_MAX_RULES];
    if (n > OFFICECAL_MAX_RULES)
        n = OFFICECAL_MAX_RULES;
    for (int i = 0; i < n; i++) {
        plan[i].absorbed_by = -1;
        plan[i].dead = (rules[i].weekdays & 0xFF) == 0;
        for (int j = 0; j < i && !plan[i].dead; j++)
            if (plan[j].absorbed_by < 0 && days_cover(&rules[j], &rules[i]))
                plan[i].dead = true;
        plan[i].sort_key = first_weekday_key(&rules[i]);
    }
    for (int i = 0; i < n; i++) {
        if (plan[i].dead || rules[i].closed)
            continue;
        for (int j = 0; j < i; j++)
            if (plan[j].absorbed_by < 0 && !plan[j].dead && !rules[j].closed &&
                absorbs(&rules[i], &rules[j]))
                plan[j].absorbed_by = i;
    }
    /* A phrase that says "その他の" must follow the phrases it refers to. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            if (!rules[j].closed && !plan[j].dead && plan[j].absorbed_by != i &&
                days_overlap(&rules[j], &rules[i]) && plan[j].sort_key > plan[i].sort_key)
                plan[i].sort_key = plan[j].sort_key;

    /* Open phrases in Monday-first order, rule order among equals. */
    int listed = 0;
    for (int key = 0; key <= 7; key++) {
        for (int i = 0; i < n; i++) {
            if (plan[i].sort_key != key || plan[i].dead || rules[i].closed ||
                plan[i].absorbed_by >= 0)
                continue;
            put(t, listed ? "、" : "");
            put_phrase(t, rules, plan, i);
            listed++;
        }
    }
    return listed;
}

/* "。臨時開庁：1月10日（日） 9:00〜17:00（予約のかたのみ）、…" or "。臨時休業：2月3日（火）" */
static void put_dates(struct text *t, const struct office_calendar *cal, bool closed)
{
    const int n = cal->n_dates < OFFICECAL_MAX_DATES ? cal->n_dates : OFFICECAL_MAX_DATES;
    int listed = 0;
    for (int i = 0; i < n; i++) {
        const struct date_rule *dr = &cal->dates[i];
        if (dr->hours.closed != closed)
            continue;
        int y, m, d;
        date_to_ymd(dr->date, &y, &m, &d);
        put(t, "%s%d月%d日（%s）",
            listed   ? "、"
            : closed ? "。臨時休業："
                     : "。臨時開庁：",
            m, d, weekday_label[date_weekday(dr->date)]);
        listed++;
        if (closed)
            continue;
        bool paren = false;
        put_rule_hours(t, &dr->hours, &paren);
        put_rule_remarks(t, &dr->hours, &paren);
        if (paren)
            put(t, "）");
    }
}

size_t officecal_describe(const struct office_calendar *cal, char *out, size_t cap)
{
    struct text t = {out, cap, 0, false};
    if (cap == 0)
        return 0;
    out[0] = '\0';
    const int n = cal->n_rules < OFFICECAL_MAX_RULES ? cal->n_rules : OFFICECAL_MAX_RULES;
    if (put_rules(&t, cal->rules, n) == 0)
        put(&t, "窓口の開庁日なし");
    /* Once a phrase names the holidays, "祝日は休み" would contradict it. */
    bool holidays_named = false;
    for (int i = 0; i < n; i++)
        holidays_named |=
            !cal->rules[i].closed && (cal->rules[i].weekdays & (1u << OFFICECAL_HOLIDAY_BIT));
    put(&t, "。%s%s", holidays_named ? "その他の" : "",
        cal->yearend_closed ? "祝日・年末年始（12月29日〜1月3日）は休み" : "祝日は休み");
    put_dates(&t, cal, false);
    put_dates(&t, cal, true);
    /* Who is served: only said when the calendar is an office's (a phone line's is not). */
    const int n_walkin =
        cal->n_walkin < OFFICECAL_MAX_WALKIN ? cal->n_walkin : OFFICECAL_MAX_WALKIN;
    if (cal->takes_bookings && !cal->takes_walkins) {
        put(&t, "。予約のかたのみ受付");
    } else if (cal->takes_bookings && n_walkin > 0) {
        put(&t, "。予約なしの受付は");
        if (put_rules(&t, cal->walkin, n_walkin) == 0)
            put(&t, "なし");
    } else if (cal->takes_bookings) {
        put(&t, "。予約なしでも受付");
    } else if (cal->takes_walkins) {
        put(&t, "。予約なしで受付（予約はできません）");
    }
    return t.len;
}
