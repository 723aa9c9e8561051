#include "postal.h"

#include <stdio.h>
#include <string.h>

#include "postal_int.h"
#include "utf8.h"

/* KEN_ALL names a town once per postcode; what narrows it (丁目 ranges, 地割, buildings'
 * floors, 小字) sits in a parenthesis written for people. The parts that decide a postcode
 * are modelled; the rest marks the entry "partial", which still names the town but loses
 * to any entry that fits exactly. The address is split where the longest town name of its
 * municipality ends (manual p18, 住所A/住所B), and the number is read from there. */

int postal_normalize(const char *in, char *out, size_t cap)
{
    uint32_t cps[FIELD_CPS];
    int n = utf8_decode(in, cps, FIELD_CPS);
    size_t len = 0;
    if (n < 0 || cap == 0)
        return -1;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if (c >= 0xFF10 && c <= 0xFF19)
            c = c - 0xFF10 + '0';
        else if ((c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A))
            c = c - 0xFF21 + 'A';
        else if (c == 0x301C || c == 0xFF5E)
            c = '~';
        else if (c == 0x2212 || c == 0xFF0D || (c >= 0x2010 && c <= 0x2015) || c == 0xFE63)
            c = '-';
        else if (c == 0x3000 || c == '\t')
            c = ' ';
        else if (c == 0x30F6 || c == 0x30F5)
            c = 0x30B1;
        if (utf8_append(out, &len, cap, c) < 0)
            return -1;
    }
    return 0;
}

bool postal_is_digit(uint32_t c)
{
    return (c >= '0' && c <= '9') || custbar_kanji_digit(c) >= 0;
}

/* A run of digits or of kanji numerals at cps[i]; its end, i when none. */
int postal_numeral_end(const uint32_t *cps, int n, int i)
{
    if (i >= n)
        return i;
    bool ascii = cps[i] >= '0' && cps[i] <= '9';
    int j = i;
    while (j < n && postal_is_digit(cps[j]) && ((cps[j] >= '0' && cps[j] <= '9') == ascii))
        j++;
    return j;
}

long postal_numeral_at(const uint32_t *cps, int n, int i, int *end)
{
    int j = postal_numeral_end(cps, n, i);
    *end = j;
    return j > i ? custbar_numeral_value(cps + i, j - i) : -1;
}

/* The unit a numeral is followed by at cps[i]: 丁目 or 丁, 地割, 番地 or 番; its length in *len. */
enum postal_unit postal_unit_at(const uint32_t *cps, int n, int i, int *len)
{
    *len = 0;
    if (i < 0 || i >= n)
        return POSTAL_UNIT_NONE;
    if (cps[i] == CP_CHO) {
        *len = i + 1 < n && cps[i + 1] == CP_ME ? 2 : 1;
        return POSTAL_UNIT_CHOME;
    }
    if (i + 1 < n && cps[i] == CP_CHI && cps[i + 1] == CP_WARI) {
        *len = 2;
        return POSTAL_UNIT_CHIWARI;
    }
    if (cps[i] == CP_BAN) {
        *len = i + 1 < n && cps[i + 1] == CP_CHI ? 2 : 1;
        return POSTAL_UNIT_BANCHI;
    }
    return POSTAL_UNIT_NONE;
}

bool postal_addr_init(struct postal_addr *a, const char *address, const char *address2)
{
    char joined[POSTAL_ADDR_CPS * 4];
    memset(a, 0, sizeof *a);
    int w = snprintf(joined, sizeof joined, "%s%s%s", address, address2 && address2[0] ? " " : "",
                     address2 ? address2 : "");
    if (w < 0 || (size_t)w >= sizeof joined ||
        postal_normalize(joined, a->norm, sizeof a->norm) < 0)
        return false;
    a->n = utf8_decode(a->norm, a->cp, POSTAL_ADDR_CPS);
    if (a->n < 0)
        return false;
    int at = 0;
    for (int i = 0; i < a->n; i++) {
        a->byte_at[i] = at;
        uint32_t c = a->cp[i];
        at += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    }
    a->byte_at[a->n] = at;
    return true;
}

