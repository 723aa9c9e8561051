/* layout: places a template's nodes for one letter (text fitted and broken with kinsoku,
 * tables, office lists, boxes, marks) onto a canvas, or only measures and checks them.
 * Must not know the PDF library or decide who gets a letter. */
#ifndef CN_LAYOUT_H
#define CN_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "config.h"
#include "letter.h"
#include "letter_values.h"
#include "glyphs.h"
#include "tmpl.h"
#include "typeset.h"

/* The glyph seam. Every question the layout asks about characters (has the font a glyph,
 * how wide is this text, where may a line break, draw this run) goes through one font
 * here: its metrics (with typeset's fallback to the glyph source for what the font lacks),
 * the canvas font that draws it as text, and its glyph font for glyphs drawn by ID. */
struct layout_font {
    const struct ts_face *metrics;
    int canvas_font; /* the canvas's font number; -1: none (every glyph drawn by ID) */
    int base;        /* enum glyph_font: how glyphs_resolve picks this font's glyphs */
};

/* What every page of a run is laid out with; read-only, so threads share it. */
struct layout_setup {
    const struct config *cfg;
    struct layout_font font[2]; /* indexed by enum tmpl_font */
    /* Characters the template's fonts lack (NULL: such text is refused). Canvas glyph font
     * i is enum glyph_font i. A text that needs IPAmj明朝 anywhere is set wholly in mj when
     * mj_whole (one design for the whole name), else only those glyphs are. */
    const struct glyph_source *glyphs;
    struct layout_font mj;
    bool mj_whole;
    bool specimen; /* every page says 見本 */
    bool qr_fits;  /* every letter's QR code encodes: a check need not try */
};

/* Which nodes: those of one layer (enum tmpl_layer: the variant's, the district's, the
 * letter's own), or all of them. */
#define LAYOUT_ALL TL_COUNT

/* One line of text at x,y set in base (enum glyph_font: the canvas's fonts GF_GOTHIC and
 * GF_MINCHO are libharu's 0 and 1), what base lacks from IPAmj明朝, by glyph ID where the
 * canvas cannot show it as text (pdfdoc_glyph_fonts must hold the three fonts). false, and
 * nothing drawn, when a character has no glyph in any font. */
bool layout_show_glyphs(const struct canvas *c, const struct glyph_source *g, int base, double size,
                        double x, double y, const char *text);

/* Lays out the nodes of layer (or LAYOUT_ALL) of page t for letter l (values v) onto c, or
 * with c NULL only measures and checks that every character prints and every text fits.
 * False at the first failure, with the reason and template line in reason. The layers
 * drawn one after the other draw what LAYOUT_ALL draws. */
bool layout_page(const struct layout_setup *s, const struct tmpl *t, const struct letter *l,
                 const struct letter_values *v, const struct canvas *c, int layer, char *reason,
                 size_t cap);

#endif
