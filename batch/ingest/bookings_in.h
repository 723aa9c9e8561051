/* bookings_in: loads the outside's export-bookings CSV into the night's database (bookings,
 * changes, cancellations with their reason, attendance marks), for the named day list, the
 * forecast's measured curve and report. Must not load a file older than the last one
 * loaded, nor anything partly: one transaction after every row has been checked. */
#ifndef CN_BOOKINGS_IN_H
#define CN_BOOKINGS_IN_H

#include <stdbool.h>

#include "err.h"
#include "store.h"

struct bookings_in_result {
    long rows;      /* bookings in the file */
    long applied;   /* rows that changed the night's copy */
    bool unchanged; /* the file loaded last, again: nothing done */
    char exported_at[24];
};

/* A refusal is CN_EINPUT with err naming the file, the line and the reason. */
int bookings_in_load(struct store *s, const char *path, struct bookings_in_result *out,
                     struct cn_err *err);

#endif
