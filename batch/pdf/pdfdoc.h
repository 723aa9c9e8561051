/* pdfdoc: one PDF document in libharu: set-up (compression, UTF-8, embedded TrueType fonts),
 * pages with a canvas to draw on, streams shared between pages, and the atomic save. Must
 * not lay out a page or know what is printed on it. */
#ifndef CN_PDFDOC_H
#define CN_PDFDOC_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "err.h"

#define PDFDOC_MAX_FONTS 12
/* Streams shared by a file's pages (the layers of the variants and districts in it): at
 * most this many, to bound a file's memory; more are drawn on each page. */
#define PDFDOC_MAX_SHARED 1024

struct pdfdoc;

/* A document with the TrueType fonts at paths embedded (subset), canvas font i being
 * paths[i]. CN_EUSAGE naming the font when libharu cannot embed it. */
int pdfdoc_new(const char *const *paths, int n_fonts, struct pdfdoc **out, struct cn_err *err);
void pdfdoc_free(struct pdfdoc *d);
/* Fonts drawn by glyph ID (canvas glyphs(): glyph font i being paths[i], numbered after
 * earlier calls'), subset into the document at save when anything was drawn from them. */
int pdfdoc_glyph_fonts(struct pdfdoc *d, const char *const *paths, int n, struct cn_err *err);

/* Replaces the malformed ToUnicode CMap libharu writes for font (pdfcid.h), so text
 * extraction gives the characters back without a warning on every page. */
int pdfdoc_fix_tounicode(struct pdfdoc *d, int font, struct cn_err *err);

/* Adds a page width x height points; the canvas draws on it until the next page. */
int pdfdoc_add_page(struct pdfdoc *d, double width, double height, const struct canvas **out,
                    struct cn_err *err);
/* Selects every font on the current page in canvas order, so that a stream shared between
 * pages names each font the same on all of them. Call before drawing. */
void pdfdoc_name_fonts(struct pdfdoc *d);
/* Puts the stream shared by every page of key before the current page's own (after any
 * shared earlier for this page): made the first time, by fill(ctx) drawing on the canvas.
 * Returns 1 when shared, 0 when there are more keys than slots or no memory for one (draw
 * on the page instead), -1 on a libharu failure. */
int pdfdoc_share(struct pdfdoc *d, const char *key, void (*fill)(void *ctx), void *ctx);

/* CN_EOUTPUT when libharu reported a failure since the document was made. */
int pdfdoc_status(const struct pdfdoc *d, const char *what, struct cn_err *err);
int pdfdoc_pages(const struct pdfdoc *d);
/* Writes the PDF to path: created with mode, complete on disk (fsynced) before it replaces
 * path in one rename, never a half-written file under that name. */
int pdfdoc_save(struct pdfdoc *d, const char *path, unsigned mode, struct cn_err *err);

#endif
