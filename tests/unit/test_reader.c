/* Tests for reader: whose letter gets an insert (and in which language), the age on the run
 * date that brings large print (75 on the birthday, 74 the day before), and the pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reader.h"

static void insert_language(void **state)
{
    (void)state;
    struct config cfg = {0};
    cfg.languages = (1u << LANG_JA) | (1u << LANG_EN) | (1u << LANG_PT) | (1u << LANG_JA_EASY);
    static const struct {
        const char *column;
        enum lang want;
    } cases[] = {
        {"", LANG_JA},
        {NULL, LANG_JA},
        {"ja", LANG_JA},
        {"en", LANG_EN},
        {"EN-gb", LANG_EN},
        {"pt-BR", LANG_PT},
        {"por", LANG_PT},
        {"ko", LANG_JA}, /* not offered */
        {"ja-x-easy", LANG_JA_EASY},
        {"tl", LANG_JA}, /* no texts in it */
        {"<b>", LANG_JA},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (reader_insert_lang(&cfg, cases[i].column) != cases[i].want)
            fail_msg("case %zu '%s'", i, cases[i].column ? cases[i].column : "(null)");
    cfg.languages = 1u << LANG_JA; /* no <languages>: nobody */
    assert_int_equal(reader_insert_lang(&cfg, "en"), LANG_JA);
}

static void age_and_large_print(void **state)
{
    (void)state;
    static const struct {
        int by, bm, bd, y, m, d, age;
    } cases[] = {
        {1951, 12, 1, 2026, 12, 1, 75}, /* the 75th birthday itself */
        {1951, 12, 2, 2026, 12, 1, 74}, /* the day before it */
        {1951, 11, 30, 2026, 12, 1, 75},
        {1952, 2, 29, 2027, 2, 28, 74}, /* a leap-day birthday: 1 March in other years */
        {1952, 2, 29, 2027, 3, 1, 75},
        {1952, 2, 29, 2028, 2, 29, 76},
        {2000, 1, 1, 2000, 1, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const int got = reader_age(date_from_ymd(cases[i].by, cases[i].bm, cases[i].bd),
                                   date_from_ymd(cases[i].y, cases[i].m, cases[i].d));
        if (got != cases[i].age)
            fail_msg("case %zu: %d, want %d", i, got, cases[i].age);
    }
    struct config cfg = {0};
    const cn_date run = date_from_ymd(2026, 12, 1);
    assert_false(reader_large_print(&cfg, date_from_ymd(1920, 1, 1), run)); /* off */
    cfg.large_print_age = 75;
    assert_true(reader_large_print(&cfg, date_from_ymd(1951, 12, 1), run));
    assert_false(reader_large_print(&cfg, date_from_ymd(1951, 12, 2), run));
    assert_false(reader_large_print(&cfg, DATE_NONE, run));
}

static void pages(void **state)
{
    (void)state;
    assert_int_equal(reader_pages(false, false), 2);
    assert_int_equal(reader_pages(true, false), 4);
    assert_int_equal(reader_pages(false, true), 4);
    assert_int_equal(reader_pages(true, true), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(insert_language),
        cmocka_unit_test(age_and_large_print),
        cmocka_unit_test(pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
