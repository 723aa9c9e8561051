/* The KEN_ALL half of the postcode rules: a town field (its parenthesis of 丁目 ranges,
 * 地割, buildings' floors and 小字) read into the towns a postcode covers. */
#include "postal.h"

#include <stdio.h>
#include <string.h>

#include "postal_int.h"
#include "utf8.h"

bool postal_field_open(const char *town_field)
{
    uint32_t cps[FIELD_CPS];
    int n = utf8_decode(town_field, cps, FIELD_CPS);
    int depth = 0;
    for (int i = 0; i < n; i++) {
        if (cps[i] == CP_LPAREN || cps[i] == '(')
            depth++;
        else if ((cps[i] == CP_RPAREN || cps[i] == ')') && depth > 0)
            depth--;
    }
    return depth > 0;
}

static bool cps_equal(const uint32_t *a, const char *ascii_or_utf8)
{
    uint32_t b[64];
    int n = utf8_decode(ascii_or_utf8, b, 64);
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return n >= 0;
}

static bool cps_ends_with(const uint32_t *cps, int n, const char *suffix)
{
    uint32_t b[64];
    int m = utf8_decode(suffix, b, 64);
    if (m < 0 || m > n)
        return false;
    return memcmp(cps + n - m, b, (size_t)m * sizeof *b) == 0;
}

static int cps_to_utf8(const uint32_t *cps, int n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        if (utf8_append(out, &len, cap, cps[i]) < 0)
            return -1;
    return 0;
}

static void add_range(char *ranges, size_t cap, long lo, long hi)
{
    size_t len = strlen(ranges);
    if (lo == hi)
        snprintf(ranges + len, cap - len, "%s%ld", len ? "," : "", lo);
    else
        snprintf(ranges + len, cap - len, "%s%ld-%ld", len ? "," : "", lo, hi);
}

/* One item of a parenthesis, 「…」 already removed: 第N地割, N~M丁目, N, N番地 ...
 * True when it is such a range (unit set when it names one). */
static bool parse_range_item(const uint32_t *cps, int n, long *lo, long *hi, enum postal_unit *unit)
{
    int i = 0, len, e;
    *unit = POSTAL_UNIT_NONE;
    if (i < n && cps[i] == CP_DAI)
        i++;
    *lo = postal_numeral_at(cps, n, i, &e);
    if (*lo < 0)
        return false;
    i = e;
    enum postal_unit u = postal_unit_at(cps, n, i, &len);
    if (u != POSTAL_UNIT_NONE) {
        *unit = u;
        i += len;
    }
    *hi = *lo;
    if (i < n && cps[i] == '~') {
        i++;
        if (i < n && cps[i] == CP_DAI)
            i++;
        *hi = postal_numeral_at(cps, n, i, &e);
        if (*hi < *lo)
            return false;
        i = e;
        u = postal_unit_at(cps, n, i, &len);
        if (u != POSTAL_UNIT_NONE) {
            *unit = u;
            i += len;
        }
    }
    return i == n;
}

static bool has_numeral(const uint32_t *cps, int n)
{
    for (int i = 0; i < n; i++)
        if (cps[i] >= '0' && cps[i] <= '9')
            return true;
    return false;
}