static int skip_spaces(const struct postal_addr *a, int i)
{
    while (i < a->n && a->cp[i] == ' ')
        i++;
    return i;
}

/* Where name[0..len) ends when it is written at address position i: spaces in the address
 * are skipped, and numbers match by value (東十二丁目 = 東12丁目, 北６条 = 北六条). -1 when
 * it is not there. */
static int match_name(const struct postal_addr *a, int i, const uint32_t *name, int len)
{
    int k = 0;
    while (k < len) {
        i = skip_spaces(a, i);
        if (i >= a->n)
            return -1;
        int ke = postal_numeral_end(name, len, k), ie = postal_numeral_end(a->cp, a->n, i);
        if (ke > k && ie > i) {
            long v1 = custbar_numeral_value(name + k, ke - k);
            long v2 = custbar_numeral_value(a->cp + i, ie - i);
            if (v1 < 0 || v1 != v2)
                return -1;
            k = ke;
            i = ie;
            continue;
        }
        if (a->cp[i] != name[k])
            return -1;
        i++;
        k++;
    }
    return i;
}

static int find_name(const struct postal_addr *a, const char *utf8)
{
    uint32_t name[64];
    int len = utf8_decode(utf8, name, 64);
    if (len <= 0)
        return -1;
    for (int i = 0; i < a->n; i++) {
        int e = match_name(a, i, name, len);
        if (e >= 0)
            return e;
    }
    return -1;
}

/* Where the town name may begin: after the municipality (with or without its 郡); -1 when
 * the address does not name it. */
static int after_city(const struct postal_addr *a, const char *city)
{
    int e = find_name(a, city);
    const char *gun = strstr(city, "郡");
    if (e < 0 && gun)
        e = find_name(a, gun + strlen("郡"));
    return e;
}

static bool in_ranges(const char *ranges, long v)
{
    const char *p = ranges;
    while (*p) {
        long lo = 0, hi;
        while (*p >= '0' && *p <= '9')
            lo = lo * 10 + (*p++ - '0');
        hi = lo;
        if (*p == '-') {
            p++;
            hi = 0;
            while (*p >= '0' && *p <= '9')
                hi = hi * 10 + (*p++ - '0');
        }
        if (v >= lo && v <= hi)
            return true;
        if (*p == ',')
            p++;
        else if (*p)
            return false;
    }
    return false;
}

/* Whether 住所B (from i) begins with a number in t's ranges, counted in its unit. */
static bool range_fits(const struct postal_town *t, const struct postal_addr *a, int i)
{
    int e, len;
    i = skip_spaces(a, i);
    if (t->unit == POSTAL_UNIT_CHIWARI && i < a->n && a->cp[i] == CP_DAI)
        i++;
    long v = postal_numeral_at(a->cp, a->n, i, &e);
    if (v < 0)
        return false;
    enum postal_unit u = postal_unit_at(a->cp, a->n, e, &len);
    if (t->unit == POSTAL_UNIT_BANCHI) {
        /* 123番地, 123-4, 123 and the end all count a 番地 */
        bool kanji = custbar_kanji_digit(a->cp[i]) >= 0;
        if (u == POSTAL_UNIT_BANCHI || (!kanji && u == POSTAL_UNIT_NONE))
            return in_ranges(t->ranges, v);
        return false;
    }
    return u == t->unit && in_ranges(t->ranges, v);
}

static bool names_fit(const char *names, const struct postal_addr *a, int i)
{
    char one[256];
    for (const char *p = names; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        uint32_t cps[64];
        if (len < sizeof one) {
            memcpy(one, p, len);
            one[len] = '\0';
            int n = utf8_decode(one, cps, 64);
            if (n > 0 && match_name(a, i, cps, n) >= 0)
                return true;
        }
        p += len + (bar ? 1 : 0);
    }
    return false;
}

