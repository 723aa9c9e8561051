/* glyphs: which font and glyph prints each character or variation sequence of a text (the
 * template's IPAex font first, IPAmj明朝 for what IPAex lacks), from the fonts' own cmaps
 * via HarfBuzz. Must not draw, and never stands a base glyph in for a sequence no font has. */
#ifndef CN_GLYPHS_H
#define CN_GLYPHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* GF_GOTHIC and GF_MINCHO are the template's fonts (libharu's), in enum tmpl_font order.
 * GF_UD_GOTHIC and GF_UD_MINCHO are BIZ UD (large print, <fonts ud="true">): always drawn
 * by glyph ID, so a file that uses none of their glyphs carries nothing of them. */
enum glyph_font { GF_GOTHIC, GF_MINCHO, GF_MJ, GF_UD_GOTHIC, GF_UD_MINCHO, GF_COUNT };

/* The three fonts' lookup tables, loaded once per run; read-only afterwards (HarfBuzz
 * fonts made immutable), so every thread shares one. */
struct glyph_source;

/* An empty path leaves that font out (the BIZ UD fonts where the config uses neither). */
int glyphs_load(const char *const paths[GF_COUNT], struct glyph_source **out, struct cn_err *err);
void glyphs_free(struct glyph_source *g);
const char *glyphs_path(const struct glyph_source *g, enum glyph_font f);

/* One printed glyph: a character, or a character and its variation selector. */
struct glyph {
    size_t start, len; /* its bytes in the text */
    uint32_t cp, vs;   /* vs 0: no selector */
    uint16_t gid;      /* in font */
    uint16_t advance;  /* thousandths of the font size */
    uint8_t font;      /* enum glyph_font */
    /* libharu shows it from its own font by code point; otherwise it is drawn by glyph ID
     * (outside the BMP, a selector, or a font libharu does not hold). */
    bool libharu;
};

/* Resolves the glyphs of utf8 set in font base. GF_GOTHIC/GF_MINCHO: that IPAex font,
 * IPAmj明朝 for what it lacks. GF_MJ: everything IPAmj明朝 has (for a text set wholly in
 * it), IPAex明朝 for the rest. Fills up to cap glyphs into out (may be NULL) and returns how
 * many the text has, or -1 when a character or sequence has no glyph in any font or the
 * text is not valid UTF-8: then bad[0] is the character (U+FFFD: malformed) and bad[1] its
 * selector or 0. A Private Use Area character never resolves (gaiji.h maps those first).
 * '\n' is a glyph of advance 0 (a forced line break). */
long glyphs_resolve(const struct glyph_source *g, enum glyph_font base, const char *utf8,
                    struct glyph *out, size_t cap, uint32_t bad[2]);

/* typeset's fallback (ts_fallback_fn) with ctx the glyph source and base an enum
 * glyph_font: the advance of the glyph glyphs_resolve would choose, -1 when none. */
int glyphs_fallback(const void *ctx, int base, uint32_t cp, uint32_t vs);

/* Whether any glyph of utf8 set in base comes from IPAmj明朝 (false where none resolves). */
bool glyphs_text_needs_mj(const struct glyph_source *g, enum glyph_font base, const char *utf8);

/* "U+8FBB U+E0101": the sequence as code points, for a review reason. */
void glyphs_name(const uint32_t bad[2], char *out, size_t cap);

#endif
