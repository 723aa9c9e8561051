/* glyphs: which font prints each character or sequence; never a base glyph for a sequence
 * no font has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "glyphs.h"

static const char *const paths[GF_COUNT] = {
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
    "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
    "", /* BIZ UD: left out (large print and <fonts ud> only) */
    "",
};

static struct glyph_source *src;

static int setup(void **state)
{
    (void)state;
    struct cn_err err = {0};
    return glyphs_load(paths, &src, &err) == CN_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    glyphs_free(src);
    return 0;
}

static void test_missing_font_named(void **state)
{
    (void)state;
    const char *bad[GF_COUNT] = {paths[0], paths[1], "/nonexistent/mj.ttf", "", ""};
    struct glyph_source *g = NULL;
    struct cn_err err = {0};
    assert_int_equal(glyphs_load(bad, &g, &err), CN_EUSAGE);
    assert_null(g);
    assert_non_null(strstr(err.msg, "/nonexistent/mj.ttf"));
}

/* One glyph per row: the text, the base font, the font expected, by libharu or by ID. */
static void test_resolution_table(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum glyph_font base;
        uint32_t cp, vs;
        enum glyph_font font;
        bool libharu;
    } rows[] = {
        {"山", GF_MINCHO, 0x5C71, 0, GF_MINCHO, true},
        {"山", GF_GOTHIC, 0x5C71, 0, GF_GOTHIC, true},
        {"𠮷", GF_MINCHO, 0x20BB7, 0, GF_MJ, false},     /* IPAex lacks it */
        {"𡈽", GF_MINCHO, 0x2123D, 0, GF_MINCHO, false}, /* IPAex has it, above the BMP */
        {"𩸽", GF_GOTHIC, 0x29E3D, 0, GF_GOTHIC, false}, /* libharu cannot show it */
        {"辻\U000E0102", GF_MINCHO, 0x8FBB, 0xE0102, GF_MJ, false}, /* Moji_Joho IVS */
        {"辻\U000E0103", GF_MINCHO, 0x8FBB, 0xE0103, GF_MJ, false},
        {"葛\U000E0102", GF_GOTHIC, 0x845B, 0xE0102, GF_MJ, false},
        {"邉\U000E010F", GF_MINCHO, 0x9089, 0xE010F, GF_MJ, false},
        {"齋\U000E0103", GF_MINCHO, 0x9F4B, 0xE0103, GF_MJ, false},
        {"﨑\U000E0102", GF_MINCHO, 0xFA11, 0xE0102, GF_MJ, false},
        {"祇\U000E0102", GF_MINCHO, 0x7947, 0xE0102, GF_MJ, false},
        {"辻\U000E0100", GF_MINCHO, 0x8FBB, 0xE0100, GF_MINCHO, false}, /* Adobe-Japan1 */
        {"辻\U000E0100", GF_MJ, 0x8FBB, 0xE0100, GF_MINCHO, false},     /* IPAmj lacks it */
        {"槗", GF_MINCHO, 0x69D7, 0, GF_MJ, false},
        {"戶", GF_GOTHIC, 0x6236, 0, GF_MJ, false},
        {"\uFA19", GF_MINCHO, 0xFA19, 0, GF_MINCHO, true}, /* 神, not NFC's 神 */
        {"\uF9DC", GF_MINCHO, 0xF9DC, 0, GF_MINCHO, true}, /* 隆 */
        {"髙", GF_MINCHO, 0x9AD9, 0, GF_MINCHO, true},
        {"\uFA19", GF_MJ, 0xFA19, 0, GF_MJ, false},
        {"様", GF_MJ, 0x69D8, 0, GF_MJ, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct glyph gl[4];
        uint32_t bad[2] = {0};
        long n = glyphs_resolve(src, rows[i].base, rows[i].text, gl, 4, bad);
        if (n != 1 || gl[0].cp != rows[i].cp || gl[0].vs != rows[i].vs ||
            gl[0].font != rows[i].font || gl[0].libharu != rows[i].libharu || gl[0].gid == 0 ||
            gl[0].len != strlen(rows[i].text))
            fail_msg("row %zu (%s): n %ld cp %X vs %X font %d libharu %d", i, rows[i].text, n,
                     (unsigned)gl[0].cp, (unsigned)gl[0].vs, gl[0].font, gl[0].libharu);
        assert_int_equal(gl[0].advance, 1000);
    }
}