/* The parenthesis of a town: ranges, 小字 names or something only a person can apply. */
static void parse_paren(const uint32_t *cps, int n, struct postal_town *t)
{
    if (cps_equal(cps, "次のビルを除く") && n == 7) {
        t->partial = true;
        return;
    }
    enum postal_unit unit = POSTAL_UNIT_NONE;
    char ranges[sizeof t->ranges] = "";
    bool any_range = false;
    size_t names_len = 0;
    t->names[0] = '\0';
    for (int i = 0; i <= n;) {
        uint32_t item[FIELD_CPS];
        int m = 0, depth = 0;
        bool quoted = false;
        for (; i < n && !(depth == 0 && cps[i] == CP_COMMA); i++) {
            if (cps[i] == CP_LQUOTE) {
                depth++;
                quoted = true;
            } else if (cps[i] == CP_RQUOTE && depth > 0) {
                depth--;
            } else if (depth == 0) {
                item[m++] = cps[i];
            }
        }
        i++;
        if (quoted)
            t->partial = true;
        long lo, hi;
        enum postal_unit u;
        if (m == 0)
            continue;
        if (parse_range_item(item, m, &lo, &hi, &u)) {
            if (u != POSTAL_UNIT_NONE) {
                if (unit != POSTAL_UNIT_NONE && unit != u)
                    t->partial = true;
                unit = u;
            }
            add_range(ranges, sizeof ranges, lo, hi);
            any_range = true;
        } else if (has_numeral(item, m) || cps_ends_with(item, m, "除く") ||
                   cps_equal(item, "その他") || cps_equal(item, "番地") ||
                   cps_equal(item, "丁目") || cps_equal(item, "大字") ||
                   cps_equal(item, "地階・階層不明") || cps_equal(item, "無番地")) {
            t->partial = true;
        } else {
            char name[256];
            if (cps_to_utf8(item, m, name, sizeof name) == 0 &&
                names_len + strlen(name) + 2 < sizeof t->names) {
                names_len += (size_t)snprintf(t->names + names_len, sizeof t->names - names_len,
                                              "%s%s", names_len ? "|" : "", name);
            } else {
                t->partial = true;
            }
        }
    }
    if (any_range && names_len == 0) {
        snprintf(t->ranges, sizeof t->ranges, "%s", ranges);
        t->unit = unit == POSTAL_UNIT_NONE ? POSTAL_UNIT_BANCHI : unit;
    } else if (any_range) {
        t->partial = true;
    }
}

/* 第N地割 or N地割 closing a town name (穴明２２地割, 津軽石第２１地割): the town is what
 * precedes it and the 地割 is part of the address number, as in the manual's 第二十一地割. */
static bool strip_chiwari(const uint32_t *cps, int *n, long *value)
{
    if (*n < 3 || cps[*n - 1] != CP_WARI || cps[*n - 2] != CP_CHI)
        return false;
    int j = *n - 2;
    int i = j;
    while (i > 0 && postal_is_digit(cps[i - 1]))
        i--;
    if (i == j)
        return false;
    *value = custbar_numeral_value(cps + i, j - i);
    if (*value < 0)
        return false;
    if (i > 0 && cps[i - 1] == CP_DAI)
        i--;
    *n = i;
    return i > 0;
}

static int parse_one(const struct postal_town *base, const uint32_t *cps, int n,
                     const char *building_town, struct postal_town *out, int cap);

/* 「越中畑６４地割～越中畑６６地割」: one town, a 地割 range. */
static int parse_chiwari_span(const struct postal_town *base, const uint32_t *cps, int n, int tilde,
                              struct postal_town *out, int cap)
{
    int ln = tilde, rn = n - tilde - 1;
    long lo, hi;
    if (cap < 1 || !strip_chiwari(cps, &ln, &lo) || !strip_chiwari(cps + tilde + 1, &rn, &hi) ||
        ln != rn || memcmp(cps, cps + tilde + 1, (size_t)ln * sizeof *cps) != 0 || hi < lo)
        return 0;
    *out = *base;
    if (cps_to_utf8(cps, ln, out->town, sizeof out->town) < 0)
        return 0;
    out->kind = POSTAL_TOWN;
    out->unit = POSTAL_UNIT_CHIWARI;
    out->ranges[0] = '\0';
    add_range(out->ranges, sizeof out->ranges, lo, hi);
    return 1;
}

/* （N階） or （地階・階層不明） after a building's name. */
static bool parse_floor(const uint32_t *cps, int n, int *floor)
{
    int e;
    if (cps_equal(cps, "地階・階層不明") && n == 7) {
        *floor = POSTAL_FLOOR_ANY;
        return true;
    }
    long v = postal_numeral_at(cps, n, 0, &e);
    if (v > 0 && e == n - 1 && cps[e] == CP_KAI) {
        *floor = (int)v;
        return true;
    }
    return false;
}

