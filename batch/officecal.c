#include "officecal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jcal.h"

static bool in_yearend(int m, int d)
{
    return (m == 12 && d >= 29) || (m == 1 && d <= 3);
}

static bool rule_matches(const struct hours_rule *r, int wd, int nth, int m)
{
    return (r->weekdays & (1u << wd)) && (r->nth == 0 || (r->nth & (1u << nth))) &&
           (r->months == 0 || (r->months & (1u << m)));
}

struct day_hours officecal_day(const struct office_calendar *cal, cn_date day)
{
    struct day_hours h = {false, 0, 0, -1, -1};
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (cal->yearend_closed && in_yearend(m, d))
        return h;
    const int wd = date_weekday(day), nth = (d - 1) / 7 + 1;
    for (int i = 0; i < cal->n_rules && i < OFFICECAL_MAX_RULES; i++) {
        const struct hours_rule *r = &cal->rules[i];
        if (!rule_matches(r, wd, nth, m))
            continue;
        if (r->closed || (!r->open_on_holiday && jcal_is_holiday(day)))
            return h;
        h.open = true;
        h.open_min = r->open_min;
        h.close_min = r->close_min;
        h.lunch_start = r->lunch_start;
        h.lunch_end = r->lunch_end;
        return h;
    }
    return h;
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

/* "3・4月の第2・第4土曜", "月〜金", "毎日"; with others, "3・4月のその他の土曜". */
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
    return (inner->weekdays & ~outer->weekdays & 0x7F) == 0 && bits_cover(outer->nth, inner->nth) &&
           bits_cover(outer->months, inner->months);
}

/* An earlier open rule that only changes the opening or the closing time of a later one's
 * days reads best as a note on the later one: "月〜金 8:30〜17:15（水曜は19:30まで）". */
static bool absorbs(const struct hours_rule *later, const struct hours_rule *earlier)
{
    return !later->closed && !earlier->closed && days_cover(later, earlier) &&
           later->open_on_holiday == earlier->open_on_holiday &&
           later->lunch_start == earlier->lunch_start && later->lunch_end == earlier->lunch_end &&
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
    put(t, " ");
    put_time(t, r->open_min);
    put(t, "〜");
    put_time(t, r->close_min);

    bool paren = false;
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
    if (r->lunch_start >= 0 && r->lunch_end > r->lunch_start) {
        put(t, paren ? "、" : "（");
        paren = true;
        put_time(t, r->lunch_start);
        put(t, "〜");
        put_time(t, r->lunch_end);
        put(t, "を除く");
    }
    if (r->open_on_holiday) {
        put(t, paren ? "、" : "（");
        paren = true;
        put(t, "祝日も開庁");
    }
    if (paren)
        put(t, "）");
}

size_t officecal_describe(const struct office_calendar *cal, char *out, size_t cap)
{
    struct text t = {out, cap, 0, false};
    if (cap == 0)
        return 0;
    out[0] = '\0';
    const struct hours_rule *rules = cal->rules;
    int n = cal->n_rules < OFFICECAL_MAX_RULES ? cal->n_rules : OFFICECAL_MAX_RULES;
    struct phrase_plan plan[OFFICECAL_MAX_RULES];
    for (int i = 0; i < n; i++) {
        plan[i].absorbed_by = -1;
        plan[i].dead = (rules[i].weekdays & 0x7F) == 0;
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
            put(&t, listed ? "、" : "");
            put_phrase(&t, rules, plan, i);
            listed++;
        }
    }
    if (listed == 0)
        put(&t, "窓口の開庁日なし");
    put(&t, "。%s",
        cal->yearend_closed ? "祝日・年末年始（12月29日〜1月3日）は休み" : "祝日は休み");
    return t.len;
}
