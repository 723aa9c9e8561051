/* marks: the QR code and the customer barcode reach the canvas as the encoders made them,
 * at the template's size: one rectangle per QR run, 67 bars on the manual's pitch with the
 * manual's heights; an address without a barcode draws nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "canvas.h"
#include "custbar.h"
#include "marks.h"
#include "qr.h"

#define MM (72.0 / 25.4)

/* A canvas that records what is drawn. */
struct rec {
    int calls, rects, fills, gsaves, grestores;
    double scale_x, scale_y, e, f;
    double x[128], y[128], w[128], h[128];
};

static void r_gsave(void *ctx)
{
    struct rec *r = ctx;
    r->calls++, r->gsaves++;
}
static void r_grestore(void *ctx)
{
    struct rec *r = ctx;
    r->calls++, r->grestores++;
}
static void r_concat(void *ctx, double a, double b, double c, double d, double e, double f)
{
    struct rec *r = ctx;
    (void)b, (void)c;
    r->calls++;
    r->scale_x = a, r->scale_y = d, r->e = e, r->f = f;
}
static void r_gray(void *ctx, double g)
{
    (void)g;
    ((struct rec *)ctx)->calls++;
}
static void r_rect(void *ctx, double x, double y, double w, double h)
{
    struct rec *r = ctx;
    if (r->rects < 128)
        r->x[r->rects] = x, r->y[r->rects] = y, r->w[r->rects] = w, r->h[r->rects] = h;
    r->rects++, r->calls++;
}
static void r_fill(void *ctx)
{
    struct rec *r = ctx;
    r->calls++, r->fills++;
}
static void r_other(void *ctx)
{
    ((struct rec *)ctx)->calls += 1000; /* nothing else belongs in a mark */
}
static void r_width(void *ctx, double v)
{
    (void)v;
    r_other(ctx);
}
static void r_dash(void *ctx, bool d)
{
    (void)d;
    r_other(ctx);
}
static void r_point(void *ctx, double x, double y)
{
    (void)x, (void)y;
    r_other(ctx);
}
static void r_text(void *ctx, int font, double size, double x, double y, const char *s)
{
    (void)font, (void)size, (void)x, (void)y, (void)s;
    r_other(ctx);
}

static void r_glyphs(void *ctx, int font, double size, double x, double y,
                     const struct canvas_glyph *gl, size_t n)
{
    (void)font, (void)size, (void)x, (void)y, (void)gl, (void)n;
    r_other(ctx);
}

static const struct canvas_ops rec_ops = {r_gsave, r_grestore, r_concat, r_gray,   r_width,
                                          r_dash,  r_rect,     r_point,  r_point,  r_fill,
                                          r_other, r_other,    r_text,   r_glyphs, NULL};

static void test_qr_draws_the_encoders_rectangles(void **state)
{
    (void)state;
    const char *url = "https://EXAMPLE.JP/R/K7QP3XW9RT2A";
    struct qr_code qr = {0};
    struct cn_err err = {0};
    assert_int_equal(qr_encode(url, &qr, &err), CN_OK);
    struct rec r = {0};
    struct canvas c = {&rec_ops, &r};
    assert_int_equal(marks_qr(&c, url, 100, 700, 30, &err), CN_OK);
    assert_int_equal(r.rects, (int)qr.n_rects);
    assert_true(r.calls < 1000);
    assert_int_equal(r.fills, 1);
    assert_int_equal(r.gsaves, 1);
    assert_int_equal(r.grestores, 1);
    /* 30 mm wide with its quiet zone; module units, y downwards from the top-left corner. */
    assert_float_equal(r.scale_x * qr.size, 30 * MM, 1e-9);
    assert_float_equal(r.scale_y, -r.scale_x, 1e-12);
    assert_float_equal(r.e, 100, 1e-12);
    assert_float_equal(r.f, 700, 1e-12);
    for (int i = 0; i < r.rects && i < 128; i++)
        assert_int_equal(r.x[i], qr.rects[i].x);
    qr_free(&qr);
}

/* A canvas that takes masks gets the symbol as one: every module of the encoder's
 * rectangles a 1 bit, nothing else, over a square 30 mm wide from the top-left corner. */
static int mask_cols, mask_rows;
static unsigned char mask_bits[256 * 32];
static void r_mask(void *ctx, int cols, int rows, const unsigned char *bits)
{
    ((struct rec *)ctx)->calls++;
    mask_cols = cols, mask_rows = rows;
    memcpy(mask_bits, bits, ((size_t)cols + 7) / 8 * (size_t)rows);
}

