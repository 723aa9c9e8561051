#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_cache.h"
#include "gaiji.h"
#include "glyphs.h"
#include "insert.h"
#include "layout.h"
#include "letter_values.h"
#include "marks.h"
#include "pdfdoc.h"
#include "rid.h"
#include "typeset.h"
#include "vocab.h"

#define MM (72.0 / 25.4)
#define SIDES 2 /* front, back */
/* A name that needs IPAmj明朝 is set wholly in it (see README "Names as the registry writes
 * them"): one design across the name, the same on the front and on the proxy form. */
#define RENDER_MJ_WHOLE true

struct render_setup {
    const struct config *cfg;
    struct check_cache *checked; /* per variant: whether its static part prints */
    struct ts_face *face[2];     /* indexed by enum tmpl_font */
    struct ts_face *mj_face;     /* IPAmj明朝's own widths, for text set wholly in it */
    struct glyph_source *glyphs; /* what IPAex cannot show */
    struct gaiji_map *gaiji;     /* NULL: the config names no gaiji map */
    struct tmpl page[SIDES];
    struct layout_setup layout;
    struct insert_setup *insert; /* NULL: the config offers only Japanese */
};

/* The insert's glyph fonts come after the letter's own (enum glyph_font). */
#define INSERT_GFONT_BASE GF_COUNT

/* Every letter's URL has the same length, and its ID only letters and digits; an ID of
 * letters alone can use no numeric segment, so it needs the most modules. If that URL
 * encodes, every letter's does, and checking a letter need not encode its QR code again
 * (a tenth of the night's CPU); if not, each letter is tried as before. */
static bool worst_qr_fits(const struct config *cfg)
{
    char rid[RID_LEN + 1], url[320];
    memset(rid, 'Z', RID_LEN);
    rid[RID_LEN] = '\0';
    letter_booking_url(cfg, rid, url, sizeof url);
    struct cn_err err = {0};
    return marks_qr(NULL, url, 0, 0, 0, &err) == CN_OK;
}

/* IPAmj明朝 and the glyph source behind the IPAex faces (typeset's fallback), and the gaiji
 * map: a name or address is printed as the registry wrote it, whatever its characters. */
static int load_glyphs(const struct config *cfg, struct render_setup *s, struct cn_err *err)
{
    const char *paths[GF_COUNT] = {cfg->font_gothic, cfg->font_mincho, cfg->font_mj};
    int rc;
    if ((rc = glyphs_load(paths, &s->glyphs, err)) ||
        (rc = ts_face_load(cfg->font_mj, &s->mj_face, err)) ||
        (cfg->gaiji_map[0] && (rc = gaiji_load(cfg->gaiji_map, &s->gaiji, err))))
        return rc;
    ts_face_set_fallback(s->face[TF_GOTHIC], glyphs_fallback, s->glyphs, GF_GOTHIC);
    ts_face_set_fallback(s->face[TF_MINCHO], glyphs_fallback, s->glyphs, GF_MINCHO);
    ts_face_set_fallback(s->mj_face, glyphs_fallback, s->glyphs, GF_MJ);
    return CN_OK;
}

int render_setup_load(const struct config *cfg, struct render_setup **out, struct cn_err *err)
{
    int rc = CN_OK;
    struct render_setup *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return cn_fail(err, CN_EUSAGE, "render: out of memory");
    s->cfg = cfg;
    const struct tmpl_names names = vocab_names();
    if ((rc = check_cache_new(&s->checked, err)) ||
        (rc = ts_face_load(cfg->font_gothic, &s->face[TF_GOTHIC], err)) ||
        (rc = ts_face_load(cfg->font_mincho, &s->face[TF_MINCHO], err)) ||
        (rc = tmpl_load(cfg->template_front, &names, &s->page[0], err)) ||
        (rc = tmpl_load(cfg->template_back, &names, &s->page[1], err)) ||
        (rc = load_glyphs(cfg, s, err)) || (rc = insert_setup_load(cfg, &s->insert, err))) {
        render_setup_free(s);
        return rc;
    }
    /* Canvas font i is pdfdoc font i: render_file_open loads them in this order. */
    s->layout = (struct layout_setup){
        .cfg = cfg,
        .font = {{s->face[TF_GOTHIC], TF_GOTHIC, GF_GOTHIC},
                 {s->face[TF_MINCHO], TF_MINCHO, GF_MINCHO}},
        .glyphs = s->glyphs,
        .mj = {s->mj_face, -1, GF_MJ},
        .mj_whole = RENDER_MJ_WHOLE,
        .qr_fits = worst_qr_fits(cfg),
    };
    *out = s;
    return CN_OK;
}

