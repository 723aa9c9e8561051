#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas_rec.h"
#include "gaiji.h"
#include "glyphs.h"
#include "insert.h"
#include "layer_cache.h"
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

/* A large-print letter's pages: the front set larger on two sides, the 照会書兼回答書 as it
 * is on its own sheet, and that sheet's blank back (marks only). */
enum { LARGE_1, LARGE_2, BLANK, EXTRA_PAGES };

struct render_setup {
    const struct config *cfg;
    struct layer_cache *layers;  /* the variants' and districts' layers, laid out once */
    struct ts_face *face[2];     /* indexed by enum tmpl_font */
    struct ts_face *ud_face[2];  /* BIZ UD, when large print or <fonts ud> wants them */
    struct ts_face *mj_face;     /* IPAmj明朝's own widths, for text set wholly in it */
    struct glyph_source *glyphs; /* what IPAex cannot show */
    struct gaiji_map *gaiji;     /* NULL: the config names no gaiji map */
    struct tmpl page[SIDES];
    struct tmpl extra[EXTRA_PAGES]; /* loaded when the config has <large-print> */
    bool large;
    struct layout_setup layout;
    struct layout_setup layout_large; /* BIZ UD whatever the letter's fonts */
    struct insert_setup *insert;      /* NULL: the config offers only Japanese */
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
    const bool ud = cfg->large_print_age > 0 || cfg->ud_fonts;
    const char *paths[GF_COUNT] = {cfg->font_gothic, cfg->font_mincho, cfg->font_mj,
                                   ud ? cfg->font_ud_gothic : "", ud ? cfg->font_ud_mincho : ""};
    int rc;
    if (ud && ((rc = ts_face_load(cfg->font_ud_gothic, &s->ud_face[0], err)) ||
               (rc = ts_face_load(cfg->font_ud_mincho, &s->ud_face[1], err))))
        return rc;
    if ((rc = glyphs_load(paths, &s->glyphs, err)) ||
        (rc = ts_face_load(cfg->font_mj, &s->mj_face, err)) ||
        (cfg->gaiji_map[0] && (rc = gaiji_load(cfg->gaiji_map, &s->gaiji, err))))
        return rc;
    ts_face_set_fallback(s->face[TF_GOTHIC], glyphs_fallback, s->glyphs, GF_GOTHIC);
    ts_face_set_fallback(s->face[TF_MINCHO], glyphs_fallback, s->glyphs, GF_MINCHO);
    ts_face_set_fallback(s->mj_face, glyphs_fallback, s->glyphs, GF_MJ);
    if (ud) {
        ts_face_set_fallback(s->ud_face[0], glyphs_fallback, s->glyphs, GF_UD_GOTHIC);
        ts_face_set_fallback(s->ud_face[1], glyphs_fallback, s->glyphs, GF_UD_MINCHO);
    }
    return CN_OK;
}

/* The large-print pages' templates, beside the front's: letter-front-large.xml,
 * letter-front-large-2.xml, letter-blank.xml. */
