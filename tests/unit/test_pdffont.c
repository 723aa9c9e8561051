/* pdffont: the fast cmap gives libharu the same glyph for every BMP code point as the font's
 * own cmap, and the PDF written with it is byte for byte the one written without. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "pdffont.h"

static const char *const fonts[] = {
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf",
};

static void test_every_code_point_keeps_its_glyph(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof fonts / sizeof *fonts; k++) {
        HPDF_Doc slow = HPDF_New(NULL, NULL), fast = HPDF_New(NULL, NULL);
        assert_non_null(slow);
        assert_non_null(fast);
        const char *ns = HPDF_LoadTTFontFromFile(slow, fonts[k], HPDF_TRUE);
        const char *nf = HPDF_LoadTTFontFromFile(fast, fonts[k], HPDF_TRUE);
        assert_non_null(ns);
        assert_non_null(nf);
        assert_true(pdffont_index(fast, nf));
        HPDF_FontDef ds = HPDF_GetFontDef(slow, ns), df = HPDF_GetFontDef(fast, nf);
        long differ = 0;
        for (unsigned u = 0; u <= 0xFFFF; u++)
            differ += HPDF_TTFontDef_GetGlyphid(ds, (HPDF_UINT16)u) !=
                      HPDF_TTFontDef_GetGlyphid(df, (HPDF_UINT16)u);
        assert_int_equal(differ, 0);
        HPDF_Free(slow);
        HPDF_Free(fast);
    }
}

/* A page of Japanese text, with or without the fast cmap; returns the PDF's bytes. */
static unsigned char *render(bool indexed, size_t *len)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    const char *name = HPDF_LoadTTFontFromFile(pdf, fonts[0], HPDF_TRUE);
    assert_non_null(name);
    if (indexed)
        assert_true(pdffont_index(pdf, name));
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_non_null(font);
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 12);
    HPDF_Page_TextOut(page, 50, 700, "見本市長　〒100-0001　電子証明書の有効期限（令和8年）ABCxyz");
    HPDF_Page_EndText(page);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    unsigned char *buf = malloc(size);
    assert_non_null(buf);
    HPDF_UINT32 n = size;
    HPDF_ResetStream(pdf);
    HPDF_ReadFromStream(pdf, buf, &n);
    assert_int_equal(n, size);
    HPDF_Free(pdf);
    *len = size;
    return buf;
}

static void test_pdf_bytes_unchanged(void **state)
{
    (void)state;
    size_t la, lb;
    unsigned char *a = render(false, &la), *b = render(true, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

static void test_unknown_font_name_changes_nothing(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_false(pdffont_index(pdf, "Helvetica"));
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_point_keeps_its_glyph),
        cmocka_unit_test(test_pdf_bytes_unchanged),
        cmocka_unit_test(test_unknown_font_name_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
