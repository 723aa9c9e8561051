#include "custbar.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Japan Post's rules for the address number (住所表示番号) are written for someone who knows
 * where the town name (町域名) ends; we only have the written address. So the rules are
 * applied mechanically from the first number that cannot belong to a town name, and every
 * reading that could be taken two ways fails: a letter without a barcode goes to review,
 * a letter with a wrong barcode goes to the wrong sorting frame. */

#define MAX_CHARS 512 /* code points: far beyond any address line */
#define DATA_LEN 20   /* 7 postal + 13 address positions */
#define SYM_HYPHEN 10
#define SYM_CC1 11
#define SYM_CC4 14

enum cls { C_DIGIT, C_LETTER, C_KANJI_NUM, C_OTHER };

struct ch {
    uint32_t cp;
    enum cls cls;
    int val; /* digit value, uppercase ASCII letter, or kanji numeral value (10/100/1000 for
                units) */
};

/* & / ・ . and their full-width forms vanish without leaving a '-' (A&b -> AB). */
static bool is_deleted(uint32_t cp)
{
    return cp == '&' || cp == '/' || cp == '.' || cp == 0x30FB /* ・ */ || cp == 0xFF65 /* ･ */ ||
           cp == 0xFF06 || cp == 0xFF0F || cp == 0xFF0E;
}

static int kanji_numeral(uint32_t cp)
{
    static const struct {
        uint32_t cp;
        int val;
    } tab[] = {
        {0x3007, 0}, {0x96F6, 0},  {0x4E00, 1},   {0x4E8C, 2},    {0x4E09, 3},
        {0x56DB, 4}, {0x4E94, 5},  {0x516D, 6},   {0x4E03, 7},    {0x516B, 8},
        {0x4E5D, 9}, {0x5341, 10}, {0x767E, 100}, {0x5343, 1000},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (tab[i].cp == cp)
            return tab[i].val;
    return -1;
}

static struct ch classify(uint32_t cp)
{
    struct ch c = {cp, C_OTHER, 0};
    int k;
    if (cp >= 0xFF10 && cp <= 0xFF19)
        cp -= 0xFF10 - '0';
    else if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        cp -= 0xFF21 - 'A';
    if (cp >= '0' && cp <= '9') {
        c.cls = C_DIGIT;
        c.val = (int)(cp - '0');
    } else if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z')) {
        c.cls = C_LETTER;
        c.val = (int)(cp >= 'a' ? cp - 'a' + 'A' : cp);
    } else if ((k = kanji_numeral(cp)) >= 0) {
        c.cls = C_KANJI_NUM;
        c.val = k;
    }
    return c;
}

