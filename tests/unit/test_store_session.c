/* Tests for store_session: the residents' sessions in the booking store, as several nodes
 * share them: found by token (never stored as such), idle ones not found, a rotation leaves
 * the old token worth nothing, a sweep forgets idle rows. On SQLite by default; with
 * CN_TEST_PG set to a PostgreSQL URI (tests/e2e/pg_store.sh) on PostgreSQL. Two
 * connections stand for two nodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "session.h"
#include "notice.h"
#include "store.h"
#include "store_booking.h"
#include "store_feed.h"
#include "store_lockout.h"
#include "store_session.h"

static const char *where;

static int setup(void **state)
{
    if (fixture_db_setup(state))
        return -1;
    where = getenv("CN_TEST_PG");
    if (!where || !where[0]) {
        where = fixture_db_path;
        struct store *s = NULL; /* a booking store, created and migrated as feed import does */
        struct cn_err err = {0};
        if (store_open_booking(where, 0600, &s, &err))
            return -1;
        store_close(s);
    }
    return 0;
}

static struct store *node(void)
{
    struct store *s = NULL;
    struct cn_err err = {0};
    if (store_open_existing(where, STORE_BOOKING, false, &s, &err))
        fail_msg("%s", err.msg);
    return s;
}

static struct session fresh(const char *token, int64_t now)
{
    struct session s;
    memset(&s, 0, sizeof s);
    snprintf(s.token, sizeof s.token, "%s", token);
    snprintf(s.csrf, sizeof s.csrf, "%032d", 7);
    s.last_seen = now;
    s.day = DATE_NONE;
    s.start_min = -1;
    return s;
}

