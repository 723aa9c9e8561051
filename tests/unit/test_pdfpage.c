/* pdfpage: pages share streams for the parts many of them have, each drawn once, ahead of
 * each page's own stream, with no other content stream in the file; the pages' fonts and
 * size go to the page tree's root once. */
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

/* The document saved uncompressed, NUL-terminated; *size its length. */
static char *saved(HPDF_Doc pdf, HPDF_UINT32 *size)
{
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 n = *size = HPDF_GetStreamSize(pdf);
    char *buf = malloc(*size + 1);
    assert_non_null(buf);
    HPDF_ResetStream(pdf);
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)buf, &n);
    assert_int_equal(n, *size);
    buf[*size] = '\0';
    return buf;
}

struct text_ctx {
    HPDF_Page page;
    HPDF_Font font;
    const char *text;
    int calls;
};

static void fill_text(void *ctx)
{
    struct text_ctx *c = ctx;
    c->calls++;
    HPDF_Page_BeginText(c->page);
    HPDF_Page_SetFontAndSize(c->page, c->font, 12);
    HPDF_Page_TextOut(c->page, 50, 700, c->text);
    HPDF_Page_EndText(c->page);
}

/* A page with two shared layers has them in the order shared, then its own stream. */
static void test_two_shared_streams_in_order(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    HPDF_Dict first = NULL, second[2] = {NULL, NULL};
    struct text_ctx a = {.font = font, .text = "LAYERA"}, b = {.font = font, .text = "LAYERB"};
    for (int i = 0; i < 4; i++) {
        HPDF_Page page = HPDF_AddPage(pdf);
        a.page = b.page = page;
        assert_true(pdfpage_share(page, &first, fill_text, &a));
        assert_true(pdfpage_share(page, &second[i % 2], fill_text, &b));
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, 12);
        HPDF_Page_TextOut(page, 50, 600, "OWN");
        HPDF_Page_EndText(page);
    }
    assert_int_equal(a.calls, 1);
    assert_int_equal(b.calls, 2); /* two keys of the second layer */
    HPDF_UINT32 size;
    char *buf = saved(pdf, &size);
    /* Three shared streams and one a page. */
    assert_int_equal(count(buf, size, "endstream"), 7);
    int ids[4][3];
    const char *at = buf;
    for (int i = 0; i < 4; i++) {
        at = strstr(at, "/Contents [");
        assert_non_null(at);
        assert_int_equal(
            sscanf(at, "/Contents [ %d 0 R %d 0 R %d 0 R", &ids[i][0], &ids[i][1], &ids[i][2]), 3);
        at++;
    }
    for (int i = 1; i < 4; i++)
        assert_int_equal(ids[i][0], ids[0][0]); /* the first layer, on every page */
    assert_int_equal(ids[2][1], ids[0][1]);     /* the second, by key */
    assert_int_equal(ids[3][1], ids[1][1]);
    assert_int_not_equal(ids[0][1], ids[1][1]);
    assert_int_not_equal(ids[0][2], ids[1][2]); /* each page's own */
    free(buf);
    HPDF_Free(pdf);
}

/* Pages naming the same fonts at the same size inherit both from the tree's root. */
static void test_hoist_fonts_and_size(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    HPDF_Font helv = HPDF_GetFont(pdf, "Helvetica", NULL);
    HPDF_Font times = HPDF_GetFont(pdf, "Times-Roman", NULL);
    for (int i = 0; i < 3; i++) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, 595.3f);
        HPDF_Page_SetHeight(page, 841.9f);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, helv, 12);
        /* the last page names a second font: the root names both */
        if (i == 2)
            HPDF_Page_SetFontAndSize(page, times, 12);
        HPDF_Page_TextOut(page, 50, 600, "X");
        HPDF_Page_EndText(page);
    }
    assert_true(pdfpage_hoist(pdf));
    HPDF_UINT32 size;
    char *buf = saved(pdf, &size);
    assert_int_equal(count(buf, size, "/Resources"), 1);
    assert_int_equal(count(buf, size, "/MediaBox"), 1);
    const char *root = strstr(buf, "/Type /Pages");
    assert_non_null(root);
    const char *res = strstr(buf, "/Resources"), *end = strstr(root, "endobj");
    while (root > buf && memcmp(root, " obj", 4) != 0)
        root--;
    assert_true(res > root && res < end); /* in the root's dictionary */
    /* ... naming both fonts */
    const char *f1 = strstr(res, "/F1 "), *f2 = strstr(res, "/F2 ");
    assert_true(f1 && f1 < end && f2 && f2 < end);
    free(buf);
    HPDF_Free(pdf);

    /* Pages of two sizes keep their sizes, and share their fonts all the same. */
    pdf = HPDF_New(NULL, NULL);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
    helv = HPDF_GetFont(pdf, "Helvetica", NULL);
    for (int i = 0; i < 2; i++) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_SetWidth(page, i ? 300.0f : 595.3f);
        HPDF_Page_SetFontAndSize(page, helv, 12);
    }
    assert_true(pdfpage_hoist(pdf));
    buf = saved(pdf, &size);
    assert_int_equal(count(buf, size, "/Resources"), 1);
    assert_int_equal(count(buf, size, "/MediaBox"), 2);
    free(buf);
    HPDF_Free(pdf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_part_once_before_each_page),
        cmocka_unit_test(test_two_shared_streams_in_order),
        cmocka_unit_test(test_hoist_fonts_and_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
