/* atomicfile: a file that appears whole or not at all: written under a temporary name beside
 * it (mode set before the first byte), fsynced, renamed over the name, folder fsynced.
 * Must not decide what goes in the file, nor write anywhere but beside its final name. */
#ifndef CN_ATOMICFILE_H
#define CN_ATOMICFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct atomicfile {
    char path[PATH_MAX]; /* the final name */
    char tmp[PATH_MAX];  /* the temporary one, until commit or abort */
    int fd;              /* -1 once closed */
    FILE *stream;        /* from atomicfile_stream, if asked for */
};

/* Creates the temporary file ("PATH.tmp-XXXXXX", O_EXCL) with mode (0: 0600). */
int atomicfile_open(struct atomicfile *a, const char *path, unsigned mode, struct cn_err *err);

/* A stdio stream on the temporary file (owned by a: closed by commit or abort). */
FILE *atomicfile_stream(struct atomicfile *a, struct cn_err *err);

/* Flushes and fsyncs the temporary file, closes it, renames it to the final name and
 * fsyncs the folder. On failure the temporary file is removed and the final name is as it
 * was. */
int atomicfile_commit(struct atomicfile *a, struct cn_err *err);

/* The whole of buf[0..len) as the file at path, in one call: open, write, commit. */
int atomicfile_write(const char *path, unsigned mode, const char *buf, size_t len,
                     struct cn_err *err);

/* Closes and removes the temporary file; the final name is untouched. Safe after commit. */
void atomicfile_abort(struct atomicfile *a);

#endif
