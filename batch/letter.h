/* letter: everything one printed letter needs, gathered by the run for the renderer.
 * Must not own memory: it points into the run's records and the config. */
#ifndef CN_LETTER_H
#define CN_LETTER_H

#include <stdbool.h>

#include "config.h"
#include "date.h"
#include "record.h"
#include "rid.h"
#include "rules.h"

struct letter {
    const struct resident *r;
    const struct district *district;
    struct cert_group certs;
    struct window window;
    struct variant variant;
    char rid[RID_LEN + 1];
    cn_date issue_date;
    long seq;    /* sequence number in the night's batch, 1-based */
    int file_no; /* print file number, 1-based */
    bool reprint;
    const char *batch; /* the batch folder's name, for the sheet marks; NULL: a specimen */
};

#endif
