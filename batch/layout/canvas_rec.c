#include "canvas_rec.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

enum op {
    OP_GSAVE,
    OP_GRESTORE,
    OP_CONCAT,
    OP_GRAY_FILL,
    OP_LINE_WIDTH,
    OP_DASH,
    OP_RECT,
    OP_MOVE_TO,
    OP_LINE_TO,
    OP_FILL,
    OP_STROKE,
    OP_FILL_STROKE,
    OP_TEXT,
    OP_GLYPHS,
    OP_MASK,
};

/* One call: its numbers, and for text and glyphs where their bytes and glyphs are kept
 * (offsets: the pools move as they grow). */
struct call {
    enum op op;
    int font;
    bool flag;
    double a[6];
    size_t text, glyphs, n;
};

/* A glyph as canvas_glyph, its characters an offset into the text pool. */
struct rec_glyph {
    uint16_t gid, advance;
    size_t utf8, len;
};

struct canvas_rec {
    struct canvas canvas;
    struct call *calls;
    size_t n_calls, cap_calls;
    char *text;
    size_t n_text, cap_text;
    struct rec_glyph *glyphs;
    size_t n_glyphs, cap_glyphs;
    bool failed;
};

static struct call *add(void *ctx, enum op op)
{
    struct canvas_rec *r = ctx;
    struct call *grown = grow_for_one(r->calls, &r->cap_calls, r->n_calls, sizeof *r->calls, 64);
    if (!grown) {
        r->failed = true;
        return NULL;
    }
    r->calls = grown;
    struct call *c = &r->calls[r->n_calls++];
    *c = (struct call){.op = op};
    return c;
}

/* Copies len bytes and a NUL into the text pool; its offset, or SIZE_MAX on failure. */
static size_t keep_text(struct canvas_rec *r, const char *s, size_t len)
{
    while (r->cap_text - r->n_text < len + 1) {
        size_t want = r->cap_text ? r->cap_text * 2 : 1024;
        char *grown = want > r->cap_text ? realloc(r->text, want) : NULL;
        if (!grown) {
            r->failed = true;
            return SIZE_MAX;
        }
        r->text = grown;
        r->cap_text = want;
    }
    size_t at = r->n_text;
    memcpy(r->text + at, s, len);
    r->text[at + len] = '\0';
    r->n_text += len + 1;
    return at;
}

static void numbers(void *ctx, enum op op, int n, const double *v)
{
    struct call *c = add(ctx, op);
    if (c)
        memcpy(c->a, v, (size_t)n * sizeof *v);
}

static void r_gsave(void *ctx)
{
    add(ctx, OP_GSAVE);
}

static void r_grestore(void *ctx)
{
    add(ctx, OP_GRESTORE);
}

static void r_concat(void *ctx, double a, double b, double c, double d, double e, double f)
{
    numbers(ctx, OP_CONCAT, 6, (const double[]){a, b, c, d, e, f});
}

static void r_gray_fill(void *ctx, double gray)
{
    numbers(ctx, OP_GRAY_FILL, 1, &gray);
}

static void r_line_width(void *ctx, double width)
{
    numbers(ctx, OP_LINE_WIDTH, 1, &width);
}

static void r_dash(void *ctx, bool dashed)
{
    struct call *c = add(ctx, OP_DASH);
    if (c)
        c->flag = dashed;
}

static void r_rect(void *ctx, double x, double y, double w, double h)
{
    numbers(ctx, OP_RECT, 4, (const double[]){x, y, w, h});
}

static void r_move_to(void *ctx, double x, double y)
{
    numbers(ctx, OP_MOVE_TO, 2, (const double[]){x, y});
}

static void r_line_to(void *ctx, double x, double y)
{
    numbers(ctx, OP_LINE_TO, 2, (const double[]){x, y});
}

static void r_fill(void *ctx)
{
    add(ctx, OP_FILL);
}

static void r_stroke(void *ctx)
{
    add(ctx, OP_STROKE);
}

static void r_fill_stroke(void *ctx)
{
    add(ctx, OP_FILL_STROKE);
}

static void r_text(void *ctx, int font, double size, double x, double y, const char *utf8)
{
    struct canvas_rec *r = ctx;
    size_t at = keep_text(r, utf8, strlen(utf8));
    struct call *c = at == SIZE_MAX ? NULL : add(ctx, OP_TEXT);
    if (!c)
        return;
    c->font = font;
    c->a[0] = size, c->a[1] = x, c->a[2] = y;
    c->text = at;
}

static void r_glyphs(void *ctx, int gfont, double size, double x, double y,
                     const struct canvas_glyph *gl, size_t n)
{
    struct canvas_rec *r = ctx;
    size_t first = r->n_glyphs;
    for (size_t i = 0; i < n; i++) {
        size_t at = keep_text(r, gl[i].utf8, gl[i].len);
        struct rec_glyph *grown = at == SIZE_MAX ? NULL
                                                 : grow_for_one(r->glyphs, &r->cap_glyphs,
                                                                r->n_glyphs, sizeof *r->glyphs, 64);
        if (!grown) {
            r->failed = true;
            return;
        }
        r->glyphs = grown;
        r->glyphs[r->n_glyphs++] = (struct rec_glyph){gl[i].gid, gl[i].advance, at, gl[i].len};
    }
    struct call *c = add(ctx, OP_GLYPHS);
    if (!c)
        return;
    c->font = gfont;
    c->a[0] = size, c->a[1] = x, c->a[2] = y;
    c->glyphs = first;
    c->n = n;
}

