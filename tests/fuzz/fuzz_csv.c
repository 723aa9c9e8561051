/* fuzz_csv: arbitrary bytes through the CSV reader. Beyond "no crash": every field a clean
 * record hands out is readable to its length and NUL-terminated, lines never go backwards,
 * and writing a clean record and reading it back gives the same fields: exactly from the
 * feed writer, and from the writer for people with a ' before each field a spreadsheet
 * would run as a formula (= + - @ tab CR first, or = + - @ ＝ ＋ － ＠ after leading spaces)
 * and nothing else changed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static void check_fields(const struct csv_record *rec)
{
    int n = rec->n_fields < CSV_MAX_FIELDS ? rec->n_fields : CSV_MAX_FIELDS;
    volatile unsigned sink = 0;
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < rec->lens[i]; j++)
            sink += (unsigned char)rec->fields[i][j];
        if (rec->fields[i][rec->lens[i]] != '\0')
            abort();
    }
    (void)sink;
}

/* The writer cannot express what the reader deliberately drops (a lone empty field is a
 * blank line, a leading BOM is skipped) nor a NUL inside a field: those are not compared. */
static int round_trippable(const struct csv_record *rec)
{
    if (rec->problem || rec->n_fields < 1 || rec->n_fields > CSV_MAX_FIELDS)
        return 0;
    if (rec->n_fields == 1 && rec->lens[0] == 0)
        return 0;
    if (rec->lens[0] >= 3 && memcmp(rec->fields[0], "\xEF\xBB\xBF", 3) == 0)
        return 0;
    for (int i = 0; i < rec->n_fields; i++)
        if (strlen(rec->fields[i]) != rec->lens[i])
            return 0;
    return 1;
}

/* The oracle, written apart from csv.c's: = + - @ tab CR first; or = + - @ or their
 * full-width forms after spaces (ASCII, line feeds, U+3000). */
static bool formula_start(const char *f)
{
    if (f[0] == '\t' || f[0] == '\r')
        return true;
    size_t i = 0;
    while (f[i] == ' ' || f[i] == '\n' || strncmp(f + i, "\xe3\x80\x80", 3) == 0)
        i += f[i] == ' ' || f[i] == '\n' ? 1 : 3;
    static const char *const starts[] = {
        "=",           "+", "-", "@", "\t", "\r", "\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
        "\xef\xbc\xa0"};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++)
        if (f[i] && strncmp(f + i, starts[k], strlen(starts[k])) == 0)
            return true;
    return false;
}

static void round_trip(const struct csv_record *rec, bool people)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return;
    const char *const *fields = (const char *const *)rec->fields;
    if ((people ? csv_write_row(out, fields, rec->n_fields)
                : csv_write_feed_row(out, fields, rec->n_fields, CSV_CRLF)) != 0)
        abort();
    fclose(out);

    FILE *in = fmemopen(buf, len, "rb");
    struct csv_reader *r = in ? csv_reader_new(in) : NULL;
    struct csv_record back;
    if (r && csv_read(r, &back) == 1 && !back.problem) {
        if (back.n_fields != rec->n_fields)
            abort();
        for (int i = 0; i < rec->n_fields; i++) {
            size_t tick = people && formula_start(rec->fields[i]);
            if (back.lens[i] != rec->lens[i] + tick || (tick && back.fields[i][0] != '\'') ||
                memcmp(back.fields[i] + tick, rec->fields[i], rec->lens[i]) != 0)
                abort();
        }
    } else if (r && len < CSV_MAX_RECORD / 2) {
        /* A short clean row must come back clean. */
        abort();
    }
    csv_reader_free(r);
    if (in)
        fclose(in);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *in = fmemopen((void *)data, size, "rb");
    if (!in)
        return 0;
    struct csv_reader *r = csv_reader_new(in);
    if (!r) {
        fclose(in);
        return 0;
    }
    struct csv_record rec;
    long last_line = 0;
    int rc;
    while ((rc = csv_read(r, &rec)) == 1) {
        if (rec.line < 1 || rec.line < last_line || rec.n_fields < 0)
            abort();
        last_line = rec.line;
        if (!rec.problem) {
            check_fields(&rec);
            if (round_trippable(&rec))
                round_trip(&rec, false), round_trip(&rec, true);
        }
    }
    csv_reader_free(r);
    fclose(in);
    return 0;
}
