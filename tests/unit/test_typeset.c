/* typeset: metrics agree with libharu's, glyph coverage, kinsoku line breaking, fitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>

#include "glyphs.h"
#include "typeset.h"

#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

static struct ts_face *face;

static int setup(void **state)
{
    (void)state;
    struct cn_err err = {0};
    return ts_face_load(GOTHIC, &face, &err) == CN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ts_face_free(face);
    return 0;
}

static void test_load_missing_font_names_file(void **state)
{
    (void)state;
    struct ts_face *f = NULL;
    struct cn_err err = {0};
    assert_int_equal(ts_face_load("/nonexistent/font.ttf", &f, &err), CN_EUSAGE);
    assert_null(f);
    assert_non_null(strstr(err.msg, "/nonexistent/font.ttf"));
}

static void hpdf_quiet(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)e, (void)d, (void)u;
}

/* Our hmtx widths are libharu's widths: line breaks match what it draws. */
static void test_widths_match_libharu(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(hpdf_quiet, NULL);
    assert_non_null(pdf);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    const char *name = HPDF_LoadTTFontFromFile(pdf, GOTHIC, HPDF_TRUE);
    assert_non_null(name);
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_non_null(font);
    const char *samples[] = {"あ", "A", "i", "W", "1", "、", "ｱ", "様", " ", "-", "〒"};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        HPDF_TextWidth tw =
            HPDF_Font_TextWidth(font, (const HPDF_BYTE *)samples[i], strlen(samples[i]));
        size_t pos = 0;
        uint32_t cp = ts_utf8_next(samples[i], &pos);
        int ours = ts_advance(face, cp);
        /* libharu rounds per glyph; allow one unit. */
        assert_true(ours - (int)tw.width <= 1 && (int)tw.width - ours <= 1);
    }
    HPDF_Free(pdf);
}

static void test_coverage(void **state)
{
    (void)state;
    uint32_t bad[2] = {0};
    assert_true(ts_printable(face, "春日井市鳥居松町5丁目44番地 ｱｲｳ ABC", bad));
    /* 𠮷 (U+20BB7) is outside the BMP: without a fallback, libharu would print a space. */
    assert_false(ts_printable(face, "𠮷田 太郎", bad));
    assert_int_equal(bad[0], 0x20BB7);
    /* U+E000 private use: not in IPAex. */
    assert_false(ts_printable(face, "山\xee\x80\x80", bad));
    assert_int_equal(bad[0], 0xE000);
    /* Malformed UTF-8 is never printable. */
    assert_false(ts_printable(face, "\xe3\x81", bad));
    assert_int_equal(bad[0], 0xFFFD);
    /* A sequence, even of a character the face has, needs a fallback. */
    assert_false(ts_printable(face, "辻\U000E0102", bad));
    assert_int_equal(bad[0], 0x8FBB);
    assert_int_equal(bad[1], 0xE0102);
    assert_false(ts_has_glyph(face, 0x20BB7));
    assert_true(ts_has_glyph(face, 0x9AD9)); /* 高 */
}

static void lines_of(const char *text, double size, double width, char out[][128], size_t *n)
{
    struct ts_line lines[16];
    *n = ts_break(face, text, size, width, lines, 16);
    for (size_t i = 0; i < *n && i < 16; i++) {
        memcpy(out[i], text + lines[i].start, lines[i].len);
        out[i][lines[i].len] = '\0';
        assert_true(lines[i].width <= width + 1e-6);
    }
}

struct kinsoku_case {
    const char *text;
    double width_chars; /* box width in full-width characters at 10 pt */
    const char *first_line;
};

static void test_kinsoku(void **state)
{
    (void)state;
    static const struct kinsoku_case cases[] = {
        /* 。 would start line 2: the previous character moves down with it. */
        {"あいうえおかきくけ。こさし", 9, "あいうえおかきく"},
        /* ー and small っ never start a line. */
        {"あいうえおかきくカード", 9, "あいうえおかきく"},
        {"あいうえおかきくけっこ", 9, "あいうえおかきく"},
        /* 「 never ends a line: it moves to the next. */
        {"あいうえおかきく「けこ」", 9, "あいうえおかきく"},
        /* A closing bracket stays with its text. */
        {"あいうえおかきくけ」さ", 9, "あいうえおかきく"},
        /* Latin words are not split while they fit on a line. */
        {"あいうえおかきくe-Tax等", 9, "あいうえおかきく"},
        {"短い", 9, "短い"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char out[16][128];
        size_t n;
        lines_of(cases[i].text, 10, cases[i].width_chars * 10 + 0.01, out, &n);
        assert_true(n >= 1);
        assert_string_equal(out[0], cases[i].first_line);
        for (size_t l = 1; l < n; l++) {
            size_t p = 0;
            assert_false(ts_no_line_start(ts_utf8_next(out[l], &p)));
        }
    }
}

static void test_forced_break_and_newline(void **state)
{
    (void)state;
    char out[16][128];
    size_t n;
    /* A run of ASCII wider than the line is cut rather than overflowing. */
    lines_of("HTTPS://EXAMPLE.JP/KASUGAI/R/ABCDEFGH", 10, 60, out, &n);
    assert_true(n >= 2);
    lines_of("一行目\n二行目", 10, 200, out, &n);
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "一行目");
    assert_string_equal(out[1], "二行目");
    /* The text is kept: lines put together give it back. */
    const char *t =
        "マイナンバーカードの電子証明書（署名用・利用者証明用）の有効期限が近づいています。";
    lines_of(t, 10, 80, out, &n);
    char joined[512] = "";
    for (size_t i = 0; i < n; i++)
        strcat(joined, out[i]);
    assert_string_equal(joined, t);
}

