/* Tests for strbuf: a table of appends and the text they leave (bytes, strings, characters,
 * printf output far past any fixed line), a zeroed buffer as an empty one, detach and reset,
 * the stream for FILE writers, and a failure that sticks (an overflowing size, strbuf_fail). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

enum op { ADD, ADDSTR, ADDCH, ADDF_S, ADDF_D, RESET };

struct step {
    enum op op;
    const char *s;
    int d;
};

static const struct {
    const char *name;
    struct step steps[6];
    int n;
    const char *want;
} cases[] = {
    {"nothing appended: empty", {{RESET, NULL, 0}}, 1, ""},
    {"a string", {{ADDSTR, "abc", 0}}, 1, "abc"},
    {"bytes, the NUL kept out", {{ADD, "abcdef", 3}}, 1, "abc"},
    {"characters one by one", {{ADDCH, NULL, 'x'}, {ADDCH, NULL, 'y'}}, 2, "xy"},
    {"printf of a string and an int", {{ADDF_S, "<%s>", 0}, {ADDF_D, NULL, 42}}, 2, "<%s>00042"},
    {"reset empties, later appends start over",
     {{ADDSTR, "old", 0}, {RESET, NULL, 0}, {ADDSTR, "new", 0}},
     3,
     "new"},
    {"UTF-8 as bytes", {{ADDSTR, "来庁予測", 0}, {ADDCH, NULL, '!'}}, 2, "来庁予測!"},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct strbuf sb = STRBUF_INIT;
        for (int k = 0; k < cases[i].n; k++) {
            const struct step *st = &cases[i].steps[k];
            switch (st->op) {
            case ADD:
                strbuf_add(&sb, st->s, (size_t)st->d);
                break;
            case ADDSTR:
                strbuf_addstr(&sb, st->s);
                break;
            case ADDCH:
                strbuf_addch(&sb, (char)st->d);
                break;
            case ADDF_S:
                strbuf_addf(&sb, "%s", st->s);
                break;
            case ADDF_D:
                strbuf_addf(&sb, "%05d", st->d);
                break;
            case RESET:
                strbuf_reset(&sb);
                break;
            }
        }
        if (strcmp(strbuf_str(&sb), cases[i].want) != 0 || sb.len != strlen(cases[i].want))
            fail_msg("%s: got \"%s\" (%zu bytes)", cases[i].name, strbuf_str(&sb), sb.len);
        assert_false(sb.failed);
        strbuf_release(&sb);
    }
}

/* The old SVG line writer cut at 512 bytes: printf output of any length arrives whole. */
static void long_printf_is_never_cut(void **state)
{
    (void)state;
    static const size_t lens[] = {0, 1, 63, 64, 65, 511, 512, 513, 4096, 100000};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        char *long_s = malloc(lens[i] + 1);
        assert_non_null(long_s);
        memset(long_s, 'a' + (int)(i % 26), lens[i]);
        long_s[lens[i]] = '\0';
        struct strbuf sb = STRBUF_INIT;
        strbuf_addstr(&sb, "<");
        strbuf_addf(&sb, "%s|%d", long_s, 7);
        assert_int_equal(sb.len, lens[i] + 3);
        assert_memory_equal(sb.buf + 1, long_s, lens[i]);
        assert_string_equal(sb.buf + 1 + lens[i], "|7");
        assert_true(sb.alloc > sb.len);
        strbuf_release(&sb);
        free(long_s);
    }
}

static void zeroed_detach_and_release(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    assert_string_equal(strbuf_str(&sb), "");
    size_t len = 99;
    char *s = strbuf_detach(&sb, &len);
    assert_non_null(s); /* never-written still detaches as "" */
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);
    strbuf_addstr(&sb, "kept");
    s = strbuf_detach(&sb, &len);
    assert_string_equal(s, "kept");
    assert_int_equal(len, 4);
    assert_null(sb.buf); /* the buffer is empty again and owns nothing */
    assert_int_equal(sb.len, 0);
    free(s);
    strbuf_release(&sb);
    strbuf_release(&sb); /* twice is harmless */
}

static void failure_sticks(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "abc");
    assert_false(strbuf_grow(&sb, SIZE_MAX - 2)); /* len + extra + NUL overflows */
    assert_true(sb.failed);
    strbuf_addstr(&sb, "more");
    strbuf_addf(&sb, "%d", 5);
    assert_int_equal(sb.len, 3); /* nothing more is appended */
    assert_null(strbuf_detach(&sb, NULL));
    assert_false(sb.failed); /* detach leaves a fresh buffer */

    strbuf_addstr(&sb, "x");
    strbuf_fail(&sb);
    assert_true(sb.failed);
    strbuf_release(&sb);
    assert_false(sb.failed);
}

static void stream_appends(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "head,");
    FILE *f = strbuf_stream(&sb);
    assert_non_null(f);
    for (int i = 0; i < 2000; i++)
        fprintf(f, "%d,", i);
    assert_int_equal(fclose(f), 0);
    assert_false(sb.failed);
    assert_memory_equal(sb.buf, "head,0,1,2,", 11);
    assert_string_equal(sb.buf + sb.len - 5, "1999,");
    strbuf_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(long_printf_is_never_cut),
        cmocka_unit_test(zeroed_detach_and_release),
        cmocka_unit_test(failure_sticks),
        cmocka_unit_test(stream_appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
