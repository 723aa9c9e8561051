#include "pdfcid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>
#include <hb.h>
#include <hpdf_pages.h>

#include "grow.h"
#include "typeset.h"

/* One character code of the font. Codes are given out in order of first use and each
 * stands for one glyph and one character sequence, so ToUnicode maps every code to exactly
 * what the text said even where two sequences share a glyph (a default variation sequence
 * and its base character). CIDToGIDMap turns codes back into glyph IDs. */
struct cid {
    uint16_t gid, advance;
    uint16_t utf16[6]; /* a character and its selector: at most two surrogate pairs */
    uint8_t n16;
};

struct pdfcid {
    HPDF_Doc pdf;
    char res_name[16];
    char path[512];
    HPDF_Dict type0, cidfont, descriptor; /* NULL until the first glyph */
    struct cid *cids;                     /* cids[0] is code 0: .notdef */
    size_t n_cids, cap_cids;
};

/* UTF-16 of the characters of one glyph (UTF-8 bytes s[0..len)); 0 when they do not fit. */
static uint8_t to_utf16(const char *s, size_t len, uint16_t out[6])
{
    char buf[16];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    uint8_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c = ts_utf8_next(buf, &i);
        if (c > 0xFFFF) {
            if (n + 2 > 6)
                return 0;
            c -= 0x10000;
            out[n++] = (uint16_t)(0xD800 | (c >> 10));
            out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            if (n + 1 > 6)
                return 0;
            out[n++] = (uint16_t)c;
        }
    }
    return n;
}

int pdfcid_new(HPDF_Doc pdf, const char *font_path, const char *res_name, struct pdfcid **out,
               struct cn_err *err)
{
    struct pdfcid *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return cn_fail(err, CN_EOUTPUT, "pdfcid: out of memory");
    f->pdf = pdf;
    snprintf(f->res_name, sizeof f->res_name, "%s", res_name);
    snprintf(f->path, sizeof f->path, "%s", font_path);
    *out = f;
    return CN_OK;
}

void pdfcid_free(struct pdfcid *f)
{
    if (!f)
        return;
    free(f->cids);
    free(f);
}

/* The document's objects for the font, made when its first glyph is shown (a file without
 * such a glyph carries no trace of the font). The font program, widths and ToUnicode come
 * at pdfcid_finish, when the glyphs are known. */
static bool make_objects(struct pdfcid *f)
{
    HPDF_MMgr mm = f->pdf->mmgr;
    HPDF_Xref xref = f->pdf->xref;
    HPDF_Dict t0 = HPDF_Dict_New(mm);
    if (!t0 || HPDF_Xref_Add(xref, t0) != HPDF_OK)
        return false;
    HPDF_Dict cf = HPDF_Dict_New(mm);
    if (!cf || HPDF_Xref_Add(xref, cf) != HPDF_OK)
        return false;
    HPDF_Dict fd = HPDF_Dict_New(mm);
    if (!fd || HPDF_Xref_Add(xref, fd) != HPDF_OK)
        return false;
    HPDF_Array desc = HPDF_Array_New(mm);
    HPDF_Dict info = HPDF_Dict_New(mm);
    if (!desc || !info)
        return false;
    HPDF_STATUS st = HPDF_OK;
    st |= HPDF_Dict_AddName(t0, "Type", "Font");
    st |= HPDF_Dict_AddName(t0, "Subtype", "Type0");
    st |= HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    st |= HPDF_Dict_Add(t0, "DescendantFonts", desc);
    st |= HPDF_Array_Add(desc, cf);
    st |= HPDF_Dict_AddName(cf, "Type", "Font");
    st |= HPDF_Dict_AddName(cf, "Subtype", "CIDFontType2");
    st |= HPDF_Dict_Add(cf, "CIDSystemInfo", info);
    st |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    st |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    st |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    st |= HPDF_Dict_Add(cf, "FontDescriptor", fd);
    st |= HPDF_Dict_AddName(fd, "Type", "FontDescriptor");
    if (st != HPDF_OK)
        return false;
    f->type0 = t0;
    f->cidfont = cf;
    f->descriptor = fd;
    /* Code 0 is .notdef, never shown. */
    f->cids = calloc(16, sizeof *f->cids);
    if (!f->cids)
        return false;
    f->cap_cids = 16;
    f->n_cids = 1;
    return true;
}

