/* rid: the check symbol catches every single substitution and every neighbour swap
 * (exhaustively), generation is unique and uniform, typed input is normalized. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands.h"
#include "fixture_db.h"
#include "rid.h"
#include "rules.h"
#include "store.h"
#include "store_notice.h"
#include "store_resident.h"
#include "store_run.h"

static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static int value_of(char c)
{
    const char *p = strchr(alphabet, c);
    assert_non_null(p);
    return (int)(p - alphabet);
}

static void to_text(const int *digits, char out[RID_LEN + 1])
{
    for (int i = 0; i < RID_LEN; i++)
        out[i] = alphabet[digits[i]];
    out[RID_LEN] = '\0';
}

/* Makes digits a valid ID by trying every symbol at free_pos; exactly one fits, because
 * each position's weight is invertible. Uses only the public rid_check. */
static void complete(int *digits, int free_pos)
{
    char text[RID_LEN + 1];
    int found = 0;
    int keep = 0;
    for (int v = 0; v < 32; v++) {
        digits[free_pos] = v;
        to_text(digits, text);
        if (rid_check(text, NULL)) {
            found++;
            keep = v;
        }
    }
    assert_int_equal(found, 1);
    digits[free_pos] = keep;
}

/* Every single substitution and every swap of differing neighbours must be refused. */
static void assert_all_errors_caught(const char *valid)
{
    char typo[RID_LEN + 1];
    assert_true(rid_check(valid, NULL));
    for (int i = 0; i < RID_LEN; i++) {
        for (int v = 0; v < 32; v++) {
            if (alphabet[v] == valid[i])
                continue;
            memcpy(typo, valid, sizeof typo);
            typo[i] = alphabet[v];
            if (rid_check(typo, NULL))
                fail_msg("substitution at %d not caught: %s -> %s", i, valid, typo);
        }
    }
    for (int i = 0; i + 1 < RID_LEN; i++) {
        if (valid[i] == valid[i + 1])
            continue;
        memcpy(typo, valid, sizeof typo);
        typo[i] = valid[i + 1];
        typo[i + 1] = valid[i];
        if (rid_check(typo, NULL))
            fail_msg("swap at %d not caught: %s -> %s", i, valid, typo);
    }
}

/* Vectors computed with an independent implementation (Python, GF(32) mod x^5+x^2+1,
 * weights alpha^i), so the booking system can reimplement the check and compare. */
static void test_known_vectors(void **state)
{
    (void)state;
    static const char *const valid[] = {"23456789ABC7", "222222222222", "ZZZZZZZZZZZ7",
                                        "ABCD2345EFGA", "K7QX9MNP4RTJ"};
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        char norm[RID_LEN + 1];
        assert_true(rid_check(valid[i], norm));
        assert_string_equal(norm, valid[i]);
    }
    assert_false(rid_check("23456789ABC8", NULL));
}

/* The code is linear, so whether an error is caught depends only on its position and
 * the symbols involved, not on the rest of the ID. Trying every position with every
 * (original, replacement) pair, and every neighbour pair (a, b), a != b, at every
 * position (the check symbol included) therefore covers all IDs. */
static void test_every_substitution_and_swap_caught_exhaustively(void **state)
{
    (void)state;
    int digits[RID_LEN];
    char text[RID_LEN + 1], typo[RID_LEN + 1];
    for (int i = 0; i < RID_LEN; i++)
        digits[i] = (i * 7 + 3) % 32;
    size_t substitutions = 0, swaps = 0;
    for (int pos = 0; pos < RID_LEN; pos++) {
        for (int a = 0; a < 32; a++) {
            digits[pos] = a;
            complete(digits, pos == RID_LEN - 1 ? 0 : RID_LEN - 1);
            to_text(digits, text);
            for (int b = 0; b < 32; b++) {
                if (b == a)
                    continue;
                memcpy(typo, text, sizeof typo);
                typo[pos] = alphabet[b];
                assert_false(rid_check(typo, NULL));
                substitutions++;
            }
        }
    }
    for (int pos = 0; pos + 1 < RID_LEN; pos++) {
        for (int a = 0; a < 32; a++) {
            for (int b = 0; b < 32; b++) {
                if (a == b)
                    continue;
                digits[pos] = a;
                digits[pos + 1] = b;
                /* The free symbol must be outside the pair (the check symbol or the
                 * first one). */
                complete(digits, pos + 1 == RID_LEN - 1 ? 0 : RID_LEN - 1);
                to_text(digits, text);
                assert_int_equal(value_of(text[pos]), a);
                assert_int_equal(value_of(text[pos + 1]), b);
                memcpy(typo, text, sizeof typo);
                typo[pos] = text[pos + 1];
                typo[pos + 1] = text[pos];
                assert_false(rid_check(typo, NULL));
                swaps++;
            }
        }
    }
    assert_int_equal(substitutions, RID_LEN * 32 * 31);
    assert_int_equal(swaps, (RID_LEN - 1) * 32 * 31);
    assert_all_errors_caught("23456789ABC7");
}

