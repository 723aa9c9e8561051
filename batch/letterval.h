/* letterval: a letter's values formatted for print once per letter (dates in 和暦 and 西暦,
 * postcodes with 〒, the displayed reservation ID, the booking URL). Must not lay out or draw. */
#ifndef CN_LETTERVAL_H
#define CN_LETTERVAL_H

#include <stddef.h>

#include "config.h"
#include "letter.h"
#include "rid.h"
#include "rules.h"

struct letter_values {
    char certs[96], variant[VARIANT_CODE_MAX];
    char postal[16], rid[RID_DISPLAY_LEN + 1], url[320];
    char expiry_wareki[64], expiry_western[32], window_start[64], window_end[64];
    char issue[64], birth[64], seq[24], file_no[16], sender_postal[16];
};

void letter_values_fill(const struct config *cfg, const struct letter *l, struct letter_values *v);

/* The booking URL: the config's pattern with {rid} replaced by the stored form of rid. */
void letter_booking_url(const struct config *cfg, const char *rid, char *out, size_t cap);

#endif
