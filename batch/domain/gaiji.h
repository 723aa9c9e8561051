/* gaiji: the municipality's table of legacy gaiji (Private Use Area code points, from
 * CP932's user-defined area F040-F9FC = U+E000-E757) and the Unicode sequence each stands
 * for; applied to a name or address before it is set. Must not guess a PUA character's
 * meaning: one the table lacks is reported, never printed. */
#ifndef CN_GAIJI_H
#define CN_GAIJI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The file, UTF-8 text, one mapping a line: the PUA code point, white space, then the
 * sequence as code points separated by spaces (a selector included where needed):
 *     U+E000  U+8FBB U+E0102    # 辻 (one dot)
 * '#' starts a comment; blank lines are skipped. A code point is U+XXXX or bare hex. */
struct gaiji_map;

/* CN_EUSAGE naming file and line on a malformed line, a key outside the Private Use Area,
 * a key given twice, or a sequence with a PUA character, a surrogate or more than four
 * code points. */
int gaiji_load(const char *path, struct gaiji_map **out, struct cn_err *err);
void gaiji_free(struct gaiji_map *m);

bool gaiji_is_pua(uint32_t cp);

/* Copies utf8 into out (cap bytes) with every PUA character replaced by its sequence (m
 * may be NULL: no table). False when a PUA character has no entry (*bad is it) or out is
 * too small (*bad 0). */
bool gaiji_apply(const struct gaiji_map *m, const char *utf8, char *out, size_t cap, uint32_t *bad);

#endif