static void test_fit(void **state)
{
    (void)state;
    /* Ten full-width characters need 100 pt at 10 pt. */
    assert_true(ts_fit(face, "あいうえおかきくけこ", 10, 7, 100.5, 0, 1.4) == 10);
    double s = ts_fit(face, "あいうえおかきくけこ", 10, 7, 80.5, 0, 1.4);
    assert_true(s >= 7.75 && s <= 8.0);
    assert_true(ts_fit(face, "あいうえおかきくけこ", 10, 9, 80.5, 0, 1.4) == 0);
    /* Two lines of 5 fit in a box 2 lines high. */
    assert_true(ts_fit(face, "あいうえおかきくけこ", 10, 7, 50.5, 24, 1.4) == 10);
    /* 60-character address in an 85 mm x 3-line block: fits at some size >= 8 pt. */
    char addr[256] = "";
    for (int i = 0; i < 6; i++)
        strcat(addr, "愛知県春日井市鳥居松町");
    double mm = 72.0 / 25.4;
    double a = ts_fit(face, addr, 11, 8, 85 * mm, 3 * 11 * 1.3, 1.3);
    assert_true(a >= 8);
}

/* With IPAmj明朝 as the fallback: mixed strings are measured glyph by glyph, a selector
 * belongs to its character, and kinsoku and shrink-to-fit work across fonts. */
static void test_fallback_mixed(void **state)
{
    (void)state;
    static const char *const paths[GF_COUNT] = {
        GOTHIC, "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
        "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"};
    struct glyph_source *src = NULL;
    struct ts_face *f = NULL;
    struct cn_err err = {0};
    assert_int_equal(glyphs_load(paths, &src, &err), CN_OK);
    assert_int_equal(ts_face_load(GOTHIC, &f, &err), CN_OK);
    ts_face_set_fallback(f, glyphs_fallback, src, GF_GOTHIC);
    uint32_t bad[2] = {0};
    assert_true(ts_printable(f, "𠮷田　辻\U000E0102本　槗", bad));
    assert_false(ts_printable(f, "山田 辻\U000E010A", bad));
    assert_int_equal(bad[0], 0x8FBB);
    assert_int_equal(bad[1], 0xE010A);
    assert_false(ts_printable(f, "\uE0FF川", bad)); /* PUA: the gaiji map's, not a font's */
    assert_int_equal(bad[0], 0xE0FF);
    assert_true(ts_text_width(f, "𠮷田", 10) == 20);
    assert_true(ts_text_width(f, "辻\U000E0102", 10) == 10);
    assert_true(ts_text_width(f, "A𠮷", 10) == ts_text_width(f, "A", 10) + 10);
    /* Five glyphs a line; 。 may not start one, so the fifth 𠮷 goes down with it. */
    struct ts_line lines[4];
    const char *t = "𠮷田𠮷田𠮷。";
    assert_int_equal(ts_break(f, t, 10, 50.5, lines, 4), 2);
    assert_int_equal(lines[0].len, strlen("𠮷田𠮷田"));
    assert_true(lines[0].width == 40);
    assert_string_equal(t + lines[1].start, "𠮷。");
    /* A selector never starts a line, even where the line is full. */
    const char *v = "辻\U000E0102辻\U000E0102辻\U000E0102";
    assert_int_equal(ts_break(f, v, 10, 20.5, lines, 4), 2);
    assert_int_equal(lines[0].len, 2 * strlen("辻\U000E0102"));
    /* Ten full-width glyphs, half of them IPAmj's, shrink to fit 80 pt. */
    double s = ts_fit(f, "𠮷田𠮷田𠮷田𠮷田𠮷田", 10, 7, 80.5, 0, 1.4);
    assert_true(s >= 7.75 && s <= 8.0);
    ts_face_free(f);
    glyphs_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_missing_font_names_file),
        cmocka_unit_test(test_widths_match_libharu),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_kinsoku),
        cmocka_unit_test(test_forced_break_and_newline),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_fallback_mixed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
