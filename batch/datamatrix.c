#include "datamatrix.h"

#include <stdlib.h>
#include <string.h>

#include <dmtx.h>

int datamatrix_encode(const char *text, struct qr_code *out, struct cn_err *err)
{
    int rc = CN_OK;
    unsigned char *grid = NULL;
    *out = (struct qr_code){0};
    size_t len = text ? strlen(text) : 0;
    if (len == 0 || len > 200)
        return cn_fail(err, CN_EUSAGE, "datamatrix: text of %zu bytes (1-200)", len);
    DmtxEncode *enc = dmtxEncodeCreate();
    if (!enc)
        return cn_fail(err, CN_EOUTPUT, "datamatrix: out of memory");
    /* One pixel per module and no margin: libdmtx also paints an image, which is not used,
     * so it is kept as small as it can be. */
    dmtxEncodeSetProp(enc, DmtxPropModuleSize, 1);
    dmtxEncodeSetProp(enc, DmtxPropMarginSize, 0);
    dmtxEncodeSetProp(enc, DmtxPropSizeRequest, DmtxSymbolSquareAuto);
    /* libdmtx takes the text as non-const. */
    unsigned char copy[201];
    memcpy(copy, text, len + 1);
    if (dmtxEncodeDataMatrix(enc, (int)len, copy) != DmtxPass) {
        rc = cn_fail(err, CN_EUSAGE, "datamatrix: cannot encode \"%.60s\"", text);
        goto done;
    }
    int idx = enc->region.sizeIdx;
    int rows = dmtxGetSymbolAttribute(DmtxSymAttribSymbolRows, idx);
    int cols = dmtxGetSymbolAttribute(DmtxSymAttribSymbolCols, idx);
    if (rows != cols || rows <= 0) {
        rc = cn_fail(err, CN_EUSAGE, "datamatrix: a %dx%d symbol is not square", rows, cols);
        goto done;
    }
    grid = malloc((size_t)rows * (size_t)cols);
    if (!grid) {
        rc = cn_fail(err, CN_EOUTPUT, "datamatrix: out of memory");
        goto done;
    }
    /* libdmtx numbers rows from the bottom; the rectangles go downwards. */
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            grid[(size_t)(rows - 1 - r) * (size_t)cols + (size_t)c] =
                (dmtxSymbolModuleStatus(enc->message, idx, r, c) & DmtxModuleOnRGB) ? 1 : 0;
    rc = qr_merge_modules(grid, cols, DATAMATRIX_QUIET_ZONE, out, err);
done:
    free(grid);
    dmtxEncodeDestroy(&enc);
    return rc;
}
