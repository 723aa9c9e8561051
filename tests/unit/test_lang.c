/* Tests for lang: codes as registries and residents write them, Accept-Language with
 * quality values, and each language's dates and times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lang.h"

static void parse_codes(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int want; /* -1: not a language of this program */
    } cases[] = {
        {"ja", LANG_JA},
        {"JPN", LANG_JA},
        {"ja-x-easy", LANG_JA_EASY},
        {"en", LANG_EN},
        {"en-US", LANG_EN},
        {"eng", LANG_EN},
        {"zh", LANG_ZH_HANS},
        {"zh-CN", LANG_ZH_HANS},
        {"zh_Hans_SG", LANG_ZH_HANS},
        {"zho", LANG_ZH_HANS},
        {"zh-Hant", -1},
        {"zh-TW", -1},
        {"ko", LANG_KO},
        {"KO-kr", LANG_KO},
        {"vi", LANG_VI},
        {"pt-BR", LANG_PT},
        {"por", LANG_PT},
        {"tl", -1},
        {"", -1},
        {"e", -1},
        {"en-", -1},
        {"1n", -1},
        {"en US", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum lang l = LANG_COUNT;
        const bool ok = lang_parse(cases[i].code, &l);
        if (ok != (cases[i].want >= 0) || (ok && (int)l != cases[i].want))
            fail_msg("case %zu '%s': got %d (%d)", i, cases[i].code, ok, (int)l);
    }
    assert_true(lang_tag_valid("tl"));
    assert_true(lang_tag_valid("zh-Hant-TW"));
    assert_false(lang_tag_valid("<script>"));
    assert_false(lang_tag_valid("abcd"));
    for (int l = 0; l < LANG_COUNT; l++) { /* every code reads back as itself */
        enum lang back;
        assert_true(lang_parse(lang_code((enum lang)l), &back));
        assert_int_equal(back, l);
        assert_string_equal(lang_dir((enum lang)l), "ltr");
    }
    assert_string_equal(lang_self_name(LANG_KO), "한국어");
    assert_string_equal(lang_self_name(LANG_ZH_HANS), "中文（简体）");
}

static void negotiate(void **state)
{
    (void)state;
    const lang_set all = LANG_ALL, ja_en = (1u << LANG_JA) | (1u << LANG_EN);
    static const struct {
        const char *accept;
        int want_all, want_ja_en;
    } cases[] = {
        {NULL, LANG_JA, LANG_JA},
        {"", LANG_JA, LANG_JA},
        {"en-US,en;q=0.9", LANG_EN, LANG_EN},
        {"ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", LANG_KO, LANG_EN},
        {"fr;q=1.0, pt-BR;q=0.8, ja;q=0.5", LANG_PT, LANG_JA},
        {"zh-TW,zh;q=0.9", LANG_ZH_HANS, LANG_JA}, /* traditional skipped, plain zh taken */
        {"vi;q=0, en;q=0.1", LANG_EN, LANG_EN},    /* q=0: never */
        {"en;q=0.5,ja;q=0.5", LANG_EN, LANG_EN},   /* a tie: the first */
        {"ja;q=0.4, en;q=0.41", LANG_EN, LANG_EN},
        {"*", LANG_JA, LANG_JA},
        {";;;,,,q=", LANG_JA, LANG_JA},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum lang a = lang_negotiate(cases[i].accept, all, LANG_JA);
        enum lang b = lang_negotiate(cases[i].accept, ja_en, LANG_JA);
        if ((int)a != cases[i].want_all || (int)b != cases[i].want_ja_en)
            fail_msg("case %zu '%s': got %d/%d", i, cases[i].accept ? cases[i].accept : "(null)",
                     (int)a, (int)b);
    }
    /* A long hostile header is read only in part and never overruns. */
    char big[20000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(lang_negotiate(big, all, LANG_JA), LANG_JA);
}

static void dates(void **state)
{
    (void)state;
    const cn_date d = date_from_ymd(2026, 11, 28); /* a Saturday */
    static const struct {
        enum lang l;
        const char *day, *short_day, *date, *slot;
    } cases[] = {
        {LANG_JA, "2026年11月28日（土）", "11月28日（土）", "2026年11月28日", "10:30〜11:00"},
        {LANG_JA_EASY, "2026年11月28日（土）", "11月28日（土）", "2026年11月28日", "10:30〜11:00"},
        {LANG_EN, "Sat 28 Nov 2026", "Sat 28 Nov", "28 Nov 2026", "10:30-11:00"},
        {LANG_ZH_HANS, "2026年11月28日（周六）", "11月28日（周六）", "2026年11月28日",
         "10:30-11:00"},
        {LANG_KO, "2026년 11월 28일 (토)", "11월 28일 (토)", "2026년 11월 28일", "10:30-11:00"},
        {LANG_VI, "Thứ Bảy, 28/11/2026", "Thứ Bảy, 28/11", "28/11/2026", "10:30-11:00"},
        {LANG_PT, "sáb., 28/11/2026", "sáb., 28/11", "28/11/2026", "10:30-11:00"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        lang_fmt_day(cases[i].l, d, out, sizeof out);
        assert_string_equal(out, cases[i].day);
        lang_fmt_day_short(cases[i].l, d, out, sizeof out);
        assert_string_equal(out, cases[i].short_day);
        lang_fmt_date(cases[i].l, d, out, sizeof out);
        assert_string_equal(out, cases[i].date);
        lang_fmt_slot(cases[i].l, 630, 30, out, sizeof out);
        assert_string_equal(out, cases[i].slot);
    }
    char out[64];
    lang_fmt_day(LANG_EN, date_from_ymd(2027, 1, 3), out, sizeof out);
    assert_string_equal(out, "Sun 3 Jan 2027");
    lang_fmt_slot(LANG_JA, 540, 30, out, sizeof out);
    assert_string_equal(out, "9:00〜9:30"); /* the pages' Japanese as it was */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_codes),
        cmocka_unit_test(negotiate),
        cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
