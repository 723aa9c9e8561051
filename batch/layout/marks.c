#include "marks.h"

#include "custbar.h"
#include "datamatrix.h"
#include "qr.h"

#define MM (72.0 / 25.4)

#define MASK_MAX 256 /* modules a side drawn as one image (a QR code has at most 185) */

/* A symbol's modules as a 1-bit image (canvas.h mask), width_mm wide, quiet zone included,
 * top-left corner at x,top: a QR code is ~160 bytes instead of ~3 KB of rectangles before
 * compression, and as much less to compress. */
static void draw_mask(const struct canvas *c, const struct qr_code *sym, double x, double top,
                      double width_mm)
{
    unsigned char bits[MASK_MAX * (MASK_MAX / 8)] = {0};
    size_t stride = ((size_t)sym->size + 7) / 8;
    for (size_t i = 0; i < sym->n_rects; i++) {
        const struct qr_rect *r = &sym->rects[i];
        if (r->x + r->w > sym->size || r->y + r->h > sym->size)
            continue; /* never: qr_merge_modules keeps inside the symbol */
        for (int y = r->y; y < r->y + r->h; y++)
            for (int k = r->x; k < r->x + r->w; k++)
                bits[(size_t)y * stride + (size_t)k / 8] |= (unsigned char)(0x80u >> (k % 8));
    }
    double s = width_mm * MM;
    c->ops->gsave(c->ctx);
    c->ops->concat(c->ctx, s, 0, 0, s, x, top - s);
    c->ops->gray_fill(c->ctx, 0);
    c->ops->mask(c->ctx, sym->size, sym->size, bits);
    c->ops->grestore(c->ctx);
}

/* A symbol's rectangles width_mm wide, quiet zone included, top-left corner at x,top. */
static void draw_modules(const struct canvas *c, const struct qr_code *sym, double x, double top,
                         double width_mm)
{
    if (c->ops->mask && sym->size > 0 && sym->size <= MASK_MAX) {
        draw_mask(c, sym, x, top, width_mm);
        return;
    }
    double m = width_mm / sym->size * MM; /* points per module, quiet zone included */
    /* In module units, y downwards: each rectangle is four small integers ("3 12 1 2 re"),
     * not four points with five decimals, a third of the letter's bytes. */
    c->ops->gsave(c->ctx);
    c->ops->concat(c->ctx, m, 0, 0, -m, x, top);
    c->ops->gray_fill(c->ctx, 0);
    for (size_t i = 0; i < sym->n_rects; i++) {
        const struct qr_rect *r = &sym->rects[i];
        c->ops->rect(c->ctx, r->x, r->y, r->w, r->h);
    }
    c->ops->fill(c->ctx);
    c->ops->grestore(c->ctx);
}

int marks_qr(const struct canvas *c, const char *text, double x, double top, double width_mm,
             struct cn_err *err)
{
    struct qr_code qr = {0};
    int rc = qr_encode(text, &qr, err);
    if (rc == CN_OK && c)
        draw_modules(c, &qr, x, top, width_mm);
    qr_free(&qr);
    return rc;
}

int marks_datamatrix(const struct canvas *c, const char *text, double x, double top,
                     double width_mm, struct cn_err *err)
{
    struct qr_code dm = {0};
    int rc = datamatrix_encode(text, &dm, err);
    if (rc == CN_OK && c)
        draw_modules(c, &dm, x, top, width_mm);
    qr_free(&dm);
    return rc;
}

bool marks_custbar(const struct canvas *c, const char *postal, const char *address,
                   const char *address2, double x, double top, double size)
{
    struct custbar cb;
    if (!custbar_encode_parts(postal, address, address2, &cb))
        return false;
    marks_custbar_symbols(c, &cb, x, top, size);
    return true;
}

void marks_custbar_symbols(const struct canvas *c, const struct custbar *cb, double x, double top,
                           double size)
{
    char bars[MARKS_BARS + 1];
    custbar_bars(cb, bars);
    const int asc = (MARKS_BAR_LONG - MARKS_BAR_TIMING) / 2; /* the timing part's top */
    double unit = MARKS_BAR_UNIT_MM * size / MARKS_BAR_REF_PT * MM;
    c->ops->gsave(c->ctx);
    c->ops->concat(c->ctx, unit, 0, 0, -unit, x, top);
    c->ops->gray_fill(c->ctx, 0);
    for (int i = 0; i < MARKS_BARS && bars[i]; i++) {
        int y0 = 0, h = MARKS_BAR_LONG;
        if (bars[i] == 'A')
            h = MARKS_BAR_SEMI;
        else if (bars[i] == 'D')
            y0 = asc, h = MARKS_BAR_SEMI;
        else if (bars[i] == 'T')
            y0 = asc, h = MARKS_BAR_TIMING;
        c->ops->rect(c->ctx, i * MARKS_BAR_PITCH, y0, MARKS_BAR_WIDTH, h);
    }
    c->ops->fill(c->ctx);
    c->ops->grestore(c->ctx);
}
