/* csv: quoting, line numbers, line endings, BOM, bounds, problems, and the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* Reads every record of text and renders them as "line:f1|f2|...;" or "line:!problem;". */
static char *render(const char *text, size_t len)
{
    static char out[8192];
    out[0] = '\0';
    FILE *in = fmemopen((void *)text, len, "r");
    assert_non_null(in);
    struct csv_reader *r = csv_reader_new(in);
    assert_non_null(r);
    struct csv_record rec;
    int rc;
    while ((rc = csv_read(r, &rec)) == 1) {
        size_t n = strlen(out);
        if (rec.problem) {
            snprintf(out + n, sizeof out - n, "%ld:!%s;", rec.line, rec.problem);
            continue;
        }
        n += (size_t)snprintf(out + n, sizeof out - n, "%ld:", rec.line);
        for (int i = 0; i < rec.n_fields && i < CSV_MAX_FIELDS; i++) {
            n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? "|" : "", rec.fields[i]);
            assert_int_equal(rec.lens[i], strlen(rec.fields[i]));
        }
        snprintf(out + n, sizeof out - n, ";");
    }
    assert_int_equal(rc, 0);
    csv_reader_free(r);
    fclose(in);
    return out;
}

static void test_records(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;"},
        {"a,b\r\n1,2\r\n", "1:a|b;2:1|2;"},
        {"a,b\r\n1,2", "1:a|b;2:1|2;"}, /* no final line end */
        {"a,b\r1,2\r", "1:a|b;2:1|2;"}, /* old Mac line ends */
        {"\xEF\xBB\xBF"
         "a,b\n",
         "1:a|b;"},                                    /* BOM skipped */
        {"a,\"b,c\",d\n", "1:a|b,c|d;"},               /* comma inside quotes */
        {"\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x;"}, /* doubled quotes */
        {"\"line1\nline2\",x\nnext,y\n", "1:line1\nline2|x;3:next|y;"},
        {"\"l1\r\nl2\r\nl3\",x\r\nn,y\r\n", "1:l1\r\nl2\r\nl3|x;4:n|y;"},
        {"a,b\n\n\r\nc,d\n", "1:a|b;4:c|d;"}, /* blank lines skipped */
        {",,\n", "1:||;"},                    /* three empty fields */
        {"\"\",x\n", "1:|x;"},                /* empty quoted field */
        {"a,b\nc\n", "1:a|b;2:c;"},           /* counts differ per record */
        {"ab\"c,d\nok,1\n", "1:!a quote (\") appears inside an unquoted field; quote the "
                            "whole field and double the inner quote;2:ok|1;"},
        {"\"ab\"c,d\nok,1\n", "1:!text follows the closing quote of a field; a quote inside "
                              "a quoted field must be doubled;2:ok|1;"},
        {"a,b\n\"open,x\nmore\n", "1:a|b;2:!the quoted field opened on line 2 is never "
                                  "closed before the end of the file;"},
        {"", ""},
        {"\xEF\xBB\xBF", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = render(cases[i].in, strlen(cases[i].in));
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: got '%s' want '%s'", i, got, cases[i].want);
    }
}

static void test_nul_byte_kept_in_length(void **state)
{
    (void)state;
    static const char text[] = "a\0b,c\n";
    FILE *in = fmemopen((void *)text, sizeof text - 1, "r");
    struct csv_reader *r = csv_reader_new(in);
    struct csv_record rec;
    assert_int_equal(csv_read(r, &rec), 1);
    assert_int_equal(rec.n_fields, 2);
    assert_int_equal(rec.lens[0], 3); /* the caller can see strlen differs */
    assert_int_equal(strlen(rec.fields[0]), 1);
    csv_reader_free(r);
    fclose(in);
}

/* Records that straddle the read buffer, a record over the size bound and one with more
 * fields than the reader keeps: lines stay right and the next record is still found. */
