/* Tests for the store's operations block (returned mail, report): which notice a returned
 * envelope is matched to, runs newest first and the failed ones apart, notice counts by
 * status, and the list of residents held after returned mail. */
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
#include "store_report.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

static void put_resident(struct store *s, const char *id, const char *district)
{
    struct resident r;
    memset(&r, 0, sizeof r);
    snprintf(r.resident_id, sizeof r.resident_id, "%s", id);
    strcpy(r.name, "見本　花子");
    r.birth_date = date_from_ymd(1970, 1, 1);
    strcpy(r.postal_code, "1000011");
    strcpy(r.address, "見本市中央1丁目2番3号");
    snprintf(r.district, sizeof r.district, "%s", district);
    r.card_expiry = date_from_ymd(2032, 2, 19);
    r.sign_cert_expiry = date_from_ymd(2027, 2, 19);
    r.user_cert_expiry = date_from_ymd(2027, 2, 19);
    r.status = STATUS_ACTIVE;
    struct cn_err err = {0};
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
}

static struct notice issue(struct store *s, const char *resident_id, cn_date expiry,
                           enum notice_status status)
{
    struct notice n;
    struct cn_err err = {0};
    assert_int_equal(store_notice_issue(s, 1, resident_id, expiry, "std", &n, &err), CN_OK);
    if (status != NOTICE_ISSUED)
        assert_int_equal(
            store_notice_set_status(s, n.id, status, "2026-12-01", "notices-001.pdf", 7, &err),
            CN_OK);
    n.status = status;
    return n;
}

