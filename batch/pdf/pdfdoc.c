#include "pdfdoc.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <hpdf_pages.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "grow.h"
#include "pdfcid.h"
#include "pdffont.h"
#include "pdfpage.h"

struct shared {
    char *key;
    HPDF_Dict stream;
};

struct pdfdoc {
    HPDF_Doc pdf;
    HPDF_Font font[PDFDOC_MAX_FONTS];
    int n_fonts;
    struct pdfcid *glyph_font[PDFDOC_MAX_FONTS]; /* fonts drawn by glyph ID (pdfcid.h) */
    int n_glyph_fonts;
    struct cn_err glyph_err; /* the first failure drawing glyphs by ID */
    HPDF_Page page;
    struct canvas canvas;
    struct shared *shared;
    size_t n_shared, cap_shared;
    int pages;
    HPDF_STATUS error, detail;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    struct pdfdoc *d = user;
    if (!d->error) {
        d->error = error;
        d->detail = detail;
    }
}

/* ---- the canvas on the current page: one libharu call per operation ----------------- */

static void c_gsave(void *ctx)
{
    HPDF_Page_GSave(((struct pdfdoc *)ctx)->page);
}

static void c_grestore(void *ctx)
{
    HPDF_Page_GRestore(((struct pdfdoc *)ctx)->page);
}

static void c_concat(void *ctx, double a, double b, double c, double d, double e, double f)
{
    HPDF_Page_Concat(((struct pdfdoc *)ctx)->page, (HPDF_REAL)a, (HPDF_REAL)b, (HPDF_REAL)c,
                     (HPDF_REAL)d, (HPDF_REAL)e, (HPDF_REAL)f);
}

static void c_gray_fill(void *ctx, double gray)
{
    HPDF_Page_SetGrayFill(((struct pdfdoc *)ctx)->page, (HPDF_REAL)gray);
}

static void c_line_width(void *ctx, double width)
{
    HPDF_Page_SetLineWidth(((struct pdfdoc *)ctx)->page, (HPDF_REAL)width);
}

static void c_dash(void *ctx, bool dashed)
{
    static const HPDF_UINT16 dash[] = {2, 2};
    HPDF_Page_SetDash(((struct pdfdoc *)ctx)->page, dashed ? dash : NULL, dashed ? 2 : 0, 0);
}

static bool small_int(double v, int *out)
{
    if (v < -30000 || v > 30000 || v != (double)(int)v)
        return false;
    *out = (int)v;
    return true;
}

/* v in decimal as "%d" writes it, into out (room for 7 bytes: |v| <= 30000); its length.
 * snprintf's formatting was a tenth of the night's CPU. */
static size_t put_int(char *out, int v)
{
    char digits[8];
    size_t n = 0, len = 0;
    unsigned u = v < 0 ? (unsigned)-v : (unsigned)v;
    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = digits[--n];
    return len;
}

/* The machine marks (QR code, DataMatrix, barcode) are hundreds of rectangles a page in
 * whole module units. libharu's own call clears a 512-byte buffer byte by byte and formats
 * four reals for each (a sixth of a night's CPU); whole numbers are written here instead,
 * the same bytes libharu would write, with the state it would keep. */
static void c_rect(void *ctx, double x, double y, double w, double h)
{
    HPDF_Page page = ((struct pdfdoc *)ctx)->page;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    int ix, iy, iw, ih;
    if ((attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION && attr->gmode != HPDF_GMODE_PATH_OBJECT) ||
        !small_int(x, &ix) || !small_int(y, &iy) || !small_int(w, &iw) || !small_int(h, &ih)) {
        HPDF_Page_Rectangle(page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)h);
        return;
    }
    char buf[64];
    size_t len = put_int(buf, ix);
    buf[len++] = ' ';
    len += put_int(buf + len, iy);
    buf[len++] = ' ';
    len += put_int(buf + len, iw);
    buf[len++] = ' ';
    len += put_int(buf + len, ih);
    memcpy(buf + len, " re\012", 4);
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(len + 4)) != HPDF_OK) {
        HPDF_RaiseError(page->error, HPDF_INVALID_STREAM, 0);
        return;
    }
    attr->cur_pos.x = (HPDF_REAL)ix;
    attr->cur_pos.y = (HPDF_REAL)iy;
    attr->str_pos = attr->cur_pos;
    attr->gmode = HPDF_GMODE_PATH_OBJECT;
}

