/* inputdir: the input files of a folder: its *.csv and *.xml regular files in name order.
 * Must not open or read them: ingest does, one by one. */
#ifndef CN_INPUTDIR_H
#define CN_INPUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

bool inputdir_is_csv(const char *name);
bool inputdir_is_xml(const char *name);

/* The folder's *.csv and *.xml regular files (hidden ones skipped: editors and
 * half-finished transfers leave them), as DIR/NAME in name order; free with inputdir_free.
 * CN_EINPUT if the folder cannot be read. */
int inputdir_list(const char *dir, char ***out, size_t *n_out, struct cn_err *err);
void inputdir_free(char **names, size_t n);

#endif
