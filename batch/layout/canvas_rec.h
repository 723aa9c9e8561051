/* canvas_rec: a canvas that records the calls made on it, to play them again onto other
 * canvases, so that a layer laid out once draws on every print file. Must not lay out or
 * change a call. */
#ifndef CN_CANVAS_REC_H
#define CN_CANVAS_REC_H

#include <stdbool.h>

#include "canvas.h"

struct canvas_rec;

/* NULL when out of memory. */
struct canvas_rec *canvas_rec_new(void);
void canvas_rec_free(struct canvas_rec *r);
/* The canvas that records into r; valid while r is. */
const struct canvas *canvas_rec_canvas(struct canvas_rec *r);
/* False when a call could not be recorded (out of memory): the recording is incomplete. */
bool canvas_rec_ok(const struct canvas_rec *r);
/* Whether nothing was drawn on it. */
bool canvas_rec_empty(const struct canvas_rec *r);
/* Makes every recorded call on c, in order, with the same arguments. */
void canvas_rec_play(const struct canvas_rec *r, const struct canvas *c);

#endif
