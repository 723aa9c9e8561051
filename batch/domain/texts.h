/* texts: the offered languages' message catalogs (templates/po/LANG.po, msgid = the
 * Japanese source) and the lookup every page and insert goes through, falling back to
 * Japanese; やさしい日本語's furigana markup. Must not format pages or know a request. */
#ifndef CN_TEXTS_H
#define CN_TEXTS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "lang.h"

/* Marks a Japanese source text for the catalogs where it is not translated at once (a
 * table of texts): `make po` (xgettext) finds it there. */
#define N_(s) (s)

struct texts;

/* Loads DIR/CODE.po for each language of offered but Japanese (the source). A catalog
 * that is missing or broken (msgcat_load) fails, naming it. */
int texts_load(const char *dir, lang_set offered, struct texts **out, struct cn_err *err);
void texts_free(struct texts *t);

/* ja's text in language l: its translation, or ja itself when the catalog lacks it (or l
 * is Japanese, or not loaded). A NULL texts gives ja. */
const char *texts_get(const struct texts *t, enum lang l, const char *ja);

/* fmt (a catalog's text) with each %s replaced by the next of the n args ("" past them) and
 * %% by %: how a translated text takes its values, never as a printf format. False when
 * the result was cut at cap. */
bool texts_format(const char *fmt, const char *const *args, size_t n, char *out, size_t cap);

/* Furigana markup in a text: [漢字|かんじ] is 漢字 read かんじ (やさしい日本語's catalog
 * writes it; <ruby> on pages). A segment is plain text (reading NULL) or one ruby. */
struct ruby_seg {
    const char *base, *reading;
    size_t base_len, reading_len;
};
/* The next segment of *s (advanced past it); false at the end. */
bool texts_ruby_next(const char **s, struct ruby_seg *seg);
/* s without its readings (base text only); false when cut at cap. */
bool texts_plain(const char *s, char *out, size_t cap);

#endif
