/* diskroom: whether a write failed because the disk is full, and what a batch needed, told
 * in words IT can act on. Must not remove or write anything. */
#ifndef CN_DISKROOM_H
#define CN_DISKROOM_H

#include <stdbool.h>
#include <stddef.h>

/* True when the file system holding path has (almost) no room left for this user: under
 * 1 MiB, or under 1% of its size. */
bool diskroom_full(const char *path, long long *free_bytes);

/* Bytes taken by the regular files under dir, and how many of them end in suffix. */
long long diskroom_tree_bytes(const char *dir, const char *suffix, long *matching);

/* "the disk holding OUT is full (F free): the batch had written W when it failed, about N
 * for all FILES print files; ..." into out. files_done: print files written (whole or
 * not), files_all: print files the batch needs. */
void diskroom_explain(const char *where, long long free_bytes, long long written, long files_done,
                      long files_all, char *out, size_t cap);

#endif
