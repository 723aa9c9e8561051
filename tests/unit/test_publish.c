/* publish: a batch folder appears complete or not at all; its checksums, manifest (checked
 * against templates/manifest.xsd) and control sheet are what the vendor's tools accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hpdf.h>

#include "config.h"
#include "err.h"
#include "fixture_db.h"
#include "publish.h"
#include "sha256.h"

#define GOTHIC "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
#define XSD "templates/manifest.xsd" /* tests run from the repository root */

struct fixture {
    char tmp[100];
    char out[112];
    struct config cfg;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    if (fixture_db_setup(state))
        return -1;
    snprintf(f->tmp, sizeof f->tmp, "%s", fixture_dir);
    snprintf(f->out, sizeof f->out, "%s/out", f->tmp);
    if (mkdir(f->out, 0755) != 0)
        return -1;
    snprintf(f->cfg.municipality, sizeof f->cfg.municipality, "春日井市");
    snprintf(f->cfg.font_gothic, sizeof f->cfg.font_gothic, "%s", GOTHIC);
    f->cfg.file_mode = 0600;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    chmod(f->out, 0755); /* a test makes it read-only */
    free(f);
    return fixture_db_teardown(state);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command (quiet), returns its exit status. */
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 0777;
}

/* Names in a folder, sorted and joined with spaces, for "nothing else is visible". */
static void list_dir(const char *path, char *out, size_t cap)
{
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    assert_true(n >= 0);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            if (out[0])
                strncat(out, " ", cap - strlen(out) - 1);
            strncat(out, names[i]->d_name, cap - strlen(out) - 1);
        }
        free(names[i]);
    }
    free(names);
}

static void write_small(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* A stand-in for the renderer's output: a real PDF with the given number of pages. */
static void make_pdf(const char *path, int pages)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
    for (int i = 0; i < pages; i++) {
        HPDF_Page page = HPDF_AddPage(pdf);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, 12);
        HPDF_Page_TextOut(page, 50, 700, "specimen");
        HPDF_Page_EndText(page);
    }
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
    HPDF_Free(pdf);
}

static struct print_file_info file_info(const char *name, long letters, long first_seq,
                                        const char *first_postal, const char *last_postal)
{
    struct print_file_info info;
    memset(&info, 0, sizeof info);
    snprintf(info.name, sizeof info.name, "%s", name);
    info.letters = letters;
    info.pages = 2 * letters;
    info.first_seq = first_seq;
    info.last_seq = first_seq + letters - 1;
    snprintf(info.first_postal, sizeof info.first_postal, "%s", first_postal);
    snprintf(info.last_postal, sizeof info.last_postal, "%s", last_postal);
    return info;
}

/* Two print files of three letters in two postal districts, added and counted. */
static void add_two_files(struct publish *p, struct print_file_info *one,
                          struct print_file_info *two)
{
    struct cn_err err = {0};
    *one = file_info("notices-001.pdf", 2, 1, "4860001", "4868686");
    *two = file_info("notices-002.pdf", 1, 3, "4870001", "4870001");
    make_pdf(publish_path(p, "print/notices-001.pdf"), 4);
    make_pdf(publish_path(p, "print/notices-002.pdf"), 2);
    assert_int_equal(publish_add_print_file(p, one, &err), CN_OK);
    assert_int_equal(publish_add_print_file(p, two, &err), CN_OK);
    publish_count_postal(p, "4860001");
    publish_count_postal(p, "4868686");
    publish_count_postal(p, "487-0001");
}

