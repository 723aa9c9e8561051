/* Tests for atomicfile: the final name shows the old content or the new, never a part;
 * the mode is the one asked for; an abort, a failed rename and a folder that cannot take
 * the file leave no temporary file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomicfile.h"
#include "fixture_db.h"

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void replaces_whole_with_its_mode(void **state)
{
    (void)state;
    char path[400], buf[64];
    snprintf(path, sizeof path, "%s/feed.csv", fixture_dir);
    FILE *old = fopen(path, "w");
    assert_non_null(old);
    fputs("old\n", old);
    fclose(old);

    struct atomicfile a;
    struct cn_err err = {0};
    assert_int_equal(atomicfile_open(&a, path, 0640, &err), CN_OK);
    FILE *f = atomicfile_stream(&a, &err);
    assert_non_null(f);
    fputs("new\n", f);
    assert_int_equal(fixture_files_in(fixture_dir), 2); /* beside it, under another name */
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "old\n"); /* until the commit */
    assert_int_equal(atomicfile_commit(&a, &err), CN_OK);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "new\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(fixture_files_in(fixture_dir), 1);
    atomicfile_abort(&a); /* harmless after a commit */
    assert_int_equal(access(path, F_OK), 0);
}

static void abort_and_failures_leave_nothing(void **state)
{
    (void)state;
    char path[400];
    struct atomicfile a;
    struct cn_err err = {0};
    snprintf(path, sizeof path, "%s/x.pdf", fixture_dir);
    assert_int_equal(atomicfile_open(&a, path, 0, &err), CN_OK);
    struct stat st;
    assert_int_equal(fstat(a.fd, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* 0: private */
    assert_int_equal(write(a.fd, "abc", 3), 3);
    atomicfile_abort(&a);
    assert_int_equal(fixture_files_in(fixture_dir), 0);

    /* The final name is a folder: rename fails, the temporary file goes. */
    snprintf(path, sizeof path, "%s/taken", fixture_dir);
    assert_int_equal(mkdir(path, 0700), 0);
    char inside[420];
    snprintf(inside, sizeof inside, "%s/f", path);
    assert_int_equal(mkdir(inside, 0700), 0);
    assert_int_equal(atomicfile_open(&a, path, 0600, &err), CN_OK);
    assert_int_equal(atomicfile_commit(&a, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "cannot rename"));
    assert_int_equal(fixture_files_in(fixture_dir), 1); /* the folder only */

    /* No folder to write in. */
    snprintf(path, sizeof path, "%s/none/x.csv", fixture_dir);
    assert_int_equal(atomicfile_open(&a, path, 0600, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "cannot create"));
    atomicfile_abort(&a); /* harmless after a failed open */
}

static void writes_a_buffer_whole(void **state)
{
    (void)state;
    char path[200], buf[64];
    struct cn_err err = {0};
    snprintf(path, sizeof path, "%s/chart.svg", fixture_dir);
    assert_int_equal(atomicfile_write(path, 0640, "<svg/>\n", 7, &err), CN_OK);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "<svg/>\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_int_equal(fixture_files_in(fixture_dir), 1);
    snprintf(path, sizeof path, "%s/none/chart.svg", fixture_dir);
    assert_int_equal(atomicfile_write(path, 0600, "x", 1, &err), CN_EOUTPUT);
    assert_int_equal(fixture_files_in(fixture_dir), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(replaces_whole_with_its_mode, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(abort_and_failures_leave_nothing, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(writes_a_buffer_whole, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
