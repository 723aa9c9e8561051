#include "atomfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sync_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int atomfile_write(const char *path, unsigned mode, const char *buf, size_t len, struct cn_err *err)
{
    size_t n = strlen(path) + sizeof ".XXXXXX";
    char *tmp = malloc(n);
    if (!tmp)
        return cn_fail(err, CN_EOUTPUT, "%s: out of memory", path);
    snprintf(tmp, n, "%s.XXXXXX", path);
    int rc = CN_OK;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot create: %s", tmp, strerror(errno));
        goto out;
    }
    for (size_t done = 0; done < len;) {
        ssize_t w = write(fd, buf + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", tmp, strerror(errno));
            break;
        }
        done += (size_t)w;
    }
    if (!rc && (fchmod(fd, (mode_t)mode) != 0 || fsync(fd) != 0))
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", tmp, strerror(errno));
    if (close(fd) != 0 && !rc)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, path) != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
    if (rc)
        unlink(tmp);
    else if (sync_dir_of(path) != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot sync its folder: %s", path, strerror(errno));
out:
    free(tmp);
    return rc;
}
