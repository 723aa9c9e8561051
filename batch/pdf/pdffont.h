/* pdffont: makes libharu's character-to-glyph lookup in a loaded TrueType font constant-time
 * by giving it a one-segment cmap in memory. Must not change a glyph or a byte of the PDF. */
#ifndef CN_PDFFONT_H
#define CN_PDFFONT_H

#include <stdbool.h>

#include <hpdf.h>

/* libharu looks a character's glyph up by scanning the cmap's segments one by one, for
 * every character it measures or shows and for all 65,536 code points when a font is first
 * used in a document: with IPAex's thousands of segments that was a third of the night's
 * CPU. Call after HPDF_LoadTTFontFromFile and before HPDF_GetFont. The embedded font keeps
 * the file's own cmap (libharu copies that table from the file). False, changing nothing,
 * when the font is not a format-4 TrueType font or the fast table would disagree with
 * libharu's own lookup anywhere it was checked. */
bool pdffont_index(HPDF_Doc pdf, const char *font_name);

#endif