/* An image mask written inline ("BI ... ID ... EI") in the page's stream, its samples in
 * hexadecimal (/AHx): no binary byte in a content stream, so no reader can take a byte of
 * the image for its end. */
static void c_mask(void *ctx, int cols, int rows, const unsigned char *bits)
{
    HPDF_Page page = ((struct pdfdoc *)ctx)->page;
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    size_t stride = cols > 0 ? ((size_t)cols + 7) / 8 : 0,
           n = stride * (size_t)(rows > 0 ? rows : 0);
    if (attr->gmode != HPDF_GMODE_PAGE_DESCRIPTION || n == 0 || n > 8192) {
        HPDF_RaiseError(page->error, HPDF_PAGE_INVALID_GMODE, 0);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    char buf[128 + 2 * 8192 + 8192 / 32];
    int len = snprintf(
        buf, 128, "BI\012/IM true\012/W %d\012/H %d\012/BPC 1\012/D [1 0]\012/F /AHx\012ID\012",
        cols, rows);
    for (size_t i = 0; i < n; i++) {
        buf[len++] = hex[bits[i] >> 4];
        buf[len++] = hex[bits[i] & 15];
        if (i % stride == stride - 1)
            buf[len++] = '\012'; /* a row a line */
    }
    memcpy(buf + len, ">\012EI\012", 5);
    if (HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)len + 5) != HPDF_OK)
        HPDF_RaiseError(page->error, HPDF_INVALID_STREAM, 0);
}

static void c_move_to(void *ctx, double x, double y)
{
    HPDF_Page_MoveTo(((struct pdfdoc *)ctx)->page, (HPDF_REAL)x, (HPDF_REAL)y);
}

static void c_line_to(void *ctx, double x, double y)
{
    HPDF_Page_LineTo(((struct pdfdoc *)ctx)->page, (HPDF_REAL)x, (HPDF_REAL)y);
}

static void c_fill(void *ctx)
{
    HPDF_Page_Fill(((struct pdfdoc *)ctx)->page);
}

static void c_stroke(void *ctx)
{
    HPDF_Page_Stroke(((struct pdfdoc *)ctx)->page);
}

static void c_fill_stroke(void *ctx)
{
    HPDF_Page_FillStroke(((struct pdfdoc *)ctx)->page);
}

static void c_text(void *ctx, int font, double size, double x, double y, const char *utf8)
{
    struct pdfdoc *d = ctx;
    HPDF_Page_BeginText(d->page);
    HPDF_Page_SetFontAndSize(d->page, d->font[font], (HPDF_REAL)size);
    HPDF_Page_TextOut(d->page, (HPDF_REAL)x, (HPDF_REAL)y, utf8);
    HPDF_Page_EndText(d->page);
}

static void c_glyphs(void *ctx, int gfont, double size, double x, double y,
                     const struct canvas_glyph *gl, size_t n)
{
    struct pdfdoc *d = ctx;
    if (gfont < 0 || gfont >= d->n_glyph_fonts) {
        if (!d->glyph_err.status)
            cn_fail(&d->glyph_err, CN_EOUTPUT, "pdf: no glyph font %d", gfont);
        return;
    }
    struct cn_err err = {0};
    if (pdfcid_show(d->glyph_font[gfont], d->page, size, x, y, gl, n, &err) && !d->glyph_err.status)
        d->glyph_err = err;
}

static const struct canvas_ops pdf_ops = {
    .gsave = c_gsave,
    .grestore = c_grestore,
    .concat = c_concat,
    .gray_fill = c_gray_fill,
    .line_width = c_line_width,
    .dash = c_dash,
    .rect = c_rect,
    .move_to = c_move_to,
    .line_to = c_line_to,
    .fill = c_fill,
    .stroke = c_stroke,
    .fill_stroke = c_fill_stroke,
    .text = c_text,
    .glyphs = c_glyphs,
    .mask = c_mask,
};

