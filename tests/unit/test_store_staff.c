/* Tests for store_staff and secret: accounts (a second add refused, a new password or a
 * removal ends the sessions), idle sessions, their lifetime however busy, the audit, the day
 * list with the birth month and day from the feed (never a name: the booking store has
 * none), attendance marks, closures flagging exactly the bookings they overlap, seat
 * changes read back; Argon2id hashes and the password rule. Table tests where a rule.
 * With CN_TEST_PG set to a PostgreSQL URI (an empty database: tests/e2e/pg_store.sh) the
 * same run there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>

#include "store_booking.h"
#include "fixture_db.h"
#include "secret.h"
#include "store_staff.h"
#include "store.h"
#include "store_feed.h"

#define N 4
static char rids[N][RID_LEN + 1];
/* The store: the fixture's SQLite file, or CN_TEST_PG's URI. */
static const char *where;
static bool pg;

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

static int setup(void **state)
{
    if (fixture_db_setup(state))
        return -1;
    struct store *s = NULL;
    struct cn_err err = {0};
    where = getenv("CN_TEST_PG");
    pg = where && where[0];
    if (!pg)
        where = fixture_db_path;
    /* A booking store fed N IDs (birthdays 04-01.. 04-04), as feed import leaves it: on
     * SQLite and on PostgreSQL alike. */
    if (store_open_booking(where, 0600, &s, &err) || store_feed_stage_begin(s, &err))
        return -1;
    for (int i = 0; i < N; i++) {
        struct feed_row r;
        memset(&r, 0, sizeof r);
        bool dup;
        if (rid_generate(rids[i], &err))
            return -1;
        memcpy(r.rid, rids[i], sizeof r.rid);
        r.window_start = D("2026-11-20");
        r.window_end = r.cert_expiry = D("2027-02-19");
        strcpy(r.district, "01");
        snprintf(r.birth_mmdd, sizeof r.birth_mmdd, "04%02d", (1 + i) % 100);
        r.booking = NOTICE_BOOK_YES;
        if (store_feed_stage_row(s, &r, &dup, &err))
            return -1;
    }
    struct feed_batch fb = {.municipality = "見本市", .batch = "2026-12-01", .run = 1, .rows = N};
    fb.batch_date = D("2026-12-01");
    memset(fb.sha256, 'a', 64);
    struct feed_counts c;
    if (store_feed_stage_end(s, &err) || store_feed_apply(s, &fb, &c, &err))
        return -1;
    store_close(s);
    /* bookings at main on 2027-01-12: 09:00, 10:00, 10:30, and 10:00 at north */
    struct store_booking *bs = NULL;
    if (store_booking_open(where, &bs, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    static const int starts[N] = {540, 600, 630, 600};
    for (int i = 0; i < N; i++) {
        struct take_request q = {.rid = rids[i],
                                 .office = i == 3 ? "north" : "main",
                                 .by = "web",
                                 .day = D("2027-01-12"),
                                 .start_min = starts[i],
                                 .seats = 5};
        struct booking b;
        enum take_result tr;
        if (store_booking_take(bs, &q, &b, &tr, &err) || tr != TAKE_OK)
            return -1;
    }
    store_booking_close(bs);
    return 0;
}

static struct store *open_db(void)
{
    struct store *s = NULL;
    struct cn_err err = {0};
    if (store_open_booking(where, 0600, &s, &err))
        fail_msg("%s", err.msg);
    return s;
}

static void new_session(struct store *s, const char *staff, int64_t now, char digest[])
{
    struct staff_session ss;
    memset(&ss, 0, sizeof ss);
    char token[SECRET_TOKEN_LEN + 1];
    struct cn_err err = {0};
    assert_int_equal(secret_token(token, &err), CN_OK);
    assert_int_equal(secret_token(ss.csrf, &err), CN_OK);
    secret_token_digest(token, ss.digest);
    snprintf(ss.staff, sizeof ss.staff, "%s", staff);
    ss.last_seen = now;
    assert_int_equal(store_staff_session_new(s, &ss, &err), CN_OK);
    strcpy(digest, ss.digest);
}

static bool session_live(struct store *s, const char *digest, int64_t now)
{
    struct staff_session ss;
    bool found = false;
    struct cn_err err = {0};
    static const struct staff_session_limits lim = {1800, 36000};
    assert_int_equal(store_staff_session_get(s, digest, now, &lim, &ss, &found, &err), CN_OK);
    return found;
}

static void accounts_and_sessions(void **state)
{
    (void)state;
    struct store *s = open_db();
    struct cn_err err = {0};
    bool exists = true, found = false;
    assert_int_equal(store_staff_add(s, "alice", "main", "$h1", &exists, &err), CN_OK);
    assert_false(exists);
    assert_int_equal(store_staff_add(s, "alice", "north", "$h2", &exists, &err), CN_OK);
    assert_true(exists);
    struct staff_account a;
    assert_int_equal(store_staff_get(s, "alice", &a, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(a.office, "main");
    assert_string_equal(a.hash, "$h1");

    char d1[SECRET_TOKEN_LEN + 1], d2[SECRET_TOKEN_LEN + 1];
    new_session(s, "alice", 1000, d1);
    assert_true(session_live(s, d1, 1000 + 1799));
    /* touched at 2799: alive until 4599 */
    assert_true(session_live(s, d1, 2799 + 1799));
    assert_false(session_live(s, d1, 4598 + 1800));
    assert_false(session_live(s, d1, 1000)); /* an idle one is gone for good */

    /* kept busy (a request every 29 minutes), a session still ends 10 hours after it began */
    new_session(s, "alice", 100000, d1);
    int64_t t = 100000;
    for (; t + 1740 < 100000 + 36000; t += 1740)
        assert_true(session_live(s, d1, t + 1740));
    assert_false(session_live(s, d1, t + 1740));
    assert_false(session_live(s, d1, t + 1741)); /* and it is gone for good */

    new_session(s, "alice", 5000, d2);
    assert_int_equal(store_staff_passwd(s, "alice", "$h3", &found, &err), CN_OK);
    assert_true(found);
    assert_false(session_live(s, d2, 5001));
    new_session(s, "alice", 6000, d2);
    assert_int_equal(store_staff_remove(s, "alice", &found, &err), CN_OK);
    assert_true(found);
    assert_false(session_live(s, d2, 6001));
    assert_int_equal(store_staff_remove(s, "alice", &found, &err), CN_OK);
    assert_false(found);
    store_close(s);
}

static int collect_audit(const struct audit_row *a, void *ctx)
{
    char *out = ctx;
    strcat(out, a->action);
    strcat(out, "@");
    strcat(out, a->client);
    strcat(out, ";");
    return 0;
}

static void audit_newest_first(void **state)
{
    (void)state;
    struct store *s = open_db();
    struct cn_err err = {0};
    assert_int_equal(store_staff_audit(s, "bob", "login", "ok", "10.0.0.5", &err), CN_OK);
    assert_int_equal(store_staff_audit(s, "bob", "mark", "Y000001 arrived", "10.0.0.5", &err),
                     CN_OK);
    assert_int_equal(store_staff_audit(s, "cli", "feed import", "batch x", "cli", &err), CN_OK);
    char got[256] = "";
    assert_int_equal(store_staff_each_audit(s, 2, collect_audit, got, &err), CN_OK);
    assert_string_equal(got, "feed import@cli;mark@10.0.0.5;");
    store_close(s);
}

struct day_seen {
    int n;
    char names[8][300];
    enum attendance att[8];
    int64_t ids[8], closure[8];
};

static int collect_day(const struct day_entry *e, void *ctx)
{
    struct day_seen *d = ctx;
    snprintf(d->names[d->n], sizeof d->names[0], "%02d%02d|%d", e->birth_month % 100,
             e->birth_day % 100, e->start_min);
    d->att[d->n] = e->attendance;
    d->ids[d->n] = e->id;
    d->closure[d->n] = e->closure_id;
    d->n++;
    return 0;
}

static void day_list_marks_and_closures(void **state)
{
    (void)state;
    struct store *s = open_db();
    struct cn_err err = {0};
    struct day_seen d;
    memset(&d, 0, sizeof d);
    assert_int_equal(store_staff_day(s, "main", D("2027-01-12"), collect_day, &d, &err), CN_OK);
    assert_int_equal(d.n, 3);
    /* the birth month and day from the feed; no name: the store has none */
    assert_string_equal(d.names[0], "0401|540");
    assert_string_equal(d.names[2], "0403|630");

    bool done = false;
    assert_int_equal(store_staff_mark(s, d.ids[1], "main", ATTEND_ARRIVED, &done, &err), CN_OK);
    assert_true(done);
    assert_int_equal(store_staff_mark(s, d.ids[1], "north", ATTEND_DONE, &done, &err), CN_OK);
    assert_false(done); /* another office's booking is not marked */

    /* 10:15-10:45 hits the 10:00 and 10:30 slots (30 minutes long), not 09:00 nor north */
    int64_t id = 0;
    int hit = 0;
    assert_int_equal(
        store_staff_close(s, "main", D("2027-01-12"), 615, 645, 30, "停電", "bob", &id, &hit, &err),
        CN_OK);
    assert_int_equal(hit, 2);
    memset(&d, 0, sizeof d);
    assert_int_equal(store_staff_day(s, "main", D("2027-01-12"), collect_day, &d, &err), CN_OK);
    assert_int_equal(d.n, 3); /* still active: staff call them first */
    assert_int_equal(d.att[1], ATTEND_ARRIVED);
    assert_true(d.closure[0] == 0 && d.closure[1] == id && d.closure[2] == id);

    /* a take checks the closure inside its transaction: the page may have read before it */
    struct store_booking *bs = NULL;
    assert_int_equal(store_booking_open(where, &bs, &err), CN_OK);
    static const struct {
        int start, slot_min;
        enum take_result want;
    } takes[] = {{630, 30, TAKE_FULL}, {600, 30, TAKE_FULL}, {660, 30, TAKE_OK}};
    for (size_t i = 0; i < sizeof takes / sizeof takes[0]; i++) {
        struct booking b;
        struct id_facts f;
        enum take_result tr;
        assert_int_equal(store_booking_facts(bs, rids[0], &f, &err), CN_OK);
        assert_true(f.has_active);
        const struct booking old = f.active;
        struct take_request q = {.rid = rids[0],
                                 .office = "main",
                                 .by = "bob",
                                 .day = D("2027-01-12"),
                                 .start_min = takes[i].start,
                                 .seats = 5,
                                 .replace_id = old.id,
                                 .slot_min = takes[i].slot_min};
        assert_int_equal(store_booking_take(bs, &q, &b, &tr, &err), CN_OK);
        if (tr != takes[i].want)
            fail_msg("take %zu at %d: %d, want %d", i, takes[i].start, tr, takes[i].want);
    }
    store_booking_close(bs);
    assert_int_equal(
        store_staff_set_seats(s, "main", D("2027-01-10"), D("2027-01-20"), 3, "bob", &err), CN_OK);
    assert_int_equal(
        store_staff_set_seats(s, "main", D("2027-01-12"), D("2027-01-12"), 0, "bob", &err), CN_OK);
    struct slot_changes c;
    assert_int_equal(store_staff_changes(s, "main", D("2027-01-12"), D("2027-01-12"), &c, &err),
                     CN_OK);
    assert_int_equal(c.n_closures, 1);
    assert_int_equal(c.n_seats, 2);
    assert_int_equal(c.seats[0].seats, 0); /* newest first */
    struct booking_rules r = slots_default_rules();
    assert_int_equal(slots_seats(&r, &c, D("2027-01-12"), 540), 0);
    assert_int_equal(store_staff_changes(s, "north", D("2027-01-01"), D("2027-12-31"), &c, &err),
                     CN_OK);
    assert_int_equal(c.n_closures + c.n_seats, 0);
    store_close(s);
}

static void passwords(void **state)
{
    (void)state;
    static const struct {
        const char *pw;
        bool ok;
    } cases[] = {
        {"correct horse", true},
        {"elevenchars", false},
        {"twelve chars", true},
        {"ながいパスワードです十二字", true},
        {"ながいパスワード", false},
        {"tab\there is long", false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if ((secret_password_problem(cases[i].pw) == NULL) != cases[i].ok)
            fail_msg("case %zu: '%s'", i, cases[i].pw);
    char h[SECRET_HASH_MAX];
    struct cn_err err = {0};
    assert_int_equal(secret_hash_password("correct horse", h, &err), CN_OK);
    assert_true(strncmp(h, "$argon2id$", 10) == 0);
    assert_true(secret_check_password(h, "correct horse"));
    assert_false(secret_check_password(h, "correct horsf"));
    assert_false(secret_check_password("not a hash", "correct horse"));
    char t1[SECRET_TOKEN_LEN + 1], t2[SECRET_TOKEN_LEN + 1], d1[SECRET_TOKEN_LEN + 1];
    assert_int_equal(secret_token(t1, &err), CN_OK);
    assert_int_equal(secret_token(t2, &err), CN_OK);
    assert_int_equal(strlen(t1), 64);
    assert_false(secret_equal(t1, t2));
    secret_token_digest(t1, d1);
    assert_false(secret_equal(t1, d1));
    assert_true(secret_equal(t1, t1));
    assert_false(secret_equal(t1, "abc"));
}

/* A resident's write transaction held longer than SQLite's busy wait (5 s: a slow disk, a
 * checkpoint), on a connection of its own as the server's threads have. */
struct holder {
    pthread_barrier_t *held;
    int rc;
};

static void *resident_writing(void *arg)
{
    struct holder *h = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    bool allowed;
    int count;
    int64_t until;
    h->rc = store_booking_open(where, &bs, &err);
    if (h->rc == CN_OK && (h->rc = store_begin(store_booking_db(bs), &err)) == CN_OK)
        h->rc = store_booking_attempt(bs, "rid:QUEUE", 1800000000, 5, 1800, 1800, &allowed, &count,
                                      &until, &err);
    pthread_barrier_wait(h->held);
    if (h->rc == CN_OK) {
        struct timespec hold = {6, 500000000L};
        nanosleep(&hold, NULL);
        h->rc = store_commit(store_booking_db(bs), &err);
    }
    store_booking_close(bs);
    return NULL;
}

/* SQLite: a clerk's write (here an audit row, as every staff action writes) queues behind
 * the residents' writes on the process's writers' queue, however long the one ahead takes,
 * rather than polling SQLite's lock and failing with "database is locked" after 5 s. */
static void clerks_queue_with_residents(void **state)
{
    (void)state;
    pthread_barrier_t held;
    pthread_barrier_init(&held, NULL, 2);
    struct holder h = {.held = &held};
    pthread_t th;
    pthread_create(&th, NULL, resident_writing, &h);
    struct store *s = open_db();
    pthread_barrier_wait(&held);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct cn_err err = {0};
    const int rc = store_staff_audit(s, "carol", "mark", "queued", "10.0.0.7", &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(th, NULL);
    pthread_barrier_destroy(&held);
    if (rc)
        fail_msg("the clerk's write failed: %s", err.msg);
    assert_int_equal(h.rc, CN_OK);
    assert_true(t1.tv_sec - t0.tv_sec >= 5); /* it waited its turn */
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accounts_and_sessions),       cmocka_unit_test(audit_newest_first),
        cmocka_unit_test(day_list_marks_and_closures), cmocka_unit_test(passwords),
        cmocka_unit_test(clerks_queue_with_residents),
    };
    /* PostgreSQL queues writers itself: there is no writers' queue to test there. */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(accounts_and_sessions),
        cmocka_unit_test(audit_newest_first),
        cmocka_unit_test(day_list_marks_and_closures),
        cmocka_unit_test(passwords),
    };
    const char *uri = getenv("CN_TEST_PG");
    if (uri && uri[0])
        return cmocka_run_group_tests(pg_tests, setup, fixture_db_teardown);
    return cmocka_run_group_tests(tests, setup, fixture_db_teardown);
}