/* The building's floor written after its name: 12階 or 12F. 0 when none. */
static int floor_in(const struct postal_addr *a, int from)
{
    for (int i = from; i < a->n; i++) {
        int e;
        long v = postal_numeral_at(a->cp, a->n, i, &e);
        if (v > 0 && e < a->n && (a->cp[e] == CP_KAI || a->cp[e] == 'F'))
            return (int)v;
        if (e > i)
            i = e - 1;
    }
    return 0;
}

enum level {
    L_OTHERS = 0,
    L_WHOLE,
    L_PARTIAL,
    L_TOWN,
    L_BUILDING,
    L_FLOOR,
};

/* How t fits the address from position start (after the municipality); -1 when it does
 * not. *end: where 住所B begins. */
static int fit(const struct postal_town *t, const struct postal_addr *a, int start, int *end)
{
    /* an address that leaves out its municipality may still begin with the town */
    int i = skip_spaces(a, start < 0 ? 0 : start);
    if (t->kind == POSTAL_OTHERS || t->kind == POSTAL_WHOLE) {
        if (start < 0)
            return -1;
        *end = i;
        return t->kind == POSTAL_OTHERS ? L_OTHERS : L_WHOLE;
    }
    if (t->town_len <= 0)
        return -1;
    int e = match_name(a, i, t->town_cp, t->town_len);
    /* 大字津軽石, 字中原: the address may name the 大字 that KEN_ALL leaves out */
    if (e < 0 && i + 1 < a->n && a->cp[i] == CP_OO && a->cp[i + 1] == CP_AZA)
        e = match_name(a, i + 2, t->town_cp, t->town_len);
    if (e < 0 && i < a->n && a->cp[i] == CP_AZA)
        e = match_name(a, i + 1, t->town_cp, t->town_len);
    if (e < 0)
        return -1;
    *end = e;
    if (t->building[0]) {
        char rest[sizeof a->norm];
        snprintf(rest, sizeof rest, "%s", a->norm + a->byte_at[e]);
        const char *b = strstr(rest, t->building);
        if (!b)
            return -1;
        if (t->floor == POSTAL_FLOOR_ANY)
            return L_BUILDING;
        int after = e;
        while (after < a->n && a->byte_at[after] - a->byte_at[e] < (int)(b - rest))
            after++;
        return floor_in(a, after) == t->floor ? L_FLOOR : -1;
    }
    int level = t->partial ? L_PARTIAL : L_TOWN;
    if (t->ranges[0])
        return range_fits(t, a, e) ? level : -1;
    if (t->names[0])
        return names_fit(t->names, a, skip_spaces(a, e)) ? L_TOWN : t->partial ? L_PARTIAL : -1;
    return level;
}

struct postal_hit postal_best(const struct postal_town *towns, size_t n,
                              const struct postal_addr *a, const char *postcode)
{
    struct postal_hit best = {-1, 0, -1};
    const char *city = NULL;
    int start = 0;
    for (size_t k = 0; k < n; k++) {
        const struct postal_town *t = &towns[k];
        if (postcode && strcmp(t->postcode, postcode) != 0)
            continue;
        if (!city || strcmp(city, t->city) != 0) {
            city = t->city;
            start = after_city(a, city);
        }
        int end = 0, level = fit(t, a, start, &end);
        if (level < 0)
            continue;
        if (best.town < 0 || end > best.end || (end == best.end && level > best.level))
            best = (struct postal_hit){(int)k, end, level};
    }
    return best;
}

/* 私書箱 包括番号: ***-8691 (or ***-869N where one is not enough) in areas of 3-digit old
 * codes, ***-**91 in those of 5 digits (manual p22). */
