#include "jcal.h"

#include <stdio.h>
#include <string.h>

/* ---- Eras ---------------------------------------------------------------------------- */

static const struct {
    int y, m, d;    /* first day of the era as used here */
    int first_year; /* Gregorian year of the era's 元年 */
    const char *name;
} eras[] = {
    /* 明治 began 1868-01-25 but Japan kept the lunisolar calendar until 1872-12-02, so a
     * Gregorian date before 1873 has no honest 明治 form. */
    {1873, 1, 1, 1868, "明治"}, {1912, 7, 30, 1912, "大正"}, {1926, 12, 25, 1926, "昭和"},
    {1989, 1, 8, 1989, "平成"}, {2019, 5, 1, 2019, "令和"},
};

bool jcal_era_date(cn_date day, struct jcal_era_date *out)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    for (int i = (int)(sizeof eras / sizeof eras[0]) - 1; i >= 0; i--) {
        if (day >= date_from_ymd(eras[i].y, eras[i].m, eras[i].d)) {
            out->era = eras[i].name;
            out->year = y - eras[i].first_year + 1;
            out->month = m;
            out->day = d;
            return true;
        }
    }
    return false;
}

static size_t finish(int n, char *out, size_t cap)
{
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

static size_t wareki(cn_date day, bool weekday, char *out, size_t cap)
{
    struct jcal_era_date e;
    if (!out || cap == 0)
        return 0;
    if (!jcal_era_date(day, &e))
        return finish(-1, out, cap);
    char year[16];
    if (e.year == 1)
        snprintf(year, sizeof year, "元");
    else
        snprintf(year, sizeof year, "%d", e.year);
    int n;
    if (weekday)
        n = snprintf(out, cap, "%s%s年%d月%d日（%s）", e.era, year, e.month, e.day,
                     jcal_weekday_kanji(day));
    else
        n = snprintf(out, cap, "%s%s年%d月%d日", e.era, year, e.month, e.day);
    return finish(n, out, cap);
}

size_t jcal_wareki(cn_date day, char *out, size_t cap)
{
    return wareki(day, false, out, cap);
}

size_t jcal_wareki_weekday(cn_date day, char *out, size_t cap)
{
    return wareki(day, true, out, cap);
}

const char *jcal_weekday_kanji(cn_date day)
{
    static const char *const kanji[7] = {"日", "月", "火", "水", "木", "金", "土"};
    return kanji[date_weekday(day)];
}

/* ---- Holidays ------------------------------------------------------------------------ */

/* Each 国民の祝日 with the name its substitute day (振替休日) carries in the Cabinet
 * Office list. */
struct holiday_name {
    const char *name;
    const char *substitute;
};

static const struct holiday_name H_GANJITSU = {"元日", "元日 振替休日"};
static const struct holiday_name H_SEIJIN = {"成人の日", "成人の日 振替休日"};
static const struct holiday_name H_KENKOKU = {"建国記念の日", "建国記念の日 振替休日"};
static const struct holiday_name H_SHUNBUN = {"春分の日", "春分の日 振替休日"};
static const struct holiday_name H_TENNO = {"天皇誕生日", "天皇誕生日 振替休日"};
static const struct holiday_name H_MIDORI = {"みどりの日", "みどりの日 振替休日"};
static const struct holiday_name H_SHOWA = {"昭和の日", "昭和の日 振替休日"};
static const struct holiday_name H_KENPO = {"憲法記念日", "憲法記念日 振替休日"};
static const struct holiday_name H_KODOMO = {"こどもの日", "こどもの日 振替休日"};
static const struct holiday_name H_UMI = {"海の日", "海の日 振替休日"};
static const struct holiday_name H_YAMA = {"山の日", "山の日 振替休日"};
static const struct holiday_name H_KEIRO = {"敬老の日", "敬老の日 振替休日"};
static const struct holiday_name H_SHUBUN = {"秋分の日", "秋分の日 振替休日"};
static const struct holiday_name H_TAIIKU = {"体育の日", "体育の日 振替休日"};
static const struct holiday_name H_TAIIKU_2019 = {"体育の日（スポーツの日）",
                                                  "体育の日（スポーツの日） 振替休日"};
static const struct holiday_name H_SPORTS = {"スポーツの日", "スポーツの日 振替休日"};
static const struct holiday_name H_BUNKA = {"文化の日", "文化の日 振替休日"};
static const struct holiday_name H_KINRO = {"勤労感謝の日", "勤労感謝の日 振替休日"};
static const struct holiday_name H_TAISO = {"大喪の礼", "大喪の礼 振替休日"};
static const struct holiday_name H_SOKUI = {"即位礼正殿の儀", "即位礼正殿の儀 振替休日"};
static const struct holiday_name H_KEKKON = {"結婚の儀", "結婚の儀 振替休日"};
/* 2019's one-off days were "treated as" national holidays by their own law. */
static const struct holiday_name H_2019 = {"休日（祝日扱い）", "休日（祝日扱い） 振替休日"};

static const char KOKUMIN_NO_KYUJITSU[] = "休日";

struct entry {
    cn_date date;
    const char *name;
    const struct holiday_name *holiday; /* NULL for 振替休日 and 国民の休日 */
};

/* The equinox days by the published approximation; the constants change in 1980 (the
 * formulas for 1900-1979 and 1980-2099). Their int() truncates toward zero, which for the
 * negative (y - 1983) / 4 before 1983 is C's division, not a floor. Fixed point in
 * millionths keeps floating-point rounding away from a day boundary. */
static int equinox_day(int y, bool spring)
{
    long base;
    int leap_corr;
    if (y < 1980) {
        base = spring ? 20835700L : 23258800L;
        leap_corr = (y - 1983) / 4;
    } else {
        base = spring ? 20843100L : 23248800L;
        leap_corr = (y - 1980) / 4;
    }
    return (int)((base + 242194L * (y - 1980)) / 1000000L) - leap_corr;
}

/* The date of the n-th weekday wd (0 = Sunday) of month m. */
static cn_date nth_weekday(int y, int m, int n, int wd)
{
    cn_date first = date_from_ymd(y, m, 1);
    int offset = (wd - date_weekday(first) + 7) % 7;
    return first + offset + 7 * (n - 1);
}

static void add(struct entry *list, int *n, cn_date date, const struct holiday_name *h,
                const char *name)
{
    list[*n].date = date;
    list[*n].holiday = h;
    list[*n].name = name;
    (*n)++;
}

#define FIXED(m, d, h) add(list, &n, date_from_ymd(y, m, d), h, (h)->name)
#define NTH_MONDAY(m, k, h) add(list, &n, nth_weekday(y, m, k, 1), h, (h)->name)

/* The 国民の祝日 of year y (no substitute or sandwiched days), as the law stood then. */
static int national_holidays(int y, struct entry *list)
{
    int n = 0;
    FIXED(1, 1, &H_GANJITSU);
    if (y < 2000)
        FIXED(1, 15, &H_SEIJIN);
    else
        NTH_MONDAY(1, 2, &H_SEIJIN);
    FIXED(2, 11, &H_KENKOKU);
    if (y >= 2020)
        FIXED(2, 23, &H_TENNO);
    FIXED(3, equinox_day(y, true), &H_SHUNBUN);
    FIXED(4, 29, y < 1989 ? &H_TENNO : y < 2007 ? &H_MIDORI : &H_SHOWA);
    if (y == 2019)
        FIXED(5, 1, &H_2019);
    FIXED(5, 3, &H_KENPO);
    if (y >= 2007)
        FIXED(5, 4, &H_MIDORI);
    FIXED(5, 5, &H_KODOMO);
    if (y == 2020) {
        FIXED(7, 23, &H_UMI);
        FIXED(7, 24, &H_SPORTS);
    } else if (y == 2021) {
        FIXED(7, 22, &H_UMI);
        FIXED(7, 23, &H_SPORTS);
    } else if (y >= 2003) {
        NTH_MONDAY(7, 3, &H_UMI);
    } else if (y >= 1996) {
        FIXED(7, 20, &H_UMI);
    }
    if (y == 2020)
        FIXED(8, 10, &H_YAMA);
    else if (y == 2021)
        FIXED(8, 8, &H_YAMA);
    else if (y >= 2016)
        FIXED(8, 11, &H_YAMA);
    if (y < 2003)
        FIXED(9, 15, &H_KEIRO);
    else
        NTH_MONDAY(9, 3, &H_KEIRO);
    FIXED(9, equinox_day(y, false), &H_SHUBUN);
    if (y < 2000)
        FIXED(10, 10, &H_TAIIKU);
    else if (y < 2019)
        NTH_MONDAY(10, 2, &H_TAIIKU);
    else if (y == 2019)
        NTH_MONDAY(10, 2, &H_TAIIKU_2019);
    else if (y >= 2022)
        NTH_MONDAY(10, 2, &H_SPORTS);
    if (y == 2019)
        FIXED(10, 22, &H_2019);
    FIXED(11, 3, &H_BUNKA);
    FIXED(11, 23, &H_KINRO);
    if (y >= 1989 && y <= 2018)
        FIXED(12, 23, &H_TENNO);
    /* One-off days by their own laws. */
    if (y == 1989)
        FIXED(2, 24, &H_TAISO);
    if (y == 1990)
        FIXED(11, 12, &H_SOKUI);
    if (y == 1993)
        FIXED(6, 9, &H_KEKKON);
    return n;
}

#undef FIXED
#undef NTH_MONDAY

static void sort_entries(struct entry *list, int n)
{
    for (int i = 1; i < n; i++) {
        struct entry e = list[i];
        int j = i - 1;
        for (; j >= 0 && list[j].date > e.date; j--)
            list[j + 1] = list[j];
        list[j + 1] = e;
    }
}

static const struct entry *find(const struct entry *list, int n, cn_date day)
{
    for (int i = 0; i < n; i++)
        if (list[i].date == day)
            return &list[i];
    return NULL;
}

/* Every holiday of year y in date order; returns the count. list holds JCAL_MAX_HOLIDAYS. */
static int year_holidays(int y, struct entry *list)
{
    struct entry national[JCAL_MAX_HOLIDAYS];
    int n_nat = national_holidays(y, national);
    sort_entries(national, n_nat);
    memcpy(list, national, (size_t)n_nat * sizeof *list);
    int n = n_nat;

    /* 振替休日, from the 1973-04-12 amendment: a holiday on a Sunday gives the next day off;
     * from 2007 the next day that is not itself a 国民の祝日. */
    const cn_date substitute_from = date_from_ymd(1973, 4, 12);
    for (int i = 0; i < n_nat; i++) {
        const struct entry *h = &national[i];
        if (h->date < substitute_from || date_weekday(h->date) != 0)
            continue;
        cn_date d = h->date + 1;
        const struct entry *prev = h;
        if (y < 2007) {
            if (find(national, n_nat, d))
                continue;
        } else {
            for (const struct entry *next; (next = find(national, n_nat, d)) != NULL; d++)
                prev = next;
        }
        /* The list names the day after the holiday just before it; 2020-05-06 is the one
         * exception, named after the Sunday (憲法記念日) instead. */
        const struct holiday_name *after = prev->holiday;
        if (y == 2020 && h->holiday == &H_KENPO)
            after = h->holiday;
        add(list, &n, d, NULL, after->substitute);
    }

    /* 国民の休日, from the 1985-12-27 amendment: a day between two 国民の祝日 that is not one
     * itself; until 2006 not a Sunday nor a 振替休日. */
    if (y >= 1986) {
        for (int i = 0; i < n_nat; i++) {
            cn_date d = national[i].date + 1;
            if (find(national, n_nat, d) || !find(national, n_nat, d + 1))
                continue;
            if (find(list, n, d) || (y < 2007 && date_weekday(d) == 0))
                continue;
            add(list, &n, d, NULL, KOKUMIN_NO_KYUJITSU);
        }
    }
    sort_entries(list, n);
    return n;
}

int jcal_holidays(int year, struct jcal_holiday *out, int cap)
{
    if (year < JCAL_FIRST_YEAR || year > JCAL_LAST_YEAR)
        return -1;
    struct entry list[JCAL_MAX_HOLIDAYS];
    int n = year_holidays(year, list);
    for (int i = 0; i < n && i < cap; i++) {
        out[i].date = list[i].date;
        out[i].name = list[i].name;
    }
    return n;
}

/* The booking service's date page asks about every day of 40 at each office, around a new
 * year too: each year's list is worked out once per thread (four years kept, by the year's
 * last two bits), not once per day (that was half the page's CPU). Per thread, so no lock;
 * the answer is the same as computing it afresh. */
static const struct entry *holidays_of(int y, int *n)
{
    static _Thread_local struct {
        int year, n;
        struct entry list[JCAL_MAX_HOLIDAYS];
    } memo[4];
    __typeof__(memo[0]) *m = &memo[y & 3];
    if (m->year != y) {
        m->n = year_holidays(y, m->list);
        m->year = y;
    }
    *n = m->n;
    return m->list;
}

const char *jcal_holiday_name(cn_date day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (y < JCAL_FIRST_YEAR || y > JCAL_LAST_YEAR)
        return NULL;
    int n;
    const struct entry *list = holidays_of(y, &n);
    const struct entry *e = find(list, n, day);
    return e ? e->name : NULL;
}

bool jcal_is_holiday(cn_date day)
{
    return jcal_holiday_name(day) != NULL;
}
