#include "fixture_db.h"

#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

char fixture_dir[128];
char fixture_db_path[160];

int fixture_db_setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/cn-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fixture_dir))
        return -1;
    snprintf(fixture_db_path, sizeof fixture_db_path, "%s/cn.db", fixture_dir);
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

int fixture_db_teardown(void **state)
{
    (void)state;
    /* Depth first, not following links: the tests may leave batches and files of their own
     * in the folder, never outside it. */
    int rc = fixture_dir[0] ? nftw(fixture_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) : 0;
    fixture_dir[0] = fixture_db_path[0] = '\0';
    return rc == 0 ? 0 : -1;
}

struct store *fixture_db_open(void)
{
    struct store *s = NULL;
    struct cn_err err = {0};
    if (store_open(fixture_db_path, 0600, &s, &err) != CN_OK)
        fail_msg("store_open %s: %s", fixture_db_path, err.msg);
    return s;
}

int fixture_files_in(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}
