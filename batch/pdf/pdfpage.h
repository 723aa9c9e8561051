/* pdfpage: a page's content as shared streams (the parts of its kind of page many pages
 * have) followed by the page's own stream, in libharu. Must not draw anything itself. */
#ifndef CN_PDFPAGE_H
#define CN_PDFPAGE_H

#include <stdbool.h>

#include <hpdf.h>

/* libharu gives every page a content stream when it is added; its shared-stream functions
 * then add two more (one left empty), each an object of ~150 bytes in the file and a 4 KB
 * buffer in memory until the file is saved. Instead, the page's first stream keeps the
 * page's own drawing and *shared is put before it. When *shared is NULL, a new stream is
 * made, fill(ctx) draws into it and it is stored in *shared for the pages after. Call
 * right after HPDF_AddPage, before drawing; again for each further shared stream, which
 * goes after the earlier ones and before the page's own. */
bool pdfpage_share(HPDF_Page page, HPDF_Dict *shared, void (*fill)(void *ctx), void *ctx);

/* Every page of a letter file names the same fonts and has the same size: the page tree's
 * root carries them once, for the pages to inherit (PDF 1.7, 7.7.3.4), instead of every
 * page (~170 bytes a page). Pages whose resources are more than fonts, or name fonts
 * differently, keep their own; so do their sizes when they differ. Call just before
 * saving: no page may be drawn on afterwards. False on a libharu failure. */
bool pdfpage_hoist(HPDF_Doc pdf);

#endif