static void test_bounds_and_buffer_edges(void **state)
{
    (void)state;
    size_t cap = 3 * CSV_READ_BUF;
    char *text = malloc(cap);
    size_t n = 0;
    long lines = 0;
    while (n < 2 * CSV_READ_BUF) {
        n += (size_t)sprintf(text + n, "\"id%ld\r\nx\",\"q\"\"\"\r\n", lines);
        lines += 2;
    }
    long long_line = lines + 1;
    text[n++] = 'L';
    memset(text + n, 'x', CSV_MAX_RECORD + 10);
    n += CSV_MAX_RECORD + 10;
    text[n++] = '\n';
    long many_line = long_line + 1;
    for (int i = 0; i < CSV_MAX_FIELDS + 6; i++)
        text[n++] = ',';
    text[n++] = '\n';
    n += (size_t)sprintf(text + n, "last,1\n");

    FILE *in = fmemopen(text, n, "r");
    struct csv_reader *r = csv_reader_new(in);
    struct csv_record rec;
    long expect_line = 1, records = 0;
    char want[32];
    while (expect_line < long_line) {
        assert_int_equal(csv_read(r, &rec), 1);
        assert_int_equal(rec.line, expect_line);
        assert_null(rec.problem);
        assert_int_equal(rec.n_fields, 2);
        snprintf(want, sizeof want, "id%ld\r\nx", records * 2);
        assert_string_equal(rec.fields[0], want);
        assert_string_equal(rec.fields[1], "q\"");
        expect_line += 2;
        records++;
    }
    assert_int_equal(csv_read(r, &rec), 1);
    assert_int_equal(rec.line, long_line);
    assert_non_null(rec.problem);
    assert_non_null(strstr(rec.problem, "longer than"));
    assert_int_equal(csv_read(r, &rec), 1);
    assert_int_equal(rec.line, many_line);
    assert_int_equal(rec.n_fields, CSV_MAX_FIELDS + 7);
    assert_int_equal(csv_read(r, &rec), 1);
    assert_string_equal(rec.fields[0], "last");
    assert_int_equal(csv_read(r, &rec), 0);
    csv_reader_free(r);
    fclose(in);
    free(text);
}

/* A cell Excel would run as a formula is written as text for people (OWASP: a ' before
 * it, quoted), full-width ＝＋－＠ and leading spaces included, and left as it is in a feed
 * for programs; read back, the ' is there. */
static void test_writer_guards_formulas(void **state)
{
    (void)state;
    static const struct {
        const char *field, *people, *feed;
    } cases[] = {
        {"=1+2", "\"'=1+2\"", "=1+2"},
        {"+81 45 000", "\"'+81 45 000\"", "+81 45 000"},
        {"-5", "\"'-5\"", "-5"},
        {"@SUM(A1)", "\"'@SUM(A1)\"", "@SUM(A1)"},
        {"\t=cmd", "\"'\t=cmd\"", "\t=cmd"},
        {"\r=cmd", "\"'\r=cmd\"", "\"\r=cmd\""},
        {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"",
         "\"=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
        {"a=b", "a=b", "a=b"},
        {"2026-12-01", "2026-12-01", "2026-12-01"},
        /* full-width forms, which a Japanese spreadsheet runs as the ASCII ones */
        {"＝1+2", "\"'＝1+2\"", "＝1+2"},
        {"＋81", "\"'＋81\"", "＋81"},
        {"－5", "\"'－5\"", "－5"},
        {"＠SUM(A1)", "\"'＠SUM(A1)\"", "＠SUM(A1)"},
        /* leading spaces (ASCII, ideographic, a line break) before any of them */
        {" =1+2", "\"' =1+2\"", " =1+2"},
        {"   @SUM(A1)", "\"'   @SUM(A1)\"", "   @SUM(A1)"},
        {"　＝1+2", "\"'　＝1+2\"", "　＝1+2"},
        {" 　 －5", "\"' 　 －5\"", " 　 －5"},
        {"\n=1", "\"'\n=1\"", "\"\n=1\""},
        /* text that merely contains them, or spaces before ordinary text */
        {"山田　＝太郎", "山田　＝太郎", "山田　＝太郎"},
        {"1－2－3", "1－2－3", "1－2－3"},
        {" 山田", " 山田", " 山田"},
        {"　", "　", "　"},
        {" ", " ", " "},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        for (int feed = 0; feed < 2; feed++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&buf, &len);
            const char *row[] = {cases[i].field};
            if (feed)
                assert_int_equal(csv_write_feed_row(out, row, 1, CSV_LF), 0);
            else
                assert_int_equal(csv_write_row(out, row, 1), 0);
            fclose(out);
            char want[128];
            snprintf(want, sizeof want, "%s%s", feed ? cases[i].feed : cases[i].people,
                     feed ? "\n" : "\r\n");
            if (strcmp(buf, want) != 0)
                fail_msg("case %zu (%s): got [%s], want [%s]", i, feed ? "feed" : "people", buf,
                         want);
            free(buf);
        }
    }
}

static void test_writer(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL, "日本語"};
    assert_int_equal(csv_write_row(out, row, 6), 0);
    assert_int_equal(csv_write_feed_row(out, row, 2, CSV_LF), 0);
    fclose(out);
    assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,日本語\r\n"
                             "plain,\"a,b\"\n");

    /* What the writer writes, the reader reads back unchanged. */
    FILE *in = fmemopen(buf, len, "r");
    struct csv_reader *r = csv_reader_new(in);
    struct csv_record rec;
    assert_int_equal(csv_read(r, &rec), 1);
    assert_int_equal(rec.n_fields, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(rec.fields[i], row[i] ? row[i] : "");
    csv_reader_free(r);
    fclose(in);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_nul_byte_kept_in_length),
        cmocka_unit_test(test_bounds_and_buffer_edges),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_writer_guards_formulas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