static bool is_hyphen_like(uint32_t cp)
{
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFF0D ||
           cp == 0xFE63 || cp == 0x30FC /* ー */ || cp == 0xFF70 || cp == 0x2500;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* Length of the marker (丁目 丁 番地 番 号 地割 線 の ノ) at chars[i], 0 if none. Longest first,
 * so 番地 is one marker and not 番 followed by 地. */
static int marker_at(const struct ch *chars, int n, int i)
{
    static const uint32_t two[][2] = {{0x4E01, 0x76EE}, {0x756A, 0x5730}, {0x5730, 0x5272}};
    static const uint32_t one[] = {0x4E01, 0x756A, 0x53F7, 0x7DDA, 0x306E, 0x30CE, 0xFF89};
    if (i >= n)
        return 0;
    for (size_t k = 0; k < sizeof two / sizeof two[0]; k++)
        if (i + 1 < n && chars[i].cp == two[k][0] && chars[i + 1].cp == two[k][1])
            return 2;
    for (size_t k = 0; k < sizeof one / sizeof one[0]; k++)
        if (chars[i].cp == one[k])
            return 1;
    return 0;
}

/* What may follow a marker when the numeral before it is part of the address number:
 * the end, another number, a separator or a letter. In 一番町, 八丁堀, 三ノ輪 a name
 * follows, so the numeral belongs to the town name. */
static bool continues_number(const struct ch *chars, int n, int i)
{
    if (i >= n)
        return true;
    int m = marker_at(chars, n, i); /* 番地の4: a marker may follow a marker */
    if (m > 0)
        return continues_number(chars, n, i + m);
    return chars[i].cls != C_OTHER || is_hyphen_like(chars[i].cp) || is_space(chars[i].cp);
}

/* A character that ends a number or its marker: a kanji numeral right after it continues
 * that number (三丁目五, 3の五) and the rules give no reading for it. */
static bool ends_number_part(const struct ch *c)
{
    static const uint32_t tails[] = {0x76EE, 0x4E01, 0x5730, 0x756A, 0x53F7,
                                     0x5272, 0x7DDA, 0x306E, 0x30CE, 0xFF89};
    if (c->cls == C_DIGIT || is_hyphen_like(c->cp))
        return true;
    for (size_t k = 0; k < sizeof tails / sizeof tails[0]; k++)
        if (c->cp == tails[k])
            return true;
    return false;
}

/* 十一 -> 11, 二十三 -> 23, 百五 -> 105, 二〇三 -> 203; -1 for anything else (二二十). */
static long kanji_value(const struct ch *chars, int from, int to)
{
    bool has_unit = false;
    for (int i = from; i < to; i++)
        if (chars[i].val >= 10)
            has_unit = true;
    long value = 0;
    if (!has_unit) {
        for (int i = from; i < to; i++) {
            if (value > 99999)
                return -1;
            value = value * 10 + chars[i].val;
        }
        return value;
    }
    int pending = -1, last_unit = 10000;
    for (int i = from; i < to; i++) {
        int v = chars[i].val;
        if (v < 10) {
            if (pending >= 0 || v == 0)
                return -1;
            pending = v;
        } else {
            if (v >= last_unit)
                return -1;
            value += (long)(pending < 0 ? 1 : pending) * v;
            last_unit = v;
            pending = -1;
        }
    }
    if (pending >= 0)
        value += pending;
    return value;
}

static int run_end(const struct ch *chars, int n, int i, enum cls cls)
{
    while (i < n && chars[i].cls == cls)
        i++;
    return i;
}

/* 丁目 丁 番地 地割 after a numeral begin an address number; town names do not end in them
 * unless a name follows (八丁堀), which continues_number has ruled out. */
static bool strong_marker(const struct ch *chars, int at, int len)
{
    return chars[at].cp == 0x4E01 /* 丁, 丁目 */ || chars[at].cp == 0x5730 /* 地割 */ ||
           (len == 2 && chars[at].cp == 0x756A /* 番地 */);
}

/* N丁目 right after 市, 区, 郡 or 村 is a town name of its own (下田市五丁目3番1号), or a
 * town left out: either way the rules cannot say where the number starts. */
static bool chome_is_town(const struct ch *chars, int n, int start, int end)
{
    static const uint32_t municipality[] = {0x5E02, 0x533A, 0x90E1, 0x6751};
    if (start == 0 || end >= n || chars[end].cp != 0x4E01 /* 丁 */)
        return false;
    for (size_t k = 0; k < sizeof municipality / sizeof municipality[0]; k++)
        if (chars[start - 1].cp == municipality[k])
            return true;
    return false;
}

/* Where the address number begins: the first digit that does not name a 条 (北1条西 in
 * Sapporo is a town name), or the first kanji numeral whose marker is followed by more of
 * the number. -1 when there is none, -2 when the start cannot be told. */
static int find_start(const struct ch *chars, int n)
{
    for (int i = 0; i < n;) {
        if (chars[i].cls == C_DIGIT) {
            int j = run_end(chars, n, i, C_DIGIT);
            if (j < n && chars[j].cp == 0x6761 /* 条 */) {
                i = j;
                continue;
            }
            return chome_is_town(chars, n, i, j) ? -2 : i;
        }
        if (chars[i].cls == C_KANJI_NUM) {
            int j = run_end(chars, n, i, C_KANJI_NUM);
            int m = marker_at(chars, n, j);
            if (m == 0 || !continues_number(chars, n, j + m)) {
                i = j;
                continue;
            }
            if (chome_is_town(chars, n, i, j))
                return -2;
            if (strong_marker(chars, j, m))
                return i;
            /* 番 号 線 の ノ also end town names (麻布十番2丁目): only 十二番五号 is clear */
            int next = j + m;
            while (next < n && is_space(chars[next].cp))
                next++;
            int k = next < n && chars[next].cls == C_DIGIT ? run_end(chars, n, next, C_DIGIT)
                    : next < n && chars[next].cls == C_KANJI_NUM
                        ? run_end(chars, n, next, C_KANJI_NUM)
                        : next;
            if (k > next && k < n && chars[k].cp == 0x4E01 /* 丁 */) {
                i = j + m;
                continue;
            }
            if (k > next && k < n && chars[j].cp == 0x756A /* 番 */ && m == 1 &&
                chars[k].cp == 0x53F7 /* 号 */)
                return i;
            return -2;
        }
        i++;
    }
    return -1;
}

static bool append(char *buf, int *len, int cap, char c)
{
    if (*len >= cap - 1)
        return false;
    buf[(*len)++] = c;
    buf[*len] = '\0';
    return true;
}

/* The raw reading from start on: digits, single letters and '-' for everything else. */
static bool read_number(const struct ch *chars, int n, int start, char *buf, int cap)
{
    int len = 0;
    buf[0] = '\0';
    for (int i = start; i < n;) {
        const struct ch *c = &chars[i];
        if (c->cls == C_DIGIT) {
            if (!append(buf, &len, cap, (char)('0' + c->val)))
                return false;
            i++;
        } else if (c->cls == C_KANJI_NUM) {
            int j = run_end(chars, n, i, C_KANJI_NUM);
            if (marker_at(chars, n, j) > 0) {
                long v = kanji_value(chars, i, j);
                char num[24];
                if (v < 0)
                    return false;
                snprintf(num, sizeof num, "%ld", v);
                for (const char *p = num; *p; p++)
                    if (!append(buf, &len, cap, *p))
                        return false;
            } else if (i > start && ends_number_part(&chars[i - 1])) {
                return false;
            } else if (!append(buf, &len, cap, '-')) {
                return false;
            }
            i = j;
        } else if (c->cls == C_LETTER) {
            int j = run_end(chars, n, i, C_LETTER);
            char out = '-';
            if (j - i == 1) {
                bool floor = c->val == 'F' && i > 0 && chars[i - 1].cls == C_DIGIT;
                /* a floor's F ends the number, or separates it from what follows */
                out = floor ? '-' : (char)c->val;
            }
            if (!append(buf, &len, cap, out))
                return false;
            i = j;
        } else {
            if (!append(buf, &len, cap, '-'))
                return false;
            i++;
        }
    }
    return true;
}

static bool is_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

/* Collapse '-' runs, drop '-' next to a letter and at either end. */
static void tidy(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '-') {
            bool after_ok = w > s && w[-1] != '-' && !is_letter(w[-1]);
            const char *next = r;
            while (*next == '-')
                next++;
            bool before_ok = *next != '\0' && !is_letter(*next);
            if (after_ok && before_ok)
                *w++ = '-';
            r = next - 1;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

static bool has_digit(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

static unsigned char check_digit(const unsigned char *sym, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += sym[i];
    return (unsigned char)((19 - sum % 19) % 19);
}

static bool postal_ok(const char *postal)
{
    if (!postal || strlen(postal) != 7)
        return false;
    for (int i = 0; i < 7; i++)
        if (postal[i] < '0' || postal[i] > '9')
            return false;
    return true;
}

/* The address as classified characters, & / ・ . deleted; -1 for malformed text. */
static int load_chars(const char *address, struct ch *chars)
{
    uint32_t cps[MAX_CHARS];
    int ncp = utf8_decode(address, cps, MAX_CHARS);
    if (ncp < 0)
        return -1;
    int n = 0;
    for (int i = 0; i < ncp; i++)
        if (!is_deleted(cps[i]))
            chars[n++] = classify(cps[i]);
    return n;
}

static bool encode_from(const char *postal, const struct ch *chars, int n, int start,
                        struct custbar *out);

int custbar_kanji_digit(uint32_t cp)
{
    return kanji_numeral(cp);
}

long custbar_numeral_value(const uint32_t *cps, int n)
{
    struct ch chars[32];
    if (n <= 0 || n > 32)
        return -1;
    for (int i = 0; i < n; i++) {
        chars[i] = classify(cps[i]);
        if (chars[i].cls != chars[0].cls ||
            (chars[i].cls != C_DIGIT && chars[i].cls != C_KANJI_NUM))
            return -1;
    }
    if (chars[0].cls == C_KANJI_NUM)
        return kanji_value(chars, 0, n);
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (v > 9999999)
            return -1;
        v = v * 10 + chars[i].val;
    }
    return v;
}

bool custbar_encode(const char *postal, const char *address, struct custbar *out)
{
    struct ch chars[MAX_CHARS];
    int n;
    if (!postal_ok(postal) || !address || !out || (n = load_chars(address, chars)) < 0)
        return false;
    int start = find_start(chars, n);
    if (start < 0)
        return false;
    return encode_from(postal, chars, n, start, out);
}

bool custbar_encode_number(const char *postal, const char *rest, struct custbar *out)
{
    struct ch chars[MAX_CHARS];
    int n;
    if (!postal_ok(postal) || !rest || !out || (n = load_chars(rest, chars)) < 0)
        return false;
    return encode_from(postal, chars, n, 0, out);
}

void custbar_encode_postcode_only(const char *postal, struct custbar *out)
{
    int pos = 0;
    for (int i = 0; i < 7; i++)
        out->sym[pos++] =
            (unsigned char)(postal[i] >= '0' && postal[i] <= '9' ? postal[i] - '0' : 0);
    while (pos < DATA_LEN)
        out->sym[pos++] = SYM_CC4;
    out->sym[DATA_LEN] = check_digit(out->sym, DATA_LEN);
}

static bool encode_from(const char *postal, const struct ch *chars, int n, int start,
                        struct custbar *out)
{
    char number[MAX_CHARS * 6];
    if (!read_number(chars, n, start, number, (int)sizeof number))
        return false;
    tidy(number);
    if (!has_digit(number))
        return false;

    int pos = 0;
    for (int i = 0; i < 7; i++)
        out->sym[pos++] = (unsigned char)(postal[i] - '0');
    for (const char *p = number; *p && pos < DATA_LEN; p++) {
        if (*p == '-') {
            out->sym[pos++] = SYM_HYPHEN;
        } else if (is_letter(*p)) {
            int idx = *p - 'A';
            out->sym[pos++] = (unsigned char)(SYM_CC1 + idx / 10);
            /* a letter cut at position 20 keeps its control code, loses its digit */
            if (pos < DATA_LEN)
                out->sym[pos++] = (unsigned char)(idx % 10);
        } else {
            out->sym[pos++] = (unsigned char)(*p - '0');
        }
    }
    while (pos < DATA_LEN)
        out->sym[pos++] = SYM_CC4;
    out->sym[DATA_LEN] = check_digit(out->sym, DATA_LEN);
    return true;
}

void custbar_format(const struct custbar *cb, char *out, size_t cap)
{
    static const char *const names[] = {"0",   "1",   "2",   "3",   "4",   "5",   "6",
                                        "7",   "8",   "9",   "-",   "CC1", "CC2", "CC3",
                                        "CC4", "CC5", "CC6", "CC7", "CC8"};
    size_t len = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (int i = 0; i < CUSTBAR_SYMBOLS; i++) {
        unsigned v = cb->sym[i];
        const char *name = v < sizeof names / sizeof names[0] ? names[v] : "?";
        int w = snprintf(out + len, cap - len, "%s%s", i ? " " : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            return;
        len += (size_t)w;
    }
}

/* The symbol table is kept here rather than taken from libzint (BARCODE_JAPANPOST): zint
 * encodes the same 19 symbols but from its own text, without the address extraction or the
 * p20 cut, and draws with its own geometry; the bars here go to the layout's canvas. */
void custbar_bars(const struct custbar *cb, char out[68])
{
    static const char bars[19][4] = {"FTT", "FFT", "FDA", "DFA", "FAD", "FTF", "DAF",
                                     "AFD", "ADF", "TFF", "TFT", "DAT", "DTA", "ADT",
                                     "TDA", "ATD", "TAD", "TTF", "FFF"};
    int k = 0;
    out[k++] = 'F';
    out[k++] = 'D';
    for (int i = 0; i < CUSTBAR_SYMBOLS; i++) {
        unsigned v = cb->sym[i] < 19 ? cb->sym[i] : SYM_CC4;
        memcpy(out + k, bars[v], 3);
        k += 3;
    }
    out[k++] = 'D';
    out[k++] = 'F';
    out[k] = '\0';
}

bool custbar_encode_parts(const char *postal, const char *address, const char *address2,
                          struct custbar *out)
{
    char joined[1024];
    int n = snprintf(joined, sizeof joined, "%s%s%s", address, address2[0] ? " " : "", address2);
    /* A cut address could yield a wrong number: refuse instead. */
    return n >= 0 && n < (int)sizeof joined && custbar_encode(postal, joined, out);
}
