/* cp932: converts CP932 (Windows Japanese) text to UTF-8, field by field. Must not guess an
 * encoding: the config says which one the files are in. */
#ifndef CN_CP932_H
#define CN_CP932_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct cp932;

int cp932_open(struct cp932 **out, struct cn_err *err);
void cp932_close(struct cp932 *c);

/* Converts in[0..len) into out (cap bytes, NUL-terminated); false, with the offset of the
 * first byte that has no conversion in *bad_at, if the text is not CP932. */
bool cp932_to_utf8(struct cp932 *c, const char *in, size_t len, char *out, size_t cap,
                   size_t *bad_at);

#endif