static void test_full_batch(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    struct print_file_info one, two;
    char final[160], partial[160], path[256];
    snprintf(final, sizeof final, "%s/2026-12-01", f->out);
    snprintf(partial, sizeof partial, "%s/.2026-12-01.partial", f->out);

    assert_int_equal(publish_begin(f->out, "2026-12-01", 0600, &p, &err), CN_OK);
    assert_string_equal(publish_final_dir(p), final);
    assert_int_equal(mode_of(partial), 0700);
    assert_int_equal(mode_of(publish_path(p, "booking")), 0700);
    add_two_files(p, &one, &two);
    assert_int_equal(strlen(one.sha256), 64);
    write_small(publish_path(p, "booking/reservations.csv"), "reservation_id\r\n");
    assert_int_equal(publish_finish(p, &f->cfg, "2026-12-01 nightly", &err), CN_OK);
    assert_false(exists(final)); /* nothing visible before the commit */
    assert_int_equal(publish_commit(p, &err), CN_OK);
    publish_free(p);

    assert_false(exists(partial));
    assert_int_equal(mode_of(final), 0700);
    assert_int_equal(sh("cd '%s/print' && sha256sum -c --quiet --strict SHA256SUMS", final), 0);
    assert_int_equal(sh("test $(wc -l < '%s/print/SHA256SUMS') -eq 5", final), 0);
    assert_int_equal(sh("xmllint --noout --nonet --schema " XSD " '%s/print/manifest.xml' "
                        "2>/dev/null",
                        final),
                     0);
    assert_int_equal(sh("grep -q '<district code=\"486\" letters=\"2\"/>' "
                        "'%s/print/manifest.xml'",
                        final),
                     0);
    assert_int_equal(sh("qpdf --check '%s/print/control-sheet.pdf' >/dev/null", final), 0);
    assert_int_equal(sh("pdffonts '%s/print/control-sheet.pdf' 2>/dev/null | "
                        "grep -Eq 'IPAex.* yes +(yes|no) +(yes|no) +[0-9]+ +[0-9]+ *$'",
                        final),
                     0);
    assert_int_equal(
        sh("pdftotext '%s/print/control-sheet.pdf' - 2>/dev/null | grep -q 春日井市", final), 0);
    assert_int_equal(sh("pdftotext '%s/print/control-sheet.pdf' - 2>/dev/null | grep -q %.16s",
                        final, one.sha256),
                     0);

    char want[512], got[512] = {0};
    snprintf(want, sizeof want,
             "file,letters,pages,first_seq,last_seq,first_postal,last_postal,sha256\r\n"
             "notices-001.pdf,2,4,1,2,4860001,4868686,%s\r\n"
             "notices-002.pdf,1,2,3,3,4870001,4870001,%s\r\n",
             one.sha256, two.sha256);
    snprintf(path, sizeof path, "%s/print/manifest.csv", final);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(got, 1, sizeof got - 1, fp);
    fclose(fp);
    got[n] = '\0';
    assert_string_equal(got, want);

    /* every file in the batch carries the configured mode, the renderer's PDFs included */
    assert_int_equal(mode_of(path), 0600);
    snprintf(path, sizeof path, "%s/print/notices-001.pdf", final);
    assert_int_equal(mode_of(path), 0600);

    /* the checksums do cover the print files */
    assert_int_equal(sh("printf x >> '%s'", path), 0);
    assert_int_not_equal(
        sh("cd '%s/print' && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1", final), 0);
}

static void test_empty_batch(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    assert_int_equal(publish_begin(f->out, "empty", 0600, &p, &err), CN_OK);
    assert_int_equal(publish_finish(p, &f->cfg, "no letters due", &err), CN_OK);
    assert_int_equal(publish_commit(p, &err), CN_OK);
    publish_free(p);
    assert_int_equal(sh("cd '%s/empty/print' && sha256sum -c --quiet SHA256SUMS", f->out), 0);
    assert_int_equal(sh("xmllint --noout --nonet --schema " XSD
                        " '%s/empty/print/manifest.xml' 2>/dev/null",
                        f->out),
                     0);
}

static void test_existing_final_folder(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    char path[160], listing[256];
    snprintf(path, sizeof path, "%s/2026-12-01", f->out);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(publish_begin(f->out, "2026-12-01", 0600, &p, &err), CN_EOUTPUT);
    assert_null(p);
    assert_non_null(strstr(err.msg, "already exists"));
    list_dir(f->out, listing, sizeof listing);
    assert_string_equal(listing, "2026-12-01");
}

static void test_stale_partial_removed_without_following_links(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    char path[256], listing[256];
    assert_int_equal(sh("cd '%s' && mkdir -p .N.partial/print/deep outside && "
                        "echo keep > keep.txt && echo keep > outside/file && "
                        "echo junk > .N.partial/print/deep/junk && "
                        "ln -s ../../keep.txt .N.partial/print/link && "
                        "ln -s ../../outside .N.partial/print/dirlink",
                        f->out),
                     0);
    assert_int_equal(publish_begin(f->out, "N", 0600, &p, &err), CN_OK);
    snprintf(path, sizeof path, "%s/.N.partial/print/deep", f->out);
    assert_false(exists(path));
    snprintf(path, sizeof path, "%s/outside/file", f->out);
    assert_true(exists(path));
    publish_free(p); /* uncommitted: the partial folder goes */
    list_dir(f->out, listing, sizeof listing);
    assert_string_equal(listing, "keep.txt outside");
}

static void test_missing_or_bad_out_root(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    char path[160];
    snprintf(path, sizeof path, "%s/nope", f->tmp);
    assert_int_equal(publish_begin(path, "N", 0600, &p, &err), CN_EOUTPUT);
    assert_null(p);
    assert_non_null(strstr(err.msg, path));
    assert_false(exists(path));

    snprintf(path, sizeof path, "%s/file", f->tmp);
    write_small(path, "not a folder");
    assert_int_equal(publish_begin(path, "N", 0600, &p, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, strerror(ENOTDIR)));

    assert_int_equal(publish_begin(f->out, "../escape", 0600, &p, &err), CN_EUSAGE);
    assert_null(p);
}

/* A write that fails half-way (here: the manifest's name is taken) is reported with its path
 * and leaves nothing in OUT once the publish is freed. */