static int load_large(const struct config *cfg, const struct tmpl_names *names,
                      struct render_setup *s, struct cn_err *err)
{
    static const char *const files[EXTRA_PAGES] = {"letter-front-large.xml",
                                                   "letter-front-large-2.xml", "letter-blank.xml"};
    if (!cfg->large_print_age)
        return CN_OK;
    char dir[512];
    snprintf(dir, sizeof dir, "%s", cfg->template_front);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    for (int i = 0; i < EXTRA_PAGES; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s/%s", slash ? dir : ".", files[i]);
        int rc = tmpl_load(path, names, &s->extra[i], err);
        if (rc)
            return rc;
    }
    s->large = true;
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
    if ((rc = layer_cache_new(&s->layers, err)) ||
        (rc = ts_face_load(cfg->font_gothic, &s->face[TF_GOTHIC], err)) ||
        (rc = ts_face_load(cfg->font_mincho, &s->face[TF_MINCHO], err)) ||
        (rc = tmpl_load(cfg->template_front, &names, &s->page[0], err)) ||
        (rc = tmpl_load(cfg->template_back, &names, &s->page[1], err)) ||
        (rc = load_glyphs(cfg, s, err)) || (rc = load_large(cfg, &names, s, err)) ||
        (rc = insert_setup_load(cfg, &s->insert, err))) {
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
    /* BIZ UD is drawn by glyph ID (no canvas font): a file without a large-print letter
     * carries nothing of it, and a Japanese letter stays byte for byte as it was. */
    s->layout_large = s->layout;
    if (s->ud_face[0]) {
        s->layout_large.font[TF_GOTHIC] = (struct layout_font){s->ud_face[0], -1, GF_UD_GOTHIC};
        s->layout_large.font[TF_MINCHO] = (struct layout_font){s->ud_face[1], -1, GF_UD_MINCHO};
    }
    /* <fonts ud>: BIZ UD are the print files' own fonts (render_file_open), shown as text. */
    if (cfg->ud_fonts) {
        s->layout.font[TF_GOTHIC] = (struct layout_font){s->ud_face[0], TF_GOTHIC, GF_UD_GOTHIC};
        s->layout.font[TF_MINCHO] = (struct layout_font){s->ud_face[1], TF_MINCHO, GF_UD_MINCHO};
        s->layout_large = s->layout;
    }
    *out = s;
    return CN_OK;
}

void render_setup_specimen(struct render_setup *setup, bool specimen)
{
    setup->layout.specimen = specimen;
    setup->layout_large.specimen = specimen;
    layer_cache_clear(setup->layers); /* 見本 is part of every variant's layer */
}

void render_setup_free(struct render_setup *setup)
{
    if (!setup)
        return;
    ts_face_free(setup->face[0]);
    ts_face_free(setup->face[1]);
    ts_face_free(setup->mj_face);
    ts_face_free(setup->ud_face[0]);
    ts_face_free(setup->ud_face[1]);
    for (int i = 0; i < EXTRA_PAGES; i++)
        tmpl_free(&setup->extra[i]);
    glyphs_free(setup->glyphs);
    gaiji_free(setup->gaiji);
    tmpl_free(&setup->page[0]);
    tmpl_free(&setup->page[1]);
    layer_cache_free(setup->layers);
    insert_setup_free(setup->insert);
    free(setup);
}

/* ---- the pages of a letter ---------------------------------------------------------- */

/* A template page and the setup it is laid out with. */
struct page_ref {
    const struct layout_setup *ls;
    const struct tmpl *t;
    const char *name;
};

/* The template pages of a letter, in order (its insert comes after them): front and back,
 * or for large print the two large fronts, the back on its own sheet and its blank back. */
static int template_pages(const struct render_setup *s, const struct letter *l,
                          struct page_ref out[4])
{
    if (!l->large_print || !s->large) {
        out[0] = (struct page_ref){&s->layout, &s->page[0], "front"};
        out[1] = (struct page_ref){&s->layout, &s->page[1], "back"};
        return 2;
    }
    out[0] = (struct page_ref){&s->layout_large, &s->extra[LARGE_1], "large front"};
    out[1] = (struct page_ref){&s->layout_large, &s->extra[LARGE_2], "large front, side 2"};
    out[2] = (struct page_ref){&s->layout, &s->page[1], "back"};
    out[3] = (struct page_ref){&s->layout, &s->extra[BLANK], "blank back"};
    return 4;
}

/* ---- the layers many letters share ------------------------------------------------ */

/* One page layer of one letter: a layer below TL_LETTER is the same for every letter of
 * its key, so the first letter to need it lays it out for all. */
struct layer_req {
    const struct render_setup *s;
    const struct letter *l;
    const struct letter_values *v;
    const struct page_ref *pg;
    enum tmpl_layer layer;
};

/* Room for a key: a variant code, a district's code and name, its offices. */
#define LAYER_KEY_MAX (VARIANT_CODE_MAX + sizeof(struct district) + (size_t)8 * 4 + 16)

/* What the layer depends on at most (tmpl.h): the variant, and for the district's layer
 * the district (its code, name and offices); and the page's template. */
static void layer_key(const struct layer_req *q, char *key, size_t cap)
{
    const struct district *d = q->l->district;
    /* The template itself, not only its side: a letter may be set from other templates
     * (large print), each with its own layers. */
    int n = snprintf(key, cap, "%c/%s/%p", q->layer == TL_VARIANT ? 'v' : 'd', q->v->variant,
                     (const void *)q->pg->t);
    if (q->layer == TL_VARIANT || n < 0 || (size_t)n >= cap)
        return;
    n += snprintf(key + n, cap - (size_t)n, "/%s/%s/", d ? d->code : "-", d ? d->name : "");
    for (int i = 0; d && i < d->n_offices && (size_t)n < cap; i++)
        n += snprintf(key + n, cap - (size_t)n, "%d,", d->offices[i]);
}

static bool make_layer(void *ctx, struct layer *out)
{
    const struct layer_req *q = ctx;
    out->drawing = canvas_rec_new();
    if (!out->drawing)
        return false;
    out->ok = layout_page(q->pg->ls, q->pg->t, q->l, q->v, canvas_rec_canvas(out->drawing),
                          (int)q->layer, out->reason, sizeof out->reason);
    return canvas_rec_ok(out->drawing);
}

/* The layer laid out once per run; NULL when it cannot be kept (out of memory: then it is
 * laid out for this letter alone). */
static const struct layer *shared_layer(const struct layer_req *q)
{
    char key[LAYER_KEY_MAX];
    layer_key(q, key, sizeof key);
    return layer_cache_get(q->s->layers, key, make_layer, (void *)q);
}

/* ---- checks ----------------------------------------------------------------------- */

/* Whether the layers l shares with other letters print; laid out once per key. */
static bool shared_layers_print(const struct render_setup *s, const struct letter *l,
                                const struct letter_values *v)
{
    struct page_ref pages[4];
    const int n = template_pages(s, l, pages);
    for (int i = 0; i < n; i++)
        for (int layer = TL_VARIANT; layer < TL_LETTER; layer++) {
            struct layer_req q = {s, l, v, &pages[i], (enum tmpl_layer)layer};
            const struct layer *got = shared_layer(&q);
            if (!got ? !layout_page(pages[i].ls, pages[i].t, l, v, NULL, layer, NULL, 0) : !got->ok)
                return false;
        }
    return true;
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
    if (l->large_print && !setup->large) {
        if (reason && cap)
            snprintf(reason, cap, "large print: the config has no <large-print>");
        return false;
    }
    /* The shared layers' nodes never fail when those layers print, so the letter's own
     * layer finds the same first failure as a walk of everything; otherwise everything is
     * walked, for the same reason the letter would have been given. */
    int layer = shared_layers_print(setup, l, &v) ? TL_LETTER : LAYOUT_ALL;
    struct page_ref pages[4];
    const int n = template_pages(setup, l, pages);
    for (int i = 0; i < n; i++) {
        char why[200];
        letter_values_page(&v, i + 1);
        if (!layout_page(pages[i].ls, pages[i].t, l, &v, NULL, layer, why, sizeof why)) {
            if (reason && cap)
                snprintf(reason, cap, "%s: %s", pages[i].name, why);
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
    const struct config *cfg = setup->cfg;
    const char *fonts[2] = {cfg->ud_fonts ? cfg->font_ud_gothic : cfg->font_gothic,
                            cfg->ud_fonts ? cfg->font_ud_mincho : cfg->font_mincho};
    const char *glyph_fonts[GF_COUNT];
    for (int i = 0; i < GF_COUNT; i++)
        glyph_fonts[i] = glyphs_path(setup->glyphs, (enum glyph_font)i);
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

/* A drawing played onto the page's canvas in its own graphics state. */
struct playback {
    const struct canvas_rec *drawing;
    const struct canvas *c;
};

static void play(void *ctx)
{
    const struct playback *p = ctx;
    p->c->ops->gsave(p->c->ctx);
    canvas_rec_play(p->drawing, p->c);
    p->c->ops->grestore(p->c->ctx);
}

/* Draws a layer many letters share: its stream written once per file and referenced by
 * each page of its key (or on the page itself when the file cannot share it). */
static bool draw_shared_layer(struct render_file *f, const struct layer_req *q,
                              const struct canvas *c, char *reason, size_t cap,
                              bool *libharu_failed)
{
    const struct layer *got = shared_layer(q);
    if (!got) {
        c->ops->gsave(c->ctx);
        bool ok = layout_page(q->pg->ls, q->pg->t, q->l, q->v, c, (int)q->layer, reason, cap);
        c->ops->grestore(c->ctx);
        return ok;
    }
    if (!got->ok) {
        snprintf(reason, cap, "%s", got->reason);
        return false;
    }
    if (canvas_rec_empty(got->drawing))
        return true;
    char key[LAYER_KEY_MAX];
    layer_key(q, key, sizeof key);
    struct playback p = {got->drawing, c};
    int shared = pdfdoc_share(f->doc, key, play, &p);
    if (shared < 0)
        *libharu_failed = true;
    else if (shared == 0)
        play(&p);
    return true;
}

static int add_page(struct render_file *f, const struct letter *l, const struct letter_values *v,
                    const struct page_ref *pg, struct cn_err *err)
{
    const struct tmpl *t = pg->t;
    const struct canvas *c = NULL;
    int rc = pdfdoc_add_page(f->doc, t->width * MM, t->height * MM, &c, err);
    if (rc)
        return rc;
    /* The shared streams name fonts F1 (gothic) and F2 (mincho): every page registers
     * them in that order before anything else so the names mean the same on each. */
    pdfdoc_name_fonts(f->doc);
    char reason[200] = "";
    bool ok = true, libharu_failed = false;
    for (int layer = TL_VARIANT; ok && layer < TL_LETTER; layer++) {
        struct layer_req q = {f->s, l, v, pg, (enum tmpl_layer)layer};
        ok = draw_shared_layer(f, &q, c, reason, sizeof reason, &libharu_failed);
    }
    if (libharu_failed)
        return cn_fail(err, CN_EOUTPUT, "render: cannot share a page's layer (libharu error)");
    if (ok)
        ok = layout_page(pg->ls, t, l, v, c, TL_LETTER, reason, sizeof reason);
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
    struct page_ref pages[4];
    const int n = template_pages(f->s, l, pages);
    int rc = CN_OK;
    for (int i = 0; rc == CN_OK && i < n; i++) {
        letter_values_page(&v, i + 1);
        rc = add_page(f, l, &v, &pages[i], err);
    }
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