void render_setup_specimen(struct render_setup *setup, bool specimen)
{
    setup->layout.specimen = specimen;
    check_cache_clear(setup->checked); /* 見本 is part of every static part */
}

void render_setup_free(struct render_setup *setup)
{
    if (!setup)
        return;
    ts_face_free(setup->face[0]);
    ts_face_free(setup->face[1]);
    ts_face_free(setup->mj_face);
    glyphs_free(setup->glyphs);
    gaiji_free(setup->gaiji);
    tmpl_free(&setup->page[0]);
    tmpl_free(&setup->page[1]);
    check_cache_free(setup->checked);
    insert_setup_free(setup->insert);
    free(setup);
}

/* ---- checks ----------------------------------------------------------------------- */

/* Whether the static parts of l's variant print; walked once per variant. */
static bool static_part_prints(const struct render_setup *s, const struct letter *l,
                               const struct letter_values *v)
{
    bool ok = true;
    if (check_cache_get(s->checked, v->variant, &ok))
        return ok;
    for (int side = 0; ok && side < SIDES; side++)
        ok = layout_page(&s->layout, &s->page[side], l, v, NULL, LAYOUT_STATIC, NULL, 0);
    check_cache_put(s->checked, v->variant, ok);
    return ok;
}

bool render_check(const struct render_setup *setup, const struct letter *l, char *reason,
                  size_t cap)
{
    struct letter_values v;
    letter_values_fill(setup->cfg, setup->gaiji, l, &v);
    if (v.gaiji_problem[0]) {
        if (reason && cap)
            snprintf(reason, cap, "%s", v.gaiji_problem);
        return false;
    }
    /* Static nodes never fail when the variant's static part prints, so the dynamic pass
     * finds the same first failure as a walk of everything; otherwise everything is walked,
     * for the same reason the letter would have been given. */
    enum layout_pass pass = static_part_prints(setup, l, &v) ? LAYOUT_DYNAMIC : LAYOUT_ALL;
    for (int side = 0; side < SIDES; side++) {
        char why[200];
        letter_values_page(&v, side + 1);
        if (!layout_page(&setup->layout, &setup->page[side], l, &v, NULL, pass, why, sizeof why)) {
            if (reason && cap)
                snprintf(reason, cap, "%s: %s", side == 0 ? "front" : "back", why);
            return false;
        }
    }
    if (l->insert_lang != LANG_JA &&
        !insert_page(setup->insert, l, &v, NULL, INSERT_GFONT_BASE, reason, cap))
        return false;
    if (reason && cap)
        reason[0] = '\0';
    return true;
}

/* The first <datamatrix> under n, depth first. */
static const struct tmpl_node *find_datamatrix(const struct tmpl_node *n)
{
    if (n->kind == TK_DATAMATRIX)
        return n;
    for (size_t i = 0; i < n->n_kids; i++) {
        const struct tmpl_node *k = find_datamatrix(&n->kids[i]);
        if (k)
            return k;
    }
    return NULL;
}

bool render_sheet_mark_place(const struct render_setup *setup, int side, double *x_mm, double *y_mm,
                             double *w_mm)
{
    const struct tmpl_node *n =
        side >= 0 && side < SIDES ? find_datamatrix(&setup->page[side].root) : NULL;
    if (n) {
        *x_mm = n->x;
        *y_mm = n->y;
        *w_mm = n->w;
    }
    return n != NULL;
}

/* ---- print files ------------------------------------------------------------------ */

struct render_file {
    const struct render_setup *s;
    struct pdfdoc *doc;
};

int render_file_open(const struct render_setup *setup, struct render_file **out, struct cn_err *err)
{
    struct render_file *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return cn_fail(err, CN_EOUTPUT, "render: out of memory");
    f->s = setup;
    const char *fonts[2] = {setup->cfg->font_gothic, setup->cfg->font_mincho};
    const char *glyph_fonts[GF_COUNT] = {setup->cfg->font_gothic, setup->cfg->font_mincho,
                                         setup->cfg->font_mj};
    int rc = pdfdoc_new(fonts, 2, &f->doc, err);
    if (rc == CN_OK)
        rc = pdfdoc_glyph_fonts(f->doc, glyph_fonts, GF_COUNT, err);
    if (rc == CN_OK && setup->insert) {
        const char *insert_fonts[IF_COUNT];
        insert_font_paths(setup->insert, insert_fonts);
        rc = pdfdoc_glyph_fonts(f->doc, insert_fonts, IF_COUNT, err);
    }
    if (rc) {
        pdfdoc_free(f->doc);
        free(f);
        return rc;
    }
    *out = f;
    return CN_OK;
}

