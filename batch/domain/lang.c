#include "lang.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct lang_def {
    const char *code, *self, *iso3[2];
    const char *weekday[7]; /* Sunday first */
};

static const struct lang_def langs[LANG_COUNT] = {
    [LANG_JA] = {"ja", "日本語", {"jpn", NULL}, {"日", "月", "火", "水", "木", "金", "土"}},
    [LANG_JA_EASY] = {"ja-x-easy",
                      "やさしい日本語",
                      {NULL, NULL},
                      {"日", "月", "火", "水", "木", "金", "土"}},
    [LANG_EN] = {"en", "English", {"eng", NULL}, {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}},
    [LANG_ZH_HANS] = {"zh-Hans",
                      "中文（简体）",
                      {"zho", "chi"},
                      {"周日", "周一", "周二", "周三", "周四", "周五", "周六"}},
    [LANG_KO] = {"ko", "한국어", {"kor", NULL}, {"일", "월", "화", "수", "목", "금", "토"}},
    [LANG_VI] = {"vi",
                 "Tiếng Việt",
                 {"vie", NULL},
                 {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}},
    [LANG_PT] = {"pt",
                 "Português",
                 {"por", NULL},
                 {"dom.", "seg.", "ter.", "qua.", "qui.", "sex.", "sáb."}},
};

static const char *const en_months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

const char *lang_code(enum lang l)
{
    return langs[(unsigned)l < LANG_COUNT ? l : LANG_JA].code;
}

const char *lang_self_name(enum lang l)
{
    return langs[(unsigned)l < LANG_COUNT ? l : LANG_JA].self;
}

const char *lang_dir(enum lang l)
{
    (void)l; /* none of the seven is written right to left */
    return "ltr";
}

/* ASCII only: a language tag is never in the locale's letters. */
static bool ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool lang_tag_valid(const char *code)
{
    size_t n = strlen(code), i = 0;
    if (n == 0 || n > 35)
        return false;
    while (i < n && ascii_alpha(code[i]))
        i++;
    if (i < 2 || i > 3)
        return false;
    for (; i < n; i++)
        if (!ascii_alpha(code[i]) && !(code[i] >= '0' && code[i] <= '9') && code[i] != '-' &&
            code[i] != '_')
            return false;
    return code[n - 1] != '-' && code[n - 1] != '_';
}

/* The primary subtag and the rest ("zh", "hans-cn"), lower case, '_' read as '-'. */
static bool split_tag(const char *code, char primary[4], char rest[40])
{
    size_t i = 0, k = 0;
    if (!lang_tag_valid(code))
        return false;
    for (; code[i] && code[i] != '-' && code[i] != '_'; i++)
        primary[i] = (char)tolower((unsigned char)code[i]);
    primary[i] = '\0';
    if (code[i])
        i++;
    for (; code[i] && k < 39; i++, k++)
        rest[k] = code[i] == '_' ? '-' : (char)tolower((unsigned char)code[i]);
    rest[k] = '\0';
    return true;
}

bool lang_parse(const char *code, enum lang *out)
{
    char primary[4], rest[40];
    if (!code || !split_tag(code, primary, rest))
        return false;
    if (strcmp(primary, "ja") == 0 || strcmp(primary, "jpn") == 0) {
        *out = strcmp(rest, "x-easy") == 0 ? LANG_JA_EASY : LANG_JA;
        return true;
    }
    for (int l = 0; l < LANG_COUNT; l++) {
        const struct lang_def *d = &langs[l];
        char own[4];
        snprintf(own, sizeof own, "%.*s", (int)strcspn(d->code, "-"), d->code);
        if (strcmp(primary, own) != 0 && !(d->iso3[0] && strcmp(primary, d->iso3[0]) == 0) &&
            !(d->iso3[1] && strcmp(primary, d->iso3[1]) == 0))
            continue;
        if (l == LANG_ZH_HANS) {
            /* Traditional script (zh-Hant, and the regions that write it) is another
             * language for a reader: not offered rather than shown in simplified. */
            if (strncmp(rest, "hant", 4) == 0 || strcmp(rest, "tw") == 0 ||
                strcmp(rest, "hk") == 0 || strcmp(rest, "mo") == 0)
                return false;
        }
        *out = (enum lang)l;
        return true;
    }
    return false;
}

