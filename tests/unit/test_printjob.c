/* printjob_sort: the post's order (postal code, address, address2, resident, expiry) read
 * from the store, held letters last and unnumbered, files of batch_size; table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "printjob.h"
#include "store_resident.h"

static const struct {
    const char *id, *postal, *address, *address2;
    int expiry_day; /* 2027-02-DD */
    bool held;
    int want_pos; /* where it must end up */
} cases[] = {
    /* a later postal code goes after, whatever its address */
    {"0000000001", "1000012", "見本市本町1丁目1番1号", "", 1, false, 6},
    /* same address: no address2 before one ("1-2" before "1-2 Building") */
    {"0000000002", "1000011", "見本市中央1丁目2番3号", "コーポ桜101号", 1, false, 2},
    {"0000000003", "1000011", "見本市中央1丁目2番3号", "", 1, false, 1},
    /* held letters go last, whatever their postal code */
    {"0000000004", "1000001", "見本市中央1丁目1番1号", "", 1, true, 7},
    /* byte order of the address: 1丁目10番 sorts before 1丁目2番 ('1' < '2') */
    {"0000000005", "1000011", "見本市中央1丁目10番1号", "", 1, false, 0},
    /* same address and address2: resident, then expiry */
    {"0000000007", "1000011", "見本市中央1丁目2番3号", "コーポ桜101号", 1, false, 5},
    {"0000000006", "1000011", "見本市中央1丁目2番3号", "コーポ桜101号", 20, false, 4},
    {"0000000006", "1000011", "見本市中央1丁目2番3号", "コーポ桜101号", 2, false, 3},
};
#define N (sizeof cases / sizeof *cases)

static void test_post_order_and_files(void **state)
{
    (void)state;
    struct cn_err err = {0};
    struct store *s = fixture_db_open();
    struct printjob_letter letters[N];
    for (size_t i = 0; i < N; i++) {
        struct resident r = {0};
        snprintf(r.resident_id, sizeof r.resident_id, "%s", cases[i].id);
        strcpy(r.name, "見本　太郎");
        strcpy(r.name_kana, "ミホン　タロウ");
        r.birth_date = date_from_ymd(1980, 4, 1);
        snprintf(r.postal_code, sizeof r.postal_code, "%s", cases[i].postal);
        snprintf(r.address, sizeof r.address, "%s", cases[i].address);
        snprintf(r.address2, sizeof r.address2, "%s", cases[i].address2);
        strcpy(r.district, "01");
        r.card_expiry = date_from_ymd(2032, 2, 19);
        r.sign_cert_expiry = DATE_NONE;
        r.user_cert_expiry = date_from_ymd(2027, 2, cases[i].expiry_day);
        r.status = STATUS_ACTIVE;
        assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
        struct cert_group g = {r.user_cert_expiry, false, true};
        assert_int_equal(printjob_letter_init(&letters[i], &r, &g), CN_OK);
        letters[i].review = cases[i].held;
    }
    /* 0000000006 has two letters (two expiries) and one record, put twice alike. */
    assert_int_equal(printjob_sort(s, letters, N, 3, &err), CN_OK);
    for (size_t i = 0; i < N; i++) {
        const struct printjob_letter *l = &letters[cases[i].want_pos];
        assert_string_equal(l->resident_id, cases[i].id);
        assert_int_equal(l->certs.expiry, date_from_ymd(2027, 2, cases[i].expiry_day));
    }
    for (size_t k = 0; k < N; k++) {
        bool held = k == N - 1;
        assert_int_equal(letters[k].review, held);
        assert_int_equal(letters[k].seq, held ? 0 : (long)k + 1);
        assert_int_equal(letters[k].file_no, held ? 0 : (int)k / 3 + 1);
    }
    char name[32];
    printjob_file_name(3, name);
    assert_string_equal(name, "notices-003.pdf");
    /* Sorting again (a rerun in the same process) starts from an empty table. */
    assert_int_equal(printjob_sort(s, letters, N, 3, &err), CN_OK);
    assert_string_equal(letters[0].resident_id, "0000000005");
    store_close(s);
}

static void test_a_letter_without_resident_fails(void **state)
{
    (void)state;
    struct cn_err err = {0};
    struct store *s = fixture_db_open();
    struct printjob_letter l;
    struct resident r = {0};
    strcpy(r.resident_id, "9999999999");
    struct cert_group g = {date_from_ymd(2027, 1, 1), true, true};
    assert_int_equal(printjob_letter_init(&l, &r, &g), CN_OK);
    assert_int_equal(printjob_sort(s, &l, 1, 10, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "gone"));
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_post_order_and_files, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(test_a_letter_without_resident_fails, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
