/* canvas: the drawing interface the layout engine draws through, in PDF points (origin
 * bottom-left), one call per PDF operator. Must not lay out text or know what a letter is. */
#ifndef CN_CANVAS_H
#define CN_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A glyph drawn by its ID, with the characters it stands for (for text extraction): the
 * bytes of the UTF-8 text, a variation selector included. */
struct canvas_glyph {
    uint16_t gid, advance; /* advance in thousandths of the size */
    const char *utf8;
    size_t len;
};

/* Operations of one page. Layout that only measures and checks is given no canvas (NULL),
 * so a canvas never has to pretend to draw. */
struct canvas_ops {
    void (*gsave)(void *ctx);
    void (*grestore)(void *ctx);
    /* Changes the user space: x' = a x + c y + e, y' = b x + d y + f. */
    void (*concat)(void *ctx, double a, double b, double c, double d, double e, double f);
    void (*gray_fill)(void *ctx, double gray);
    void (*line_width)(void *ctx, double width);
    void (*dash)(void *ctx, bool dashed); /* 2 on, 2 off; false: solid */
    void (*rect)(void *ctx, double x, double y, double w, double h);
    void (*move_to)(void *ctx, double x, double y);
    void (*line_to)(void *ctx, double x, double y);
    void (*fill)(void *ctx);
    void (*stroke)(void *ctx);
    void (*fill_stroke)(void *ctx);
    /* One line of UTF-8 text (NUL-terminated) in the canvas's font number font, baseline
     * starting at x,y. */
    void (*text)(void *ctx, int font, double size, double x, double y, const char *utf8);
    /* n glyphs by ID from glyph font gfont (enum glyph_font: the canvas cannot show them as
     * text: outside the BMP, variation sequences, IPAmj明朝), baseline starting at x,y. */
    void (*glyphs)(void *ctx, int gfont, double size, double x, double y,
                   const struct canvas_glyph *gl, size_t n);
    /* A 1-bit image of cols x rows cells over the unit square of the user space (x 0-1,
     * y 0-1, its first row at the top), a cell painted in the fill colour where its bit is
     * 1: rows top down, each (cols + 7) / 8 bytes, the first cell in the high bit. A symbol's
     * modules as one small image rather than hundreds of rectangles. NULL when the canvas
     * cannot: draw rectangles instead. */
    void (*mask)(void *ctx, int cols, int rows, const unsigned char *bits);
};

struct canvas {
    const struct canvas_ops *ops;
    void *ctx;
};

#endif
