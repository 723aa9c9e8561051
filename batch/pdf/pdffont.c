#include "pdffont.h"

#include <stdint.h>

#include <hpdf_fontdef.h>

/* The glyph of code point u in segment i, as libharu's HPDF_TTFontDef_GetGlyphid computes
 * it once its scan has stopped at i. */
static HPDF_UINT16 segment_glyph(const HPDF_TTF_CmapRange *c, unsigned segs, unsigned i, unsigned u)
{
    if (c->start_count[i] > u)
        return 0;
    if (c->id_range_offset[i] == 0)
        return (HPDF_UINT16)(u + (unsigned)c->id_delta[i]);
    unsigned idx = c->id_range_offset[i] / 2u + (u - c->start_count[i]) - (segs - i);
    if (idx >= c->glyph_id_array_count)
        return 0;
    return (HPDF_UINT16)(c->glyph_id_array[idx] + (unsigned)c->id_delta[i]);
}

bool pdffont_index(HPDF_Doc pdf, const char *font_name)
{
    HPDF_FontDef def = HPDF_GetFontDef(pdf, font_name);
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
        return false;
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *c = &attr->cmap;
    unsigned segs = c->seg_count_x2 / 2u;
    if (c->format != 4 || segs == 0 || !c->end_count || !c->start_count || !c->id_delta ||
        !c->id_range_offset)
        return false;
    /* libharu stops at the first segment ending at or after the code point: walking the
     * code points upwards gives the same answer only if the ends ascend, and every code
     * point must reach a segment (a proper cmap ends with 0xFFFF). */
    for (unsigned i = 1; i < segs; i++)
        if (c->end_count[i] < c->end_count[i - 1])
            return false;
    if (c->end_count[segs - 1] != 0xFFFF)
        return false;

    HPDF_UINT16 *map = HPDF_GetMem(def->mmgr, 65536 * sizeof *map);
    if (!map)
        return false;
    unsigned i = 0;
    for (unsigned u = 0; u <= 0xFFFF; u++) {
        while (u > c->end_count[i])
            i++;
        map[u] = segment_glyph(c, segs, i, u);
    }
    /* Checked against libharu's own lookup at code points spread over the BMP, so that a
     * libharu computing glyphs differently keeps its slow path rather than wrong glyphs. */
    for (unsigned u = 0; u <= 0xFFFF; u += 251)
        if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u) != map[u]) {
            HPDF_FreeMem(def->mmgr, map);
            return false;
        }

    /* One segment 0-0xFFFF whose range offset points the lookup at map[u]:
     * idx = offset / 2 + (u - 0) - (1 - 0) = u when the offset is 2. */
    if (c->glyph_id_array)
        HPDF_FreeMem(def->mmgr, c->glyph_id_array);
    c->glyph_id_array = map;
    c->glyph_id_array_count = 65536;
    c->end_count[0] = 0xFFFF;
    c->start_count[0] = 0;
    c->id_delta[0] = 0;
    c->id_range_offset[0] = 2;
    c->seg_count_x2 = 2;
    return true;
}
