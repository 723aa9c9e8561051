/* gaiji: the PUA mapping file and its application. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gaiji.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_gaiji.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_load_and_apply(void **state)
{
    (void)state;
    char *path = write_tmp("# town table\n"
                           "U+E000\tU+8FBB U+E0102   # 辻 (one dot)\n"
                           "\n"
                           "e001 20BB7\n"
                           "U+F0000 U+9089 U+E010F\r\n");
    struct gaiji_map *m = NULL;
    struct cn_err err = {0};
    assert_int_equal(gaiji_load(path, &m, &err), CN_OK);
    unlink(path);
    char out[64];
    uint32_t bad = 1;
    assert_true(gaiji_apply(m, "\uE000本 \uE001田 渡\U000F0000", out, sizeof out, &bad));
    assert_string_equal(out, "辻\U000E0102本 𠮷田 渡邉\U000E010F");
    assert_int_equal(bad, 0);
    /* Unmapped: named, not guessed. */
    assert_false(gaiji_apply(m, "山\uE002", out, sizeof out, &bad));
    assert_int_equal(bad, 0xE002);
    /* Too small a buffer fails without naming a character. */
    assert_false(gaiji_apply(m, "\uE000\uE000\uE000", out, 8, &bad));
    assert_int_equal(bad, 0);
    gaiji_free(m);
}

static void test_no_map_refuses_every_pua(void **state)
{
    (void)state;
    char out[32];
    uint32_t bad = 0;
    assert_true(gaiji_apply(NULL, "神隆", out, sizeof out, &bad));
    assert_string_equal(out, "神隆"); /* compatibility ideographs kept as they are */
    assert_false(gaiji_apply(NULL, "田\uE757", out, sizeof out, &bad));
    assert_int_equal(bad, 0xE757);
}

static void test_bad_files_named_with_line(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } rows[] = {
        {"U+E000 U+8FBB\nU+4E00 U+4E01\n", ":2: the first code point is not in the Private"},
        {"U+E000\n", ":1: the code point has no sequence"},
        {"U+E000 U+E001\n", ":1: a sequence may not contain a Private Use Area"},
        {"U+E000 4E00 4E01 4E02 4E03 4E04\n", ":1: more than four code points"},
        {"U+E000 U+D800\n", ":1: expected a code point"},
        {"xyz\n", ":1: expected a code point such as U+E000"},
        {"U+E000 U+0007\n", ":1: a control character"},
        {"U+E000 4E00\nU+E000 4E01\n", "U+E000 is mapped twice"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char *path = write_tmp(rows[i].text);
        struct gaiji_map *m = NULL;
        struct cn_err err = {0};
        int rc = gaiji_load(path, &m, &err);
        unlink(path);
        if (rc != CN_EUSAGE || m || !strstr(err.msg, rows[i].msg) || !strstr(err.msg, path))
            fail_msg("row %zu: rc %d msg %s", i, rc, err.msg);
    }
    struct gaiji_map *m = NULL;
    struct cn_err err = {0};
    assert_int_equal(gaiji_load("/nonexistent/gaiji.txt", &m, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "/nonexistent/gaiji.txt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_apply),
        cmocka_unit_test(test_no_map_refuses_every_pua),
        cmocka_unit_test(test_bad_files_named_with_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
