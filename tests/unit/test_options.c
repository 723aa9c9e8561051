/* Tests for options: values and defaults by the table's index, operand counts, --help,
 * unknown options and missing values, and a second parse unaffected by the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

enum { T_DB, T_DRY, T_DATE, T_OUT };

static const struct cmd_usage usage = {
    .name = "test",
    .operands = "ID...",
    .min_operands = 1,
    .max_operands = 2,
    .summary = "a command for the tests",
    .opts =
        {
            [T_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [T_DRY] = {"dry-run", NULL, "publish nothing"},
            [T_DATE] = {"date", "D", "the date"},
            [T_OUT] = {"out", "DIR", "where", .required = true},
        },
};

struct parse_case {
    const char *args; /* space-separated, after the command's name */
    bool proceed;
    int exit_code;
    const char *db, *dry, *date; /* expected values when proceeding */
    int operands;
};

static const struct parse_case cases[] = {
    {"--out o A", true, 0, "certnotice.db", NULL, NULL, 1},
    {"--out o --db x.db --dry-run A B", true, 0, "x.db", "", NULL, 2},
    {"A --out o --date 2026-12-01 B", true, 0, "certnotice.db", NULL, "2026-12-01", 2},
    {"--db=a --db b --out o A", true, 0, "b", NULL, NULL, 1},
    {"--out o -- A --db", true, 0, "certnotice.db", NULL, NULL, 2},
    {"--out o --dr A", true, 0, "certnotice.db", "", NULL, 1}, /* a unique prefix */
    {"--help", false, 0, NULL, NULL, NULL, 0},
    {"--out o A --help", false, 0, NULL, NULL, NULL, 0},
    {"--out o --dbb x A", false, 2, NULL, NULL, NULL, 0},
    {"--out o -x A", false, 2, NULL, NULL, NULL, 0},
    {"--out o -xy A", false, 2, NULL, NULL, NULL, 0},
    {"--out o A --db", false, 2, NULL, NULL, NULL, 0},
    {"--out o --dry-run=yes A", false, 2, NULL, NULL, NULL, 0},
    {"--out o", false, 2, NULL, NULL, NULL, 0},
    {"--out o A B C", false, 2, NULL, NULL, NULL, 0},
    {"A", false, 2, NULL, NULL, NULL, 0},
    {"--d x --out o A", false, 2, NULL, NULL, NULL, 0}, /* ambiguous: --db or --dry-run/--date */
};

static void check_value(const char *want, const char *got)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(want, got);
}

static void parses_each_case(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct parse_case *c = &cases[i];
        char buf[256], *argv[32];
        int argc = 0;
        snprintf(buf, sizeof buf, "%s", c->args);
        argv[argc++] = "test";
        for (char *save, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
            argv[argc++] = w;
        argv[argc] = NULL;
        struct opts_result r;
        int code = -1;
        print_message("# case %zu: %s\n", i, c->args);
        assert_int_equal(opts_parse(&usage, argc, argv, &r, &code), c->proceed);
        assert_int_equal(code, c->exit_code);
        if (!c->proceed)
            continue;
        check_value(c->db, r.value[T_DB]);
        check_value(c->dry, r.value[T_DRY]);
        check_value(c->date, r.value[T_DATE]);
        assert_string_equal(r.value[T_OUT], "o");
        assert_int_equal(argc - r.first, c->operands);
        assert_string_equal(argv[r.first], "A");
    }
}

static void converts_values(void **state)
{
    (void)state;
    struct opts_result r = {0};
    cn_date d = 7;
    long n = 3;
    assert_true(opts_date(&usage, T_DATE, &r, &d)); /* absent: unchanged */
    assert_int_equal(d, 7);
    r.value[T_DATE] = "2026-12-01";
    assert_true(opts_date(&usage, T_DATE, &r, &d));
    assert_int_equal(d, date_from_ymd(2026, 12, 1));
    r.value[T_DATE] = "2027-02-30";
    assert_false(opts_date(&usage, T_DATE, &r, &d));
    static const struct {
        const char *v;
        bool ok;
        long n;
    } ints[] = {{"1", true, 1},
                {"64", true, 64},
                {"0", false, 0},
                {"65", false, 0},
                {"", false, 0},
                {"4x", false, 0},
                {"99999999999999999999", false, 0}};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        r.value[T_DB] = ints[i].v;
        n = -5;
        assert_int_equal(opts_int(&usage, T_DB, &r, 1, 64, &n), ints[i].ok);
        assert_int_equal(n, ints[i].ok ? ints[i].n : -5);
    }
}

static void synopsis_from_the_table(void **state)
{
    (void)state;
    char buf[256] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    opts_synopsis(&usage, f);
    fclose(f);
    assert_string_equal(buf, "test [--db FILE] [--dry-run] [--date D] --out DIR ID...\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_each_case),
        cmocka_unit_test(converts_values),
        cmocka_unit_test(synopsis_from_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
