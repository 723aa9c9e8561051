/* Tests for store: the database is private to its owner, migrations are versioned, records
 * round-trip, a newer record replaces an older one, one reservation ID per resident and
 * expiry, savepoints nest, a dry run keeps nothing, and crash recovery resolves batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fixture_db.h"
#include "store.h"
#include "store_notice.h"
#include "store_query.h"
#include "store_input.h"
#include "store_report.h"
#include "store_resident.h"
#include "store_returned.h"

static struct resident sample(const char *id)
{
    struct resident r;
    memset(&r, 0, sizeof r);
    snprintf(r.resident_id, sizeof r.resident_id, "%s", id);
    strcpy(r.name, "見本　太郎");
    strcpy(r.name_kana, "ミホン　タロウ");
    r.birth_date = date_from_ymd(1980, 4, 1);
    strcpy(r.postal_code, "1000011");
    strcpy(r.address, "見本市中央1丁目2番3号");
    strcpy(r.district, "01");
    r.card_expiry = date_from_ymd(2032, 2, 19);
    r.sign_cert_expiry = DATE_NONE;
    r.user_cert_expiry = date_from_ymd(2027, 2, 19);
    r.face_auth = true;
    r.status = STATUS_ACTIVE;
    return r;
}

static void file_is_private_and_versioned(void **state)
{
    (void)state;
    mode_t old = umask(0);
    struct store *s = fixture_db_open();
    umask(old);
    struct stat st;
    assert_int_equal(stat(fixture_db_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fixture_db_path, &db), SQLITE_OK);
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(q, 0), store_schema_version());
    sqlite3_finalize(q);
    /* A database from a newer program is refused, not damaged. */
    sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
    sqlite3_close(db);
    struct store *s2 = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_open(fixture_db_path, 0600, &s2, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "newer"));
}

static int user_version(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    int v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return v;
}

static void set_user_version(const char *path, int v)
{
    sqlite3 *db;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* The web service's open: never creates, never migrates, refuses what it does not know. */
static void open_existing_never_migrates(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_open_existing(fixture_db_path, STORE_NIGHT, false, &s, &err), CN_EINPUT);
    assert_null(s);
    assert_int_not_equal(access(fixture_db_path, F_OK), 0);

    /* An empty database (version 0) is older than the program: refused, left as it is. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fixture_db_path, &db), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open_existing(fixture_db_path, STORE_NIGHT, false, &s, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "migrate"));
    assert_int_equal(user_version(fixture_db_path), 0);

    /* Migrated by the night's open, it is accepted and sees what the night wrote. */
    struct store *night = fixture_db_open();
    struct resident r = sample("W1"), back;
    bool found;
    assert_int_equal(store_put_resident(night, &r, &err), CN_OK);
    assert_int_equal(store_open_existing(fixture_db_path, STORE_NIGHT, true, &s, &err), CN_OK);
    assert_int_equal(store_get_resident(s, "W1", &back, &found, &err), CN_OK);
    assert_true(found);
    /* Read-only means read-only. */
    assert_int_not_equal(store_put_resident(s, &r, &err), CN_OK);
    store_close(s);
    store_close(night);

    /* A newer schema is refused too, and not touched. */
    set_user_version(fixture_db_path, store_schema_version() + 1);
    assert_int_equal(store_open_existing(fixture_db_path, STORE_NIGHT, false, &s, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "older than the database"));
    assert_int_equal(user_version(fixture_db_path), store_schema_version() + 1);
}

/* A statement whose rows are being read cannot be reset under the reader's feet. */
static int reenter(const struct resident *r, void *ctx)
{
    struct store *s = ctx;
    struct cn_err err = {0};
    (void)r;
    int rc = store_each_resident(s, reenter, s, &err);
    assert_int_not_equal(rc, CN_OK);
    assert_non_null(strstr(err.msg, "re-entered"));
    return CN_OK;
}

static void a_walk_is_not_reset_by_its_own_callback(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct resident a = sample("E1"), b = sample("E2");
    assert_int_equal(store_put_resident(s, &a, &err), CN_OK);
    assert_int_equal(store_put_resident(s, &b, &err), CN_OK);
    assert_int_equal(store_each_resident(s, reenter, s, &err), CN_OK);
    store_close(s);
}

