/* pdfdoc: a document embeds its fonts and draws through the canvas; a shared stream is made
 * once per key; the save is atomic (created with its mode, complete, no temporary left),
 * and a failed save leaves nothing under the name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "pdfdoc.h"

#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

static int fills;
static void count_fill(void *ctx)
{
    const struct canvas *c = ctx;
    fills++;
    c->ops->rect(c->ctx, 10, 10, 20, 20);
    c->ops->fill(c->ctx);
}

static void test_pages_text_and_atomic_save(void **state)
{
    (void)state;
    const char *fonts[] = {GOTHIC};
    struct pdfdoc *d = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfdoc_new(fonts, 1, &d, &err), CN_OK);
    fills = 0;
    for (int i = 0; i < 3; i++) {
        const struct canvas *c = NULL;
        assert_int_equal(pdfdoc_add_page(d, 595, 842, &c, &err), CN_OK);
        pdfdoc_name_fonts(d);
        assert_int_equal(pdfdoc_share(d, "same", count_fill, (void *)c), 1);
        c->ops->text(c->ctx, 0, 12, 72, 700, "見本 ページ");
    }
    assert_int_equal(fills, 1); /* the shared part is drawn once for all three pages */
    assert_int_equal(pdfdoc_pages(d), 3);
    assert_int_equal(pdfdoc_status(d, "test", &err), CN_OK);
    char path[200];
    snprintf(path, sizeof path, "%s/doc.pdf", fixture_dir);
    assert_int_equal(pdfdoc_save(d, path, 0640, &err), CN_OK);
    pdfdoc_free(d);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(fixture_files_in(fixture_dir), 1); /* no temporary left */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null && pdftotext %s - | grep -q '見本'", path,
             path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
}

static void test_failed_save_leaves_nothing(void **state)
{
    (void)state;
    const char *fonts[] = {GOTHIC};
    struct pdfdoc *d = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfdoc_new(fonts, 1, &d, &err), CN_OK);
    const struct canvas *c = NULL;
    assert_int_equal(pdfdoc_add_page(d, 595, 842, &c, &err), CN_OK);
    char path[200];
    snprintf(path, sizeof path, "%s/missing/doc.pdf", fixture_dir);
    assert_int_equal(pdfdoc_save(d, path, 0600, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "missing"));
    pdfdoc_free(d);
    assert_int_equal(fixture_files_in(fixture_dir), 0);
}

static void test_unusable_font_is_named(void **state)
{
    (void)state;
    char bad[200];
    /* Missing: whether a file is a usable font at all is typeset's check, made first. */
    snprintf(bad, sizeof bad, "%s/not-a-font.ttf", fixture_dir);
    const char *fonts[] = {GOTHIC, bad};
    struct pdfdoc *d = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfdoc_new(fonts, 2, &d, &err), CN_EUSAGE);
    assert_null(d);
    assert_non_null(strstr(err.msg, "not-a-font.ttf"));
}

static void draw_glyph(void *ctx)
{
    const struct canvas *c = ctx;
    const struct canvas_glyph g = {32914, 1000, "𠮷", 4}; /* IPAmj明朝's 𠮷 */
    fills++;
    c->ops->glyphs(c->ctx, 0, 15, 72, 600, &g, 1);
}

/* Glyphs by ID go into a glyph font; a page that only shares the stream that showed them
 * still names the font; an unknown glyph font is an error, not a silent blank. */
static void test_glyph_fonts(void **state)
{
    (void)state;
    const char *fonts[] = {GOTHIC}, *glyph_fonts[] = {"/usr/share/fonts/truetype/ipamj/ipamjm.ttf"};
    struct pdfdoc *d = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfdoc_new(fonts, 1, &d, &err), CN_OK);
    assert_int_equal(pdfdoc_glyph_fonts(d, glyph_fonts, 1, &err), CN_OK);
    fills = 0;
    for (int i = 0; i < 2; i++) {
        const struct canvas *c = NULL;
        assert_int_equal(pdfdoc_add_page(d, 595, 842, &c, &err), CN_OK);
        pdfdoc_name_fonts(d);
        assert_int_equal(pdfdoc_share(d, "mj", draw_glyph, (void *)c), 1);
    }
    assert_int_equal(fills, 1);
    assert_int_equal(pdfdoc_status(d, "test", &err), CN_OK);
    char path[200];
    snprintf(path, sizeof path, "%s/glyphs.pdf", fixture_dir);
    assert_int_equal(pdfdoc_save(d, path, 0600, &err), CN_OK);
    pdfdoc_free(d);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdffonts %s | grep -q 'IPAmjMincho.*CID TrueType *Identity-H *yes'",
             path);
    assert_int_equal(system(cmd), 0);
    /* Both pages name the font: poppler extracts 𠮷 from each. */
    snprintf(cmd, sizeof cmd, "test $(pdftotext %s - 2>/dev/null | grep -c '𠮷') -eq 2", path);
    assert_int_equal(system(cmd), 0);
    unlink(path); /* the other tests count the folder's files */

    assert_int_equal(pdfdoc_new(fonts, 1, &d, &err), CN_OK);
    const struct canvas *c = NULL;
    assert_int_equal(pdfdoc_add_page(d, 595, 842, &c, &err), CN_OK);
    const struct canvas_glyph g = {1, 1000, "a", 1};
    c->ops->glyphs(c->ctx, 3, 10, 0, 0, &g, 1);
    assert_int_equal(pdfdoc_status(d, "test", &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "no glyph font 3"));
    pdfdoc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glyph_fonts),
        cmocka_unit_test(test_pages_text_and_atomic_save),
        cmocka_unit_test(test_failed_save_leaves_nothing),
        cmocka_unit_test(test_unusable_font_is_named),
    };
    return cmocka_run_group_tests(tests, fixture_db_setup, fixture_db_teardown);
}
