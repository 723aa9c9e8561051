/* reconcile: one row of the inserter's results file (file, sequence, status, time) read and
 * checked into the letter it names and what happened to it. Pure: no I/O, no database
 * (store_reconcile.c applies rows, cmd_reconcile.c reads the file). */
#ifndef CN_RECONCILE_H
#define CN_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

#include "sheetmark.h"

enum inserter_status {
    INSERTER_MAILED,   /* enclosed and handed to the post */
    INSERTER_SPOILED,  /* damaged or mis-enclosed: printed again, same ID, 再発行 */
    INSERTER_DIVERTED, /* pulled out of the run: printed again, same ID, 再発行 */
};
#define INSERTER_STATUS_COUNT (INSERTER_DIVERTED + 1)

/* "mailed", "spoiled", "diverted". */
const char *inserter_status_name(enum inserter_status s);

/* The columns, by header name; the file may order them as it likes. */
enum reconcile_col { RC_FILE, RC_SEQUENCE, RC_STATUS, RC_TIME, RC_COLS };
extern const char *const reconcile_col_names[RC_COLS];

struct inserter_row {
    char batch[SHEETMARK_BATCH_MAX + 1]; /* the batch folder's name */
    int file;                            /* notices-NNN.pdf's NNN */
    long seq;
    enum inserter_status status;
    char time[20]; /* "YYYY-MM-DD HH:MM:SS", as the inserter wrote it (its local time) */
};

/* Reads one row from its four fields (blanks around them ignored):
 *   file      BATCH/notices-NNN.pdf (the batch folder and print file, as delivered)
 *   sequence  the letter's sequence number (leading zeros allowed, as the mark has them)
 *   status    mailed | spoiled | diverted (any case)
 *   time      YYYY-MM-DD HH:MM[:SS] (or with T)
 * False with the failing column's index in *bad_col and why in reason. */
bool reconcile_parse_row(const char *const fields[RC_COLS], struct inserter_row *out, int *bad_col,
                         char *reason, size_t cap);

#endif
