/* reprint: the same letter again, with the same reservation ID, at the resident's current
 * address and with the barcode the night would print, in a batch of its own
 * (OUT/DATE-reprint), audited, lifting a returned-mail hold. Opens the night as `run` does
 * (night.h). Must not parse the command line. */
#ifndef CN_REPRINT_H
#define CN_REPRINT_H

#include "date.h"
#include "err.h"

#define REPRINT_BATCH_MAX 64

struct reprint_opts {
    const char *config, *db, *out;
    cn_date date;           /* the letters' date; DATE_NONE: today in the config's time zone */
    const char *const *ids; /* reservation IDs or resident IDs (the newest letter) */
    int n_ids;
};

/* Prints the letters and publishes the batch, its name in batch and its letters in *letters.
 * Returns the exit code (err.h) with err filled on failure: an ID that is unknown, never
 * published or held as the night holds it is CN_EUSAGE and nothing is printed. */
int reprint_letters(const struct reprint_opts *o, char batch[REPRINT_BATCH_MAX], long *letters,
                    struct cn_err *err);

#endif