static void test_qr_as_one_mask(void **state)
{
    (void)state;
    const char *url = "https://EXAMPLE.JP/R/K7QP3XW9RT2A";
    struct qr_code qr = {0};
    struct cn_err err = {0};
    assert_int_equal(qr_encode(url, &qr, &err), CN_OK);
    struct canvas_ops ops = rec_ops;
    ops.mask = r_mask;
    struct rec r = {0};
    struct canvas c = {&ops, &r};
    assert_int_equal(marks_qr(&c, url, 100, 700, 30, &err), CN_OK);
    assert_int_equal(r.rects, 0);
    assert_int_equal(r.fills, 0);
    assert_true(r.calls < 1000);
    assert_int_equal(mask_cols, qr.size);
    assert_int_equal(mask_rows, qr.size);
    /* The unit square scaled to 30 mm, its bottom-left corner 30 mm under the top. */
    assert_float_equal(r.scale_x, 30 * MM, 1e-9);
    assert_float_equal(r.scale_y, 30 * MM, 1e-9);
    assert_float_equal(r.e, 100, 1e-12);
    assert_float_equal(r.f, 700 - 30 * MM, 1e-9);
    unsigned char want[256 * 32] = {0};
    size_t stride = ((size_t)qr.size + 7) / 8;
    for (size_t i = 0; i < qr.n_rects; i++)
        for (int y = qr.rects[i].y; y < qr.rects[i].y + qr.rects[i].h; y++)
            for (int x = qr.rects[i].x; x < qr.rects[i].x + qr.rects[i].w; x++)
                want[(size_t)y * stride + (size_t)x / 8] |= (unsigned char)(0x80u >> (x % 8));
    assert_memory_equal(mask_bits, want, stride * (size_t)qr.size);
    /* The quiet zone is blank: the first four rows have no bit. */
    for (size_t i = 0; i < 4 * stride; i++)
        assert_int_equal(mask_bits[i], 0);
    qr_free(&qr);
}

static void test_qr_without_canvas_only_encodes(void **state)
{
    (void)state;
    struct cn_err err = {0};
    assert_int_equal(marks_qr(NULL, "https://EXAMPLE.JP/R/K7QP", 0, 0, 30, &err), CN_OK);
    char huge[8000];
    memset(huge, 'A', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_int_not_equal(marks_qr(NULL, huge, 0, 0, 30, &err), CN_OK);
    assert_true(err.msg[0] != '\0');
}

static void test_barcode_geometry(void **state)
{
    (void)state;
    struct rec r = {0};
    struct canvas c = {&rec_ops, &r};
    assert_true(
        marks_custbar(&c, "2630023", "千葉市稲毛区緑町3丁目30-8", "郵便ビル403号", 50, 600, 10));
    struct custbar cb;
    char bars[68];
    assert_true(custbar_encode_parts("2630023", "千葉市稲毛区緑町3丁目30-8", "郵便ビル403号", &cb));
    custbar_bars(&cb, bars);
    assert_int_equal(r.rects, MARKS_BARS);
    assert_true(r.calls < 1000);
    /* At 10 pt the unit is 0.2 mm: bars 0.6 mm wide on a 1.2 mm pitch, long 3.6 mm, timing
     * 1.2 mm (a third), semi-long 2.4 mm (manual p12). */
    assert_float_equal(r.scale_x, 0.2 * MM, 1e-9);
    assert_float_equal(MARKS_BAR_WIDTH * r.scale_x, 0.6 * MM, 1e-9);
    assert_float_equal(MARKS_BAR_PITCH * r.scale_x, 1.2 * MM, 1e-9);
    assert_float_equal(MARKS_BAR_LONG * r.scale_x, 3.6 * MM, 1e-9);
    assert_float_equal(MARKS_BAR_SEMI * r.scale_x, 2.4 * MM, 1e-9);
    assert_float_equal(MARKS_BAR_TIMING * r.scale_x, 1.2 * MM, 1e-9);
    const double asc = (MARKS_BAR_LONG - MARKS_BAR_TIMING) / 2;
    for (int i = 0; i < MARKS_BARS; i++) {
        assert_float_equal(r.x[i], i * MARKS_BAR_PITCH, 1e-12);
        assert_float_equal(r.w[i], MARKS_BAR_WIDTH, 1e-12);
        switch (bars[i]) {
        case 'F':
            assert_true(r.y[i] == 0 && r.h[i] == MARKS_BAR_LONG);
            break;
        case 'A': /* ascender: from the top down through the timing part */
            assert_true(r.y[i] == 0 && r.h[i] == MARKS_BAR_SEMI);
            break;
        case 'D':
            assert_true(r.y[i] == asc && r.h[i] == MARKS_BAR_SEMI);
            break;
        default:
            assert_true(r.y[i] == asc && r.h[i] == MARKS_BAR_TIMING);
        }
    }
    /* Twice the size, twice the unit. */
    struct rec big = {0};
    struct canvas c2 = {&rec_ops, &big};
    assert_true(
        marks_custbar(&c2, "2630023", "千葉市稲毛区緑町3丁目30-8", "郵便ビル403号", 0, 0, 20));
    assert_float_equal(big.scale_x, 0.4 * MM, 1e-9);
}

static void test_no_barcode_draws_nothing(void **state)
{
    (void)state;
    struct rec r = {0};
    struct canvas c = {&rec_ops, &r};
    assert_false(marks_custbar(&c, "2630023", "千葉市稲毛区緑町十二番", "", 0, 0, 10));
    assert_int_equal(r.calls, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_draws_the_encoders_rectangles),
        cmocka_unit_test(test_qr_as_one_mask),
        cmocka_unit_test(test_qr_without_canvas_only_encodes),
        cmocka_unit_test(test_barcode_geometry),
        cmocka_unit_test(test_no_barcode_draws_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