static long code_for(struct pdfcid *f, const struct canvas_glyph *g)
{
    uint16_t u[6];
    uint8_t n = to_utf16(g->utf8, g->len, u);
    if (n == 0)
        return -1;
    for (size_t i = 1; i < f->n_cids; i++)
        if (f->cids[i].gid == g->gid && f->cids[i].n16 == n &&
            memcmp(f->cids[i].utf16, u, n * sizeof *u) == 0)
            return (long)i;
    if (f->n_cids > 0xFFFF)
        return -1;
    struct cid *more = grow_for_one(f->cids, &f->cap_cids, f->n_cids, sizeof *f->cids, 16);
    if (!more)
        return -1;
    f->cids = more;
    struct cid *c = &f->cids[f->n_cids];
    memset(c, 0, sizeof *c);
    c->gid = g->gid;
    c->advance = g->advance;
    memcpy(c->utf16, u, n * sizeof *u);
    c->n16 = n;
    return (long)f->n_cids++;
}

bool pdfcid_register(struct pdfcid *f, HPDF_Page page)
{
    if (!f->type0)
        return true;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Dict res = HPDF_Page_GetInheritableItem(page, "Resources", HPDF_OCLASS_DICT);
    if (!res)
        return false;
    HPDF_Dict fonts = HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT);
    if (!fonts) {
        /* Where libharu keeps a page's fonts, so its own later fonts join the same dict. */
        fonts = HPDF_Dict_New(page->mmgr);
        if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
            return false;
        attr->fonts = fonts;
    }
    return HPDF_Dict_GetItem(fonts, f->res_name, HPDF_OCLASS_DICT) ||
           HPDF_Dict_Add(fonts, f->res_name, f->type0) == HPDF_OK;
}

int pdfcid_show(struct pdfcid *f, HPDF_Page page, double size, double x, double y,
                const struct canvas_glyph *gl, size_t n, struct cn_err *err)
{
    if (n == 0)
        return CN_OK;
    if (!f->type0 && !make_objects(f))
        return cn_fail(err, CN_EOUTPUT, "pdfcid: cannot add font %s to the PDF", f->path);
    if (!pdfcid_register(f, page))
        return cn_fail(err, CN_EOUTPUT, "pdfcid: cannot add the font to the page");
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    char buf[128];
    snprintf(buf, sizeof buf, "BT\n/%s %.2f Tf\n%.2f %.2f Td\n<", f->res_name, size, x, y);
    HPDF_STATUS st = HPDF_Stream_WriteStr(attr->stream, buf);
    for (size_t i = 0; i < n; i++) {
        long code = code_for(f, &gl[i]);
        if (code < 0)
            return cn_fail(err, CN_EOUTPUT, "pdfcid: glyph %u: too many glyphs or characters",
                           (unsigned)gl[i].gid);
        snprintf(buf, sizeof buf, "%04lX", code);
        st |= HPDF_Stream_WriteStr(attr->stream, buf);
    }
    st |= HPDF_Stream_WriteStr(attr->stream, "> Tj\nET\n");
    if (st != HPDF_OK)
        return cn_fail(err, CN_EOUTPUT, "pdfcid: cannot write the page's text");
    return CN_OK;
}

static HPDF_Dict new_stream(struct pdfcid *f)
{
    HPDF_Dict s = HPDF_DictStream_New(f->pdf->mmgr, f->pdf->xref);
    /* Compressed when the document compresses its own fonts. */
    if (s && (f->pdf->compression_mode & HPDF_COMP_METADATA))
        s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    return s;
}

static bool write_tounicode(struct pdfcid *f, HPDF_Stream s)
{
    HPDF_STATUS st = HPDF_Stream_WriteStr(
        s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
           "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
           "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    char buf[96];
    for (size_t i = 1; i < f->n_cids; i += 100) {
        size_t end = i + 100 < f->n_cids ? i + 100 : f->n_cids;
        snprintf(buf, sizeof buf, "%zu beginbfchar\n", end - i);
        st |= HPDF_Stream_WriteStr(s, buf);
        for (size_t c = i; c < end; c++) {
            int k = snprintf(buf, sizeof buf, "<%04zX> <", c);
            for (int j = 0; j < f->cids[c].n16; j++)
                k += snprintf(buf + k, sizeof buf - (size_t)k, "%04X", f->cids[c].utf16[j]);
            snprintf(buf + k, sizeof buf - (size_t)k, ">\n");
            st |= HPDF_Stream_WriteStr(s, buf);
        }
        st |= HPDF_Stream_WriteStr(s, "endbfchar\n");
    }
    st |= HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                                  "end\nend\n");
    return st == HPDF_OK;
}

