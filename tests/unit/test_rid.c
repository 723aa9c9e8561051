/* rid: the check symbol catches every single substitution and every neighbour swap
 * (exhaustively), generation is unique and uniform, typed input is normalized. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rid.h"

static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static int value_of(char c)
{
    const char *p = strchr(alphabet, c);
    assert_non_null(p);
    return (int)(p - alphabet);
}

static void to_text(const int *digits, char out[RID_LEN + 1])
{
    for (int i = 0; i < RID_LEN; i++)
        out[i] = alphabet[digits[i]];
    out[RID_LEN] = '\0';
}

/* Makes digits a valid ID by trying every symbol at free_pos; exactly one fits, because
 * each position's weight is invertible. Uses only the public rid_check. */
static void complete(int *digits, int free_pos)
{
    char text[RID_LEN + 1];
    int found = 0;
    int keep = 0;
    for (int v = 0; v < 32; v++) {
        digits[free_pos] = v;
        to_text(digits, text);
        if (rid_check(text, NULL)) {
            found++;
            keep = v;
        }
    }
    assert_int_equal(found, 1);
    digits[free_pos] = keep;
}

/* Every single substitution and every swap of differing neighbours must be refused. */
static void assert_all_errors_caught(const char *valid)
{
    char typo[RID_LEN + 1];
    assert_true(rid_check(valid, NULL));
    for (int i = 0; i < RID_LEN; i++) {
        for (int v = 0; v < 32; v++) {
            if (alphabet[v] == valid[i])
                continue;
            memcpy(typo, valid, sizeof typo);
            typo[i] = alphabet[v];
            if (rid_check(typo, NULL))
                fail_msg("substitution at %d not caught: %s -> %s", i, valid, typo);
        }
    }
    for (int i = 0; i + 1 < RID_LEN; i++) {
        if (valid[i] == valid[i + 1])
            continue;
        memcpy(typo, valid, sizeof typo);
        typo[i] = valid[i + 1];
        typo[i + 1] = valid[i];
        if (rid_check(typo, NULL))
            fail_msg("swap at %d not caught: %s -> %s", i, valid, typo);
    }
}

/* Vectors computed with an independent implementation (Python, GF(32) mod x^5+x^2+1,
 * weights alpha^i), so the booking system can reimplement the check and compare. */
static void test_known_vectors(void **state)
{
    (void)state;
    static const char *const valid[] = {"23456789ABC7", "222222222222", "ZZZZZZZZZZZ7",
                                        "ABCD2345EFGA", "K7QX9MNP4RTJ"};
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        char norm[RID_LEN + 1];
        assert_true(rid_check(valid[i], norm));
        assert_string_equal(norm, valid[i]);
    }
    assert_false(rid_check("23456789ABC8", NULL));
}

/* The code is linear, so whether an error is caught depends only on its position and
 * the symbols involved, not on the rest of the ID. Trying every position with every
 * (original, replacement) pair, and every neighbour pair (a, b), a != b, at every
 * position (the check symbol included) therefore covers all IDs. */
static void test_every_substitution_and_swap_caught_exhaustively(void **state)
{
    (void)state;
    int digits[RID_LEN];
    char text[RID_LEN + 1], typo[RID_LEN + 1];
    for (int i = 0; i < RID_LEN; i++)
        digits[i] = (i * 7 + 3) % 32;
    size_t substitutions = 0, swaps = 0;
    for (int pos = 0; pos < RID_LEN; pos++) {
        for (int a = 0; a < 32; a++) {
            digits[pos] = a;
            complete(digits, pos == RID_LEN - 1 ? 0 : RID_LEN - 1);
            to_text(digits, text);
            for (int b = 0; b < 32; b++) {
                if (b == a)
                    continue;
                memcpy(typo, text, sizeof typo);
                typo[pos] = alphabet[b];
                assert_false(rid_check(typo, NULL));
                substitutions++;
            }
        }
    }
    for (int pos = 0; pos + 1 < RID_LEN; pos++) {
        for (int a = 0; a < 32; a++) {
            for (int b = 0; b < 32; b++) {
                if (a == b)
                    continue;
                digits[pos] = a;
                digits[pos + 1] = b;
                /* The free symbol must be outside the pair (the check symbol or the
                 * first one). */
                complete(digits, pos + 1 == RID_LEN - 1 ? 0 : RID_LEN - 1);
                to_text(digits, text);
                assert_int_equal(value_of(text[pos]), a);
                assert_int_equal(value_of(text[pos + 1]), b);
                memcpy(typo, text, sizeof typo);
                typo[pos] = text[pos + 1];
                typo[pos + 1] = text[pos];
                assert_false(rid_check(typo, NULL));
                swaps++;
            }
        }
    }
    assert_int_equal(substitutions, RID_LEN * 32 * 31);
    assert_int_equal(swaps, (RID_LEN - 1) * 32 * 31);
    assert_all_errors_caught("23456789ABC7");
}