static void test_errors_caught_on_random_sample(void **state)
{
    (void)state;
    for (int n = 0; n < 2000; n++) {
        char rid[RID_LEN + 1];
        struct cn_err err = {0};
        assert_int_equal(rid_generate(rid, &err), 0);
        assert_all_errors_caught(rid);
    }
}

static void test_typed_forms(void **state)
{
    (void)state;
    char norm[RID_LEN + 1];
    assert_true(rid_check("2345-6789-ABC7", norm));
    assert_string_equal(norm, "23456789ABC7");
    assert_true(rid_check(" 2345 6789 abc7 ", norm));
    assert_string_equal(norm, "23456789ABC7");
    assert_true(rid_check("k7qx-9mnp-4rtj", norm));
    assert_string_equal(norm, "K7QX9MNP4RTJ");
    assert_true(rid_check("--23456789abc7--", NULL));

    static const char *const refused[] = {
        "",
        "2345-6789-ABC",   /* 11 symbols */
        "2345-6789-ABC72", /* 13 symbols */
        "2345-6789-ABC7-2345",
        "2345-6789-AB07", /* 0 is not in the alphabet */
        "2345-6789-AB17",
        "2345-6789-ABO7",
        "2345-6789-ABI7",
        "2345_6789_ABC7",
        "2345\t6789\tABC7",
        "2345.6789.ABC7",
        "２３４５６７８９ＡＢＣ７", /* full width */
        "23456789ABC7\n",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        memcpy(norm, "XXXXXXXXXXXX", sizeof norm);
        if (rid_check(refused[i], norm))
            fail_msg("accepted \"%s\"", refused[i]);
        assert_string_equal(norm, "");
    }
    assert_false(rid_check(NULL, norm));
}

