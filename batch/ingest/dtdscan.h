/* dtdscan: finds a DOCTYPE or ENTITY declaration in a file's bytes, block by block as
 * they are hashed. Must not parse XML: a file with one is refused before any parser sees it. */
#ifndef CN_DTDSCAN_H
#define CN_DTDSCAN_H

#include <stdbool.h>
#include <stddef.h>

#define DTD_REFUSAL                                                                                \
    "the XML carries a DOCTYPE or entity declarations; they are refused because they can "         \
    "fetch outside files or expand without bound (external entity, billion laughs)"

/* Looks for a DOCTYPE or ENTITY declaration while the file is hashed: an XML file with one
 * is refused before any parser sees it, so no entity is ever declared, let alone expanded
 * or fetched. seam holds the end of one block and the start of the next. */
struct dtd_scan {
    bool found;
    unsigned char seam[16];
    size_t tail;
};

/* Scans the next block of the file (ctx: a zeroed struct dtd_scan); sha256_fd's callback. */
void dtd_scan_block(const unsigned char *buf, size_t n, void *ctx);

#endif
