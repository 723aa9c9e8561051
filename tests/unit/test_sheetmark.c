/* Sheet marks: the DataMatrix text's format, parse and check (table tests), and the
 * symbol's rectangles painted into a bitmap and read back by libdmtx's own decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dmtx.h>

#include "datamatrix.h"
#include "sheetmark.h"

struct format_case {
    struct sheetmark m;
    const char *want; /* NULL: refused */
};

static const struct format_case formats[] = {
    /* README's example; every check digit here was computed independently (in Python). */
    {{"2026-12-01", 3, 1204, 2, 2}, "2026-12-01|3|001204|2|2|2"},
    {{"2026-12-01", 1, 1, 1, 2}, "2026-12-01|1|000001|1|2|1"},
    {{"2026-12-01", 1, 1, 2, 2}, "2026-12-01|1|000001|2|2|8"},
    {{"2026-12-01-2", 12, 1234567, 1, 2}, "2026-12-01-2|12|1234567|1|2|9"},
    {{"2026-12-01-reprint", 999, 9999999, 9, 9}, "2026-12-01-reprint|999|9999999|9|9|7"},
    {{"", 1, 1, 1, 2}, NULL},           /* no batch */
    {{"2026/12/01", 1, 1, 1, 2}, NULL}, /* a character outside [0-9A-Za-z-] */
    {{"2026-12-01", 0, 1, 1, 2}, NULL},
    {{"2026-12-01", 10000, 1, 1, 2}, NULL},
    {{"2026-12-01", 1000, 1, 1, 2}, "2026-12-01|1000|000001|1|2|9"},
    {{"2026-12-01", 1, 0, 1, 2}, NULL}, /* held letters have no sequence */
    {{"2026-12-01", 1, 10000000, 1, 2}, NULL},
    {{"2026-12-01", 1, 1, 3, 2}, NULL},
    {{"2026-12-01", 1, 1, 0, 2}, NULL},
    {{"2026-12-01", 1, 1, 1, 10}, NULL},
};

static int weighted(const char *s, size_t n)
{
    static const int w[3] = {1, 3, 7};
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (unsigned)w[i % 3] * (unsigned char)s[i];
    return (int)(sum % 10);
}

static void test_format(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char out[SHEETMARK_MAX + 1];
        bool ok = sheetmark_format(&formats[i].m, out, sizeof out);
        if (!formats[i].want) {
            assert_false(ok);
            assert_string_equal(out, "");
            continue;
        }
        assert_true(ok);
        assert_string_equal(out, formats[i].want);
        /* The check is what the README's definition computes. */
        size_t n = strlen(out);
        assert_int_equal(out[n - 1] - '0', weighted(out, n - 2));
        struct sheetmark back;
        assert_true(sheetmark_parse(out, &back));
        assert_string_equal(back.batch, formats[i].m.batch);
        assert_int_equal(back.file, formats[i].m.file);
        assert_int_equal(back.seq, formats[i].m.seq);
        assert_int_equal(back.page, formats[i].m.page);
        assert_int_equal(back.pages, formats[i].m.pages);
    }
    char small[10];
    assert_false(sheetmark_format(&formats[0].m, small, sizeof small));
}

static const char *const bad_marks[] = {
    "2026-12-01|3|001204|2|2|3",  /* wrong check */
    "2026-12-01|3|001205|2|2|2",  /* one digit changed: the check no longer agrees */
    "2026-12-01|3|001204|2|2",    /* no check */
    "2026-12-01|3|001204|2|2|2|", /* a seventh field */
    "2026-12-01|03|001204|2|2|2", /* leading zero in FILE */
    "2026-12-01|3|1204|2|2|2",    /* SEQUENCE shorter than six */
    "2026-12-01|3|001204|3|2|2",  /* page after the last */
    "|3|001204|2|2|2",            /* no batch */
    "2026-12-01|3|00120a|2|2|2",  /* not a digit */
    "",
};

static void test_parse_refuses(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_marks / sizeof bad_marks[0]; i++) {
        struct sheetmark m;
        assert_false(sheetmark_parse(bad_marks[i], &m));
        assert_string_equal(m.batch, "");
    }
}

/* Every single changed digit anywhere in the mark is caught by the check. */
static void test_check_catches_every_digit_change(void **state)
{
    (void)state;
    const char *mark = "2026-12-01|3|001204|2|2|2";
    char buf[64];
    for (size_t i = 0; mark[i + 2]; i++) {
        if (mark[i] < '0' || mark[i] > '9')
            continue;
        for (char d = '0'; d <= '9'; d++) {
            if (d == mark[i])
                continue;
            strcpy(buf, mark);
            buf[i] = d;
            struct sheetmark m;
            assert_false(sheetmark_parse(buf, &m));
        }
    }
}

/* Paints the rectangles at `px` pixels a module, black on white, and decodes the picture
 * with libdmtx's reader: the text must come back as given. */
static void test_symbol_decodes(void **state)
{
    (void)state;
    const char *texts[] = {"2026-12-01|1|000001|1|2|1", "2026-12-01-reprint|999|9999999|9|9|7"};
    for (size_t t = 0; t < 2; t++) {
        struct qr_code sym;
        struct cn_err err = {0};
        assert_int_equal(datamatrix_encode(texts[t], &sym, &err), CN_OK);
        const int px = 6, margin = 4 * px;
        int side = sym.size * px + 2 * margin;
        unsigned char *img = malloc((size_t)side * (size_t)side);
        assert_non_null(img);
        memset(img, 255, (size_t)side * (size_t)side);
        for (size_t i = 0; i < sym.n_rects; i++) {
            const struct qr_rect *r = &sym.rects[i];
            for (int y = r->y * px; y < (r->y + r->h) * px; y++)
                memset(img + (size_t)(margin + y) * (size_t)side + margin + r->x * px, 0,
                       (size_t)(r->w * px));
        }
        /* The quiet zone is light: no rectangle reaches into it. */
        for (size_t i = 0; i < sym.n_rects; i++) {
            assert_true(sym.rects[i].x >= DATAMATRIX_QUIET_ZONE &&
                        sym.rects[i].y >= DATAMATRIX_QUIET_ZONE);
            assert_true(sym.rects[i].x + sym.rects[i].w <= sym.size - DATAMATRIX_QUIET_ZONE);
            assert_true(sym.rects[i].y + sym.rects[i].h <= sym.size - DATAMATRIX_QUIET_ZONE);
        }
        DmtxImage *image = dmtxImageCreate(img, side, side, DmtxPack8bppK);
        assert_non_null(image);
        DmtxDecode *dec = dmtxDecodeCreate(image, 1);
        assert_non_null(dec);
        DmtxRegion *reg = dmtxRegionFindNext(dec, NULL);
        assert_non_null(reg);
        DmtxMessage *msg = dmtxDecodeMatrixRegion(dec, reg, DmtxUndefined);
        assert_non_null(msg);
        assert_int_equal(msg->outputIdx, strlen(texts[t]));
        assert_memory_equal(msg->output, texts[t], strlen(texts[t]));
        dmtxMessageDestroy(&msg);
        dmtxRegionDestroy(&reg);
        dmtxDecodeDestroy(&dec);
        dmtxImageDestroy(&image);
        free(img);
        qr_free(&sym);
    }
    struct qr_code none;
    struct cn_err err = {0};
    assert_int_equal(datamatrix_encode("", &none, &err), CN_EUSAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_check_catches_every_digit_change),
        cmocka_unit_test(test_symbol_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
