/* reject_spool: holds one file's rejected records on disk until the file is committed, so the
 * caller's sink never hears of records a refused file takes back. Must not judge records. */
#ifndef CN_REJECT_SPOOL_H
#define CN_REJECT_SPOOL_H

#include <stdio.h>

#include "err.h"

struct reject_spool {
    FILE *f; /* a tmpfile, made on the first reject */
};

int reject_spool_add(struct reject_spool *s, long line, const char *field, const char *reason,
                 struct cn_err *err);

/* Calls fn for every reject added, in order. */
void reject_spool_replay(struct reject_spool *s,
                     void (*fn)(long line, const char *field, const char *reason, void *ctx),
                     void *ctx);

void reject_spool_free(struct reject_spool *s);

#endif