static void test_errors_caught_on_random_sample(void **state)
{
    (void)state;
    for (int n = 0; n < 2000; n++) {
        char rid[RID_LEN + 1];
        struct cn_err err = {0};
        assert_int_equal(rid_generate(rid, &err), 0);
        assert_all_errors_caught(rid);
    }
}

static void test_typed_forms(void **state)
{
    (void)state;
    char norm[RID_LEN + 1];
    assert_true(rid_check("2345-6789-ABC7", norm));
    assert_string_equal(norm, "23456789ABC7");
    assert_true(rid_check(" 2345 6789 abc7 ", norm));
    assert_string_equal(norm, "23456789ABC7");
    assert_true(rid_check("k7qx-9mnp-4rtj", norm));
    assert_string_equal(norm, "K7QX9MNP4RTJ");
    assert_true(rid_check("--23456789abc7--", NULL));

    static const char *const refused[] = {
        "",
        "2345-6789-ABC",   /* 11 symbols */
        "2345-6789-ABC72", /* 13 symbols */
        "2345-6789-ABC7-2345",
        "2345-6789-AB07", /* 0 is not in the alphabet */
        "2345-6789-AB17",
        "2345-6789-ABO7",
        "2345-6789-ABI7",
        "2345_6789_ABC7",
        "2345\t6789\tABC7",
        "2345.6789.ABC7",
        "２３４５６７８９ＡＢＣ７", /* full width */
        "23456789ABC7\n",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        memcpy(norm, "XXXXXXXXXXXX", sizeof norm);
        if (rid_check(refused[i], norm))
            fail_msg("accepted \"%s\"", refused[i]);
        assert_string_equal(norm, "");
    }
    assert_false(rid_check(NULL, norm));
}

static void test_display(void **state)
{
    (void)state;
    char shown[RID_DISPLAY_LEN + 1];
    rid_display("23456789ABC7", shown);
    assert_string_equal(shown, "2345-6789-ABC7");
    char norm[RID_LEN + 1];
    assert_true(rid_check(shown, norm));
    assert_string_equal(norm, "23456789ABC7");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_million_unique_and_uniform(void **state)
{
    (void)state;
    enum { N = 1000000 };
    uint64_t *packed = malloc(N * sizeof *packed);
    assert_non_null(packed);
    static long counts[RID_LEN][32];
    memset(counts, 0, sizeof counts);
    for (int n = 0; n < N; n++) {
        char rid[RID_LEN + 1];
        struct cn_err err = {0};
        assert_int_equal(rid_generate(rid, &err), 0);
        assert_int_equal(strlen(rid), RID_LEN);
        if (n % 1000 == 0)
            assert_true(rid_check(rid, NULL));
        uint64_t p = 0;
        for (int i = 0; i < RID_LEN; i++) {
            int v = value_of(rid[i]);
            counts[i][v]++;
            p = (p << 5) | (uint64_t)v;
        }
        packed[n] = p;
    }
    qsort(packed, N, sizeof *packed, cmp_u64);
    for (int n = 1; n < N; n++)
        if (packed[n] == packed[n - 1])
            fail_msg("duplicate ID among %d", N);
    free(packed);

    /* Pearson chi-square over 12 positions x 32 symbols (12 x 31 = 372 degrees of
     * freedom, mean 372, sd 27). 600 is beyond 8 sd: a uniform generator exceeds it
     * with probability about 1e-12; a stuck bit or a skewed symbol map blows far past. */
    double expected = (double)N / 32, chi2 = 0;
    long min = N, max = 0;
    for (int i = 0; i < RID_LEN; i++) {
        for (int v = 0; v < 32; v++) {
            double d = (double)counts[i][v] - expected;
            chi2 += d * d / expected;
            if (counts[i][v] < min)
                min = counts[i][v];
            if (counts[i][v] > max)
                max = counts[i][v];
        }
    }
    print_message("# 1e6 IDs: chi-square %.1f (372 dof), per-position symbol counts %ld..%ld "
                  "(expected %.0f)\n",
                  chi2, min, max, expected);
    assert_true(chi2 < 600);
    /* Each symbol at each position within 5% (about 9 sd) of its share. */
    assert_true(min > expected * 0.95 && max < expected * 1.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_every_substitution_and_swap_caught_exhaustively),
        cmocka_unit_test(test_errors_caught_on_random_sample),
        cmocka_unit_test(test_typed_forms),
        cmocka_unit_test(test_display),
        cmocka_unit_test(test_million_unique_and_uniform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
