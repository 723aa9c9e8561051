#include "qr.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

enum { QR_QUIET_ZONE = 4 };

/* ASCII only: a locale-aware toupper could turn UTF-8 bytes into something else. */
static char *upper_ascii_copy(const char *s)
{
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        copy[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
    return copy;
}

/* Runs of dark modules per row; a run identical in start and width to one that ended on
 * the row above extends that rectangle downwards instead of starting a new one. The
 * finder patterns and timing columns then become a handful of tall rectangles, which keeps
 * the PDF path short. */
int qr_merge_modules(const unsigned char *data, int width, int quiet, struct qr_code *out,
                     struct cn_err *err)
{
    int rc = CN_OK;
    /* A row has at most ceil(width/2) runs, so this bounds the rectangle count. */
    size_t cap = (size_t)width * (size_t)((width + 1) / 2);
    struct qr_rect *rects = malloc(cap * sizeof *rects);
    /* open_above[x]: index + 1 of the rectangle whose run starts at x and reached the
     * previous row; 0 when none. */
    size_t *open_above = calloc((size_t)width, sizeof *open_above);
    size_t *open_here = calloc((size_t)width, sizeof *open_here);
    size_t n = 0;
    if (!rects || !open_above || !open_here) {
        rc = cn_fail(err, CN_EOUTPUT, "qr: out of memory for %zu rectangles", cap);
        goto done;
    }
    for (int y = 0; y < width; y++) {
        const unsigned char *row = data + (size_t)y * (size_t)width;
        memset(open_here, 0, (size_t)width * sizeof *open_here);
        int x = 0;
        while (x < width) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int start = x;
            while (x < width && (row[x] & 1))
                x++;
            int run = x - start;
            size_t above = open_above[start];
            if (above && rects[above - 1].w == run) {
                rects[above - 1].h++;
                open_here[start] = above;
            } else {
                rects[n] = (struct qr_rect){.x = (unsigned short)(start + quiet),
                                            .y = (unsigned short)(y + quiet),
                                            .w = (unsigned short)run,
                                            .h = 1};
                open_here[start] = ++n;
            }
        }
        size_t *swap = open_above;
        open_above = open_here;
        open_here = swap;
    }
    out->size = width + 2 * quiet;
    out->n_rects = n;
    out->rects = rects;
    rects = NULL;
done:
    free(rects);
    free(open_above);
    free(open_here);
    return rc;
}

int qr_encode(const char *url, struct qr_code *out, struct cn_err *err)
{
    int rc = CN_OK;
    char *upper = NULL;
    QRcode *code = NULL;
    *out = (struct qr_code){0};
    if (!url || !*url)
        return cn_fail(err, CN_EUSAGE, "qr: empty booking URL");
    upper = upper_ascii_copy(url);
    if (!upper) {
        rc = cn_fail(err, CN_EOUTPUT, "qr: out of memory");
        goto done;
    }
    /* Case-sensitive so libqrencode keeps exactly the upper-cased text; with only
     * upper case, digits and URL punctuation it picks alphanumeric mode by itself. */
    errno = 0;
    code = QRcode_encodeString(upper, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) {
        rc = cn_fail(err, CN_EUSAGE, "qr: cannot encode booking URL \"%s\" at level M: %s", url,
                     errno == ERANGE ? "too long for a QR code" : strerror(errno));
        goto done;
    }
    if (code->width + 2 * QR_QUIET_ZONE > USHRT_MAX) {
        rc = cn_fail(err, CN_EUSAGE, "qr: symbol width %d too large", code->width);
        goto done;
    }
    rc = qr_merge_modules(code->data, code->width, QR_QUIET_ZONE, out, err);
done:
    QRcode_free(code);
    free(upper);
    return rc;
}

void qr_free(struct qr_code *qr)
{
    if (!qr)
        return;
    free(qr->rects);
    *qr = (struct qr_code){0};
}
