/* unzip: one member of a ZIP archive (stored or deflated) read into memory, its CRC-32 and
 * size checked, with its modification date. Must not write files or follow member paths. */
#ifndef CN_UNZIP_H
#define CN_UNZIP_H

#include <stddef.h>

#include "err.h"

/* The first member whose name ends with suffix (ASCII, case-insensitive) in the archive
 * zip[0..n), named name in messages. *out is malloc'd (the caller frees it); date gets the
 * member's YYYY-MM-DD; member its name. A truncated or damaged archive is CN_EINPUT. */
int unzip_member(const unsigned char *zip, size_t n, const char *name, const char *suffix,
                 unsigned char **out, size_t *out_n, char date[11], char *member, size_t member_cap,
                 struct cn_err *err);

#endif
