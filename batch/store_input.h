/* store_input: every input file loaded, in order (a file equal to the last is skipped) and the
 * records refused from them. Must not read the files or judge the records: ingest does. */
#ifndef CN_STORE_INPUT_H
#define CN_STORE_INPUT_H

#include <stdbool.h>

#include "err.h"
#include "store.h"

/* *last: sha256 is the checksum of the last file loaded (an identical file is nothing
 * new; a file equal to an older one is, since the files are snapshots). */
int store_input_is_last(struct store *s, const char *sha256, bool *last, struct cn_err *err);
int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err);
int store_put_reject(struct store *s, const char *file, long line, const char *field,
                     const char *reason, struct cn_err *err);

#endif