enum lang lang_negotiate(const char *accept, lang_set offered, enum lang fallback)
{
    enum lang best = fallback;
    int best_q = 0; /* thousandths */
    if (!accept)
        return fallback;
    /* A hostile header may be long: only its first items are read. */
    const char *s = accept;
    for (int item = 0; *s && item < 32; item++) {
        while (*s == ' ' || *s == ',')
            s++;
        char tag[40];
        size_t n = 0;
        while (*s && *s != ',' && *s != ';' && *s != ' ') {
            if (n < sizeof tag - 1)
                tag[n++] = *s;
            s++;
        }
        tag[n] = '\0';
        int q = 1000;
        while (*s == ' ')
            s++;
        if (*s == ';') {
            s++;
            while (*s == ' ')
                s++;
            if (s[0] == 'q' && s[1] == '=') {
                const char *v = s + 2;
                q = v[0] == '1' ? 1000 : 0;
                if (v[0] == '0' && v[1] == '.') {
                    int mul = 100;
                    for (v += 2; *v >= '0' && *v <= '9' && mul; v++, mul /= 10)
                        q += (*v - '0') * mul;
                }
            }
        }
        while (*s && *s != ',')
            s++;
        enum lang l;
        if (q > best_q && lang_parse(tag, &l) && (offered & (1u << l))) {
            best = l;
            best_q = q;
        }
    }
    return best;
}

static void fmt(enum lang l, cn_date d, bool year, bool weekday, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    const char *wd = langs[(unsigned)l < LANG_COUNT ? l : LANG_JA].weekday[date_weekday(d)];
    char ymd[48];
    switch ((unsigned)l < LANG_COUNT ? l : LANG_JA) {
    case LANG_EN:
        if (year)
            snprintf(ymd, sizeof ymd, "%d %s %d", dd, en_months[m - 1], y);
        else
            snprintf(ymd, sizeof ymd, "%d %s", dd, en_months[m - 1]);
        if (weekday)
            snprintf(out, cap, "%s %s", wd, ymd);
        else
            snprintf(out, cap, "%s", ymd);
        return;
    case LANG_KO:
        if (year)
            snprintf(ymd, sizeof ymd, "%d년 %d월 %d일", y, m, dd);
        else
            snprintf(ymd, sizeof ymd, "%d월 %d일", m, dd);
        if (weekday)
            snprintf(out, cap, "%s (%s)", ymd, wd);
        else
            snprintf(out, cap, "%s", ymd);
        return;
    case LANG_VI:
    case LANG_PT:
        if (year)
            snprintf(ymd, sizeof ymd, "%02d/%02d/%d", dd, m, y);
        else
            snprintf(ymd, sizeof ymd, "%02d/%02d", dd, m);
        if (weekday)
            snprintf(out, cap, "%s, %s", wd, ymd);
        else
            snprintf(out, cap, "%s", ymd);
        return;
    default: /* ja, ja-x-easy, zh-Hans: 年月日 and the weekday in full-width brackets */
        if (year)
            snprintf(ymd, sizeof ymd, "%d年%d月%d日", y, m, dd);
        else
            snprintf(ymd, sizeof ymd, "%d月%d日", m, dd);
        if (weekday)
            snprintf(out, cap, "%s（%s）", ymd, wd);
        else
            snprintf(out, cap, "%s", ymd);
        return;
    }
}

void lang_fmt_day(enum lang l, cn_date d, char *out, size_t cap)
{
    fmt(l, d, true, true, out, cap);
}

void lang_fmt_day_short(enum lang l, cn_date d, char *out, size_t cap)
{
    fmt(l, d, false, true, out, cap);
}

void lang_fmt_date(enum lang l, cn_date d, char *out, size_t cap)
{
    fmt(l, d, true, false, out, cap);
}

void lang_fmt_slot(enum lang l, int start, int len, char *out, size_t cap)
{
    const int end = start + len;
    const char *dash = l == LANG_JA || l == LANG_JA_EASY ? "〜" : "-";
    snprintf(out, cap, "%d:%02d%s%d:%02d", start / 60, start % 60, dash, end / 60, end % 60);
}
