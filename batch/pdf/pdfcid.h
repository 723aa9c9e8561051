/* pdfcid: a font libharu cannot make, added to its document: a Type0/CIDFontType2
 * (Identity-H) subset of a TrueType font, drawn by glyph ID, whose ToUnicode gives back each
 * glyph's exact characters (surrogate pairs and variation selectors included). Must not
 * choose glyphs or lay out text. */
#ifndef CN_PDFCID_H
#define CN_PDFCID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "canvas.h"
#include "err.h"

/* libharu 2.3.0 shows code points, never glyph IDs, and turns anything above U+FFFF and
 * every selector into a space: these glyphs go through a font of our own instead. One per
 * source font per document; the PDF objects are made on the first glyph and filled (subset,
 * widths, ToUnicode) by pdfcid_finish, which must run before the document is saved. */
struct pdfcid;

/* res_name: the font's name in page resources, unique per document (e.g. "CM2"). */
int pdfcid_new(HPDF_Doc pdf, const char *font_path, const char *res_name, struct pdfcid **out,
               struct cn_err *err);

/* Shows n glyphs from (x, y) in points at size on page (in the page's current stream, in
 * the current fill colour); registers the font in the page's resources. */
int pdfcid_show(struct pdfcid *f, HPDF_Page page, double size, double x, double y,
                const struct canvas_glyph *gl, size_t n, struct cn_err *err);

/* Names the font in page's resources if it has been shown anywhere in the document: a
 * stream shared between pages may show it while drawn for the first of them. */
bool pdfcid_register(struct pdfcid *f, HPDF_Page page);

/* Subsets the font to the glyphs shown and writes the font program, widths and ToUnicode.
 * A font never shown leaves nothing in the file. */
int pdfcid_finish(struct pdfcid *f, struct cn_err *err);
void pdfcid_free(struct pdfcid *f);

/* Replaces the ToUnicode CMap libharu wrote for a font of its own (UTF-8 encoder: code =
 * Unicode BMP code point), whose "begincidrange" is not a ToUnicode operator (poppler warns
 * on every page), with the same identity mapping in bfrange form. */
bool pdfcid_fix_libharu_tounicode(HPDF_Font font);

#endif
