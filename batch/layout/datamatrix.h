/* datamatrix: a DataMatrix (ECC200, square, the smallest that holds the text) through libdmtx, as
 * merged dark rectangles in module units, quiet zone included. Must not draw or decide what
 * the symbol says: marks.c draws it, sheetmark.c writes its text. */
#ifndef CN_DATAMATRIX_H
#define CN_DATAMATRIX_H

#include "err.h"
#include "qr.h"

/* One module of quiet zone on every side: ISO/IEC 16022 asks for at least one. */
#define DATAMATRIX_QUIET_ZONE 1

/* out->size is the symbol's modules per side plus both quiet zones; free with qr_free. */
int datamatrix_encode(const char *text, struct qr_code *out, struct cn_err *err);

#endif
