/* typeset: font metrics read once from a TrueType file (advance widths, which characters it
 * has) and Japanese line breaking with kinsoku and shrink-to-fit. Must not draw or hold a PDF. */
#ifndef CN_TYPESET_H
#define CN_TYPESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Widths of every BMP character the font maps, read from its cmap and hmtx tables at setup.
 * Read-only once loaded, so every thread and every print file shares one. */
struct ts_face;

int ts_face_load(const char *path, struct ts_face **out, struct cn_err *err);
void ts_face_free(struct ts_face *face);

/* Where a glyph the face's BMP table cannot give comes from (a character outside the BMP or
 * missing from the font, or any character with a variation selector): its advance in
 * thousandths of the size, or -1 when nothing can print it. ctx and base are passed back.
 * With no fallback such glyphs are unprintable (and measured as libharu's full-width
 * blank). Set once at setup, before threads share the face. */
typedef int (*ts_fallback_fn)(const void *ctx, int base, uint32_t cp, uint32_t vs);
void ts_face_set_fallback(struct ts_face *face, ts_fallback_fn fn, const void *ctx, int base);
/* Whether cp is a variation selector (U+FE00-FE0F, U+E0100-E01EF): it belongs to the
 * character before it, never starts a line and has no width of its own. */
bool ts_is_selector(uint32_t cp);

/* Whether the font has a glyph for cp (false outside the BMP: libharu prints those as
 * spaces). */
bool ts_has_glyph(const struct ts_face *face, uint32_t cp);
/* Advance width in thousandths of the font size (the unit of PDF glyph widths), from the
 * face's own table. Text is measured glyph by glyph, fallback included. */
int ts_advance(const struct ts_face *face, uint32_t cp);
double ts_text_width(const struct ts_face *face, const char *utf8, double size);

/* Decodes one UTF-8 character at s (advancing *pos); U+FFFD for a malformed sequence. */
uint32_t ts_utf8_next(const char *s, size_t *pos);
/* The same, with the variation selector that follows it (also consumed) in *vs, else 0. */
uint32_t ts_utf8_next_seq(const char *s, size_t *pos, uint32_t *vs);

/* The first character of utf8 the font (with its fallback) cannot print (outside the BMP or
 * missing with no fallback, a sequence no font has, malformed UTF-8); true when there is
 * none. bad[0] is the character, bad[1] its selector or 0. */
bool ts_printable(const struct ts_face *face, const char *utf8, uint32_t bad[2]);

/* Whether the face itself has every glyph of utf8 (BMP characters without selectors, no
 * fallback needed): then libharu can show it as it is. */
bool ts_covers(const struct ts_face *face, const char *utf8);

/* One line of broken text: bytes [start, start+len) of the input, its width in points. */
struct ts_line {
    size_t start, len;
    double width;
};

/* Breaks utf8 into lines at most max_width points wide: between any two characters except
 * where kinsoku forbids it (no line starts with 、。」ー etc., none ends with 「（), not inside
 * a run of ASCII letters and digits unless the run alone is wider than a line; '\n' forces a
 * break. Fills up to cap lines and returns how many lines the text needs (may exceed cap). */
size_t ts_break(const struct ts_face *face, const char *utf8, double size, double max_width,
                struct ts_line *lines, size_t cap);

/* Whether a character may not begin / end a line (行頭禁則 / 行末禁則). */
bool ts_no_line_start(uint32_t cp);
bool ts_no_line_end(uint32_t cp);

/* The largest size from size down to min_size (in 0.25 pt steps) at which utf8 fits in a box
 * max_width wide and max_height high with lines size * leading apart (max_height <= 0: one
 * line); 0 when it does not fit even at min_size ("does not fit": the letter goes to review). */
double ts_fit(const struct ts_face *face, const char *utf8, double size, double min_size,
              double max_width, double max_height, double leading);
/* ts_fit, and the text broken at the size found (ts_break's lines, up to cap, and *n_lines
 * its count; 0 when nothing fits). */
double ts_fit_break(const struct ts_face *face, const char *utf8, double size, double min_size,
                    double max_width, double max_height, double leading, struct ts_line *lines,
                    size_t cap, size_t *n_lines);

#endif