/* ---- the document ----------------------------------------------------------------- */

int pdfdoc_new(const char *const *paths, int n_fonts, struct pdfdoc **out, struct cn_err *err)
{
    *out = NULL;
    if (n_fonts > PDFDOC_MAX_FONTS)
        return cn_fail(err, CN_EUSAGE, "pdf: %d fonts, at most %d", n_fonts, PDFDOC_MAX_FONTS);
    struct pdfdoc *d = calloc(1, sizeof *d);
    if (!d)
        return cn_fail(err, CN_EOUTPUT, "pdf: out of memory");
    d->canvas = (struct canvas){&pdf_ops, d};
    d->pdf = HPDF_New(on_error, d);
    if (!d->pdf) {
        free(d);
        return cn_fail(err, CN_EOUTPUT, "pdf: libharu could not start");
    }
    /* Compression must be set before the first page; UTF-8 so names go in as they are. */
    HPDF_SetCompressionMode(d->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(d->pdf);
    HPDF_SetCurrentEncoder(d->pdf, "UTF-8");
    for (int i = 0; i < n_fonts; i++) {
        /* Loaded and looked up once per document: each HPDF_GetFont costs ~70 ms. */
        const char *name = HPDF_LoadTTFontFromFile(d->pdf, paths[i], HPDF_TRUE);
        if (name)
            pdffont_index(d->pdf, name); /* else libharu's slow lookup: same glyphs */
        d->font[i] = name ? HPDF_GetFont(d->pdf, name, "UTF-8") : NULL;
        /* libharu's ToUnicode is malformed (poppler warns on every page): ours instead. */
        if (!d->font[i] || !pdfcid_fix_libharu_tounicode(d->font[i])) {
            int rc = cn_fail(err, CN_EUSAGE, "font %s: libharu cannot embed it (error 0x%04X)",
                             paths[i], (unsigned)d->error);
            pdfdoc_free(d);
            return rc;
        }
        d->n_fonts++;
    }
    *out = d;
    return CN_OK;
}

int pdfdoc_glyph_fonts(struct pdfdoc *d, const char *const *paths, int n, struct cn_err *err)
{
    if (d->n_glyph_fonts + n > PDFDOC_MAX_FONTS)
        return cn_fail(err, CN_EUSAGE, "pdf: %d glyph fonts, at most %d", n, PDFDOC_MAX_FONTS);
    for (int i = 0; i < n; i++) {
        char res[16];
        /* Resource names of their own: libharu names its fonts F1, F2, ... */
        snprintf(res, sizeof res, "G%d", d->n_glyph_fonts);
        int rc = pdfcid_new(d->pdf, paths[i], res, &d->glyph_font[d->n_glyph_fonts], err);
        if (rc)
            return rc;
        d->n_glyph_fonts++;
    }
    return CN_OK;
}

void pdfdoc_free(struct pdfdoc *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n_glyph_fonts; i++)
        pdfcid_free(d->glyph_font[i]);
    for (size_t i = 0; i < d->n_shared; i++)
        free(d->shared[i].key);
    free(d->shared);
    if (d->pdf)
        HPDF_Free(d->pdf);
    free(d);
}

int pdfdoc_fix_tounicode(struct pdfdoc *d, int font, struct cn_err *err)
{
    if (font < 0 || font >= d->n_fonts || !pdfcid_fix_libharu_tounicode(d->font[font]))
        return cn_fail(err, CN_EOUTPUT, "pdf: cannot replace font %d's ToUnicode", font);
    return CN_OK;
}

int pdfdoc_add_page(struct pdfdoc *d, double width, double height, const struct canvas **out,
                    struct cn_err *err)
{
    *out = NULL;
    d->page = HPDF_AddPage(d->pdf);
    if (!d->page)
        return cn_fail(err, CN_EOUTPUT, "pdf: cannot add a page (libharu error 0x%04X)",
                       (unsigned)d->error);
    HPDF_Page_SetWidth(d->page, (HPDF_REAL)width);
    HPDF_Page_SetHeight(d->page, (HPDF_REAL)height);
    d->pages++;
    *out = &d->canvas;
    return CN_OK;
}