static void resident_round_trip_and_update(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct resident r = sample("A1"), back;
    bool found;
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    assert_int_equal(store_get_resident(s, "A1", &back, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(back.name, r.name);
    assert_int_equal(back.sign_cert_expiry, DATE_NONE);
    assert_int_equal(back.user_cert_expiry, r.user_cert_expiry);
    assert_true(back.face_auth);
    assert_false(back.returned_hold);

    /* Returned mail holds the resident until a newer record brings another address. */
    assert_int_equal(store_set_returned_hold(s, "A1", true, &err), CN_OK);
    r.hold = true;
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    store_get_resident(s, "A1", &back, &found, &err);
    assert_true(back.returned_hold);
    assert_true(back.hold);
    strcpy(r.address, "見本市北町2丁目3番4号");
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    store_get_resident(s, "A1", &back, &found, &err);
    assert_false(back.returned_hold);
    assert_string_equal(back.address, "見本市北町2丁目3番4号");
    assert_int_equal(store_get_resident(s, "nobody", &back, &found, &err), CN_OK);
    assert_false(found);
    store_close(s);
}

static void one_notice_per_resident_and_expiry(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct notice n1, n2, got;
    bool found;
    cn_date e = date_from_ymd(2027, 2, 19);
    assert_int_equal(store_notice_issue(s, 1, "A1", e, "SU-R", &n1, &err), CN_OK);
    assert_int_equal(strlen(n1.rid), RID_LEN);
    assert_true(rid_check(n1.rid, NULL));
    assert_int_equal(store_notice_issue(s, 1, "A1", e, "SU-R", &n2, &err), CN_EOUTPUT);
    assert_int_equal(store_notice_issue(s, 1, "A1", e + 1, "SU-R", &n2, &err), CN_OK);
    assert_string_not_equal(n1.rid, n2.rid);
    assert_int_equal(store_notice_find(s, "A1", e, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(got.rid, n1.rid);
    assert_int_equal(got.status, NOTICE_ISSUED);
    assert_int_equal(store_notice_by_rid(s, n2.rid, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(got.cert_expiry, e + 1);
    store_close(s);
}

static void savepoints_nest_and_roll_back(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct resident r = sample("B1"), back;
    bool found;
    assert_int_equal(store_begin(s, &err), CN_OK);
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    store_rollback(s);
    store_get_resident(s, "B1", &back, &found, &err);
    assert_false(found);

    assert_int_equal(store_begin(s, &err), CN_OK);
    assert_int_equal(store_begin(s, &err), CN_OK);
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    assert_int_equal(store_commit(s, &err), CN_OK);
    assert_int_equal(store_commit(s, &err), CN_OK);
    store_get_resident(s, "B1", &back, &found, &err);
    assert_true(found);
    store_close(s);
}

static int64_t synchronous(struct store *s)
{
    static const struct store_sql sql = {"PRAGMA synchronous", NULL};
    struct cn_err err = {0};
    int64_t v = -1;
    bool found;
    assert_int_equal(
        store_q_row(store_query(s, &sql, &err), "reading", store_q_int64, &v, &found, &err), CN_OK);
    return v;
}

/* A lazy transaction's commit skips the fsync (NORMAL, 1), and only its own: the setting is
 * FULL (2) again once it ends, committed or rolled back; inside an ordinary transaction it
 * is an ordinary savepoint. What it wrote is there. */
static void a_lazy_transaction_is_lazy_alone(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct resident r = sample("L1"), back;
    bool found;
    assert_int_equal(synchronous(s), 2);
    assert_int_equal(store_begin_lazy(s, &err), CN_OK);
    assert_int_equal(synchronous(s), 1);
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    assert_int_equal(store_commit(s, &err), CN_OK);
    assert_int_equal(synchronous(s), 2);
    store_get_resident(s, "L1", &back, &found, &err);
    assert_true(found);

    assert_int_equal(store_begin_lazy(s, &err), CN_OK);
    store_rollback(s);
    assert_int_equal(synchronous(s), 2);

    assert_int_equal(store_begin(s, &err), CN_OK);
    assert_int_equal(store_begin_lazy(s, &err), CN_OK);
    assert_int_equal(synchronous(s), 2);
    assert_int_equal(store_commit(s, &err), CN_OK);
    assert_int_equal(store_commit(s, &err), CN_OK);
    assert_int_equal(synchronous(s), 2);
    store_close(s);
}

static void dry_run_keeps_nothing(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct resident r = sample("C1"), back;
    bool found;
    assert_int_equal(store_dry_run(s, &err), CN_OK);
    assert_int_equal(store_begin(s, &err), CN_OK);
    assert_int_equal(store_put_resident(s, &r, &err), CN_OK);
    assert_int_equal(store_commit(s, &err), CN_OK);
    store_get_resident(s, "C1", &back, &found, &err);
    assert_true(found);
    store_close(s);
    s = fixture_db_open();
    store_get_resident(s, "C1", &back, &found, &err);
    assert_false(found);
    store_close(s);
}

static void recovery_resolves_interrupted_batches(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    struct notice a, b, got;
    bool found;
    cn_date e = date_from_ymd(2027, 3, 1);
    store_notice_issue(s, 1, "R1", e, "SU-R", &a, &err);
    store_notice_issue(s, 1, "R2", e, "SU-R", &b, &err);
    store_notice_set_status(s, a.id, NOTICE_PUBLISHING, "2026-12-01", "notices-001.pdf", 1, &err);
    store_notice_set_status(s, b.id, NOTICE_PUBLISHING, "2026-12-02", "notices-001.pdf", 1, &err);
    char names[8][BATCH_PATH_MAX];
    int n = 0;
    assert_int_equal(store_publishing_batches(s, names, 8, &n, &err), CN_OK);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "2026-12-01");
    assert_int_equal(store_batch_resolve(s, "2026-12-01", true, &err), CN_OK);
    assert_int_equal(store_batch_resolve(s, "2026-12-02", false, &err), CN_OK);
    store_notice_find(s, "R1", e, &got, &found, &err);
    assert_int_equal(got.status, NOTICE_PUBLISHED);
    assert_string_equal(got.batch, "2026-12-01");
    store_notice_find(s, "R2", e, &got, &found, &err);
    assert_int_equal(got.status, NOTICE_ISSUED);
    assert_string_equal(got.batch, "");
    assert_string_equal(got.rid, b.rid); /* same reservation ID when printed again */
    store_publishing_batches(s, names, 8, &n, &err);
    assert_int_equal(n, 0);
    store_close(s);
}

static long count_rows(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    long n = -1;
    assert_int_equal(sqlite3_open(fixture_db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return n;
}

/* Stages a file of n residents and one reject. */
static void stage_file(struct store *s, int n)
{
    struct cn_err err = {0};
    char id[24];
    assert_int_equal(store_load_begin(s, &err), CN_OK);
    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof id, "L%05d", i);
        struct resident r = sample(id);
        assert_int_equal(store_load_resident(s, &r, &err), CN_OK);
    }
    assert_int_equal(store_load_reject(s, "f.csv", 7, "name", "empty", &err), CN_OK);
}

/* A file's load is applied in chunks, yet a discarded (refused) file leaves nothing and a
 * committed one brings all its residents, its rejects and its record together; more rows
 * than one apply statement takes, so the chunk seams are crossed. */
static void staged_load_is_all_or_nothing(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    enum { ROWS = 5000 };
    stage_file(s, ROWS);
    store_load_discard(s);
    assert_int_equal(count_rows("SELECT count(*) FROM residents"), 0);
    assert_int_equal(count_rows("SELECT count(*) FROM rejects"), 0);

    stage_file(s, ROWS);
    assert_int_equal(store_load_commit(s, "f.csv", "ab12", ROWS, 1, &err), CN_OK);
    assert_int_equal(count_rows("SELECT count(*) FROM residents"), ROWS);
    assert_int_equal(count_rows("SELECT count(*) FROM rejects"), 1);
    bool seen = false;
    assert_int_equal(store_input_is_last(s, "ab12", &seen, &err), CN_OK);
    assert_true(seen);
    /* Nothing of the file stays behind in the scratch tables. */
    assert_int_equal(store_load_begin(s, &err), CN_OK);
    assert_int_equal(store_load_commit(s, "g.csv", "cd34", 0, 0, &err), CN_OK);
    assert_int_equal(count_rows("SELECT count(*) FROM residents"), ROWS);
    assert_int_equal(count_rows("SELECT count(*) FROM rejects"), 1);
    store_close(s);
}

/* Recovery resolves a batch larger than one statement's share. */
static void a_large_batch_resolves_whole(void **state)
{
    (void)state;
    struct store *s = fixture_db_open();
    struct cn_err err = {0};
    enum { NOTICES = 5000 };
    char id[24];
    assert_int_equal(store_begin(s, &err), CN_OK);
    for (int i = 0; i < NOTICES; i++) {
        struct notice n;
        snprintf(id, sizeof id, "P%05d", i);
        assert_int_equal(store_notice_issue(s, 1, id, date_from_ymd(2027, 3, 1), "SU-R", &n, &err),
                         CN_OK);
        assert_int_equal(
            store_notice_set_status(s, n.id, NOTICE_PUBLISHING, "/out/b", "f", i + 1, &err), CN_OK);
    }
    assert_int_equal(store_commit(s, &err), CN_OK);
    long counts[NOTICE_STATUS_COUNT];
    assert_int_equal(store_batch_resolve(s, "/out/b", true, &err), CN_OK);
    assert_int_equal(store_notice_counts(s, counts, &err), CN_OK);
    assert_int_equal(counts[NOTICE_PUBLISHED], NOTICES);
    assert_int_equal(counts[NOTICE_PUBLISHING], 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(file_is_private_and_versioned, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(open_existing_never_migrates, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(a_walk_is_not_reset_by_its_own_callback, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(resident_round_trip_and_update, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(one_notice_per_resident_and_expiry, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(savepoints_nest_and_roll_back, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(a_lazy_transaction_is_lazy_alone, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(dry_run_keeps_nothing, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(recovery_resolves_interrupted_batches, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(staged_load_is_all_or_nothing, fixture_db_setup,
                                        fixture_db_teardown),
        cmocka_unit_test_setup_teardown(a_large_batch_resolves_whole, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
