/* rid: reservation IDs: 12 symbols from a look-alike-free alphabet, random from the OS
 * CSPRNG, the last a check symbol. Must not touch the database (uniqueness is the store's). */
#ifndef CN_RID_H
#define CN_RID_H

#include <stdbool.h>

#include "err.h"

#define RID_LEN 12         /* symbols, check symbol included */
#define RID_DISPLAY_LEN 14 /* XXXX-XXXX-XXXX */

/* out: RID_LEN symbols + NUL, no hyphens (the stored form). */
int rid_generate(char out[RID_LEN + 1], struct cn_err *err);

/* Accepts what a person types (lower case, spaces, hyphens); true when the check symbol
 * matches, with the stored form in normalized (may be NULL). */
bool rid_check(const char *typed, char normalized[RID_LEN + 1]);

/* XXXX-XXXX-XXXX */
void rid_display(const char *rid, char out[RID_DISPLAY_LEN + 1]);

#endif
