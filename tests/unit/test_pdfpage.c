/* pdfpage: pages share one stream for their static part, drawn once, ahead of each page's
 * own stream, with no other content stream in the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>

#include "pdfpage.h"

struct fill_ctx {
    HPDF_Page page;
    HPDF_Font font;
    int calls;
};

static void fill(void *ctx)
{
    struct fill_ctx *c = ctx;
    c->calls++;
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->font, 12);
    HPDF_Page_TextOut(c->page, 50, 700, "STATIC");
    HPDF_Page_EndText(c->page);
}

static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    for (size_t i = 0; i + nl <= len; i++)
        n += memcmp(hay + i, needle, nl) == 0;
    return n;
}

static void test_static_part_once_before_each_page(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    HPDF_Dict shared = NULL;
    struct fill_ctx c = {.font = font};
    for (int i = 0; i < 3; i++) {
        HPDF_Page page = HPDF_AddPage(pdf);
        c.page = page;
        assert_true(pdfpage_share(page, &shared, fill, &c));
        assert_non_null(shared);
        char text[16];
        snprintf(text, sizeof text, "OWN%d", i);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, 12);
        HPDF_Page_TextOut(page, 50, 600, text);
        HPDF_Page_EndText(page);
    }
    assert_int_equal(c.calls, 1);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf), n = size;
    char *buf = malloc(size + 1);
    assert_non_null(buf);
    HPDF_ResetStream(pdf);
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)buf, &n);
    assert_int_equal(n, size);
    buf[size] = '\0'; /* uncompressed and base-14 font: text throughout */
    assert_int_equal(count(buf, size, "(STATIC) Tj"), 1);
    assert_int_equal(count(buf, size, "(OWN0) Tj"), 1);
    assert_int_equal(count(buf, size, "(OWN2) Tj"), 1);
    /* One shared stream and one stream per page: four streams in all. */
    assert_int_equal(count(buf, size, "endstream"), 4);
    assert_int_equal(count(buf, size, "/Contents ["), 3);
    /* The shared stream comes first, so a page's own drawing lies on top of it. */
    char *stat = strstr(buf, "(STATIC) Tj");
    assert_non_null(stat);
    char *obj = stat;
    while (obj > buf && memcmp(obj, " 0 obj", 6) != 0)
        obj--;
    while (obj > buf && obj[-1] >= '0' && obj[-1] <= '9')
        obj--;
    int shared_id = atoi(obj), first = 0, second = 0;
    const char *contents = strstr(buf, "/Contents [");
    assert_non_null(contents);
    assert_int_equal(sscanf(contents, "/Contents [ %d 0 R %d 0 R", &first, &second), 2);
    assert_int_equal(first, shared_id);
    assert_int_not_equal(second, shared_id);
    free(buf);
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_part_once_before_each_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
