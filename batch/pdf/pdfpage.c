#include "pdfpage.h"

#include <string.h>

#include <hpdf_doc.h>
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
    /* A page sharing several streams: each goes before the page's own, in the order shared. */
    HPDF_STATUS before = HPDF_Error_GetCode(page->error);
    HPDF_Array have = HPDF_Dict_GetItem(page, "Contents", HPDF_OCLASS_ARRAY);
    if (have)
        return HPDF_Array_Insert(have, own, *shared) == HPDF_OK;
    if (before == HPDF_OK)
        HPDF_Error_Reset(page->error); /* the lookup's "not an array", nothing else's */
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

/* The object a dictionary or array entry stands for (an indirect object's proxy resolved). */
static void *target_of(void *value)
{
    HPDF_Obj_Header *h = value;
    return h->obj_class == HPDF_OCLASS_PROXY ? ((HPDF_Proxy)value)->obj : value;
}

static bool number_at(HPDF_Array a, HPDF_UINT i, double *v)
{
    HPDF_Obj_Header *h = HPDF_List_ItemAt(a->list, i);
    if (!h)
        return false;
    h = target_of(h);
    if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_REAL)
        *v = ((HPDF_Real)h)->value;
    else if ((h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_NUMBER)
        *v = ((HPDF_Number)h)->value;
    else
        return false;
    return true;
}

/* Adds page's fonts to fonts; false when page has other resources than fonts, or names a
 * font as another page names a different one. */
static bool gather_fonts(HPDF_Dict page, HPDF_Dict fonts)
{
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (!res)
        return false;
    HPDF_Dict own = NULL;
    for (HPDF_UINT i = 0; i < res->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(res->list, i);
        if (strcmp(e->key, "Font") == 0)
            own = target_of(e->value);
        else if (strcmp(e->key, "ProcSet") != 0)
            return false;
    }
    for (HPDF_UINT i = 0; own && i < own->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(own->list, i);
        void *font = target_of(e->value);
        void *known = HPDF_Dict_GetItem(fonts, e->key, HPDF_OCLASS_DICT);
        if (known ? known != font : HPDF_Dict_Add(fonts, e->key, font) != HPDF_OK)
            return false;
    }
    return true;
}

/* Whether every page has the MediaBox of the first (then in box). */
static bool same_media_box(HPDF_Array kids, HPDF_Box *box)
{
    double first[4] = {0}, v;
    for (HPDF_UINT i = 0; i < kids->list->count; i++) {
        HPDF_Array mb = HPDF_Dict_GetItem(target_of(HPDF_List_ItemAt(kids->list, i)), "MediaBox",
                                          HPDF_OCLASS_ARRAY);
        if (!mb || mb->list->count != 4)
            return false;
        for (HPDF_UINT j = 0; j < 4; j++) {
            if (!number_at(mb, j, &v) || (i > 0 && v != first[j]))
                return false;
            first[j] = v;
        }
    }
    *box = (HPDF_Box){(HPDF_REAL)first[0], (HPDF_REAL)first[1], (HPDF_REAL)first[2],
                      (HPDF_REAL)first[3]};
    return true;
}

bool pdfpage_hoist(HPDF_Doc pdf)
{
    HPDF_Pages root = pdf->root_pages;
    HPDF_Array kids = root ? HPDF_Dict_GetItem(root, "Kids", HPDF_OCLASS_ARRAY) : NULL;
    if (!kids || kids->list->count == 0)
        return true;
    for (HPDF_UINT i = 0; i < kids->list->count; i++) {
        HPDF_Obj_Header *h = target_of(HPDF_List_ItemAt(kids->list, i));
        if (h->obj_class != (HPDF_OCLASS_DICT | HPDF_OSUBCLASS_PAGE))
            return true; /* a tree of trees: left as it is */
    }
    HPDF_Dict fonts = HPDF_Dict_New(root->mmgr);
    if (!fonts)
        return false;
    for (HPDF_UINT i = 0; i < kids->list->count; i++)
        if (!gather_fonts(target_of(HPDF_List_ItemAt(kids->list, i)), fonts)) {
            HPDF_Dict_Free(fonts);
            return true; /* pages that differ keep their own */
        }
    HPDF_Dict res = HPDF_Dict_New(root->mmgr);
    HPDF_Array procset = HPDF_Array_New(root->mmgr);
    if (!res || !procset || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK) {
        HPDF_Dict_Free(fonts);
        return false;
    }
    /* libharu's ProcSet, obsolete but kept "for compatibility" as libharu writes it. */
    static const char *const procs[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
    for (size_t i = 0; i < sizeof procs / sizeof *procs; i++)
        if (HPDF_Array_Add(procset, HPDF_Name_New(root->mmgr, procs[i])) != HPDF_OK)
            return false;
    if (HPDF_Dict_Add(res, "ProcSet", procset) != HPDF_OK ||
        HPDF_Dict_Add(root, "Resources", res) != HPDF_OK)
        return false;
    HPDF_Box box;
    bool one_size = same_media_box(kids, &box);
    if (one_size && HPDF_Dict_Add(root, "MediaBox", HPDF_Box_Array_New(root->mmgr, box)) != HPDF_OK)
        return false;
    /* The pages' own copies go; nothing draws on a page after this (attr->fonts pointed into
     * its Resources). */
    for (HPDF_UINT i = 0; i < kids->list->count; i++) {
        HPDF_Dict page = target_of(HPDF_List_ItemAt(kids->list, i));
        HPDF_Dict_RemoveElement(page, "Resources");
        ((HPDF_PageAttr)page->attr)->fonts = NULL;
        if (one_size)
            HPDF_Dict_RemoveElement(page, "MediaBox");
    }
    return true;
}
