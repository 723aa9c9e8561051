/* Tests for secret's token comparison: only two well-formed tokens of the expected length
 * that are equal compare equal; empty, absent, short, long, upper-case or non-hex ones
 * never do, not even to themselves (issue 26: an empty cookie and an empty form field
 * passed the staff login's double-submit check). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "secret.h"

static void token_equality(void **state)
{
    (void)state;
    char t1[SECRET_TOKEN_LEN + 1], t2[SECRET_TOKEN_LEN + 1];
    struct cn_err err = {0};
    assert_int_equal(secret_token(t1, &err), CN_OK);
    assert_int_equal(secret_token(t2, &err), CN_OK);
    char copy[SECRET_TOKEN_LEN + 1];
    memcpy(copy, t1, sizeof copy);
    char upper[SECRET_TOKEN_LEN + 1];
    for (size_t i = 0; i <= SECRET_TOKEN_LEN; i++)
        upper[i] = (char)((t1[i] >= 'a' && t1[i] <= 'f') ? t1[i] - 32 : t1[i]);
    char longer[SECRET_TOKEN_LEN + 2];
    snprintf(longer, sizeof longer, "%s0", t1);
    char shorter[SECRET_TOKEN_LEN];
    memcpy(shorter, t1, SECRET_TOKEN_LEN - 1);
    shorter[SECRET_TOKEN_LEN - 1] = '\0';
    char nonhex[SECRET_TOKEN_LEN + 1];
    memset(nonhex, 'g', SECRET_TOKEN_LEN);
    nonhex[SECRET_TOKEN_LEN] = '\0';
    char spaced[SECRET_TOKEN_LEN + 1];
    memset(spaced, ' ', SECRET_TOKEN_LEN);
    spaced[SECRET_TOKEN_LEN] = '\0';
    const bool has_alpha = strpbrk(t1, "abcdef") != NULL;
    static const char zeros[] = "0000000000000000000000000000000000000000000000000000000000000000";
    const struct {
        const char *a, *b;
        bool want;
    } cases[] = {
        {t1, copy, true},
        {t1, t1, true},
        {zeros, zeros, true}, /* well-formed, however unlikely */
        {t1, t2, false},
        {"", "", false}, /* the defect: an empty cookie and an empty field */
        {NULL, NULL, false},
        {t1, NULL, false},
        {NULL, t1, false},
        {"", t1, false},
        {shorter, shorter, false},
        {longer, longer, false},
        {t1, longer, false},
        {nonhex, nonhex, false},
        {spaced, spaced, false},
        {upper, upper, !has_alpha}, /* lowercase only, as secret_token writes */
        {"abc", "abc", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (secret_token_equal(cases[i].a, cases[i].b, SECRET_TOKEN_LEN) != cases[i].want)
            fail_msg("case %zu: want %d", i, cases[i].want);
    /* another length: the residents' 32-character session tokens */
    assert_true(secret_token_equal("0123456789abcdef0123456789abcdef",
                                   "0123456789abcdef0123456789abcdef", 32));
    assert_false(secret_token_equal("0123456789abcdef0123456789abcdef",
                                    "0123456789abcdef0123456789abcdee", 32));
    assert_false(secret_token_equal(t1, copy, 32));
    assert_false(secret_token_equal("", "", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_equality),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