static int parse_one(const struct postal_town *base, const uint32_t *cps, int n,
                     const char *building_town, struct postal_town *out, int cap)
{
    if (cap < 1 || n <= 0)
        return 0;
    int paren = -1;
    for (int i = 0; i < n && paren < 0; i++)
        if (cps[i] == CP_LPAREN)
            paren = i;
    int base_n = paren < 0 ? n : paren;
    if (paren < 0) {
        /* 「穴明２２地割、穴明２３地割」: several towns in one field */
        for (int i = 0; i < n; i++) {
            if (cps[i] != CP_COMMA)
                continue;
            int got = parse_one(base, cps, i, building_town, out, cap);
            if (got == 0)
                return 0;
            int more = parse_one(base, cps + i + 1, n - i - 1, building_town, out + got, cap - got);
            return more == 0 ? 0 : got + more;
        }
        for (int i = 0; i < n; i++)
            if (cps[i] == '~')
                return parse_chiwari_span(base, cps, n, i, out, cap);
    }
    struct postal_town *t = out;
    *t = *base;
    t->kind = POSTAL_TOWN;
    t->unit = POSTAL_UNIT_NONE;
    t->ranges[0] = t->names[0] = t->building[0] = '\0';
    t->floor = POSTAL_FLOOR_NONE;
    t->partial = false;
    long chiwari;
    if (paren < 0 && strip_chiwari(cps, &base_n, &chiwari)) {
        t->unit = POSTAL_UNIT_CHIWARI;
        add_range(t->ranges, sizeof t->ranges, chiwari, chiwari);
    }
    if (cps_to_utf8(cps, base_n, t->town, sizeof t->town) < 0)
        return 0;
    if (paren >= 0) {
        int close = n;
        for (int i = n - 1; i > paren; i--)
            if (cps[i] == CP_RPAREN) {
                close = i;
                break;
            }
        const uint32_t *in = cps + paren + 1;
        int in_n = close - paren - 1;
        size_t bt = strlen(building_town);
        int floor;
        if (bt > 0 && strncmp(t->town, building_town, bt) == 0 && t->town[bt] &&
            parse_floor(in, in_n, &floor)) {
            snprintf(t->building, sizeof t->building, "%s", t->town + bt);
            t->town[bt] = '\0';
            t->floor = floor;
        } else {
            parse_paren(in, in_n, t);
        }
    }
    return 1;
}

int postal_parse_town(const struct postal_town *base, const char *field, const char *building_town,
                      struct postal_town *out, int cap)
{
    uint32_t cps[FIELD_CPS];
    int n = utf8_decode(field, cps, FIELD_CPS);
    if (n < 0 || cap < 1)
        return 0;
    if (cps_equal(cps, "以下に掲載がない場合") && n == 10) {
        *out = *base;
        out->kind = POSTAL_OTHERS;
        out->town[0] = out->ranges[0] = out->names[0] = out->building[0] = '\0';
        out->unit = POSTAL_UNIT_NONE;
        out->floor = POSTAL_FLOOR_NONE;
        out->partial = false;
        return 1;
    }
    /* 「一円」 alone is 多賀町's real town; 「利島村一円」 is the whole village */
    if (cps_ends_with(cps, n, "の次に番地がくる場合") || (n > 2 && cps_ends_with(cps, n, "一円"))) {
        *out = *base;
        out->kind = POSTAL_WHOLE;
        out->town[0] = out->ranges[0] = out->names[0] = out->building[0] = '\0';
        out->unit = POSTAL_UNIT_NONE;
        out->floor = POSTAL_FLOOR_NONE;
        out->partial = false;
        return 1;
    }
    return parse_one(base, cps, n, building_town, out, cap);
}

bool postal_town_prepare(struct postal_town *t)
{
    t->town_len = utf8_decode(t->town, t->town_cp, POSTAL_TOWN_CPS);
    return t->town_len >= 0;
}
