/* qr: the rectangles redraw exactly libqrencode's modules, the upper-cased booking URL
 * stays small (alphanumeric mode), and a real decoder (zbarimg) reads the URL back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <qrencode.h>

#include "qr.h"

static const char *const urls[] = {
    "HTTPS://EXAMPLE.JP/R/ABCD2345EFGH",
    "https://example.jp/kasugai/r/ABCD2345EFGH",
    "https://EXAMPLE.JP/MH/R/23456789ABC7", /* templates/municipalities/demo.xml */
    "https://yoyaku.city.example.lg.jp/mynumber/renewal/reserve/ZZZZ9999ZZZZ",
    "A",
};

static char *upper(const char *s)
{
    char *u = strdup(s);
    assert_non_null(u);
    for (char *p = u; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    return u;
}

/* Paints every rectangle into a size x size grid counting coverage per module. */
static unsigned char *paint(const struct qr_code *qr)
{
    size_t n = (size_t)qr->size * (size_t)qr->size;
    unsigned char *grid = calloc(n, 1);
    assert_non_null(grid);
    for (size_t i = 0; i < qr->n_rects; i++) {
        const struct qr_rect *r = &qr->rects[i];
        assert_true(r->w > 0 && r->h > 0);
        assert_true(r->x + r->w <= qr->size && r->y + r->h <= qr->size);
        for (int y = r->y; y < r->y + r->h; y++)
            for (int x = r->x; x < r->x + r->w; x++)
                grid[(size_t)y * (size_t)qr->size + (size_t)x]++;
    }
    return grid;
}

static void test_rectangles_cover_exactly_the_dark_modules(void **state)
{
    (void)state;
    for (size_t u = 0; u < sizeof urls / sizeof *urls; u++) {
        struct qr_code qr;
        struct cn_err err = {0};
        assert_int_equal(qr_encode(urls[u], &qr, &err), 0);
        char *up = upper(urls[u]);
        QRcode *ref = QRcode_encodeString(up, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        assert_non_null(ref);
        assert_int_equal(qr.size, ref->width + 8);
        unsigned char *grid = paint(&qr);
        size_t dark = 0, runs = 0;
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                int mx = x - 4, my = y - 4;
                int want = 0;
                if (mx >= 0 && my >= 0 && mx < ref->width && my < ref->width)
                    want = ref->data[my * ref->width + mx] & 1;
                dark += (size_t)want;
                if (want && (mx == 0 || !(ref->data[my * ref->width + mx - 1] & 1)))
                    runs++;
                /* 0 or 1: a count of 2 would be an overlap, a stray 1 a false module. */
                assert_int_equal(grid[y * qr.size + x], want);
            }
        }
        /* The vertical merge must actually merge (finder patterns guarantee it can). */
        assert_true(qr.n_rects < runs);
        print_message("# %s: version %d, %d modules with quiet zone, %zu dark modules, "
                      "%zu runs, %zu rectangles\n",
                      up, ref->version, qr.size, dark, runs, qr.n_rects);
        free(grid);
        free(up);
        QRcode_free(ref);
        qr_free(&qr);
    }
}

static void test_upper_case_url_is_version_2(void **state)
{
    (void)state;
    struct qr_code qr;
    struct cn_err err = {0};
    assert_int_equal(qr_encode("HTTPS://EXAMPLE.JP/R/ABCD2345EFGH", &qr, &err), 0);
    assert_int_equal(qr.size, 25 + 8); /* version 2: 25 modules */
    qr_free(&qr);
    /* Typed in lower case it is upper-cased first, so still version 2 ... */
    assert_int_equal(qr_encode("https://example.jp/r/abcd2345efgh", &qr, &err), 0);
    assert_int_equal(qr.size, 25 + 8);
    qr_free(&qr);
    /* ... whereas the same text kept in lower case needs byte mode and version 3. */
    QRcode *lower =
        QRcode_encodeString("https://example.jp/r/abcd2345efgh", 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(lower);
    assert_int_equal(lower->version, 3);
    QRcode_free(lower);
}

static void test_refuses_empty_and_oversized(void **state)
{
    (void)state;
    struct qr_code qr;
    struct cn_err err = {0};
    assert_int_equal(qr_encode("", &qr, &err), CN_EUSAGE);
    assert_null(qr.rects);
    size_t n = 8000;
    char *huge = malloc(n + 1);
    assert_non_null(huge);
    memset(huge, 'Z', n);
    huge[n] = '\0';
    assert_int_not_equal(qr_encode(huge, &qr, &err), 0);
    assert_non_null(strstr(err.msg, "qr:"));
    assert_null(qr.rects);
    free(huge);
    qr_free(&qr); /* idempotent on an empty code */
}

/* Writes the rectangles as a plain PBM, each module `scale` pixels, and returns what
 * zbarimg decodes from it (malloc'd, trailing newline removed). */
static char *decode_with_zbarimg(const struct qr_code *qr, int scale)
{
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/test_qr.XXXXXX.pbm", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    unsigned char *grid = paint(qr);
    int px = qr->size * scale;
    fprintf(f, "P1\n%d %d\n", px, px);
    for (int y = 0; y < px; y++) {
        for (int x = 0; x < px; x++)
            fputc(grid[(y / scale) * qr->size + x / scale] ? '1' : '0', f);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    free(grid);

    /* stderr apart: zbar may chatter there (D-Bus) even when it decodes fine. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>'%s.err'", path, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[1024] = {0};
    size_t got = fread(buf, 1, sizeof buf - 1, p);
    int status = pclose(p);
    buf[got] = '\0';
    if (status != 0) {
        print_message("# zbarimg exit status %d, output: %s\n", status, buf);
        char errcmd[1100];
        snprintf(errcmd, sizeof errcmd, "sed 's/^/# zbarimg: /' '%s.err'", path);
        assert_true(system(errcmd) >= 0);
    }
    unlink(path);
    char errpath[530];
    snprintf(errpath, sizeof errpath, "%s.err", path);
    unlink(errpath);
    assert_int_equal(status, 0); /* zbar-tools is a dependency: absent means failure */
    if (got > 0 && buf[got - 1] == '\n')
        buf[got - 1] = '\0';
    char *out = strdup(buf);
    assert_non_null(out);
    return out;
}

static void test_zbarimg_decodes_the_exact_url(void **state)
{
    (void)state;
    for (size_t u = 0; u + 1 < sizeof urls / sizeof *urls; u++) {
        struct qr_code qr;
        struct cn_err err = {0};
        assert_int_equal(qr_encode(urls[u], &qr, &err), 0);
        char *decoded = decode_with_zbarimg(&qr, 4);
        char *want = upper(urls[u]);
        assert_string_equal(decoded, want);
        free(want);
        free(decoded);
        qr_free(&qr);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rectangles_cover_exactly_the_dark_modules),
        cmocka_unit_test(test_upper_case_url_is_version_2),
        cmocka_unit_test(test_refuses_empty_and_oversized),
        cmocka_unit_test(test_zbarimg_decodes_the_exact_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
