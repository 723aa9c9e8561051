/* store_reconcile: a printed letter found by its batch folder's name and sequence (not by a
 * name that only ends the same), results kept once, mailed marked, spoiled released with
 * its ID and flagged for 再発行, and the unaccounted list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "store.h"
#include "store_notice.h"
#include "store_reconcile.h"

/* Resident Ri's notice, published as sequence seq of the batch at path. */
static struct notice published(struct store *s, int i, long seq, const char *path)
{
    struct notice n;
    struct cn_err err = {0};
    char resident[8];
    snprintf(resident, sizeof resident, "R%d", i);
    assert_int_equal(
        store_notice_issue(s, 1, resident, date_from_ymd(2027, 2, 19), "SU-R", &n, &err), CN_OK);
    assert_int_equal(
        store_notice_set_status(s, n.id, NOTICE_PUBLISHED, path, "notices-001.pdf", seq, &err),
        CN_OK);
    return n;
}

static int count(const struct unaccounted *u, void *ctx)
{
    (void)u;
    (*(int *)ctx)++;
    return 0;
}

static void test_results(void **state)
{
    (void)state;
    struct cn_err err = {0};
    struct store *s = fixture_db_open();
    struct notice n1 = published(s, 1, 1, "/srv/out/2026-12-01");
    struct notice n2 = published(s, 2, 2, "/srv/out/2026-12-01");
    published(s, 3, 3, "/srv/out/2026-12-01");
    published(s, 4, 1, "/srv/out/x2026-12-01"); /* ends the same, another batch */

    bool known, found, reissue;
    assert_int_equal(store_reconcile_batch_known(s, "2026-12-01", &known, &err), CN_OK);
    assert_true(known);
    assert_int_equal(store_reconcile_batch_known(s, "2026-12-0", &known, &err), CN_OK);
    assert_false(known);

    struct reconcile_letter l;
    assert_int_equal(store_reconcile_letter(s, "2026-12-01", 1, &l, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(l.notice_id, n1.id);
    assert_int_equal(l.file, 1);
    assert_string_equal(l.batch_path, "/srv/out/2026-12-01");
    assert_int_equal(store_reconcile_letter(s, "2026-12-01", 4, &l, &found, &err), CN_OK);
    assert_false(found);
    assert_int_equal(store_reconcile_letter(s, "12-01", 1, &l, &found, &err), CN_OK);
    assert_false(found);

    int n = 0;
    assert_int_equal(store_each_unaccounted(s, 0, count, &n, &err), CN_OK);
    assert_int_equal(n, 4);
    n = 0;
    assert_int_equal(store_each_unaccounted(s, 14, count, &n, &err), CN_OK);
    assert_int_equal(n, 0); /* published just now: not yet overdue */

    /* Mailed: kept and marked; its notice stays published. */
    struct inserter_row row = {"2026-12-01", 1, 1, INSERTER_MAILED, "2026-12-03 10:00:00"};
    assert_int_equal(store_reconcile_letter(s, row.batch, row.seq, &l, &found, &err), CN_OK);
    assert_int_equal(store_reconcile_record(s, &row, &l, "r.csv", 2, &err), CN_OK);
    enum inserter_status prior;
    int file;
    assert_int_equal(store_reconcile_prior(s, "2026-12-01", 1, &found, &prior, &file, &err), CN_OK);
    assert_true(found);
    assert_int_equal(prior, INSERTER_MAILED);
    assert_int_equal(file, 1);
    assert_int_equal(store_reconcile_reissue(s, n1.id, &reissue, &err), CN_OK);
    assert_false(reissue);
    /* The same letter twice is refused by the database too. */
    assert_int_not_equal(store_reconcile_record(s, &row, &l, "r.csv", 3, &err), CN_OK);

    /* Spoiled: released, same ID, flagged for 再発行; no longer in its old batch. */
    row = (struct inserter_row){"2026-12-01", 1, 2, INSERTER_SPOILED, "2026-12-03 10:01:00"};
    assert_int_equal(store_reconcile_letter(s, row.batch, row.seq, &l, &found, &err), CN_OK);
    assert_int_equal(store_reconcile_record(s, &row, &l, "r.csv", 4, &err), CN_OK);
    struct notice back;
    assert_int_equal(store_notice_by_rid(s, n2.rid, &back, &found, &err), CN_OK);
    assert_int_equal(back.status, NOTICE_ISSUED);
    assert_string_equal(back.batch, "");
    assert_int_equal(store_reconcile_reissue(s, n2.id, &reissue, &err), CN_OK);
    assert_true(reissue);
    assert_int_equal(store_reconcile_letter(s, "2026-12-01", 2, &l, &found, &err), CN_OK);
    assert_false(found);

    n = 0;
    assert_int_equal(store_each_unaccounted(s, 0, count, &n, &err), CN_OK);
    assert_int_equal(n, 2); /* sequence 3 and the other batch's letter */
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_results, fixture_db_setup, fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
