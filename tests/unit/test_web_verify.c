/* Tests for web_verify: the one parser of the numbers residents and clerks type (ASCII and
 * full-width digits, spaces, too many digits), the birthday check both sites use, and the
 * lockout keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "web_verify.h"

static void small_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int max_digits, want;
    } cases[] = {
        {"4", 2, 4},
        {"12", 2, 12},
        {"04", 2, 4},
        {"１２", 2, 12},         /* full-width, as a Japanese keyboard types it */
        {"１2", 2, 12},          /* mixed */
        {" 3 ", 2, 3},           /* spaces around are ignored */
        {"1 2", 2, 12},          /* and between */
        {"123", 2, -1},          /* too many digits */
        {"１２３", 2, -1},       /* full-width counts digit by digit */
        {"", 2, -1},             /* nothing */
        {"  ", 2, -1},           /* spaces only */
        {"a", 2, -1},            /* not a digit */
        {"1a", 2, -1},           /* trailing junk */
        {"-1", 2, -1},           /* no sign */
        {"+1", 2, -1},           /* no sign */
        {"\xEF\xBC", 2, -1},     /* a cut full-width digit */
        {"\xEF\xBC\x9A", 2, -1}, /* U+FF1A (：), right after the digits */
        {"　1", 2, -1},          /* an ideographic space is not a space here */
        {"99", 2, 99},
        {"0", 2, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const int got = verify_small_number(cases[i].in, cases[i].max_digits);
        if (got != cases[i].want)
            fail_msg("case %zu \"%s\": got %d, want %d", i, cases[i].in, got, cases[i].want);
    }
    assert_int_equal(verify_small_number(NULL, 2), -1);
}

static void birthdays(void **state)
{
    (void)state;
    struct booking_resident res;
    memset(&res, 0, sizeof res);
    res.birth_month = 4;
    res.birth_day = 1;
    assert_true(verify_birthday(&res, "4", "1"));
    assert_true(verify_birthday(&res, "04", "01"));
    assert_true(verify_birthday(&res, "４", "１"));
    assert_false(verify_birthday(&res, "1", "4"));
    assert_false(verify_birthday(&res, "4", ""));
    assert_false(verify_birthday(&res, NULL, "1"));
    /* a resident whose birth date is unknown matches nothing, not "0 0" */
    memset(&res, 0, sizeof res);
    assert_false(verify_birthday(&res, "0", "0"));
    assert_false(verify_birthday(&res, "", ""));
}

static void keys(void **state)
{
    (void)state;
    char k[VERIFY_KEY_MAX];
    verify_key("rid", "ABCDEFGHJKLM", k);
    assert_string_equal(k, "rid:ABCDEFGHJKLM");
    verify_key("staffip", "192.0.2.7", k);
    assert_string_equal(k, "staffip:192.0.2.7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_numbers),
        cmocka_unit_test(birthdays),
        cmocka_unit_test(keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
