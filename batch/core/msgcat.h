/* msgcat: one language's message catalog, read from a GNU gettext .po file (msgid = the
 * Japanese source text, msgstr = its translation) and looked up by the source text.
 * Must not pick a language, format dates or know what a page or a letter says. */
#ifndef CN_MSGCAT_H
#define CN_MSGCAT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct msgcat;

/* Reads path. Entries marked fuzzy and empty translations count as missing; the header
 * (msgid "") is skipped. Refused (CN_EUSAGE, naming file and line): a syntax error,
 * invalid UTF-8, plural forms (none are used), and a translation whose printf conversions
 * differ from its source's (msgcat_formats_match), which would read the wrong argument. */
int msgcat_load(const char *path, struct msgcat **out, struct cn_err *err);
void msgcat_free(struct msgcat *c);

/* The translation of msgid, or NULL when the catalog lacks it (the caller falls back to
 * the source text). A NULL catalog has nothing. Thread-safe once loaded. */
const char *msgcat_find(const struct msgcat *c, const char *msgid);

/* Whether the catalog has an entry for msgid, translated or not (a template's keys). */
bool msgcat_has(const struct msgcat *c, const char *msgid);

/* The catalog's entries in msgid order (missing ones included, with str NULL), for the
 * completeness test and the tools. */
size_t msgcat_count(const struct msgcat *c);
void msgcat_entry(const struct msgcat *c, size_t i, const char **id, const char **str);

/* Whether two texts have the same printf conversions in the same order (length modifier
 * and conversion letter; flags and widths may differ; %% is no conversion). Positional
 * conversions (%1$s) never match: the program's formatters do not take them. */
bool msgcat_formats_match(const char *a, const char *b);

#endif
