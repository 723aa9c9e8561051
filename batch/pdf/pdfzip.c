#include "pdfzip.h"

#include <zlib.h>

/* libharu calls deflateInit() once per stream it compresses (every page's content and
 * every embedded font). A program's own definition of a shared library's function takes
 * the place of the library's for every caller in the process, libharu included, so this
 * one is what libharu gets: zlib's own deflateInit2_ with the documented defaults of
 * deflateInit(), at PDFZIP_LEVEL. Nothing else in certnotice compresses. */
int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    (void)level;
    return deflateInit2_(strm, PDFZIP_LEVEL, Z_DEFLATED, MAX_WBITS, 8, Z_DEFAULT_STRATEGY, version,
                         stream_size);
}
