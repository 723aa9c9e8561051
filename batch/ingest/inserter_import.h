/* inserter_import: the folder-inserter's results for one batch (file,sequence,status,time)
 * applied in one transaction: mailed letters marked, spoiled and diverted ones released to
 * print again; rows that cannot apply written as CSV (file,line,field,reason). Must not take
 * the run lock or open the database: the command (cmd_reconcile.c) does. */
#ifndef CN_INSERTER_IMPORT_H
#define CN_INSERTER_IMPORT_H

#include <stdio.h>

#include "err.h"
#include "reconcile.h"
#include "sheetmark.h"
#include "store.h"

struct inserter_counts {
    char batch[SHEETMARK_BATCH_MAX + 1]; /* the batch the file reconciles: its first row's */
    long counts[INSERTER_STATUS_COUNT];  /* results recorded now, by status */
    long unchanged, rejected;            /* rows seen before; rows refused */
};

/* Reads in (named path in messages), writing the header and each refused row to rejects.
 * CN_EINPUT for a header without the four columns or an unreadable file; on any error
 * nothing of the file is kept. */
int inserter_import(struct store *store, const char *path, FILE *in, FILE *rejects,
                    struct inserter_counts *counts, struct cn_err *err);

#endif