static void test_display(void **state)
{
    (void)state;
    char shown[RID_DISPLAY_LEN + 1];
    rid_display("23456789ABC7", shown);
    assert_string_equal(shown, "2345-6789-ABC7");
    char norm[RID_LEN + 1];
    assert_true(rid_check(shown, norm));
    assert_string_equal(norm, "23456789ABC7");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_million_unique_and_uniform(void **state)
{
    (void)state;
    enum { N = 1000000 };
    uint64_t *packed = malloc(N * sizeof *packed);
    assert_non_null(packed);
    static long counts[RID_LEN][32];
    memset(counts, 0, sizeof counts);
    for (int n = 0; n < N; n++) {
        char rid[RID_LEN + 1];
        struct cn_err err = {0};
        assert_int_equal(rid_generate(rid, &err), 0);
        assert_int_equal(strlen(rid), RID_LEN);
        if (n % 1000 == 0)
            assert_true(rid_check(rid, NULL));
        uint64_t p = 0;
        for (int i = 0; i < RID_LEN; i++) {
            int v = value_of(rid[i]);
            counts[i][v]++;
            p = (p << 5) | (uint64_t)v;
        }
        packed[n] = p;
    }
    qsort(packed, N, sizeof *packed, cmp_u64);
    for (int n = 1; n < N; n++)
        if (packed[n] == packed[n - 1])
            fail_msg("duplicate ID among %d", N);
    free(packed);

    /* Pearson chi-square over 12 positions x 32 symbols (12 x 31 = 372 degrees of
     * freedom, mean 372, sd 27). 600 is beyond 8 sd: a uniform generator exceeds it
     * with probability about 1e-12; a stuck bit or a skewed symbol map blows far past. */
    double expected = (double)N / 32, chi2 = 0;
    long min = N, max = 0;
    for (int i = 0; i < RID_LEN; i++) {
        for (int v = 0; v < 32; v++) {
            double d = (double)counts[i][v] - expected;
            chi2 += d * d / expected;
            if (counts[i][v] < min)
                min = counts[i][v];
            if (counts[i][v] > max)
                max = counts[i][v];
        }
    }
    print_message("# 1e6 IDs: chi-square %.1f (372 dof), per-position symbol counts %ld..%ld "
                  "(expected %.0f)\n",
                  chi2, min, max, expected);
    assert_true(chi2 < 600);
    /* Each symbol at each position within 5% (about 9 sd) of its share. */
    assert_true(min > expected * 0.95 && max < expected * 1.05);
}

/* ---- export-reservations (cmd_rid.c) on a database filled through the store ---- */

struct fixture_notice {
    const char *resident_id, *district, *birth, *expiry, *variant;
    enum notice_status status;
    struct notice stored;
};

static void put_resident(struct store *s, const struct fixture_notice *f)
{
    struct resident r = {0};
    struct cn_err err = {0};
    snprintf(r.resident_id, sizeof r.resident_id, "%s", f->resident_id);
    snprintf(r.name, sizeof r.name, "試験 太郎%s", f->resident_id);
    snprintf(r.address, sizeof r.address, "愛知県春日井市鳥居松町%s番地", f->resident_id);
    snprintf(r.postal_code, sizeof r.postal_code, "4868686");
    snprintf(r.district, sizeof r.district, "%s", f->district);
    assert_true(date_parse_iso(f->birth, &r.birth_date));
    assert_true(date_parse_iso("2031-01-01", &r.card_expiry));
    assert_true(date_parse_iso(f->expiry, &r.sign_cert_expiry));
    r.user_cert_expiry = r.sign_cert_expiry;
    r.status = STATUS_ACTIVE;
    assert_int_equal(store_put_resident(s, &r, &err), 0);
}

static int cmp_rid(const void *a, const void *b)
{
    return strcmp(((const struct fixture_notice *)a)->stored.rid,
                  ((const struct fixture_notice *)b)->stored.rid);
}

static void test_export_lists_valid_ids_without_names(void **state)
{
    (void)state;
    const char *dir = fixture_dir;
    char db[200], csv[200];
    snprintf(db, sizeof db, "%s", fixture_db_path);
    snprintf(csv, sizeof csv, "%s/reservations.csv", dir);

    struct fixture_notice fx[] = {
        {"1001", "01", "1980-03-15", "2027-05-31", "SU-R", NOTICE_ISSUED, {0}},
        {"1002", "02", "1975-12-01", "2027-02-10", "U-O-F", NOTICE_PUBLISHED, {0}},
        {"1003", "01", "1990-07-04", "2027-03-01", "SU-R", NOTICE_RETURNED, {0}},
        {"1004", "03", "1962-01-31", "2027-04-20", "SU-R", NOTICE_REVIEW, {0}},
        {"1005", "0,4", "2000-02-29", "2027-06-30", "SU-R-X", NOTICE_PUBLISHING, {0}},
        {"1006", "05", "1970-10-10", "2027-01-15", "SU-N", NOTICE_PUBLISHED, {0}}, /* walk-in */
    };
    enum { N = sizeof fx / sizeof *fx };
    struct store *s = NULL;
    struct cn_err err = {0};
    int64_t run_id = 0;
    assert_int_equal(store_open(db, 0600, &s, &err), 0);
    assert_int_equal(store_run_begin(s, date_from_ymd(2026, 12, 1), "test", &run_id, &err), 0);
    for (int i = 0; i < N; i++) {
        cn_date expiry;
        assert_true(date_parse_iso(fx[i].expiry, &expiry));
        put_resident(s, &fx[i]);
        assert_int_equal(store_notice_issue(s, run_id, fx[i].resident_id, expiry, fx[i].variant,
                                            &fx[i].stored, &err),
                         0);
        if (fx[i].status != NOTICE_ISSUED)
            assert_int_equal(store_notice_set_status(s, fx[i].stored.id, fx[i].status, "2026-12-01",
                                                     "notices-001.pdf", i + 1, &err),
                             0);
    }
    store_close(s);

    char *argv[] = {"export-reservations", "--db", db, "--out", csv, NULL};
    assert_int_equal(cmd_export_reservations(5, argv), 0);

    struct stat st;
    assert_int_equal(stat(csv, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* The expected file, built here from the fixture: store order is reservation-ID order. */
    qsort(fx, N, sizeof *fx, cmp_rid);
    char want[2048];
    size_t len = (size_t)snprintf(
        want, sizeof want,
        "reservation_id,window_start,window_end,cert_expiry,district,birth_mmdd,status\r\n");
    for (int i = 0; i < N; i++) {
        const char *status = fx[i].status == NOTICE_PUBLISHED ? "published"
                             : fx[i].status == NOTICE_ISSUED || fx[i].status == NOTICE_PUBLISHING
                                 ? "issued"
                                 : NULL;
        if (!status || strstr(fx[i].variant, "-N"))
            continue;
        assert_true(rid_check(fx[i].stored.rid, NULL));
        struct window w = rules_window(fx[i].stored.cert_expiry);
        char ws[11], we[11];
        date_format_iso(w.start, ws);
        date_format_iso(w.end, we);
        const char *district = strchr(fx[i].district, ',') ? "\"0,4\"" : fx[i].district;
        len += (size_t)snprintf(want + len, sizeof want - len, "%s,%s,%s,%s,%s,%.2s%.2s,%s\r\n",
                                fx[i].stored.rid, ws, we, fx[i].expiry, district, fx[i].birth + 5,
                                fx[i].birth + 8, status);
    }
    char got[2048] = {0};
    FILE *f = fopen(csv, "r");
    assert_non_null(f);
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_null(strstr(got, "試験"));
    assert_null(strstr(got, "春日井"));
    assert_null(strstr(got, "1001")); /* nor the resident number */

    /* Rewriting replaces the file in place, still 0600, leaving no temporary behind. */
    assert_int_equal(cmd_export_reservations(5, argv), 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -q 'reservations[.]csv[.]'", dir);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_vectors),
        cmocka_unit_test(test_every_substitution_and_swap_caught_exhaustively),
        cmocka_unit_test(test_errors_caught_on_random_sample),
        cmocka_unit_test(test_typed_forms),
        cmocka_unit_test(test_display),
        cmocka_unit_test(test_million_unique_and_uniform),
        cmocka_unit_test_setup_teardown(test_export_lists_valid_ids_without_names, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
