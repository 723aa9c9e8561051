/* atomfile: a whole file written from a buffer, complete on disk (fsynced) before it
 * replaces its name in one rename. Must not know what the bytes are. */
#ifndef CN_ATOMFILE_H
#define CN_ATOMFILE_H

#include <stddef.h>

#include "err.h"

/* Writes buf[0..len) to path with mode (e.g. 0600): a reader sees the old file or the
 * new one, never half of it. CN_EOUTPUT naming the path on failure. */
int atomfile_write(const char *path, unsigned mode, const char *buf, size_t len,
                   struct cn_err *err);

#endif
