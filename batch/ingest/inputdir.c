#include "inputdir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "grow.h"

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcasecmp(name + n - k, suffix) == 0;
}

bool inputdir_is_csv(const char *name)
{
    return has_suffix(name, ".csv");
}

bool inputdir_is_xml(const char *name)
{
    return has_suffix(name, ".xml");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's *.csv and *.xml regular files in name order (hidden files skipped: editors
 * and half-finished transfers leave them). */
int inputdir_list(const char *dir, char ***out, size_t *n_out, struct cn_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return cn_fail(err, CN_EINPUT, "%s: cannot open folder: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = CN_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !(inputdir_is_csv(e->d_name) || inputdir_is_xml(e->d_name)))
            continue;
        char *full = NULL;
        struct stat sb;
        if (asprintf(&full, "%s/%s", dir, e->d_name) < 0) {
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            break;
        }
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(full);
            continue;
        }
        char **grown = grow_for_one(names, &cap, n, sizeof *names, 16);
        if (!grown) {
            free(full);
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            break;
        }
        names = grown;
        names[n++] = full;
    }
    closedir(d);
    if (rc != CN_OK) {
        inputdir_free(names, n);
        return rc;
    }
    if (n)
        qsort(names, n, sizeof *names, by_name);
    *out = names;
    *n_out = n;
    return CN_OK;
}

void inputdir_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}
