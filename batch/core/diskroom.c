#include "diskroom.h"

#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

bool diskroom_full(const char *path, long long *free_bytes)
{
    struct statvfs vfs;
    if (statvfs(path, &vfs) != 0)
        return false;
    long long avail = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
    long long size = (long long)vfs.f_blocks * (long long)vfs.f_frsize;
    *free_bytes = avail;
    return avail < (1LL << 20) || avail < size / 100;
}

/* nftw has no context argument; the walk runs on one thread at a time (the run's). */
static _Thread_local struct {
    const char *suffix;
    long long bytes;
    long matching;
} walk;

static int add_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F)
        return 0;
    walk.bytes += (long long)st->st_size;
    size_t n = strlen(path), k = strlen(walk.suffix);
    if (n >= k && strcmp(path + n - k, walk.suffix) == 0)
        walk.matching++;
    return 0;
}

long long diskroom_tree_bytes(const char *dir, const char *suffix, long *matching)
{
    walk.suffix = suffix;
    walk.bytes = 0;
    walk.matching = 0;
    nftw(dir, add_file, 16, FTW_PHYS);
    *matching = walk.matching;
    return walk.bytes;
}

static void human(long long bytes, char out[32])
{
    if (bytes >= 10LL << 20)
        snprintf(out, 32, "%lld MiB", bytes >> 20);
    else
        snprintf(out, 32, "%lld KiB", (bytes + 1023) >> 10);
}

void diskroom_explain(const char *where, long long free_bytes, long long written, long files_done,
                      long files_all, char *out, size_t cap)
{
    char free_text[32], written_text[32], need_text[32];
    human(free_bytes, free_text);
    human(written, written_text);
    /* The print files are about equal in size (batch-size letters each): what the ones
     * begun took, scaled to all, plus what the batch's other files took so far. */
    long long need =
        files_done > 0 && files_all > files_done ? written / files_done * files_all : written;
    human(need, need_text);
    snprintf(out, cap,
             "the disk holding %s is full (%s free): the batch had written %s when it failed "
             "(%ld of %ld print files begun) and needs about %s in all; make room and rerun, "
             "nothing was published",
             where, free_text, written_text, files_done, files_all, need_text);
}
