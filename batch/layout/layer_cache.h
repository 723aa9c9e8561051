/* layer_cache: the page layers that are the same for many letters (a variant's, a district's:
 * tmpl.h), each laid out and typeset once per run: its drawing and whether it prints, by
 * key. Thread-safe; what it hands out stays valid until cleared. Must not lay out itself. */
#ifndef CN_LAYER_CACHE_H
#define CN_LAYER_CACHE_H

#include <stdbool.h>

#include "canvas_rec.h"
#include "err.h"

struct layer {
    bool ok;                    /* prints: every character has a glyph, every text fits */
    char reason[200];           /* why not */
    struct canvas_rec *drawing; /* the layer's canvas calls (when ok) */
};

struct layer_cache;

int layer_cache_new(struct layer_cache **out, struct cn_err *err);
void layer_cache_free(struct layer_cache *c);
/* key's layer, made by make(ctx, layer) (zeroed; returning false when it cannot be made,
 * out of memory) the first time key is asked for, holding the cache's lock so that it is
 * made once. NULL when it cannot be made or kept. */
const struct layer *layer_cache_get(struct layer_cache *c, const char *key,
                                    bool (*make)(void *ctx, struct layer *out), void *ctx);
/* Forgets every layer: what they hold has changed. Not while another thread uses one. */
void layer_cache_clear(struct layer_cache *c);

#endif
