/* csv_import: the frame of a CSV file an operator hands in (returned mail, the inserter's
 * results): its header, then each record, through the importer's own functions, and the
 * field readers both share. Must not know what the columns mean nor touch the database. */
#ifndef CN_CSV_IMPORT_H
#define CN_CSV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "err.h"

typedef int (*csv_import_fn)(void *ctx, const struct csv_record *rec, struct cn_err *err);

/* header(ctx, first record), then row(ctx, record) for each later one; a read error or a file
 * without a header fails the import (CN_EINPUT naming path). Stops at the first non-zero. */
int csv_import(const char *path, FILE *in, csv_import_fn header, csv_import_fn row, void *ctx,
               struct cn_err *err);

/* Field col with surrounding blanks removed, copied into buf (cut to cap - 1); "" when the
 * record has no such column (col < 0 included). Returns buf. */
const char *csv_import_field(const struct csv_record *rec, int col, char *buf, size_t cap);

/* A field holds a NUL byte: the importer refuses such a record. */
bool csv_import_has_nul(const struct csv_record *rec);

#endif
