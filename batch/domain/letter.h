/* letter: everything one printed letter needs, gathered by the run for the renderer.
 * Must not own memory: it points into the run's records and the config. */
#ifndef CN_LETTER_H
#define CN_LETTER_H

#include <stdbool.h>

#include "config.h"
#include "custbar.h"
#include "date.h"
#include "lang.h"
#include "record.h"
#include "rid.h"
#include "rules.h"

/* Where the customer barcode comes from: the rules alone (no dictionary, a reprint, a
 * specimen), the night's check against Japan Post's dictionary, or none at all. */
enum letter_barcode { BARCODE_RULES = 0, BARCODE_GIVEN, BARCODE_NONE };

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
    enum letter_barcode barcode_from;
    struct custbar barcode; /* BARCODE_GIVEN */
    /* What its reader gets besides (reader.h): an insert in insert_lang (LANG_JA: none),
     * the front in large print; pages on paper, marks included (0 is read as 2). */
    enum lang insert_lang;
    bool large_print;
    int pages;
};

#endif
