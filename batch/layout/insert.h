/* insert: the extra page of a letter whose resident reads another language: what the letter
 * is, the expiry, the window, the reservation ID and its QR code, where to go and the phone
 * line, in that language and in やさしい日本語 (furigana above the kanji), with the sheet
 * marks; and its blank back. Must not decide who gets one or change the official letter. */
#ifndef CN_INSERT_H
#define CN_INSERT_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "config.h"
#include "err.h"
#include "letter.h"
#include "letter_values.h"
#include "texts.h"

/* The insert's fonts, drawn by glyph ID (any script, subset into each print file that
 * uses them): BIZ UDゴシック for Japanese, then Latin (Vietnamese too), Korean, Chinese. */
enum insert_font { IF_JA, IF_LATIN, IF_KO, IF_ZH, IF_COUNT };

/* Loaded once per run, read-only afterwards (threads share it). */
struct insert_setup;

/* The fonts the offered languages need and the catalogs (config <languages>): a missing
 * font or a broken catalog fails (CN_EUSAGE) before any letter is made. *out is NULL when
 * the config offers no language but Japanese (no letter has an insert). */
int insert_setup_load(const struct config *cfg, struct insert_setup **out, struct cn_err *err);
void insert_setup_free(struct insert_setup *s);
/* The catalogs (NULL without an insert setup). */
const struct texts *insert_texts(const struct insert_setup *s);

/* The font files in enum insert_font order ("" for one not loaded): the print file adds
 * them as glyph fonts, numbered from the base insert_draw is given. */
void insert_font_paths(const struct insert_setup *s, const char *paths[IF_COUNT]);

/* Lays out the insert of letter l (its insert_lang) with values v onto c, the glyph fonts
 * numbered from gfont_base, or with c NULL only checks that every character has a glyph and
 * that the text fits the page at the smallest size. False with the reason. */
bool insert_page(const struct insert_setup *s, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int gfont_base,
                 char *reason, size_t cap);
/* The back of the insert's sheet: blank but for the sheet marks. */
bool insert_back(const struct insert_setup *s, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int gfont_base,
                 char *reason, size_t cap);

#endif
