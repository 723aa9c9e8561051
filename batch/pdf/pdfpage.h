/* pdfpage: a page's content as one shared stream (the static parts of its kind of page)
 * followed by the page's own stream, in libharu. Must not draw anything itself. */
#ifndef CN_PDFPAGE_H
#define CN_PDFPAGE_H

#include <stdbool.h>

#include <hpdf.h>

/* libharu gives every page a content stream when it is added; its shared-stream functions
 * then add two more (one left empty), each an object of ~150 bytes in the file and a 4 KB
 * buffer in memory until the file is saved. Instead, the page's first stream keeps the
 * page's own drawing and *shared is put before it. When *shared is NULL, a new stream is
 * made, fill(ctx) draws into it and it is stored in *shared for the pages after. Call
 * right after HPDF_AddPage, before drawing. */
bool pdfpage_share(HPDF_Page page, HPDF_Dict *shared, void (*fill)(void *ctx), void *ctx);

#endif
