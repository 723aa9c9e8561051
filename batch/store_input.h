/* store_input: the input files already loaded (so a file is loaded once) and the records
 * refused from them. Must not read the files or judge the records: ingest does. */
#ifndef CN_STORE_INPUT_H
#define CN_STORE_INPUT_H

#include <stdbool.h>

#include "err.h"
#include "store.h"

int store_input_seen(struct store *s, const char *sha256, bool *seen, struct cn_err *err);
int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err);
int store_put_reject(struct store *s, const char *file, long line, const char *field,
                     const char *reason, struct cn_err *err);

#endif