static void one_node_starts_another_finishes(void **state)
{
    (void)state;
    struct store *a = node(), *b = node();
    struct cn_err err = {0};
    const int64_t t0 = 1800000000;
    const char *token = "0123456789abcdef0123456789abcdef";
    struct session s = fresh(token, t0);
    assert_int_equal(store_session_new(a, &s, &err), CN_OK);
    /* node A: the resident chose a slot */
    snprintf(s.rid, sizeof s.rid, "%s", "ABCDEFGHJKLM");
    s.verified = true;
    s.intent = INTENT_CHANGE;
    snprintf(s.office, sizeof s.office, "%s", "main");
    s.day = date_from_ymd(2027, 1, 12);
    s.start_min = 570;
    s.booking_id = 42;
    assert_int_equal(store_session_put(a, token, &s, &err), CN_OK);
    /* node B reads it all */
    struct session got;
    bool found;
    assert_int_equal(store_session_get(b, token, t0 + 10, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(got.token, token);
    assert_string_equal(got.csrf, s.csrf);
    assert_string_equal(got.rid, "ABCDEFGHJKLM");
    assert_true(got.verified);
    assert_int_equal(got.intent, INTENT_CHANGE);
    assert_string_equal(got.office, "main");
    assert_int_equal(got.day, date_from_ymd(2027, 1, 12));
    assert_int_equal(got.start_min, 570);
    assert_int_equal(got.booking_id, 42);
    /* a token that is not the session's, or malformed, finds nothing */
    assert_int_equal(
        store_session_get(b, "0123456789abcdef0123456789abcdee", t0, 1800, &got, &found, &err),
        CN_OK);
    assert_false(found);
    assert_int_equal(store_session_get(b, "short", t0, 1800, &got, &found, &err), CN_OK);
    assert_false(found);
    store_close(a);
    store_close(b);
}

/* The start page's one statement: the session stored only for an ID in the feed, and the
 * ID's feed row read with it, on SQLite and PostgreSQL alike; a stored one can be dropped. */
static void a_start_stores_only_a_fed_id(void **state)
{
    (void)state;
    struct store *a = node();
    struct cn_err err = {0};
    char fed[RID_LEN + 1], unknown[RID_LEN + 1];
    assert_int_equal(rid_generate(fed, &err), CN_OK);
    assert_int_equal(rid_generate(unknown, &err), CN_OK);
    assert_int_equal(store_feed_stage_begin(a, &err), CN_OK);
    struct feed_row r;
    memset(&r, 0, sizeof r);
    memcpy(r.rid, fed, sizeof r.rid);
    r.window_start = date_from_ymd(2026, 11, 20);
    r.window_end = r.cert_expiry = date_from_ymd(2027, 2, 19);
    r.letter_date = date_from_ymd(2026, 12, 1);
    strcpy(r.district, "01");
    strcpy(r.birth_mmdd, "0401");
    r.booking = NOTICE_BOOK_YES;
    bool dup = true;
    assert_int_equal(store_feed_stage_row(a, &r, &dup, &err), CN_OK);
    assert_int_equal(store_feed_stage_end(a, &err), CN_OK);
    struct feed_batch b = {.municipality = "見本市", .batch = "2026-12-01", .run = 1, .rows = 1};
    b.batch_date = date_from_ymd(2026, 12, 1);
    memset(b.sha256, 'a', 64);
    struct feed_counts c;
    assert_int_equal(store_feed_apply(a, &b, &c, &err), CN_OK);
    store_feed_stage_drop(a);

    const int64_t t0 = 1800000000;
    struct session s = fresh("1111111111111111aaaaaaaaaaaaaaaa", t0);
    snprintf(s.rid, sizeof s.rid, "%s", fed);
    struct id_facts facts;
    bool stored = false, found = false;
    assert_int_equal(store_session_start(a, &s, &facts, &stored, &err), CN_OK);
    assert_true(stored);
    assert_true(facts.read);
    assert_true(facts.in_feed);
    assert_string_equal(facts.rid, fed);
    assert_int_equal(facts.res.cert_expiry, r.cert_expiry);
    assert_false(facts.has_active);
    struct session got;
    assert_int_equal(store_session_get(a, s.token, t0 + 1, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(got.rid, fed);

    struct session u = fresh("2222222222222222bbbbbbbbbbbbbbbb", t0);
    snprintf(u.rid, sizeof u.rid, "%s", unknown);
    assert_int_equal(store_session_start(a, &u, &facts, &stored, &err), CN_OK);
    assert_false(stored);
    assert_true(facts.read);
    assert_false(facts.in_feed);
    assert_int_equal(store_session_get(a, u.token, t0 + 1, 1800, &got, &found, &err), CN_OK);
    assert_false(found);

    assert_int_equal(store_session_drop(a, s.token, &err), CN_OK);
    assert_int_equal(store_session_get(a, s.token, t0 + 2, 1800, &got, &found, &err), CN_OK);
    assert_false(found);
    store_close(a);
}

static void idle_rotated_and_swept(void **state)
{
    (void)state;
    struct store *a = node(), *b = node();
    struct cn_err err = {0};
    const int64_t t0 = 1800100000;
    const char *token = "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbb";
    struct session s = fresh(token, t0), got;
    bool found;
    assert_int_equal(store_session_new(a, &s, &err), CN_OK);
    /* seen within the idle time: found, and touched, so it lives on from there */
    assert_int_equal(store_session_get(b, token, t0 + 1700, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(got.last_seen, t0 + 1700);
    assert_int_equal(store_session_get(a, token, t0 + 3400, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    const struct session live = got;
    /* idle longer than that: gone */
    assert_int_equal(store_session_get(a, token, t0 + 3400 + 1801, 1800, &got, &found, &err),
                     CN_OK);
    assert_false(found);
    /* a rotation: the new token finds it on the other node, the old one nothing */
    const char *rotated = "ccccccccccccccccdddddddddddddddd";
    struct session r = live;
    snprintf(r.token, sizeof r.token, "%s", rotated);
    assert_int_equal(store_session_put(a, token, &r, &err), CN_OK);
    assert_int_equal(store_session_get(b, rotated, t0 + 3410, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(store_session_get(b, token, t0 + 3410, 1800, &got, &found, &err), CN_OK);
    assert_false(found);
    /* a sweep forgets what was last seen before its time */
    assert_int_equal(store_session_sweep(a, t0 + 3411, &err), CN_OK);
    assert_int_equal(store_session_get(b, rotated, t0 + 3412, 1800, &got, &found, &err), CN_OK);
    assert_false(found);
    store_close(a);
    store_close(b);
}

/* The jar the web pages use, stored: what one jar (node) makes, another finds. */
static void stored_jars_share_sessions(void **state)
{
    (void)state;
    struct session_jar *a = NULL, *b = NULL;
    struct cn_err err = {0};
    assert_int_equal(session_jar_stored(where, 1800, &a, &err), CN_OK);
    assert_int_equal(session_jar_stored(where, 1800, &b, &err), CN_OK);
    const int64_t t0 = 1800200000;
    struct session s, got;
    assert_int_equal(session_new(a, t0, &s, &err), CN_OK);
    /* stored by its first put (one INSERT with what the page learnt), not before */
    assert_true(s.unstored);
    assert_false(session_get(b, s.token, t0 + 1, &got));
    snprintf(s.rid, sizeof s.rid, "%s", "ABCDEFGHJKLM");
    session_put(a, &s);
    assert_false(s.unstored);
    assert_true(session_get(b, s.token, t0 + 5, &got));
    assert_string_equal(got.rid, "ABCDEFGHJKLM");
    /* the second put is an update of the same row */
    s.verified = true;
    session_put(a, &s);
    assert_true(session_get(b, s.token, t0 + 5, &got));
    assert_true(got.verified);
    got.verified = false;
    assert_true(session_csrf_ok(&got, s.csrf));
    char old[SESSION_TOKEN_LEN + 1];
    memcpy(old, got.token, sizeof old);
    assert_int_equal(session_rotate(b, &got, &err), CN_OK);
    assert_string_not_equal(got.token, old);
    assert_false(session_get(a, old, t0 + 6, &s));
    assert_true(session_get(a, got.token, t0 + 6, &s));
    assert_string_equal(s.rid, "ABCDEFGHJKLM");
    session_jar_free(a);
    session_jar_free(b);
}

/* A page's connection, with the session *s (token, for rid) stored and that ID locked by the
 * 5th wrong answer from client: id and ip the two keys' tries, id->until the lock's end. */
static struct store_booking *locked_id(const char *token, const char *rid, const char *client,
                                       int64_t t0, struct session *s, struct lockout_try *id,
                                       struct lockout_try *ip)
{
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_booking_open(where, &bs, &err), CN_OK);
    *s = fresh(token, t0);
    snprintf(s->rid, sizeof s->rid, "%s", rid);
    assert_int_equal(store_session_new(store_booking_db(bs), s, &err), CN_OK);
    *id = (struct lockout_try){.max = 5, .window = 1800, .lock = 1800};
    *ip = (struct lockout_try){.max = 20, .window = 86400, .lock = 1800};
    snprintf(id->key, sizeof id->key, "rid:%s", rid);
    snprintf(ip->key, sizeof ip->key, "%s", client);
    for (int i = 1; i <= 5; i++)
        assert_int_equal(store_booking_attempts(bs, id, ip, t0 + i, &err), CN_OK);
    assert_true(id->until > t0);
    assert_int_equal(ip->until, 0);
    return bs;
}

/* The birthday's two writes in one (store_session_pass): the session moves to its new token
 * only while neither key is locked, and then the ID's failures are forgotten; a locked key
 * leaves the session where it was, under the old token. */
static void a_right_birthday_moves_the_session_once(void **state)
{
    (void)state;
    const int64_t t0 = 1800000000;
    struct session s;
    struct lockout_try id, ip;
    struct store_booking *bs = locked_id("3333333333333333cccccccccccccccc", "PASSPASSPASS",
                                         "ip:198.51.100.7", t0, &s, &id, &ip);
    struct store *b = node();
    struct cn_err err = {0};
    struct session moved = s;
    snprintf(moved.token, sizeof moved.token, "%s", "4444444444444444dddddddddddddddd");
    moved.verified = true;
    int64_t id_until = -1, ip_until = -1;
    assert_int_equal(
        store_session_pass(bs, s.token, &moved, id.key, ip.key, t0 + 6, &id_until, &ip_until, &err),
        CN_OK);
    assert_int_equal(id_until, id.until);
    assert_int_equal(ip_until, 0);
    struct session got;
    bool found;
    assert_int_equal(store_session_get(b, moved.token, t0 + 7, 1800, &got, &found, &err), CN_OK);
    assert_false(found); /* locked: not moved */
    assert_int_equal(store_session_get(b, s.token, t0 + 7, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_false(got.verified);
    /* the lock over: the session moves, the old token finds nothing, the ID counts afresh */
    const int64_t later = id.until + 1;
    moved.last_seen = later; /* as the page's read touched it */
    assert_int_equal(
        store_session_pass(bs, s.token, &moved, id.key, ip.key, later, &id_until, &ip_until, &err),
        CN_OK);
    assert_int_equal(id_until, 0);
    assert_int_equal(ip_until, 0);
    assert_int_equal(store_session_get(b, moved.token, later, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_true(got.verified);
    assert_string_equal(got.rid, "PASSPASSPASS");
    assert_int_equal(store_session_get(b, s.token, later, 1800, &got, &found, &err), CN_OK);
    assert_false(found);
    assert_int_equal(store_booking_attempts(bs, &id, &ip, later + 1, &err), CN_OK);
    assert_int_equal(id.count, 1);
    store_booking_close(bs);
    store_close(b);
}

/* The birthday page's read (store_session_read with locks): the ends of the locks of the
 * session's ID and of the client, 0 for a key not locked; nothing read without a session. */
static void a_read_brings_the_locks(void **state)
{
    (void)state;
    const int64_t t0 = 1800000000;
    struct session s;
    struct lockout_try id, ip;
    struct store_booking *bs = locked_id("5555555555555555eeeeeeeeeeeeeeee", "LOCKLOCKLOCK",
                                         "ip:192.0.2.44", t0, &s, &id, &ip);
    struct store *a = store_booking_db(bs);
    struct cn_err err = {0};
    struct session got;
    struct id_facts facts;
    bool found;
    struct session_locks locks = {.id_prefix = "rid:", .client = ip.key};
    assert_int_equal(
        store_session_read(a, s.token, t0 + 10, 1800, &got, &facts, &locks, &found, &err), CN_OK);
    assert_true(found);
    assert_true(locks.read);
    assert_int_equal(locks.id_until, id.until);
    assert_int_equal(locks.client_until, 0);
    /* another client, and the ID's lock over */
    locks = (struct session_locks){.id_prefix = "rid:", .client = "ip:192.0.2.45"};
    assert_int_equal(
        store_session_read(a, s.token, id.until + 1, 86400, &got, &facts, &locks, &found, &err),
        CN_OK);
    assert_true(locks.read);
    assert_int_equal(locks.id_until, 0);
    assert_int_equal(locks.client_until, 0);
    assert_int_equal(store_session_read(a, "6666666666666666ffffffffffffffff", t0 + 10, 1800, &got,
                                        &facts, &locks, &found, &err),
                     CN_OK);
    assert_false(found);
    assert_false(locks.read);
    store_booking_close(bs);
}

/* A take names the resident's stored session (take_request.session): the session's row takes
 * the booking's number and intent booking in the take's own transaction; a take that finds
 * the slot full leaves it as it was. */
static void a_take_records_the_booking_in_the_session(void **state)
{
    (void)state;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_booking_open(where, &bs, &err), CN_OK);
    struct store *a = store_booking_db(bs), *b = node();
    const int64_t t0 = 1800000000;
    struct session s = fresh("7777777777777777aaaaaaaaaaaaaaaa", t0);
    char rid[RID_LEN + 1], other[RID_LEN + 1];
    assert_int_equal(rid_generate(rid, &err), CN_OK);
    assert_int_equal(rid_generate(other, &err), CN_OK);
    snprintf(s.rid, sizeof s.rid, "%s", rid);
    s.verified = true;
    s.intent = INTENT_CHANGE;
    assert_int_equal(store_session_new(a, &s, &err), CN_OK);
    struct take_request req = {.rid = rid,
                               .office = "main",
                               .by = "web",
                               .day = date_from_ymd(2027, 1, 12),
                               .start_min = 570,
                               .seats = 1,
                               .slot_min = 30,
                               .session = s.token};
    struct booking made;
    enum take_result tr;
    assert_int_equal(store_booking_take(bs, &req, &made, &tr, &err), CN_OK);
    assert_int_equal(tr, TAKE_OK);
    struct session got;
    bool found;
    assert_int_equal(store_session_get(b, s.token, t0 + 1, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(got.booking_id, made.id);
    assert_int_equal(got.intent, INTENT_BOOK);
    /* the slot's one seat is gone: another ID's take there changes its session in nothing */
    struct session t = fresh("8888888888888888bbbbbbbbbbbbbbbb", t0);
    snprintf(t.rid, sizeof t.rid, "%s", other);
    t.intent = INTENT_CHANGE;
    assert_int_equal(store_session_new(a, &t, &err), CN_OK);
    req.rid = other;
    req.session = t.token;
    assert_int_equal(store_booking_take(bs, &req, &made, &tr, &err), CN_OK);
    assert_int_equal(tr, TAKE_FULL);
    assert_int_equal(store_session_get(b, t.token, t0 + 1, 1800, &got, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(got.booking_id, 0);
    assert_int_equal(got.intent, INTENT_CHANGE);
    store_booking_close(bs);
    store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_node_starts_another_finishes),
        cmocka_unit_test(a_start_stores_only_a_fed_id),
        cmocka_unit_test(idle_rotated_and_swept),
        cmocka_unit_test(stored_jars_share_sessions),
        cmocka_unit_test(a_right_birthday_moves_the_session_once),
        cmocka_unit_test(a_read_brings_the_locks),
        cmocka_unit_test(a_take_records_the_booking_in_the_session),
    };
    return cmocka_run_group_tests(tests, setup, fixture_db_teardown);
}
