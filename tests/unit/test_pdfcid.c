/* pdfcid: a glyph-ID font in libharu's document with exact ToUnicode; libharu's own
 * ToUnicode repaired. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hpdf.h>

#include "pdfcid.h"

#define MINCHO "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"
#define MJ "/usr/share/fonts/truetype/ipamj/ipamjm.ttf"

static void quiet(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)e, (void)d, (void)u;
}

/* Saves pdf uncompressed to a temporary file, frees it and returns the file's bytes
 * (NUL-terminated). */
static char *save(HPDF_Doc pdf, size_t *len)
{
    char path[] = "/tmp/test_pdfcid.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 4 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (4 << 20) - 1, fp);
    fclose(fp);
    unlink(path);
    HPDF_Free(pdf);
    return buf;
}

static bool contains(const char *buf, size_t len, const char *s)
{
    return memmem(buf, len, s, strlen(s)) != NULL;
}

/* A document with IPAex明朝 loaded by libharu and one page using it. */
static HPDF_Doc new_doc(HPDF_Font *font, HPDF_Page *page)
{
    HPDF_Doc pdf = HPDF_New(quiet, NULL);
    assert_non_null(pdf);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    const char *name = HPDF_LoadTTFontFromFile(pdf, MINCHO, HPDF_TRUE);
    assert_non_null(name);
    *font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_non_null(*font);
    *page = HPDF_AddPage(pdf);
    HPDF_Page_SetFontAndSize(*page, *font, 10);
    return pdf;
}

static void test_glyphs_map_back_to_their_sequences(void **state)
{
    (void)state;
    HPDF_Font font;
    HPDF_Page page;
    HPDF_Doc pdf = new_doc(&font, &page);
    struct pdfcid *f = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfcid_new(pdf, MJ, "CM2", &f, &err), CN_OK);
    /* 𠮷, 辻+E0102 and 辻+E0103 (gids of IPAmj明朝), the first one twice. */
    const struct canvas_glyph gl[] = {
        {32914, 1000, "𠮷", 4},
        {26795, 1000, "辻\U000E0102", 7},
        {26796, 1000, "辻\U000E0103", 7},
        {32914, 1000, "𠮷", 4},
    };
    assert_int_equal(pdfcid_show(f, page, 15, 100, 700, gl, 4, &err), CN_OK);
    /* One glyph under two sequences gets two codes, each mapping back to its own text. */
    const struct canvas_glyph same[] = {{26795, 1000, "辻\U000E0102", 7}, {26795, 980, "辻", 3}};
    assert_int_equal(pdfcid_show(f, page, 15, 100, 650, same, 2, &err), CN_OK);
    assert_int_equal(pdfcid_finish(f, &err), CN_OK);
    pdfcid_free(f);
    size_t len;
    char *buf = save(pdf, &len);
    assert_true(contains(buf, len, "/CM2 15.00 Tf"));
    assert_true(contains(buf, len, "<0001000200030001> Tj"));
    assert_true(contains(buf, len, "<00020004> Tj"));
    assert_true(contains(buf, len, "<0001> <D842DFB7>"));
    assert_true(contains(buf, len, "<0002> <8FBBDB40DD02>"));
    assert_true(contains(buf, len, "<0003> <8FBBDB40DD03>"));
    assert_true(contains(buf, len, "<0004> <8FBB>"));
    assert_true(contains(buf, len, "/W [ 1 [ 1000 1000 1000 980 ] ]"));
    assert_true(contains(buf, len, "/Subtype /CIDFontType2"));
    assert_true(contains(buf, len, "/CIDToGIDMap"));
    assert_true(contains(buf, len, "/FontFile2"));
    assert_true(contains(buf, len, "+IPAmjMincho"));
    free(buf);
}

static void test_unused_font_leaves_nothing(void **state)
{
    (void)state;
    HPDF_Font font;
    HPDF_Page page;
    HPDF_Doc pdf = new_doc(&font, &page);
    struct pdfcid *f = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfcid_new(pdf, MJ, "CM2", &f, &err), CN_OK);
    assert_int_equal(pdfcid_finish(f, &err), CN_OK);
    pdfcid_free(f);
    size_t len;
    char *buf = save(pdf, &len);
    assert_false(contains(buf, len, "IPAmjMincho"));
    assert_false(contains(buf, len, "/CM2"));
    free(buf);
}

static void test_libharu_tounicode_repaired(void **state)
{
    (void)state;
    HPDF_Font font;
    HPDF_Page page;
    HPDF_Doc pdf = new_doc(&font, &page);
    assert_true(pdfcid_fix_libharu_tounicode(font));
    size_t len;
    char *buf = save(pdf, &len);
    assert_false(contains(buf, len, "begincidrange"));
    assert_true(contains(buf, len, "<4E00> <4EFF> <4E00>"));
    assert_true(contains(buf, len, "<D700> <D7FF> <D700>\n<E000> <E0FF> <E000>"));
    assert_true(contains(buf, len, "100 beginbfrange"));
    assert_true(contains(buf, len, "48 beginbfrange"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glyphs_map_back_to_their_sequences),
        cmocka_unit_test(test_unused_font_leaves_nothing),
        cmocka_unit_test(test_libharu_tounicode_repaired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
