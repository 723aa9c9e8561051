/* canvas_rec: a layer recorded once plays every call again, with the same arguments, in the
 * same order, onto another canvas; and layer_cache makes each key's layer once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canvas_rec.h"
#include "layer_cache.h"

/* A canvas that writes each call as a line of text. */
struct log {
    char text[8192];
    size_t len;
};

static void say(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(void *ctx, const char *fmt, ...)
{
    struct log *l = ctx;
    va_list ap;
    va_start(ap, fmt);
    l->len += (size_t)vsnprintf(l->text + l->len, sizeof l->text - l->len, fmt, ap);
    va_end(ap);
}

static void l_gsave(void *c)
{
    say(c, "q\n");
}
static void l_grestore(void *c)
{
    say(c, "Q\n");
}
static void l_concat(void *c, double a, double b, double cc, double d, double e, double f)
{
    say(c, "cm %g %g %g %g %g %g\n", a, b, cc, d, e, f);
}
static void l_gray(void *c, double g)
{
    say(c, "g %g\n", g);
}
static void l_width(void *c, double w)
{
    say(c, "w %g\n", w);
}
static void l_dash(void *c, bool d)
{
    say(c, "d %d\n", d);
}
static void l_rect(void *c, double x, double y, double w, double h)
{
    say(c, "re %g %g %g %g\n", x, y, w, h);
}
static void l_move(void *c, double x, double y)
{
    say(c, "m %g %g\n", x, y);
}
static void l_line(void *c, double x, double y)
{
    say(c, "l %g %g\n", x, y);
}
static void l_fill(void *c)
{
    say(c, "f\n");
}
static void l_stroke(void *c)
{
    say(c, "S\n");
}
static void l_fill_stroke(void *c)
{
    say(c, "B\n");
}
static void l_text(void *c, int font, double size, double x, double y, const char *utf8)
{
    say(c, "text %d %g %g %g %s\n", font, size, x, y, utf8);
}
static void l_glyphs(void *c, int gfont, double size, double x, double y,
                     const struct canvas_glyph *gl, size_t n)
{
    say(c, "glyphs %d %g %g %g", gfont, size, x, y);
    for (size_t i = 0; i < n; i++)
        say(c, " %u/%u/%.*s", gl[i].gid, gl[i].advance, (int)gl[i].len, gl[i].utf8);
    say(c, "\n");
}

static void l_mask(void *c, int cols, int rows, const unsigned char *bits)
{
    say(c, "mask %d %d", cols, rows);
    for (size_t i = 0; i < ((size_t)cols + 7) / 8 * (size_t)rows; i++)
        say(c, " %02x", bits[i]);
    say(c, "\n");
}

static const struct canvas_ops log_ops = {
    l_gsave, l_grestore, l_concat, l_gray,        l_width, l_dash,   l_rect, l_move,
    l_line,  l_fill,     l_stroke, l_fill_stroke, l_text,  l_glyphs, l_mask,
};

/* One of every call, text and glyphs from buffers that are gone when played. */
static void draw(const struct canvas *c)
{
    char text[32], chars[16];
    snprintf(text, sizeof text, "見本　太郎");
    snprintf(chars, sizeof chars, "𠮷葛\xf3\xa0\x84\x81");
    struct canvas_glyph gl[2] = {{1234, 1000, chars, 4}, {77, 500, chars + 4, 7}};
    c->ops->gsave(c->ctx);
    c->ops->concat(c->ctx, 1, 0, 0, -1, 10.5, 20.25);
    c->ops->gray_fill(c->ctx, 0.93);
    c->ops->line_width(c->ctx, 0.5);
    c->ops->dash(c->ctx, true);
    c->ops->rect(c->ctx, 1, 2, 3, 4);
    c->ops->fill_stroke(c->ctx);
    c->ops->move_to(c->ctx, 5, 6);
    c->ops->line_to(c->ctx, 7, 8);
    c->ops->stroke(c->ctx);
    c->ops->rect(c->ctx, 9, 10, 11, 12);
    c->ops->fill(c->ctx);
    c->ops->text(c->ctx, 1, 9.5, 60.9, 569.3, text);
    c->ops->glyphs(c->ctx, 2, 15, 73.7, 708.6, gl, 2);
    unsigned char bits[2 * 3] = {0xA0, 0x01, 0x00, 0x00, 0xFF, 0x80}; /* 10 x 3 */
    c->ops->mask(c->ctx, 10, 3, bits);
    memset(bits, 0, sizeof bits);
    c->ops->grestore(c->ctx);
    memset(text, 'x', sizeof text - 1);
    memset(chars, 'y', sizeof chars - 1);
}

static void test_plays_what_was_drawn(void **state)
{
    (void)state;
    struct log direct = {0}, played = {0}, twice = {0};
    struct canvas d = {&log_ops, &direct};
    draw(&d);
    struct canvas_rec *r = canvas_rec_new();
    assert_non_null(r);
    assert_true(canvas_rec_empty(r));
    draw(canvas_rec_canvas(r));
    assert_true(canvas_rec_ok(r));
    assert_false(canvas_rec_empty(r));
    struct canvas p = {&log_ops, &played}, p2 = {&log_ops, &twice};
    canvas_rec_play(r, &p);
    canvas_rec_play(r, &p2);
    assert_string_equal(played.text, direct.text);
    assert_string_equal(twice.text, direct.text);
    canvas_rec_free(r);
}

/* Played onto a canvas without masks, a mask is its rows' runs of cells, filled. */
static void test_mask_without_masks_is_rectangles(void **state)
{
    (void)state;
    struct canvas_rec *r = canvas_rec_new();
    assert_non_null(r);
    const struct canvas *c = canvas_rec_canvas(r);
    unsigned char bits[2 * 2] = {0xC1, 0x80, 0x00, 0x40}; /* 10 x 2: ##.....## / .........# */
    c->ops->mask(c->ctx, 10, 2, bits);
    struct canvas_ops no_mask = log_ops;
    no_mask.mask = NULL;
    struct log played = {0};
    struct canvas p = {&no_mask, &played};
    canvas_rec_play(r, &p);
    assert_string_equal(played.text, "re 0 0.5 0.2 0.5\nre 0.7 0.5 0.2 0.5\nre 0.9 0 0.1 0.5\nf\n");
    canvas_rec_free(r);
}

struct maker {
    int calls;
    bool fail;
};

static bool make(void *ctx, struct layer *out)
{
    struct maker *m = ctx;
    m->calls++;
    if (m->fail)
        return false;
    out->drawing = canvas_rec_new();
    out->ok = m->calls % 2 == 1;
    snprintf(out->reason, sizeof out->reason, "call %d", m->calls);
    return out->drawing != NULL;
}

static void test_layer_made_once_per_key(void **state)
{
    (void)state;
    struct layer_cache *c = NULL;
    struct cn_err err = {0};
    assert_int_equal(layer_cache_new(&c, &err), CN_OK);
    struct maker m = {0};
    const struct layer *a = layer_cache_get(c, "v/SU-R-F/0", make, &m);
    assert_non_null(a);
    assert_true(a->ok);
    /* Many keys: the layers already handed out stay where they are. */
    char key[32];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "d/SU-R-F/%02d/0", i);
        assert_non_null(layer_cache_get(c, key, make, &m));
    }
    assert_int_equal(m.calls, 41);
    assert_ptr_equal(layer_cache_get(c, "v/SU-R-F/0", make, &m), a);
    assert_string_equal(a->reason, "call 1");
    assert_int_equal(m.calls, 41);
    const struct layer *b = layer_cache_get(c, "d/SU-R-F/00/0", make, &m);
    assert_false(b->ok); /* the second made, as made */
    assert_string_equal(b->reason, "call 2");
    /* What cannot be made is not kept: asked again, it is made again. */
    m.fail = true;
    assert_null(layer_cache_get(c, "v/U-N/1", make, &m));
    assert_null(layer_cache_get(c, "v/U-N/1", make, &m));
    assert_int_equal(m.calls, 43);
    /* Cleared, everything is made again. */
    m.fail = false;
    layer_cache_clear(c);
    assert_non_null(layer_cache_get(c, "v/SU-R-F/0", make, &m));
    assert_int_equal(m.calls, 44);
    layer_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plays_what_was_drawn),
        cmocka_unit_test(test_mask_without_masks_is_rectangles),
        cmocka_unit_test(test_layer_made_once_per_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
