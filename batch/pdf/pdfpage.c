#include "pdfpage.h"

#include <hpdf_pages.h>

bool pdfpage_share(HPDF_Page page, HPDF_Dict *shared, void (*fill)(void *ctx), void *ctx)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Dict own = attr->contents;
    if (!own)
        return false;
    if (!*shared) {
        /* What HPDF_Page_New_Content_Stream does, without adding the stream to the page:
         * drawing goes to the new stream until fill returns. */
        HPDF_Dict fresh = HPDF_DictStream_New(page->mmgr, attr->xref);
        if (!fresh)
            return false;
        fresh->filter = own->filter;
        attr->contents = fresh;
        attr->stream = fresh->stream;
        fill(ctx);
        attr->contents = own;
        attr->stream = own->stream;
        *shared = fresh;
    }
    /* Replacing the page's single /Contents reference frees only that reference. */
    HPDF_Array contents = HPDF_Array_New(page->mmgr);
    if (!contents)
        return false;
    if (HPDF_Array_Add(contents, *shared) != HPDF_OK || HPDF_Array_Add(contents, own) != HPDF_OK) {
        HPDF_Array_Free(contents);
        return false;
    }
    return HPDF_Dict_Add(page, "Contents", contents) == HPDF_OK;
}
