#include "rid.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

/* No 0/O, 1/I: a person reading the letter aloud or typing it cannot confuse them. */
static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

enum { RID_RANDOM_SYMBOLS = RID_LEN - 1, RID_RANDOM_BYTES = (RID_RANDOM_SYMBOLS * 5 + 7) / 8 };

static int symbol_value(char c)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

/* Multiplication in GF(32) modulo the primitive polynomial x^5 + x^2 + 1. */
static unsigned gf32_mul(unsigned a, unsigned b)
{
    unsigned product = 0;
    while (b) {
        if (b & 1)
            product ^= a;
        b >>= 1;
        a <<= 1;
        if (a & 0x20)
            a ^= 0x25;
    }
    return product;
}

/* The ID is valid when sum(alpha^i * d_i) over all 12 symbols is 0 in GF(32), alpha = x.
 * A substitution at i changes the sum by alpha^i * e (never 0 for e != 0); swapping
 * neighbours a, b at i, i+1 changes it by alpha^i * (a + b) * (1 + alpha) (never 0 for
 * a != b). A weighted sum mod 32 cannot do this: 32 is not prime, so an even weight
 * misses some substitutions and an even weight difference misses some swaps. */
static unsigned weighted_sum(const int *digits, int n)
{
    unsigned sum = 0, weight = 1;
    for (int i = 0; i < n; i++) {
        sum ^= gf32_mul(weight, (unsigned)digits[i]);
        weight = gf32_mul(weight, 2);
    }
    return sum;
}

/* d_11 must cancel the sum of the others: alpha^11 * d_11 = sum, so d_11 = alpha^-11 *
 * sum = alpha^20 * sum (alpha has order 31). */
static int check_digit(const int *digits)
{
    unsigned inverse_weight = 1;
    for (int i = 0; i < 31 - RID_RANDOM_SYMBOLS; i++)
        inverse_weight = gf32_mul(inverse_weight, 2);
    return (int)gf32_mul(inverse_weight, weighted_sum(digits, RID_RANDOM_SYMBOLS));
}

/* getrandom(2) may return fewer bytes or EINTR when a signal arrives; keep reading. */
static int read_random(unsigned char *buf, size_t n, struct cn_err *err)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return cn_fail(err, CN_EOUTPUT, "rid: getrandom failed: %s", strerror(errno));
        }
        got += (size_t)r;
    }
    return CN_OK;
}

int rid_generate(char out[RID_LEN + 1], struct cn_err *err)
{
    unsigned char bytes[RID_RANDOM_BYTES];
    int digits[RID_LEN];
    out[0] = '\0';
    int rc = read_random(bytes, sizeof bytes, err);
    if (rc != CN_OK)
        return rc;
    /* 32 symbols = exactly 5 bits, so slicing the bit stream is uniform without
     * rejection sampling. */
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof bytes; i++)
        bits = (bits << 8) | bytes[i];
    for (int i = 0; i < RID_RANDOM_SYMBOLS; i++)
        digits[i] = (int)((bits >> (5 * i)) & 31);
    digits[RID_RANDOM_SYMBOLS] = check_digit(digits);
    for (int i = 0; i < RID_LEN; i++)
        out[i] = alphabet[digits[i]];
    out[RID_LEN] = '\0';
    explicit_bzero(bytes, sizeof bytes);
    return CN_OK;
}

bool rid_check(const char *typed, char normalized[RID_LEN + 1])
{
    int digits[RID_LEN];
    int n = 0;
    bool valid = false;
    if (normalized)
        normalized[0] = '\0';
    if (!typed)
        return false;
    for (const char *p = typed; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        int v = symbol_value(*p);
        if (v < 0 || n == RID_LEN)
            return false;
        digits[n++] = v;
    }
    valid = n == RID_LEN && weighted_sum(digits, RID_LEN) == 0;
    if (valid && normalized) {
        for (int i = 0; i < RID_LEN; i++)
            normalized[i] = alphabet[digits[i]];
        normalized[RID_LEN] = '\0';
    }
    return valid;
}

void rid_display(const char *rid, char out[RID_DISPLAY_LEN + 1])
{
    size_t o = 0;
    for (size_t i = 0; i < RID_LEN && rid[i]; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = rid[i];
    }
    out[o] = '\0';
}