static void test_write_failure_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    struct print_file_info one, two;
    char listing[256];
    assert_int_equal(publish_begin(f->out, "N", 0600, &p, &err), CN_OK);
    add_two_files(p, &one, &two);
    assert_int_equal(mkdir(publish_path(p, "print/manifest.xml"), 0700), 0);
    assert_int_equal(publish_finish(p, &f->cfg, "run", &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "print/manifest.xml"));
    publish_free(p);
    list_dir(f->out, listing, sizeof listing);
    assert_string_equal(listing, "");
}

/* A full disk, as near as a test can get: the file size limit makes write() fail with
 * EFBIG on the control sheet, which embeds a font and so is the largest file written. */
static void test_disk_full_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    struct print_file_info one, two;
    struct rlimit old, tight;
    char listing[256];
    assert_int_equal(publish_begin(f->out, "N", 0600, &p, &err), CN_OK);
    add_two_files(p, &one, &two);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    tight = old;
    tight.rlim_cur = 16384;
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tight), 0);
    int status = publish_finish(p, &f->cfg, "run", &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(status, CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "control-sheet.pdf"));
    assert_non_null(strstr(err.msg, strerror(EFBIG)));
    publish_free(p);
    list_dir(f->out, listing, sizeof listing);
    assert_string_equal(listing, "");
}

/* A stream whose writes failed is reported when closed, with the write's error; the FILE is
 * asked before it is closed (ferror after fclose reads freed memory). */
static void test_close_reports_a_failed_write(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    fputs("x", f);
    assert_true(ferror(f));
    struct cn_err err = {0};
    assert_int_equal(publish_close(&f, "internal/review.csv", &err), CN_EOUTPUT);
    assert_null(f);
    assert_non_null(strstr(err.msg, "internal/review.csv"));
    assert_non_null(strstr(err.msg, strerror(ENOSPC)));
    f = NULL;
    assert_int_equal(publish_close(&f, "nothing", &err), CN_OK);
}

static void test_postal_counts_must_add_up(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    struct print_file_info one = file_info("notices-001.pdf", 2, 1, "4860001", "4860002");
    assert_int_equal(publish_begin(f->out, "N", 0600, &p, &err), CN_OK);
    make_pdf(publish_path(p, "print/notices-001.pdf"), 4);
    assert_int_equal(publish_add_print_file(p, &one, &err), CN_OK);
    publish_count_postal(p, "4860001");
    assert_int_equal(publish_finish(p, &f->cfg, "run", &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "publish_count_postal"));
    publish_count_postal(p, "48x0002");
    assert_int_equal(publish_finish(p, &f->cfg, "run", &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "without a district"));
    publish_free(p);
}

static void test_add_checks_the_file(void **state)
{
    struct fixture *f = *state;
    struct publish *p = NULL;
    struct cn_err err = {0};
    struct print_file_info missing = file_info("notices-009.pdf", 1, 1, "4860001", "4860001");
    struct print_file_info sneaky = file_info("../x.pdf", 1, 1, "4860001", "4860001");
    assert_int_equal(publish_begin(f->out, "N", 0600, &p, &err), CN_OK);
    assert_int_equal(publish_add_print_file(p, &missing, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "notices-009.pdf"));
    assert_int_equal(publish_add_print_file(p, &sneaky, &err), CN_EOUTPUT);
    struct print_file_info empty = file_info("notices-009.pdf", 0, 1, "4860001", "4860001");
    assert_int_equal(publish_add_print_file(p, &empty, &err), CN_EOUTPUT);
    struct print_file_info hyphen = file_info("notices-009.pdf", 1, 1, "486-001", "4860001");
    assert_int_equal(publish_add_print_file(p, &hyphen, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "486-001"));
    make_pdf(publish_path(p, "print/notices-009.pdf"), 2);
    assert_int_equal(publish_add_print_file(p, &missing, &err), CN_OK);
    assert_int_equal(publish_add_print_file(p, &missing, &err), CN_EOUTPUT);
    publish_free(p);
}

static void test_sha256_known_value(void **state)
{
    struct fixture *f = *state;
    struct cn_err err = {0};
    char path[160], sum[65];
    snprintf(path, sizeof path, "%s/abc", f->tmp);
    write_small(path, "abc");
    assert_int_equal(sha256_file(path, sum, &err), CN_OK);
    assert_string_equal(sum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    snprintf(path, sizeof path, "%s/none", f->tmp);
    assert_int_equal(sha256_file(path, sum, &err), CN_EINPUT);
    assert_non_null(strstr(err.msg, path));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_existing_final_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_partial_removed_without_following_links, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_or_bad_out_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_postal_counts_must_add_up, setup, teardown),
        cmocka_unit_test(test_close_reports_a_failed_write),
        cmocka_unit_test_setup_teardown(test_add_checks_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sha256_known_value, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
