#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* The lock is flock() on the database file itself: any path that reaches the file (a
 * symlink, "./db", a bind mount, a hard link) reaches the same inode, hence the same lock,
 * and the kernel drops it when the holder dies, even by SIGKILL. It does not disturb
 * SQLite, whose locks are fcntl() byte ranges, a separate kind on local file systems (the
 * only kind WAL mode supports). The fd stays open until after the store is closed:
 * closing any descriptor of the file would drop SQLite's own fcntl locks.
 *
 * DB.lock beside the resolved database path only names the holder for the refusal; it is
 * never the lock. */
struct run_lock {
    int fd;
};

/* The holder-info file's path: the database's resolved path + ".lock". */
static int info_path(const char *db_path, char out[PATH_MAX + 8], struct cn_err *err)
{
    char real[PATH_MAX];
    if (!realpath(db_path, real))
        return cn_fail(err, CN_EOUTPUT, "%s: cannot resolve the database path: %s", db_path,
                       strerror(errno));
    if ((size_t)snprintf(out, PATH_MAX + 8, "%s.lock", real) >= PATH_MAX)
        return cn_fail(err, CN_EUSAGE, "%s.lock: path too long (at most %d bytes)", real,
                       PATH_MAX - 1);
    return CN_OK;
}

static void read_holder(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = pread(fd, out, cap - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    close(fd);
}

static int write_holder(const char *path, struct cn_err *err)
{
    char info[128];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int len = snprintf(info, sizeof info, "pid %ld since ", (long)getpid());
    len += (int)strftime(info + len, sizeof info - (size_t)len, "%Y-%m-%dT%H:%M:%S\n", &tm);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot open lock file: %s", path, strerror(errno));
    int ok = ftruncate(fd, 0) == 0 && pwrite(fd, info, (size_t)len, 0) == len;
    int saved = errno;
    close(fd);
    if (!ok)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot write lock file: %s", path, strerror(saved));
    return CN_OK;
}

int lock_acquire(const char *db_path, unsigned mode, struct run_lock **out, struct cn_err *err)
{
    *out = NULL;
    /* Created here if absent, with the database's own mode, so it never exists wider. */
    int fd = open(db_path, O_RDWR | O_CREAT | O_CLOEXEC, mode ? mode : 0600);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot open database: %s", db_path, strerror(errno));
    char info[PATH_MAX + 8];
    int rc = info_path(db_path, info, err);
    if (rc != CN_OK) {
        close(fd);
        return rc;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        close(fd);
        if (saved != EWOULDBLOCK)
            return cn_fail(err, CN_EOUTPUT, "%s: cannot lock the database: %s", db_path,
                           strerror(saved));
        char holder[128];
        read_holder(info, holder, sizeof holder);
        return cn_fail(err, CN_ELOCK, "%s: another run holds the database's lock (%s; see %s)",
                       db_path, holder[0] ? holder : "holder unknown", info);
    }
    struct run_lock *lock = malloc(sizeof *lock);
    if (!lock) {
        close(fd);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    lock->fd = fd;
    if ((rc = write_holder(info, err)) != CN_OK) {
        lock_release(lock);
        return rc;
    }
    *out = lock;
    return CN_OK;
}

void lock_release(struct run_lock *lock)
{
    if (!lock)
        return;
    close(lock->fd); /* closing drops the flock */
    free(lock);
}
