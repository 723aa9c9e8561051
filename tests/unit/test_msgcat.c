/* Tests for msgcat: the .po reader (strings, continuations, escapes, fuzzy and empty
 * entries as missing, the header skipped), its refusals with the line named, and the
 * printf-conversion comparison that keeps a translation from reading the wrong argument. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "msgcat.h"

static char path[600];

static void write_po(const char *text)
{
    snprintf(path, sizeof path, "%s/t.po", fixture_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void reads_entries(void **state)
{
    (void)state;
    write_po("# a comment\n"
             "msgid \"\"\n"
             "msgstr \"\"\n"
             "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
             "\n"
             "#: batch/web/x.c:12\n"
             "msgid \"予約\"\n"
             "msgstr \"Booking\"\n"
             "\n"
             "msgid \"\"\n"
             "\"二行\"\n"
             "\"です\\n\"\n"
             "msgstr \"Two \"\n"
             "\"lines \\\"quoted\\\"\\n\"\n"
             "\n"
             "#, fuzzy\n"
             "msgid \"あいまい\"\n"
             "msgstr \"Fuzzy\"\n"
             "\n"
             "msgid \"空\"\n"
             "msgstr \"\"\n"
             "#, c-format\n"
             "msgid \"%d人\"\n"
             "msgstr \"%d people\"\n");
    struct msgcat *c = NULL;
    struct cn_err err = {0};
    assert_int_equal(msgcat_load(path, &c, &err), CN_OK);
    assert_string_equal(msgcat_find(c, "予約"), "Booking");
    assert_string_equal(msgcat_find(c, "二行です\n"), "Two lines \"quoted\"\n");
    assert_null(msgcat_find(c, "あいまい")); /* fuzzy: not used */
    assert_null(msgcat_find(c, "空"));       /* empty: missing */
    assert_null(msgcat_find(c, "無い"));
    assert_null(msgcat_find(c, ""));
    assert_string_equal(msgcat_find(c, "%d人"), "%d people");
    assert_int_equal(msgcat_count(c), 5); /* missing ones are listed too */
    const char *id, *str;
    msgcat_entry(c, 0, &id, &str);
    assert_string_equal(id, "%d人"); /* sorted by msgid bytes */
    msgcat_free(c);
    assert_null(msgcat_find(NULL, "予約"));
}

static void refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"msgid \"%s様\"\nmsgstr \"Dear %d\"\n", "t.po:1: the translation's printf"},
        {"msgid \"%s %d\"\nmsgstr \"%d %s\"\n", "t.po:1: the translation's printf"},
        {"msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n", "the same msgid twice"},
        {"msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"b\"\n", "t.po:2: plural forms"},
        {"msgid \"a\nmsgstr \"b\"\n", "t.po:1: unterminated string"},
        {"msgid \"a\"\nmsgstr \"b\\q\"\n", "t.po:2: unknown escape"},
        {"msgid \"a\"\n", "an entry needs both"},
        {"msgstr \"b\"\n", "t.po:1: msgstr without its msgid"},
        {"hello\n", "t.po:1: unknown line"},
        {"msgid \"\xff\"\nmsgstr \"b\"\n", "t.po:1: not UTF-8"},
        {"msgctxt \"k\"\nmsgid \"a\"\nmsgstr \"b\"\n", "msgctxt is not used"},
        {"\"x\"\n", "t.po:1: a string outside an entry"},
        /* The entry's own line, however many came before. */
        {"msgid \"a\"\nmsgstr \"b\"\n\n#, c-format\nmsgid \"%s\"\nmsgstr \"%d\"\n",
         "t.po:5: the translation's printf"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_po(cases[i].text);
        struct msgcat *c = (struct msgcat *)1;
        struct cn_err err = {0};
        if (msgcat_load(path, &c, &err) != CN_EUSAGE || c || !strstr(err.msg, cases[i].want))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.msg, cases[i].want);
    }
    struct msgcat *c;
    struct cn_err err = {0};
    assert_int_equal(msgcat_load("/nonexistent/x.po", &c, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void formats(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        bool match;
    } cases[] = {
        {"予約", "Booking", true},
        {"%s様", "Dear %s", true},
        {"%d年%02d月", "%d/%d", true}, /* widths and flags may differ */
        {"100%%", "100 %%", true},
        {"%s", "%d", false},
        {"%s", "", false},
        {"", "%s", false},
        {"%ld件", "%d items", false},
        {"%s と %s", "%s", false},
        {"%1$s", "%1$s", false}, /* positional: never */
        {"50%", "50%", true},    /* a lone % at the end reads no argument either way */
        {"%%s", "%s", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (msgcat_formats_match(cases[i].a, cases[i].b) != cases[i].match)
            fail_msg("case %zu: \"%s\" vs \"%s\"", i, cases[i].a, cases[i].b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_entries, fixture_db_setup, fixture_db_teardown),
        cmocka_unit_test_setup_teardown(refusals, fixture_db_setup, fixture_db_teardown),
        cmocka_unit_test(formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