/* Two selectors of one character are two glyphs, and neither is the base glyph. */
static void test_sequences_are_distinct_glyphs(void **state)
{
    (void)state;
    struct glyph a, b, base;
    uint32_t bad[2];
    assert_int_equal(glyphs_resolve(src, GF_MJ, "辻\U000E0102", &a, 1, bad), 1);
    assert_int_equal(glyphs_resolve(src, GF_MJ, "辻\U000E0103", &b, 1, bad), 1);
    assert_int_equal(glyphs_resolve(src, GF_MJ, "辻", &base, 1, bad), 1);
    assert_int_not_equal(a.gid, b.gid);
    assert_int_not_equal(a.gid, base.gid);
}

static void test_unknown_sequence_is_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t cp, vs;
    } rows[] = {
        {"山田 辻\U000E010A", 0x8FBB, 0xE010A}, /* no font has this sequence */
        {"山\uFE00", 0x5C71, 0xFE00},           /* nor a standardized one */
        {"\U000E0100田", 0xE0100, 0},           /* a selector with nothing before it */
        {"田\uE000", 0xE000, 0},                /* Private Use Area: the gaiji map's job */
        {"\xE8\xBE", 0xFFFD, 0},                /* malformed UTF-8 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct glyph gl[8];
        uint32_t bad[2] = {0};
        if (glyphs_resolve(src, GF_MINCHO, rows[i].text, gl, 8, bad) != -1 ||
            bad[0] != rows[i].cp || bad[1] != rows[i].vs)
            fail_msg("row %zu: bad %X %X", i, (unsigned)bad[0], (unsigned)bad[1]);
    }
    char name[40];
    uint32_t seq[2] = {0x8FBB, 0xE010A};
    glyphs_name(seq, name, sizeof name);
    assert_string_equal(name, "U+8FBB U+E010A");
}

/* BIZ UD (large print): every glyph from its own font by ID, never libharu's text, IPAmj明朝
 * behind it; left out (""), it resolves nothing. */
static void test_ud_fonts(void **state)
{
    (void)state;
    const char *ud[GF_COUNT] = {paths[0], paths[1], paths[2],
                                "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf",
                                "/usr/share/fonts/truetype/bizud-mincho/BIZUDMincho-Regular.ttf"};
    struct glyph_source *g = NULL;
    struct cn_err err = {0};
    assert_int_equal(glyphs_load(ud, &g, &err), CN_OK);
    struct glyph gl[4];
    uint32_t bad[2];
    assert_int_equal(glyphs_resolve(g, GF_UD_GOTHIC, "見本A", gl, 4, bad), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(gl[i].font, GF_UD_GOTHIC);
        assert_false(gl[i].libharu);
    }
    assert_int_equal(glyphs_resolve(g, GF_UD_MINCHO, "辻", gl, 4, bad), 1);
    assert_int_equal(gl[0].font, GF_UD_MINCHO);
    glyphs_free(g);
    /* Without the BIZ UD fonts (src), a UD base finds only IPAmj明朝's glyphs. */
    assert_int_equal(glyphs_resolve(src, GF_UD_GOTHIC, "見", gl, 4, bad), 1);
    assert_int_equal(gl[0].font, GF_MJ);
}

static void test_mixed_text_and_positions(void **state)
{
    (void)state;
    const char *t = "𠮷田\n辻\U000E0102様";
    struct glyph gl[8];
    uint32_t bad[2];
    assert_int_equal(glyphs_resolve(src, GF_MINCHO, t, gl, 8, bad), 5);
    assert_true(glyphs_text_needs_mj(src, GF_MINCHO, t));
    assert_false(glyphs_text_needs_mj(src, GF_MINCHO, "𡈽田\n辻\U000E0100様"));
    assert_int_equal(gl[0].start, 0);
    assert_int_equal(gl[0].len, 4);
    assert_true(gl[1].libharu);
    assert_int_equal(gl[2].cp, '\n');
    assert_int_equal(gl[3].len, 7);
    assert_int_equal(gl[4].start, 15);
    /* The count without room to store them. */
    assert_int_equal(glyphs_resolve(src, GF_MINCHO, t, NULL, 0, bad), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_font_named),
        cmocka_unit_test(test_resolution_table),
        cmocka_unit_test(test_sequences_are_distinct_glyphs),
        cmocka_unit_test(test_unknown_sequence_is_refused),
        cmocka_unit_test(test_mixed_text_and_positions),
        cmocka_unit_test(test_ud_fonts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