/* The font cut down to the glyphs shown (nothing reachable through layout features, no
 * hinting, no vertical metrics, no cmap or glyph names: CIDToGIDMap finds the glyphs), with
 * new glyph IDs numbered from 0. new_gid[code] receives each code's glyph in the subset. */
static hb_blob_t *subset(hb_face_t *face, const struct pdfcid *f, uint16_t *new_gid)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return NULL;
    hb_set_t *gids = hb_subset_input_glyph_set(in);
    for (size_t i = 1; i < f->n_cids; i++)
        hb_set_add(gids, f->cids[i].gid);
    hb_set_clear(hb_subset_input_set(in, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx",
                                          "VORG", "DSIG", "kern", "MATH", "cmap", "post"};
    for (size_t i = 0; i < sizeof dropped / sizeof *dropped; i++)
        hb_set_add(drop, hb_tag_from_string(dropped[i], 4));
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    hb_subset_input_destroy(in);
    if (!plan)
        return NULL;
    const hb_map_t *old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    new_gid[0] = 0;
    bool ok = true;
    for (size_t i = 1; i < f->n_cids; i++) {
        hb_codepoint_t g = hb_map_get(old_to_new, f->cids[i].gid);
        ok = ok && g != HB_MAP_VALUE_INVALID && g <= 0xFFFF;
        new_gid[i] = (uint16_t)g;
    }
    hb_face_t *sub = ok ? hb_subset_plan_execute_or_fail(plan) : NULL;
    hb_subset_plan_destroy(plan);
    if (!sub)
        return NULL;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    hb_face_destroy(sub);
    return blob;
}

/* The subset's tag: six capitals from the glyph set, so that two different subsets of one
 * font in one document never share a name. */
static void subset_tag(const struct pdfcid *f, char tag[7])
{
    unsigned long h = 5381;
    for (size_t i = 1; i < f->n_cids; i++)
        h = h * 33 + f->cids[i].gid;
    for (int i = 0; i < 6; i++, h /= 26)
        tag[i] = (char)('A' + h % 26);
    tag[6] = '\0';
}

