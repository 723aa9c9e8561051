/* letter_values: a letter's values formatted for print once per letter (dates in 和暦 and 西暦,
 * postcodes with 〒, the displayed reservation ID, the booking URL). Must not lay out or draw. */
#ifndef CN_LETTER_VALUES_H
#define CN_LETTER_VALUES_H

#include <stddef.h>

#include "config.h"
#include "gaiji.h"
#include "letter.h"
#include "rid.h"
#include "rules.h"

/* A gaiji (3 bytes of UTF-8) stands for at most four code points (16 bytes). */
#define LETTER_GAIJI_GROWTH 6

struct letter_values {
    /* The resident's text as printed: each gaiji replaced by its gaiji-map sequence, nothing
     * else changed (no normalization). */
    char name[NAME_MAX_CHARS * 4 * LETTER_GAIJI_GROWTH + 1];
    char name_kana[KANA_MAX_CHARS * 4 * LETTER_GAIJI_GROWTH + 1];
    char address[ADDRESS_MAX_CHARS * 4 * LETTER_GAIJI_GROWTH + 1];
    char address2[ADDRESS2_MAX_CHARS * 4 * LETTER_GAIJI_GROWTH + 1];
    char gaiji_problem[96]; /* empty, or why a field could not be printed */
    char certs[96], variant[VARIANT_CODE_MAX];
    char postal[16], rid[RID_DISPLAY_LEN + 1], url[320];
    char expiry_wareki[64], expiry_western[32], window_start[64], window_end[64];
    char issue[64], birth[64], seq[24], file_no[16], sender_postal[16];
    /* The page being laid out and the letter's pages, for the marks: the renderer sets the
     * page before each (page_no 0: the template's own number). */
    int page_no, page_count;
    char page[12], pages[12];
};

/* Sets the page being laid out (1-based). */
void letter_values_page(struct letter_values *v, int page_no);

/* gaiji: the municipality's gaiji map (NULL: none, so every gaiji is a problem). */
void letter_values_fill(const struct config *cfg, const struct gaiji_map *gaiji,
                        const struct letter *l, struct letter_values *v);

/* The booking URL: the config's pattern with {rid} replaced by the stored form of rid. */
void letter_booking_url(const struct config *cfg, const char *rid, char *out, size_t cap);

#endif
