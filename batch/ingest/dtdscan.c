#include "dtdscan.h"

#include <string.h>

/* "<!DOCTYPE" or "<!ENTITY" in buf. */
static bool has_declaration(const unsigned char *buf, size_t n)
{
    return memmem(buf, n, "<!DOCTYPE", 9) || memmem(buf, n, "<!ENTITY", 8);
}

void dtd_scan_block(const unsigned char *buf, size_t n, void *ctx)
{
    struct dtd_scan *d = ctx;
    if (d->found)
        return;
    size_t head = n < 8 ? n : 8;
    memcpy(d->seam + d->tail, buf, head);
    d->found = has_declaration(d->seam, d->tail + head) || has_declaration(buf, n);
    d->tail = n < 8 ? n : 8;
    memcpy(d->seam, buf + n - d->tail, d->tail);
}
