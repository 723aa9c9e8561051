/* check_cache: remembers, per variant, whether its static page parts print, so the check
 * walks them once a variant instead of once a letter. Thread-safe. Must not lay out. */
#ifndef CN_CHECK_CACHE_H
#define CN_CHECK_CACHE_H

#include <stdbool.h>

#include "err.h"

struct check_cache;

int check_cache_new(struct check_cache **out, struct cn_err *err);
void check_cache_free(struct check_cache *c);
/* Whether key's answer is known; then *ok is it. */
bool check_cache_get(struct check_cache *c, const char *key, bool *ok);
/* Remembers key's answer (silently not, once full: the check is then simply repeated). */
void check_cache_put(struct check_cache *c, const char *key, bool ok);
/* Forgets every answer: what the static parts hold has changed. */
void check_cache_clear(struct check_cache *c);

#endif
