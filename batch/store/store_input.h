/* store_input: every input file loaded, in order (a file equal to the last is skipped) and the
 * records refused from them. Must not read the files or judge the records: ingest does. */
#ifndef CN_STORE_INPUT_H
#define CN_STORE_INPUT_H

#include <stdbool.h>

#include "err.h"
#include "record.h"
#include "store.h"

/* *last: sha256 is the checksum of the last file loaded (an identical file is nothing
 * new; a file equal to an older one is, since the files are snapshots). */
int store_input_is_last(struct store *s, const char *sha256, bool *last, struct cn_err *err);
int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err);

/* A file's load. Its residents and rejects are staged in the connection's scratch tables
 * while the file is read (no write lock held, however long the file), then
 * store_load_commit applies them in chunks that each hold the write lock a fraction of the
 * busy timeout, the rejects and the file's record in the last: a file is either recorded
 * as loaded with all it brought, or not recorded. A crash between chunks leaves some
 * residents updated and the file unrecorded; the next run loads it again, and storing the
 * same record twice changes nothing. A refused file (store_load_discard) leaves nothing. */
int store_load_begin(struct store *s, struct cn_err *err);
int store_load_resident(struct store *s, const struct resident *r, struct cn_err *err);
int store_load_reject(struct store *s, const char *file, long line, const char *field,
                      const char *reason, struct cn_err *err);
int store_load_commit(struct store *s, const char *path, const char *sha256, long loaded,
                      long rejected, struct cn_err *err);
void store_load_discard(struct store *s);

#endif
