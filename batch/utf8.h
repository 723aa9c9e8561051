/* utf8: strict UTF-8 decoding into code points and encoding back, for the modules that read
 * Japanese text character by character. Must not normalise or interpret the characters. */
#ifndef CN_UTF8_H
#define CN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes s into out[0..cap); the count, or -1 for malformed UTF-8 (overlong, surrogate,
 * beyond U+10FFFF) or more than cap code points. */
int utf8_decode(const char *s, uint32_t *out, int cap);

/* Appends cp to out (len bytes used of cap, NUL kept); 0, or -1 when it does not fit. */
int utf8_append(char *out, size_t *len, size_t cap, uint32_t cp);

#endif
