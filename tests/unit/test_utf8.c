/* Tests for utf8: utf8_next, the one decoder (record's field check, the typesetter, the web
 * form, the postal and barcode readers all use it), byte by byte on every kind of
 * malformed sequence and how far a lenient reader skips; utf8_decode over whole strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static void next_table(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n; /* bytes readable; 0 = strlen + 1 (the NUL too) */
        int want;
        uint32_t cp;
    } cases[] = {
        {"A", 0, 1, 'A'},
        {"\xC2\xA9", 0, 2, 0xA9},             /* © */
        {"\xE6\x98\xA5", 0, 3, 0x6625},       /* 春 */
        {"\xF0\xA0\xAE\xB7", 0, 4, 0x20BB7},  /* 𠮷 */
        {"\xF4\x8F\xBF\xBF", 0, 4, 0x10FFFF}, /* the last code point */
        {"\xEF\xBF\xBD", 0, 3, 0xFFFD},       /* U+FFFD itself is a character */
        {"", 0, 0, 0},                        /* the end */
        {"\xE6\x98\xA5", 2, -2, 0},           /* cut by the length: lead + 1 read */
        {"\xE6\x98\xA5", 1, -1, 0},
        {"\x80", 0, -1, 0},             /* a lone continuation byte */
        {"\xFF", 0, -1, 0},             /* never a lead byte */
        {"\xE6\x41", 0, -1, 0},         /* continuation missing after the lead */
        {"\xE6\x98\x41", 0, -2, 0},     /* ... after one good continuation */
        {"\xE6\x98", 0, -2, 0},         /* the NUL is no continuation */
        {"\xC0\xAF", 0, -2, 0},         /* overlong '/' */
        {"\xE0\x80\xAF", 0, -3, 0},     /* overlong, three bytes */
        {"\xF0\x80\x80\xAF", 0, -4, 0}, /* overlong, four bytes */
        {"\xED\xA0\x80", 0, -3, 0},     /* a surrogate */
        {"\xF4\x90\x80\x80", 0, -4, 0}, /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t cp = 12345;
        const size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s) + 1;
        const int got = utf8_next(cases[i].s, n, &cp);
        if (got != cases[i].want || (got > 0 && cp != cases[i].cp))
            fail_msg("case %zu: got %d (U+%04X), want %d (U+%04X)", i, got, (unsigned)cp,
                     cases[i].want, (unsigned)cases[i].cp);
    }
    uint32_t cp = 1;
    assert_int_equal(utf8_next("A", 0, &cp), 0); /* nothing readable */
}

static void decode_strings(void **state)
{
    (void)state;
    uint32_t out[4];
    assert_int_equal(utf8_decode("春日井", out, 4), 3);
    assert_int_equal(out[0], 0x6625);
    assert_int_equal(out[2], 0x4E95);
    assert_int_equal(utf8_decode("", out, 4), 0);
    assert_int_equal(utf8_decode("abcd", out, 4), 4);
    assert_int_equal(utf8_decode("abcde", out, 4), -1); /* more than cap */
    assert_int_equal(utf8_decode("a\xC0\xAF", out, 4), -1);
    assert_int_equal(utf8_decode("a\xE6\x98", out, 4), -1);
}

/* Format characters (Cf) at their ranges' edges, and the characters next to them that are
 * not: variation selectors (Mn), spaces, the bidi-neutral neighbours. */
static void format_characters(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        bool cf;
        const char *name;
    } cases[] = {
        {0x00AD, true, "SOFT HYPHEN"},
        {0x00AC, false, NULL},
        {0x200A, false, NULL}, /* HAIR SPACE: Zs */
        {0x200B, true, "ZERO WIDTH SPACE"},
        {0x200D, true, "ZERO WIDTH JOINER"},
        {0x200F, true, "RIGHT-TO-LEFT MARK"},
        {0x2010, false, NULL},
        {0x2029, false, NULL}, /* PARAGRAPH SEPARATOR: Zp, a control to record.c */
        {0x202A, true, "LEFT-TO-RIGHT EMBEDDING"},
        {0x202E, true, "RIGHT-TO-LEFT OVERRIDE"},
        {0x202F, false, NULL},
        {0x2065, false, NULL}, /* unassigned */
        {0x2066, true, "LEFT-TO-RIGHT ISOLATE"},
        {0x2069, true, "POP DIRECTIONAL ISOLATE"},
        {0x206F, true, NULL},
        {0x3000, false, NULL},
        {0xFE00, false, NULL}, /* VARIATION SELECTOR-1: Mn */
        {0xFE0F, false, NULL},
        {0xFEFF, true, "ZERO WIDTH NO-BREAK SPACE"},
        {0xFFFB, true, NULL},
        {0xE0001, true, "LANGUAGE TAG"},
        {0xE007F, true, "TAG"},
        {0xE0100, false, NULL}, /* VARIATION SELECTOR-17: Mn, the MJ sequences' */
        {0xE01EF, false, NULL},
        {0x20BB7, false, NULL}, /* 𠮷 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *name = "unset";
        const bool cf = utf8_is_format(cases[i].cp, &name);
        if (cf != cases[i].cf)
            fail_msg("U+%04X: Cf %d", (unsigned)cases[i].cp, cf);
        if (cf && (cases[i].name ? !name || strcmp(name, cases[i].name) != 0 : name != NULL))
            fail_msg("U+%04X: name %s", (unsigned)cases[i].cp, name ? name : "(none)");
    }
    assert_false(utf8_is_format('a', NULL));
    assert_true(utf8_is_format(0x202E, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(next_table),
        cmocka_unit_test(decode_strings),
        cmocka_unit_test(format_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
