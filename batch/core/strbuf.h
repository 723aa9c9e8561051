/* strbuf: the one growable text buffer (git's strbuf is the model): append bytes, strings
 * and printf output without a length limit, always NUL-terminated. Must not know what the
 * text is (HTML, CSV, SVG): escaping belongs to its users. */
#ifndef CN_STRBUF_H
#define CN_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A zeroed struct (STRBUF_INIT, `= {0}`) is an empty buffer. buf is NULL until the first
 * append, then always NUL-terminated at len. A failed allocation (or a size that would
 * overflow) sets failed, which sticks: every later append does nothing, so a writer checks
 * once, at the end, rather than after each piece. */
struct strbuf {
    char *buf;
    size_t len, alloc;
    bool failed;
};
#define STRBUF_INIT                                                                                \
    {                                                                                              \
        0                                                                                          \
    }

/* Frees the buffer and leaves an empty one (failed cleared). */
void strbuf_release(struct strbuf *sb);
/* Empties the text and keeps the allocation (failed stays: the text was lost). */
void strbuf_reset(struct strbuf *sb);
/* Hands the text (malloc'd, NUL-terminated, never NULL unless failed) to the caller, its
 * length in *len when len is not NULL; the buffer is left empty. NULL when failed. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* The text, "" for a buffer never written. */
const char *strbuf_str(const struct strbuf *sb);

/* Room for extra more bytes (and the NUL) without another allocation; false when failed. */
bool strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Marks the buffer failed: a writer that finds its own input wrong (a bad format) refuses
 * the whole text the same way as a failed allocation. */
void strbuf_fail(struct strbuf *sb);

/* A stdio stream whose writes append to sb (for writers that take a FILE *, like the CSV
 * rows). Close it with fclose before using sb's text; a failed append makes the stream's
 * writes fail. NULL when the stream cannot be made. */
FILE *strbuf_stream(struct strbuf *sb);

#endif