void pdfdoc_name_fonts(struct pdfdoc *d)
{
    /* Named without a Tf in the page's stream: a name is all a shared stream needs. */
    for (int i = 0; i < d->n_fonts; i++)
        if (!HPDF_Page_GetLocalFontName(d->page, d->font[i]))
            HPDF_RaiseError(d->page->error, HPDF_PAGE_INVALID_FONT, 0);
    /* A shared stream drawn for an earlier page may show glyph fonts this page must name. */
    for (int i = 0; i < d->n_glyph_fonts; i++)
        if (!pdfcid_register(d->glyph_font[i], d->page) && !d->glyph_err.status)
            cn_fail(&d->glyph_err, CN_EOUTPUT, "pdf: cannot name glyph font %d on a page", i);
}

int pdfdoc_share(struct pdfdoc *d, const char *key, void (*fill)(void *ctx), void *ctx)
{
    HPDF_Dict *slot = NULL;
    for (size_t i = 0; i < d->n_shared && !slot; i++)
        if (strcmp(d->shared[i].key, key) == 0)
            slot = &d->shared[i].stream;
    if (!slot) {
        struct shared *grown =
            d->n_shared < PDFDOC_MAX_SHARED
                ? grow_for_one(d->shared, &d->cap_shared, d->n_shared, sizeof *d->shared, 16)
                : NULL;
        char *copy = grown ? strdup(key) : NULL;
        if (!copy)
            return 0;
        d->shared = grown;
        d->shared[d->n_shared] = (struct shared){copy, NULL};
        slot = &d->shared[d->n_shared++].stream;
    }
    return pdfpage_share(d->page, slot, fill, ctx) ? 1 : -1;
}

int pdfdoc_status(const struct pdfdoc *d, const char *what, struct cn_err *err)
{
    if (d->glyph_err.status)
        return cn_fail(err, d->glyph_err.status, "%s: %s", what, d->glyph_err.msg);
    if (!d->error)
        return CN_OK;
    return cn_fail(err, CN_EOUTPUT, "%s: libharu error 0x%04X (detail %u)", what,
                   (unsigned)d->error, (unsigned)d->detail);
}

int pdfdoc_pages(const struct pdfdoc *d)
{
    return d->pages;
}

int pdfdoc_save(struct pdfdoc *d, const char *path, unsigned mode, struct cn_err *err)
{
    int rc = pdfdoc_status(d, "pdf", err);
    /* The glyph fonts' subsets, widths and ToUnicode, now that every glyph is known. */
    for (int i = 0; rc == CN_OK && i < d->n_glyph_fonts; i++)
        rc = pdfcid_finish(d->glyph_font[i], err);
    if (rc == CN_OK && !pdfpage_hoist(d->pdf))
        rc = cn_fail(err, CN_EOUTPUT, "pdf: cannot share the pages' resources (libharu error)");
    struct atomicfile file;
    if (rc || (rc = atomicfile_open(&file, path, mode, err)))
        return rc;
    /* Straight into the file libharu reopens by name (mode already set): a copy of the PDF
     * in memory would cost as much as the file, per thread. */
    errno = 0;
    if (HPDF_SaveToFile(d->pdf, file.tmp) != HPDF_OK || d->error) {
        /* libharu keeps no errno; a failed write (full disk, file size limit) leaves it. */
        rc = cn_fail(err, CN_EOUTPUT, "%s: libharu could not write the PDF (0x%04X)%s%s", path,
                     (unsigned)d->error, errno ? ": " : "", errno ? strerror(errno) : "");
        goto fail;
    }
    /* libharu closes the file without checking the last flush: on a full disk the PDF
     * would lose its end silently, so the end is read back. */
    char tail[6];
    struct stat st;
    if (fstat(file.fd, &st) != 0 || st.st_size < (off_t)sizeof tail ||
        pread(file.fd, tail, sizeof tail, st.st_size - (off_t)sizeof tail) !=
            (ssize_t)sizeof tail ||
        memcmp(tail, "%%EOF\n", sizeof tail) != 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: the PDF was not written to its end", file.tmp);
        goto fail;
    }
    return atomicfile_commit(&file, err);
fail:
    atomicfile_abort(&file);
    return rc;
}
