/* pdfdoc: a document embeds its fonts and draws through the canvas; a shared stream is made
 * once per key; the save is atomic (created with its mode, complete, no temporary left),
 * and a failed save leaves nothing under the name. */
#include <dirent.h>
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

#include "pdfdoc.h"

#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_pdfdoc.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

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
    char path[128];
    snprintf(path, sizeof path, "%s/doc.pdf", dir);
    assert_int_equal(pdfdoc_save(d, path, 0640, &err), CN_OK);
    pdfdoc_free(d);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(entries(dir), 1); /* no temporary left */
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
    char path[128];
    snprintf(path, sizeof path, "%s/missing/doc.pdf", dir);
    assert_int_equal(pdfdoc_save(d, path, 0600, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "missing"));
    pdfdoc_free(d);
    assert_int_equal(entries(dir), 0);
}

static void test_unusable_font_is_named(void **state)
{
    (void)state;
    char bad[128];
    /* Missing: whether a file is a usable font at all is typeset's check, made first. */
    snprintf(bad, sizeof bad, "%s/not-a-font.ttf", dir);
    const char *fonts[] = {GOTHIC, bad};
    struct pdfdoc *d = NULL;
    struct cn_err err = {0};
    assert_int_equal(pdfdoc_new(fonts, 2, &d, &err), CN_EUSAGE);
    assert_null(d);
    assert_non_null(strstr(err.msg, "not-a-font.ttf"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_text_and_atomic_save),
        cmocka_unit_test(test_failed_save_leaves_nothing),
        cmocka_unit_test(test_unusable_font_is_named),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