static bool pobox_code(const char *postcode)
{
    return strlen(postcode) == 7 &&
           (strncmp(postcode + 3, "869", 3) == 0 || strcmp(postcode + 5, "91") == 0);
}

/* The box number of 「私書箱(第)N(号)」 in the address, as digits; false when none. */
static bool pobox_number(const struct postal_addr *a, char *out, size_t cap)
{
    static const uint32_t box[] = {0x79C1, 0x66F8, 0x7BB1}; /* 私書箱 */
    for (int i = 0; i + 3 < a->n; i++) {
        if (memcmp(a->cp + i, box, sizeof box) != 0)
            continue;
        int at = skip_spaces(a, i + 3), e;
        if (at < a->n && a->cp[at] == CP_DAI)
            at++;
        long v = postal_numeral_at(a->cp, a->n, at, &e);
        if (v > 0 && v <= 9999) {
            snprintf(out, cap, "%ld", v);
            return true;
        }
    }
    return false;
}

static bool has_postcode(const struct postal_town *towns, size_t n, const char *postcode)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(towns[k].postcode, postcode) == 0)
            return true;
    return false;
}

static void mismatch(struct postal_decision *out, const struct postal_town *t)
{
    out->verdict = POSTAL_MISMATCH;
    out->barcode = false;
    if (t && t->kind != POSTAL_OTHERS) {
        snprintf(out->suggested, sizeof out->suggested, "%s", t->postcode);
        snprintf(out->town, sizeof out->town, "%s", t->town);
    }
}

void postal_decide(const char *postcode, const char *office_town, const struct postal_town *towns,
                   size_t n, const char *address, const char *address2, struct postal_decision *out)
{
    memset(out, 0, sizeof *out);
    out->verdict = POSTAL_OK;
    struct postal_addr a;
    struct postal_addr *ap = &a;
    bool readable = postal_addr_init(ap, address, address2);
    if (office_town) {
        /* the office's own town: the postcode is right; another town of its municipality,
         * or none: a resident's mistyped postcode that happens to be an office's */
        if (office_town[0] && n > 0) {
            struct postal_hit at =
                readable ? postal_best(towns, n, ap, NULL) : (struct postal_hit){-1, 0, -1};
            if (at.town < 0 || strcmp(towns[at.town].town, office_town) != 0) {
                mismatch(out, at.town >= 0 ? &towns[at.town] : NULL);
                return;
            }
        }
        snprintf(out->town, sizeof out->town, "%s", office_town);
        custbar_encode_postcode_only(postcode, &out->cb);
        out->barcode = true;
        return;
    }
    if (!readable) {
        out->verdict = POSTAL_MISMATCH;
        return;
    }
    struct postal_hit own = postal_best(towns, n, ap, postcode);
    char box[8];
    if (own.town < 0 && pobox_code(postcode) && !has_postcode(towns, n, postcode) &&
        pobox_number(ap, box, sizeof box)) {
        out->barcode = custbar_encode_number(postcode, box, &out->cb);
        return;
    }
    struct postal_hit any = postal_best(towns, n, ap, NULL);
    if (any.town >= 0 && strcmp(towns[any.town].postcode, postcode) != 0 &&
        (own.town < 0 || any.end > own.end || (any.end == own.end && any.level > own.level))) {
        mismatch(out, &towns[any.town]);
        if (towns[any.town].kind == POSTAL_OTHERS) /* as before: name the code all the same */
            snprintf(out->suggested, sizeof out->suggested, "%s", towns[any.town].postcode);
        return;
    }
    if (own.town < 0) {
        out->verdict = POSTAL_MISMATCH;
        return;
    }
    snprintf(out->town, sizeof out->town, "%s", towns[own.town].town);
    if (own.level == L_OTHERS) {
        out->verdict = POSTAL_REPRESENTATIVE;
        return;
    }
    out->barcode = custbar_encode_number(postcode, ap->norm + ap->byte_at[own.end], &out->cb);
}
