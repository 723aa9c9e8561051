/* rejspool: holds one file's rejected records on disk until the file is committed, so the
 * caller's sink never hears of records a refused file takes back. Must not judge records. */
#ifndef CN_REJSPOOL_H
#define CN_REJSPOOL_H

#include <stdio.h>

#include "err.h"

struct rejspool {
    FILE *f; /* a tmpfile, made on the first reject */
};

int rejspool_add(struct rejspool *s, long line, const char *field, const char *reason,
                 struct cn_err *err);

/* Calls fn for every reject added, in order. */
void rejspool_replay(struct rejspool *s,
                     void (*fn)(long line, const char *field, const char *reason, void *ctx),
                     void *ctx);

void rejspool_free(struct rejspool *s);

#endif
