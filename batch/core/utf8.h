/* utf8: strict UTF-8 decoding into code points and encoding back, for the modules that read
 * Japanese text character by character. Must not normalise or interpret the characters. */
#ifndef CN_UTF8_H
#define CN_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The one decoder: the sequence at s[0..n) (n bytes readable; a NUL ends the text). Strict:
 * no overlong forms, surrogates or values past U+10FFFF. Returns its length (1-4) and sets
 * *cp; 0 at the end (n == 0 or a NUL); -k when malformed, k (>= 1) being the bytes a
 * lenient reader skips: the lead byte and the continuation bytes read before the fault, or
 * the whole sequence when it was complete but overlong or out of range. */
int utf8_next(const char *s, size_t n, uint32_t *cp);

/* Decodes s into out[0..cap); the count, or -1 for malformed UTF-8 (overlong, surrogate,
 * beyond U+10FFFF) or more than cap code points. */
int utf8_decode(const char *s, uint32_t *out, int cap);

/* Whether cp is a Unicode format character (general category Cf, Unicode 15.0): invisible
 * characters that reorder (U+202E), join or hide text (U+200B, U+FEFF, U+00AD, tags).
 * Variation selectors (U+FE00-FE0F, U+E0100-E01EF) are Mn, not Cf. When it is, *name (may
 * be NULL) is the character's Unicode name, or NULL when it has no entry here. */
bool utf8_is_format(uint32_t cp, const char **name);

/* Appends cp to out (len bytes used of cap, NUL kept); 0, or -1 when it does not fit. */
int utf8_append(char *out, size_t *len, size_t cap, uint32_t cp);

#endif