static void latest_mailed_notice_is_the_newest_expiry_that_went_out(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct notice n;
    bool found = true;
    put_resident(s, "R1", "01");

    /* Issued or held for review: never in the post, so never "returned". */
    issue(s, "R1", date_from_ymd(2030, 5, 1), NOTICE_ISSUED);
    issue(s, "R1", date_from_ymd(2031, 5, 1), NOTICE_REVIEW);
    assert_int_equal(store_notice_latest_mailed(s, "R1", &n, &found, &err), CN_OK);
    assert_false(found);

    struct notice older = issue(s, "R1", date_from_ymd(2027, 2, 19), NOTICE_PUBLISHED);
    struct notice newer = issue(s, "R1", date_from_ymd(2028, 3, 1), NOTICE_PUBLISHED);
    assert_int_equal(store_notice_latest_mailed(s, "R1", &n, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(n.rid, newer.rid);
    assert_string_equal(n.batch, "2026-12-01");
    assert_int_equal(n.seq, 7);

    /* A notice already returned is still the one a second report of it means. */
    assert_int_equal(
        store_notice_set_status(s, newer.id, NOTICE_RETURNED, n.batch, n.file, n.seq, &err), CN_OK);
    assert_int_equal(store_notice_latest_mailed(s, "R1", &n, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(n.rid, newer.rid);
    assert_int_equal(n.status, NOTICE_RETURNED);
    assert_string_not_equal(n.rid, older.rid);

    assert_int_equal(store_notice_latest_mailed(s, "nobody", &n, &found, &err), CN_OK);
    assert_false(found);
    store_close(s);
}

struct collected {
    int n;
    int64_t ids[16];
    int exit_codes[16];
    char finished[16][20];
    char summary[16][256];
    int stop_after; /* 0: never */
};

static int collect_run(const struct run_info *r, void *ctx)
{
    struct collected *c = ctx;
    c->ids[c->n] = r->id;
    c->exit_codes[c->n] = r->exit_code;
    snprintf(c->finished[c->n], sizeof c->finished[0], "%s", r->finished);
    snprintf(c->summary[c->n], sizeof c->summary[0], "%s", r->summary);
    c->n++;
    return c->stop_after && c->n >= c->stop_after ? 42 : 0;
}

static void runs_newest_first_and_failures_apart(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    static const struct {
        int exit_code; /* -1: never finished */
        const char *summary;
    } table[] = {
        {0, "letters=10"}, {1, "letters=9 rejected=1"}, {5, "disk full"}, {-1, NULL}, {4, "locked"},
        {0, "letters=3"},
    };
    int64_t ids[6];
    for (int i = 0; i < 6; i++) {
        assert_int_equal(store_run_begin(s, date_from_ymd(2026, 12, 1 + i), "run", &ids[i], &err),
                         CN_OK);
        if (table[i].exit_code >= 0)
            assert_int_equal(
                store_run_finish(s, ids[i], table[i].exit_code, table[i].summary, &err), CN_OK);
    }

    struct collected all = {0};
    assert_int_equal(store_each_run(s, 4, false, collect_run, &all, &err), CN_OK);
    assert_int_equal(all.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(all.ids[i], ids[5 - i]);
    assert_int_equal(all.exit_codes[0], 0);
    assert_string_equal(all.summary[0], "letters=3");
    assert_int_equal(all.exit_codes[2], -1); /* the run that died */
    assert_string_equal(all.finished[2], "");
    assert_int_not_equal(all.finished[0][0], '\0');

    struct collected failed = {0};
    assert_int_equal(store_each_run(s, 10, true, collect_run, &failed, &err), CN_OK);
    assert_int_equal(failed.n, 3);
    assert_int_equal(failed.ids[0], ids[4]); /* exit 4 */
    assert_int_equal(failed.ids[1], ids[3]); /* unfinished */
    assert_int_equal(failed.ids[2], ids[2]); /* exit 5 */

    struct collected stopped = {.stop_after = 2};
    assert_int_equal(store_each_run(s, 10, false, collect_run, &stopped, &err), 42);
    assert_int_equal(stopped.n, 2);
    store_close(s);
}

static void notice_counts_by_status(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    long counts[NOTICE_REVIEW + 1];
    assert_int_equal(store_notice_counts(s, counts, &err), CN_OK);
    for (int i = 0; i <= NOTICE_REVIEW; i++)
        assert_int_equal(counts[i], 0);

    static const enum notice_status statuses[] = {
        NOTICE_ISSUED,   NOTICE_PUBLISHED, NOTICE_PUBLISHED, NOTICE_PUBLISHED,
        NOTICE_RETURNED, NOTICE_REVIEW,    NOTICE_REVIEW};
    long want[NOTICE_REVIEW + 1] = {0};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        char id[8];
        snprintf(id, sizeof id, "C%zu", i);
        put_resident(s, id, "01");
        issue(s, id, date_from_ymd(2027, 2, 19), statuses[i]);
        want[statuses[i]]++;
    }
    assert_int_equal(store_notice_counts(s, counts, &err), CN_OK);
    for (int i = 0; i <= NOTICE_REVIEW; i++)
        assert_int_equal(counts[i], want[i]);
    store_close(s);
}

struct holds {
    int n;
    struct returned_hold h[8];
};

static int collect_hold(const struct returned_hold *h, void *ctx)
{
    struct holds *c = ctx;
    c->h[c->n++] = *h;
    return 0;
}

static void held_residents_with_their_returned_notice(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    put_resident(s, "H2", "02");
    put_resident(s, "H1", "01");
    put_resident(s, "FREE", "01");
    struct notice old = issue(s, "H2", date_from_ymd(2026, 1, 5), NOTICE_PUBLISHED);
    struct notice ret = issue(s, "H2", date_from_ymd(2027, 2, 19), NOTICE_PUBLISHED);
    issue(s, "FREE", date_from_ymd(2027, 2, 19), NOTICE_PUBLISHED);
    assert_int_equal(store_notice_set_status(s, ret.id, NOTICE_RETURNED, NULL, NULL, 0, &err),
                     CN_OK);
    (void)old;
    assert_int_equal(store_set_returned_hold(s, "H2", true, &err), CN_OK);
    /* Held by hand, with no notice marked returned: listed all the same. */
    assert_int_equal(store_set_returned_hold(s, "H1", true, &err), CN_OK);

    struct holds got = {0};
    assert_int_equal(store_each_returned_hold(s, collect_hold, &got, &err), CN_OK);
    assert_int_equal(got.n, 2);
    assert_string_equal(got.h[0].resident_id, "H1");
    assert_string_equal(got.h[0].rid, "");
    assert_string_equal(got.h[0].since, "");
    assert_string_equal(got.h[1].resident_id, "H2");
    assert_string_equal(got.h[1].district, "02");
    assert_string_equal(got.h[1].rid, ret.rid);
    assert_int_equal(strlen(got.h[1].since), 19);

    /* A newer record with another address lifts the hold: off the list. */
    struct resident r;
    bool found;
    assert_int_equal(store_get_resident(s, "H2", &r, &found, &err), CN_OK);
    strcpy(r.address, "見本市北町9丁目1番1号");
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    memset(&got, 0, sizeof got);
    assert_int_equal(store_each_returned_hold(s, collect_hold, &got, &err), CN_OK);
    assert_int_equal(got.n, 1);
    assert_string_equal(got.h[0].resident_id, "H1");
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(latest_mailed_notice_is_the_newest_expiry_that_went_out,
                                        fixture_db_setup, fixture_db_teardown),
        cmocka_unit_test_setup_teardown(runs_newest_first_and_failures_apart, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(notice_counts_by_status, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(held_residents_with_their_returned_notice, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
