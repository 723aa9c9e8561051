/* reader: what a resident's letter adds for its reader: an insert in the language they read
 * (and in やさしい日本語), a front page in large print from the config's age, and so how many
 * pages the letter has. Pure: must not read files, lay out or draw. */
#ifndef CN_READER_H
#define CN_READER_H

#include <stdbool.h>

#include "config.h"
#include "date.h"
#include "lang.h"

/* The insert's language for a resident's `language` column: a language the config offers
 * other than Japanese; LANG_JA (no insert) for "", Japanese, a language not offered, or one
 * this program has no texts in. */
enum lang reader_insert_lang(const struct config *cfg, const char *language);

/* Completed years on day `on` for someone born on `birth`: a year more on each birthday (a
 * 29 February birthday falls on 1 March in other years). */
int reader_age(cn_date birth, cn_date on);

/* Whether the front is set in large print: <large-print age-from="N"/> and aged N or more on
 * the run date. */
bool reader_large_print(const struct config *cfg, cn_date birth, cn_date run_date);

/* Pages of the letter, always even (duplex: the next letter starts on a new sheet): 2 (front,
 * back); large print adds a second front page and puts the back on its own sheet (+2); an
 * insert is one side and its blank back (+2). */
int reader_pages(bool insert, bool large_print);

#endif
