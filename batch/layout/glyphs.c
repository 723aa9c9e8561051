#include "glyphs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "gaiji.h"
#include "typeset.h"

struct glyph_source {
    hb_font_t *font[GF_COUNT];
    unsigned upem[GF_COUNT];
    char path[GF_COUNT][512];
};

int glyphs_load(const char *const paths[GF_COUNT], struct glyph_source **out, struct cn_err *err)
{
    struct glyph_source *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g)
        return cn_fail(err, CN_EUSAGE, "glyphs: out of memory");
    for (int i = 0; i < GF_COUNT; i++) {
        /* NULL or "" is a font the caller has none of (an array initialised short) */
        const char *path = paths[i] ? paths[i] : "";
        snprintf(g->path[i], sizeof g->path[i], "%s", path);
        if (!path[0])
            continue;
        /* Mapped, not read: IPAmj明朝 is 46 MB and a night touches a few hundred glyphs. */
        hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
        if (!blob) {
            glyphs_free(g);
            return cn_fail(err, CN_EUSAGE, "font %s: cannot be read", path);
        }
        hb_face_t *face = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
        g->upem[i] = hb_face_get_upem(face);
        unsigned n_glyphs = hb_face_get_glyph_count(face);
        g->font[i] = hb_font_create(face);
        hb_face_destroy(face);
        if (n_glyphs == 0 || g->upem[i] == 0) {
            glyphs_free(g);
            return cn_fail(err, CN_EUSAGE, "font %s: not a TrueType font", path);
        }
        hb_font_make_immutable(g->font[i]);
    }
    *out = g;
    return CN_OK;
}

void glyphs_free(struct glyph_source *g)
{
    if (!g)
        return;
    for (int i = 0; i < GF_COUNT; i++)
        hb_font_destroy(g->font[i]);
    free(g);
}

const char *glyphs_path(const struct glyph_source *g, enum glyph_font f)
{
    return g->path[f];
}

/* The glyph of cp (with selector vs) in font f, 0 when the font has no such glyph.
 * HarfBuzz answers a sequence only from the font's format-14 table (its default-UVS
 * entries give the base glyph, as they should): never the base glyph by fallback. */
static hb_codepoint_t lookup(const struct glyph_source *g, int f, uint32_t cp, uint32_t vs)
{
    hb_codepoint_t gid = 0;
    if (!g->font[f])
        return 0;
    bool ok = vs ? hb_font_get_variation_glyph(g->font[f], cp, vs, &gid)
                 : hb_font_get_nominal_glyph(g->font[f], cp, &gid);
    return ok ? gid : 0;
}

static uint16_t advance(const struct glyph_source *g, int f, hb_codepoint_t gid)
{
    /* The font's scale is its units per em, so this is the hmtx value, converted as
     * typeset converts it for libharu's fonts: the same widths for the same glyphs. */
    long a = hb_font_get_glyph_h_advance(g->font[f], gid);
    a = a * 1000 / (long)g->upem[f];
    return (uint16_t)(a < 0 ? 0 : a > 65535 ? 65535 : a);
}

static bool resolve_one(const struct glyph_source *g, enum glyph_font base, struct glyph *gl)
{
    /* The fonts to try, in order: libharu can show a BMP character of its own fonts only. */
    int order[2];
    if (base == GF_MJ) {
        order[0] = GF_MJ;
        order[1] = GF_MINCHO;
    } else {
        order[0] = base;
        order[1] = GF_MJ;
    }
    for (int k = 0; k < 2; k++) {
        int f = order[k];
        hb_codepoint_t gid = lookup(g, f, gl->cp, gl->vs);
        if (!gid || gid > 0xFFFF)
            continue;
        gl->font = (uint8_t)f;
        gl->gid = (uint16_t)gid;
        gl->advance = advance(g, f, gid);
        gl->libharu = f <= GF_MINCHO && gl->vs == 0 && gl->cp <= 0xFFFF;
        return true;
    }
    return false;
}

long glyphs_resolve(const struct glyph_source *g, enum glyph_font base, const char *utf8,
                    struct glyph *out, size_t cap, uint32_t bad[2])
{
    long n = 0;
    size_t i = 0;
    while (utf8[i]) {
        struct glyph gl = {.start = i};
        gl.cp = ts_utf8_next_seq(utf8, &i, &gl.vs);
        gl.len = i - gl.start;
        bool ok;
        if (gl.cp == '\n') {
            gl.font = base == GF_MJ || base == GF_UD_MINCHO ? GF_MINCHO
                      : base == GF_UD_GOTHIC                ? GF_GOTHIC
                                                            : (uint8_t)base;
            gl.libharu = true;
            ok = true;
        } else {
            /* A font's own Private Use Area glyphs mean nothing in a registry's text: the
             * gaiji map says what such a character is, before it gets here. */
            ok = gl.cp != 0xFFFD && !ts_is_selector(gl.cp) && !gaiji_is_pua(gl.cp) &&
                 resolve_one(g, base, &gl);
        }
        if (!ok) {
            bad[0] = gl.cp;
            bad[1] = gl.vs;
            return -1;
        }
        if (out && (size_t)n < cap)
            out[n] = gl;
        n++;
    }
    return n;
}

int glyphs_fallback(const void *ctx, int base, uint32_t cp, uint32_t vs)
{
    struct glyph gl = {.cp = cp, .vs = vs};
    if (gaiji_is_pua(cp) || !resolve_one(ctx, (enum glyph_font)base, &gl))
        return -1;
    return gl.advance;
}

bool glyphs_text_needs_mj(const struct glyph_source *g, enum glyph_font base, const char *utf8)
{
    for (size_t i = 0; utf8[i];) {
        struct glyph gl = {.start = i};
        gl.cp = ts_utf8_next_seq(utf8, &i, &gl.vs);
        if (gl.cp != '\n' && !gaiji_is_pua(gl.cp) && resolve_one(g, base, &gl) && gl.font == GF_MJ)
            return true;
    }
    return false;
}

void glyphs_name(const uint32_t bad[2], char *out, size_t cap)
{
    if (bad[1])
        snprintf(out, cap, "U+%04X U+%04X", (unsigned)bad[0], (unsigned)bad[1]);
    else
        snprintf(out, cap, "U+%04X", (unsigned)bad[0]);
}
