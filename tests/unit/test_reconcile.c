/* The inserter's results rows: every column read, or refused naming its column (table). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "reconcile.h"

struct row_case {
    const char *f[RC_COLS];
    int bad_col; /* -1: accepted */
    const char *batch;
    int file;
    long seq;
    enum inserter_status status;
    const char *time;
};

static const struct row_case rows[] = {
    {{"2026-12-01/notices-003.pdf", "001204", "mailed", "2026-12-03 10:15:00"},
     -1,
     "2026-12-01",
     3,
     1204,
     INSERTER_MAILED,
     "2026-12-03 10:15:00"},
    {{" 2026-12-01-2/notices-012.pdf ", "7", "SPOILED", "2026-12-03T10:15"},
     -1,
     "2026-12-01-2",
     12,
     7,
     INSERTER_SPOILED,
     "2026-12-03 10:15:00"},
    {{"2026-12-01-reprint/notices-1000.pdf", "9999999", "Diverted", "2027-01-31 23:59:59"},
     -1,
     "2026-12-01-reprint",
     1000,
     9999999,
     INSERTER_DIVERTED,
     "2027-01-31 23:59:59"},
    /* file */
    {{"notices-003.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"/notices-003.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"2026_12_01/notices-003.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-3.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-000.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"2026-12-01/control-sheet.pdf", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    {{"", "1", "mailed", "2026-12-03 10:15"}, RC_FILE, 0, 0, 0, 0, 0},
    /* sequence */
    {{"2026-12-01/notices-003.pdf", "0", "mailed", "2026-12-03 10:15"}, RC_SEQUENCE, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-003.pdf", "12a", "mailed", "2026-12-03 10:15"},
     RC_SEQUENCE,
     0,
     0,
     0,
     0,
     0},
    {{"2026-12-01/notices-003.pdf", "-1", "mailed", "2026-12-03 10:15"},
     RC_SEQUENCE,
     0,
     0,
     0,
     0,
     0},
    {{"2026-12-01/notices-003.pdf", "10000000", "mailed", "2026-12-03 10:15"},
     RC_SEQUENCE,
     0,
     0,
     0,
     0,
     0},
    /* status */
    {{"2026-12-01/notices-003.pdf", "1", "lost", "2026-12-03 10:15"}, RC_STATUS, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-003.pdf", "1", "", "2026-12-03 10:15"}, RC_STATUS, 0, 0, 0, 0, 0},
    /* time */
    {{"2026-12-01/notices-003.pdf", "1", "mailed", "2026-02-30 10:15"}, RC_TIME, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-003.pdf", "1", "mailed", "2026-12-03 24:00"}, RC_TIME, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-003.pdf", "1", "mailed", "2026-12-03"}, RC_TIME, 0, 0, 0, 0, 0},
    {{"2026-12-01/notices-003.pdf", "1", "mailed", "2026-12-03 10:15:60"}, RC_TIME, 0, 0, 0, 0, 0},
    /* a truncated row: the columns after the cut are missing */
    {{"2026-12-01/notices-003.pdf", "1", NULL, NULL}, RC_STATUS, 0, 0, 0, 0, 0},
};

static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row_case *c = &rows[i];
        struct inserter_row r;
        int bad = -1;
        char why[200] = "";
        bool ok = reconcile_parse_row(c->f, &r, &bad, why, sizeof why);
        if (c->bad_col >= 0) {
            assert_false(ok);
            assert_int_equal(bad, c->bad_col);
            assert_true(why[0] != '\0');
            continue;
        }
        assert_true(ok);
        assert_string_equal(r.batch, c->batch);
        assert_int_equal(r.file, c->file);
        assert_int_equal(r.seq, c->seq);
        assert_int_equal(r.status, c->status);
        assert_string_equal(r.time, c->time);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(inserter_status_name(INSERTER_MAILED), "mailed");
    assert_string_equal(inserter_status_name(INSERTER_SPOILED), "spoiled");
    assert_string_equal(inserter_status_name(INSERTER_DIVERTED), "diverted");
    assert_string_equal(reconcile_col_names[RC_FILE], "file");
    assert_string_equal(reconcile_col_names[RC_TIME], "time");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