static void r_mask(void *ctx, int cols, int rows, const unsigned char *bits)
{
    struct canvas_rec *r = ctx;
    size_t n = cols > 0 && rows > 0 ? ((size_t)cols + 7) / 8 * (size_t)rows : 0;
    size_t at = keep_text(r, (const char *)bits, n);
    struct call *c = at == SIZE_MAX ? NULL : add(ctx, OP_MASK);
    if (!c)
        return;
    c->font = cols;
    c->n = (size_t)rows;
    c->text = at;
}

static const struct canvas_ops rec_ops = {
    .gsave = r_gsave,
    .grestore = r_grestore,
    .concat = r_concat,
    .gray_fill = r_gray_fill,
    .line_width = r_line_width,
    .dash = r_dash,
    .rect = r_rect,
    .move_to = r_move_to,
    .line_to = r_line_to,
    .fill = r_fill,
    .stroke = r_stroke,
    .fill_stroke = r_fill_stroke,
    .text = r_text,
    .glyphs = r_glyphs,
    .mask = r_mask,
};

struct canvas_rec *canvas_rec_new(void)
{
    struct canvas_rec *r = calloc(1, sizeof *r);
    if (r)
        r->canvas = (struct canvas){&rec_ops, r};
    return r;
}

void canvas_rec_free(struct canvas_rec *r)
{
    if (!r)
        return;
    free(r->calls);
    free(r->text);
    free(r->glyphs);
    free(r);
}

const struct canvas *canvas_rec_canvas(struct canvas_rec *r)
{
    return &r->canvas;
}

bool canvas_rec_ok(const struct canvas_rec *r)
{
    return !r->failed;
}

bool canvas_rec_empty(const struct canvas_rec *r)
{
    return r->n_calls == 0;
}

#define GLYPH_RUN 1024 /* glyphs played at once (layout draws at most 1024 a run) */

static void play_glyphs(const struct canvas_rec *r, const struct call *k, const struct canvas *c)
{
    struct canvas_glyph gl[GLYPH_RUN];
    double x = k->a[1];
    for (size_t done = 0; done < k->n;) {
        size_t m = k->n - done < GLYPH_RUN ? k->n - done : GLYPH_RUN;
        double units = 0;
        for (size_t i = 0; i < m; i++) {
            const struct rec_glyph *g = &r->glyphs[k->glyphs + done + i];
            gl[i] = (struct canvas_glyph){g->gid, g->advance, r->text + g->utf8, g->len};
            units += g->advance;
        }
        c->ops->glyphs(c->ctx, k->font, k->a[0], x, k->a[2], gl, m);
        x += units * k->a[0] / 1000.0;
        done += m;
    }
}

/* A mask on a canvas without masks: each row's runs of cells as rectangles, filled. */
static void play_mask(int cols, int rows, const unsigned char *bits, const struct canvas *c)
{
    if (c->ops->mask) {
        c->ops->mask(c->ctx, cols, rows, bits);
        return;
    }
    size_t stride = ((size_t)cols + 7) / 8;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols;) {
            int run = 0;
            while (x + run < cols &&
                   bits[(size_t)y * stride + (size_t)(x + run) / 8] & (0x80u >> ((x + run) % 8)))
                run++;
            if (run)
                c->ops->rect(c->ctx, (double)x / cols, 1 - (double)(y + 1) / rows,
                             (double)run / cols, 1.0 / rows);
            x += run ? run : 1;
        }
    c->ops->fill(c->ctx);
}

void canvas_rec_play(const struct canvas_rec *r, const struct canvas *c)
{
    void *ctx = c->ctx;
    const struct canvas_ops *o = c->ops;
    for (size_t i = 0; i < r->n_calls; i++) {
        const struct call *k = &r->calls[i];
        const double *a = k->a;
        switch (k->op) {
        case OP_GSAVE:
            o->gsave(ctx);
            break;
        case OP_GRESTORE:
            o->grestore(ctx);
            break;
        case OP_CONCAT:
            o->concat(ctx, a[0], a[1], a[2], a[3], a[4], a[5]);
            break;
        case OP_GRAY_FILL:
            o->gray_fill(ctx, a[0]);
            break;
        case OP_LINE_WIDTH:
            o->line_width(ctx, a[0]);
            break;
        case OP_DASH:
            o->dash(ctx, k->flag);
            break;
        case OP_RECT:
            o->rect(ctx, a[0], a[1], a[2], a[3]);
            break;
        case OP_MOVE_TO:
            o->move_to(ctx, a[0], a[1]);
            break;
        case OP_LINE_TO:
            o->line_to(ctx, a[0], a[1]);
            break;
        case OP_FILL:
            o->fill(ctx);
            break;
        case OP_STROKE:
            o->stroke(ctx);
            break;
        case OP_FILL_STROKE:
            o->fill_stroke(ctx);
            break;
        case OP_TEXT:
            o->text(ctx, k->font, a[0], a[1], a[2], r->text + k->text);
            break;
        case OP_GLYPHS:
            play_glyphs(r, k, c);
            break;
        case OP_MASK:
            play_mask(k->font, (int)k->n, (const unsigned char *)r->text + k->text, c);
            break;
        }
    }
}
