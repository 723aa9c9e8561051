/* qr: a QR code (level M) for a booking URL, as merged dark rectangles in module units,
 * quiet zone included. Must not draw: the renderer turns rectangles into PDF paths. */
#ifndef CN_QR_H
#define CN_QR_H

#include <stddef.h>

#include "err.h"

struct qr_rect {
    unsigned short x, y, w, h; /* in modules, origin top-left of the quiet zone */
};

struct qr_code {
    int size; /* modules per side, 4-module quiet zone on every side included */
    size_t n_rects;
    struct qr_rect *rects;
};

/* The URL is upper-cased so it stays in alphanumeric mode (docs/contracts.md, "Booking service"). */
int qr_encode(const char *url, struct qr_code *out, struct cn_err *err);
void qr_free(struct qr_code *qr);

/* Any square symbol's dark modules (data[y * width + x] & 1), width x width, as merged
 * rectangles offset by a quiet zone of `quiet` modules: the DataMatrix (datamatrix.c) shares it. */
int qr_merge_modules(const unsigned char *data, int width, int quiet, struct qr_code *out,
                     struct cn_err *err);

#endif
