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
    /* One 8-bit pixel per module and no margin: libdmtx paints the symbol into an image
     * anyway, which is then read as the module grid (asking it module by module costs as
     * much again). Rows top down, as the rectangles go. */
    dmtxEncodeSetProp(enc, DmtxPropModuleSize, 1);
    dmtxEncodeSetProp(enc, DmtxPropMarginSize, 0);
    dmtxEncodeSetProp(enc, DmtxPropPixelPacking, DmtxPack8bppK);
    dmtxEncodeSetProp(enc, DmtxPropImageFlip, DmtxFlipNone);
    /* libdmtx takes the text as non-const. */
    unsigned char copy[201];
    memcpy(copy, text, len + 1);
    /* A day's sheet mark fits 18x18; asking for it first saves libdmtx trying every size
     * (half its time), and anything longer still gets the smallest square that holds it. */
    dmtxEncodeSetProp(enc, DmtxPropSizeRequest, DmtxSymbol18x18);
    if (dmtxEncodeDataMatrix(enc, (int)len, copy) != DmtxPass) {
        dmtxEncodeSetProp(enc, DmtxPropSizeRequest, DmtxSymbolSquareAuto);
        if (dmtxEncodeDataMatrix(enc, (int)len, copy) != DmtxPass) {
            rc = cn_fail(err, CN_EUSAGE, "datamatrix: cannot encode \"%.60s\"", text);
            goto done;
        }
    }
    const DmtxImage *img = enc->image;
    int side = img ? img->width : 0;
    if (!img || side <= 0 || img->height != side || img->bytesPerPixel != 1) {
        rc = cn_fail(err, CN_EUSAGE, "datamatrix: libdmtx made no square 8-bit symbol");
        goto done;
    }
    grid = malloc((size_t)side * (size_t)side);
    if (!grid) {
        rc = cn_fail(err, CN_EOUTPUT, "datamatrix: out of memory");
        goto done;
    }
    for (int y = 0; y < side; y++) {
        const unsigned char *row = img->pxl + (size_t)y * (size_t)img->rowSizeBytes;
        for (int x = 0; x < side; x++)
            grid[(size_t)y * (size_t)side + (size_t)x] = row[x] < 128; /* dark */
    }
    rc = qr_merge_modules(grid, side, DATAMATRIX_QUIET_ZONE, out, err);
done:
    free(grid);
    dmtxEncodeDestroy(&enc);
    return rc;
}