struct static_part {
    const struct render_setup *s;
    const struct tmpl *t;
    const struct letter *l;
    const struct letter_values *v;
    const struct canvas *c;
    bool ok;
    char reason[200];
};

static void draw_static(void *ctx)
{
    struct static_part *sp = ctx;
    sp->c->ops->gsave(sp->c->ctx);
    sp->ok = layout_page(&sp->s->layout, sp->t, sp->l, sp->v, sp->c, LAYOUT_STATIC, sp->reason,
                         sizeof sp->reason);
    sp->c->ops->grestore(sp->c->ctx);
}

static int add_page(struct render_file *f, const struct letter *l, const struct letter_values *v,
                    int side, struct cn_err *err)
{
    const struct tmpl *t = &f->s->page[side];
    const struct canvas *c = NULL;
    int rc = pdfdoc_add_page(f->doc, t->width * MM, t->height * MM, &c, err);
    if (rc)
        return rc;
    /* The shared stream names fonts F1 (gothic) and F2 (mincho): every page registers
     * them in that order before anything else so the names mean the same on each. */
    pdfdoc_name_fonts(f->doc);
    char key[VARIANT_CODE_MAX + 4];
    snprintf(key, sizeof key, "%s/%d", v->variant, side);
    struct static_part sp = {f->s, t, l, v, c, true, ""};
    char reason[200] = "";
    bool ok = true;
    int shared = pdfdoc_share(f->doc, key, draw_static, &sp);
    if (shared < 0)
        return cn_fail(err, CN_EOUTPUT,
                       "render: cannot share a page's static part (libharu error)");
    if (shared == 0) /* more variants than slots: draw this page whole */
        ok = layout_page(&f->s->layout, t, l, v, c, LAYOUT_ALL, reason, sizeof reason);
    else if (!sp.ok)
        snprintf(reason, sizeof reason, "%s", sp.reason), ok = false;
    else
        ok = layout_page(&f->s->layout, t, l, v, c, LAYOUT_DYNAMIC, reason, sizeof reason);
    /* The letter passed render_check (the same layout) and has its sequence number in the
     * batch: a gap cannot be made now, so nothing is published (exit 5), never a batch
     * that says it is complete without it. */
    if (!ok)
        return cn_fail(err, CN_EOUTPUT,
                       "render: letter %ld passed the check but cannot be laid out: %s", l->seq,
                       reason);
    return pdfdoc_status(f->doc, "render", err);
}

/* The insert in the resident's language and its blank back: the last two pages. */
static int add_insert(struct render_file *f, const struct letter *l, struct letter_values *v,
                      struct cn_err *err)
{
    for (int k = 0; k < 2; k++) {
        const struct canvas *c = NULL;
        int rc = pdfdoc_add_page(f->doc, 210 * MM, 297 * MM, &c, err);
        if (rc)
            return rc;
        pdfdoc_name_fonts(f->doc);
        letter_values_page(v, v->page_count - 1 + k);
        char reason[200];
        const bool ok =
            k == 0 ? insert_page(f->s->insert, l, v, c, INSERT_GFONT_BASE, reason, sizeof reason)
                   : insert_back(f->s->insert, l, v, c, INSERT_GFONT_BASE, reason, sizeof reason);
        if (!ok)
            return cn_fail(err, CN_EOUTPUT,
                           "render: letter %ld passed the check but cannot be laid out: %s", l->seq,
                           reason);
        if ((rc = pdfdoc_status(f->doc, "render", err)))
            return rc;
    }
    return CN_OK;
}

int render_file_add(struct render_file *f, const struct letter *l, struct cn_err *err)
{
    struct letter_values v;
    letter_values_fill(f->s->cfg, f->s->gaiji, l, &v);
    if (v.gaiji_problem[0])
        return cn_fail(err, CN_EINPUT, "render: letter %ld: %s", l->seq, v.gaiji_problem);
    letter_values_page(&v, 1);
    int rc = add_page(f, l, &v, 0, err);
    letter_values_page(&v, 2);
    if (rc == CN_OK)
        rc = add_page(f, l, &v, 1, err);
    if (rc == CN_OK && l->insert_lang != LANG_JA)
        rc = add_insert(f, l, &v, err);
    return rc;
}

int render_file_save(struct render_file *f, const char *path, unsigned mode, int *pages,
                     struct cn_err *err)
{
    int rc = pdfdoc_save(f->doc, path, mode, err);
    if (rc == CN_OK && pages)
        *pages = pdfdoc_pages(f->doc);
    return rc;
}

void render_file_free(struct render_file *f)
{
    if (!f)
        return;
    pdfdoc_free(f->doc);
    free(f);
}