static int finish_objects(struct pdfcid *f, hb_face_t *face, struct cn_err *err)
{
    HPDF_MMgr mm = f->pdf->mmgr;
    char ps[64] = "", name[96], tag[7];
    unsigned len = sizeof ps;
    hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, ps);
    for (char *p = ps; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr("()<>[]{}/%#", *p))
            *p = '-';
    subset_tag(f, tag);
    snprintf(name, sizeof name, "%s+%s", tag, ps[0] ? ps : "Font");

    hb_font_t *font = hb_font_create(face);
    hb_font_extents_t ext = {0};
    hb_font_get_h_extents(font, &ext);
    hb_font_destroy(font);
    long upem = (long)hb_face_get_upem(face);
    int ascent = (int)((long)ext.ascender * 1000 / upem),
        descent = (int)((long)ext.descender * 1000 / upem);

    HPDF_STATUS st = HPDF_OK;
    st |= HPDF_Dict_AddName(f->type0, "BaseFont", name);
    st |= HPDF_Dict_AddName(f->cidfont, "BaseFont", name);
    st |= HPDF_Dict_AddName(f->descriptor, "FontName", name);
    st |= HPDF_Dict_AddNumber(f->descriptor, "Flags", 4); /* symbolic: glyphs by ID */
    HPDF_Box box = {0, (HPDF_REAL)descent, 1000, (HPDF_REAL)ascent};
    st |= HPDF_Dict_Add(f->descriptor, "FontBBox", HPDF_Box_Array_New(mm, box));
    st |= HPDF_Dict_AddNumber(f->descriptor, "ItalicAngle", 0);
    st |= HPDF_Dict_AddNumber(f->descriptor, "Ascent", ascent);
    st |= HPDF_Dict_AddNumber(f->descriptor, "Descent", descent);
    st |= HPDF_Dict_AddNumber(f->descriptor, "CapHeight", ascent);
    st |= HPDF_Dict_AddNumber(f->descriptor, "StemV", 80);

    /* Widths: one run [first [w w ...]] of every code, all shown ones (codes are dense). */
    HPDF_Array w = HPDF_Array_New(mm), ws = HPDF_Array_New(mm);
    st |= HPDF_Dict_Add(f->cidfont, "W", w);
    st |= HPDF_Array_AddNumber(w, 1);
    st |= HPDF_Array_Add(w, ws);
    for (size_t i = 1; i < f->n_cids; i++)
        st |= HPDF_Array_AddNumber(ws, f->cids[i].advance);

    uint16_t *new_gid = malloc(f->n_cids * sizeof *new_gid);
    hb_blob_t *blob = new_gid ? subset(face, f, new_gid) : NULL;
    HPDF_Dict map = blob ? new_stream(f) : NULL;
    if (!map) {
        free(new_gid);
        hb_blob_destroy(blob);
        return cn_fail(err, CN_EOUTPUT, "font %s: hb-subset failed", f->path);
    }
    st |= HPDF_Dict_Add(f->cidfont, "CIDToGIDMap", map);
    for (size_t i = 0; i < f->n_cids; i++) {
        HPDF_BYTE be[2] = {(HPDF_BYTE)(new_gid[i] >> 8), (HPDF_BYTE)new_gid[i]};
        st |= HPDF_Stream_Write(map->stream, be, 2);
    }
    free(new_gid);

    HPDF_Dict tu = new_stream(f);
    if (!tu || !write_tounicode(f, tu->stream)) {
        hb_blob_destroy(blob);
        return cn_fail(err, CN_EOUTPUT, "pdfcid: cannot write the ToUnicode map");
    }
    st |= HPDF_Dict_Add(f->type0, "ToUnicode", tu);

    unsigned blen = 0;
    const char *data = hb_blob_get_data(blob, &blen);
    HPDF_Dict file = new_stream(f);
    if (!file || blen == 0) {
        hb_blob_destroy(blob);
        return cn_fail(err, CN_EOUTPUT, "font %s: empty subset", f->path);
    }
    st |= HPDF_Stream_Write(file->stream, (const HPDF_BYTE *)data, blen);
    hb_blob_destroy(blob);
    st |= HPDF_Dict_AddNumber(file, "Length1", blen);
    st |= HPDF_Dict_Add(f->descriptor, "FontFile2", file);
    if (st != HPDF_OK)
        return cn_fail(err, CN_EOUTPUT, "pdfcid: cannot write font %s", f->path);
    return CN_OK;
}

int pdfcid_finish(struct pdfcid *f, struct cn_err *err)
{
    if (!f || !f->type0)
        return CN_OK;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(f->path);
    if (!blob)
        return cn_fail(err, CN_EOUTPUT, "font %s: cannot be read", f->path);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    int rc = finish_objects(f, face, err);
    hb_face_destroy(face);
    return rc;
}

bool pdfcid_fix_libharu_tounicode(HPDF_Font font)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream)
        return false;
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Stream s = tu->stream;
    /* Identity over the BMP except the surrogates, one range per high byte (a bfrange may
     * change only its last byte). */
    HPDF_STATUS st = HPDF_Stream_WriteStr(
        s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
           "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
           "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned highs[256] = {0}, n = 0;
    for (unsigned h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            highs[n++] = h;
    char buf[64];
    for (unsigned i = 0; i < n; i += 100) {
        unsigned end = i + 100 < n ? i + 100 : n;
        snprintf(buf, sizeof buf, "%u beginbfrange\n", end - i);
        st |= HPDF_Stream_WriteStr(s, buf);
        for (unsigned k = i; k < end; k++) {
            snprintf(buf, sizeof buf, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
            st |= HPDF_Stream_WriteStr(s, buf);
        }
        st |= HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    st |= HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\n"
                                  "end\nend\n");
    return st == HPDF_OK;
}
