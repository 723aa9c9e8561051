#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* flock() rather than a pid file: the kernel drops the lock when the holder dies, even by
 * SIGKILL, so a crashed run never blocks the next night. */
struct run_lock {
    int fd;
};

int lock_acquire(const char *db_path, struct run_lock **out, struct cn_err *err)
{
    char path[600];
    snprintf(path, sizeof path, "%s.lock", db_path);
    *out = NULL;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot open lock file: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[128] = "";
        ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        close(fd);
        return cn_fail(err, CN_ELOCK, "%s: another run holds the lock (%s)", path,
                       holder[0] ? holder : "holder unknown");
    }
    char info[128];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int len = snprintf(info, sizeof info, "pid %ld since ", (long)getpid());
    len += (int)strftime(info + len, sizeof info - (size_t)len, "%Y-%m-%dT%H:%M:%S\n", &tm);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, info, (size_t)len, 0) != len) {
        close(fd);
        return cn_fail(err, CN_EOUTPUT, "%s: cannot write lock file: %s", path, strerror(errno));
    }
    struct run_lock *lock = malloc(sizeof *lock);
    if (!lock) {
        close(fd);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    lock->fd = fd;
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
