#include "atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomicfile_open(struct atomicfile *a, const char *path, unsigned mode, struct cn_err *err)
{
    memset(a, 0, sizeof *a);
    a->fd = -1;
    if ((size_t)snprintf(a->path, sizeof a->path, "%s", path) >= sizeof a->path ||
        (size_t)snprintf(a->tmp, sizeof a->tmp, "%s.tmp-XXXXXX", path) >= sizeof a->tmp) {
        a->tmp[0] = '\0';
        return cn_fail(err, CN_EOUTPUT, "%s: path too long", path);
    }
    a->fd = mkstemp(a->tmp); /* 0600 from the first moment */
    if (a->fd < 0) {
        const int rc = cn_fail(err, CN_EOUTPUT, "%s: cannot create: %s", a->tmp, strerror(errno));
        a->tmp[0] = '\0';
        return rc;
    }
    if (fchmod(a->fd, (mode_t)(mode ? mode : 0600)) != 0) {
        const int rc = cn_fail(err, CN_EOUTPUT, "%s: chmod: %s", a->tmp, strerror(errno));
        atomicfile_abort(a);
        return rc;
    }
    return CN_OK;
}

FILE *atomicfile_stream(struct atomicfile *a, struct cn_err *err)
{
    if (!a->stream && a->fd >= 0) {
        a->stream = fdopen(a->fd, "w");
        if (!a->stream)
            cn_fail(err, CN_EOUTPUT, "%s: %s", a->tmp, strerror(errno));
    }
    return a->stream;
}

static int fsync_folder(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    const int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return -1;
    const int rc = fsync(fd);
    close(fd);
    return rc;
}

int atomicfile_commit(struct atomicfile *a, struct cn_err *err)
{
    int rc = CN_OK;
    if (a->stream && fflush(a->stream) != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", a->tmp, strerror(errno));
    if (!rc && fsync(a->fd) != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: fsync: %s", a->tmp, strerror(errno));
    /* The stream owns the descriptor once there is one; either is closed exactly once. */
    const int closed = a->stream ? fclose(a->stream) : close(a->fd);
    a->stream = NULL;
    a->fd = -1;
    if (!rc && closed != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", a->tmp, strerror(errno));
    if (!rc && rename(a->tmp, a->path) != 0)
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot rename to %s: %s", a->tmp, a->path,
                     strerror(errno));
    if (rc) {
        atomicfile_abort(a);
        return rc;
    }
    a->tmp[0] = '\0';
    if (fsync_folder(a->path) != 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot sync its folder: %s", a->path, strerror(errno));
    return CN_OK;
}

void atomicfile_abort(struct atomicfile *a)
{
    if (a->stream)
        fclose(a->stream);
    else if (a->fd >= 0)
        close(a->fd);
    a->stream = NULL;
    a->fd = -1;
    if (a->tmp[0])
        unlink(a->tmp);
    a->tmp[0] = '\0';
}

int atomicfile_write(const char *path, unsigned mode, const char *buf, size_t len,
                     struct cn_err *err)
{
    struct atomicfile a;
    int rc = atomicfile_open(&a, path, mode, err);
    for (size_t done = 0; !rc && done < len;) {
        const ssize_t w = write(a.fd, buf + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", a.tmp,
                         w < 0 ? strerror(errno) : "nothing written");
        else
            done += (size_t)w;
    }
    if (rc) {
        atomicfile_abort(&a);
        return rc;
    }
    return atomicfile_commit(&a, err);
}
