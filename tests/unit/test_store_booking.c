/* Tests for store_booking and store_feed: an ID read from the fed snapshot (withdrawn when
 * it left it), the night's database refused, seats counted per slot,
 * one active booking per ID, a change in one transaction, cancel, the counter's list,
 * lockouts, and threads racing for the last seat (exactly one gets it).
 * With CN_TEST_PG set to a PostgreSQL URI (an empty database: tests/e2e/pg_store.sh starts
 * one) the booking rules run there instead, and a crowd of connections races for the last
 * seats round after round; the feed's reads run on SQLite only. Booking numbers are random,
 * 9 digits, and a number drawn twice is drawn again: this file's own getrandom (below) can
 * repeat a draw on purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "seat_tally.h"
#include "store_booking.h"
#include "fixture_db.h"
#include "store.h"
#include "store_closure.h"
#include "store_feed.h"
#include "store_query.h"
#include "store_session.h"
#include "secret.h"

#define N_RESIDENTS 8

/* getrandom(2) as libsodium (and rid_generate) call it, interposed by this executable: while
 * `repeats` is above 0, each call returns the same bytes, so a booking number is drawn that
 * was drawn before; otherwise the kernel's. Set only while no other thread draws. */
static int repeats;

ssize_t getrandom(void *buf, size_t n, unsigned int flags)
{
    if (repeats > 0) {
        repeats--;
        memset(buf, 0xA5, n);
        return (ssize_t)n;
    }
    return syscall(SYS_getrandom, buf, n, flags);
}

static char rids[N_RESIDENTS][RID_LEN + 1];
/* Where the store is: the fixture's SQLite file, or CN_TEST_PG's URI. */
static const char *where;

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* Loads a snapshot of n IDs (rids[first..first+n-1]) as feed import does; the last
 * resident's birthday is 0408, the others 04(01+i). */
static void feed(int first, int n, int64_t run, struct feed_counts *counts)
{
    struct store *s = NULL;
    struct cn_err err = {0};
    if (store_open_booking(fixture_db_path, 0600, &s, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(store_feed_stage_begin(s, &err), CN_OK);
    for (int i = first; i < first + n; i++) {
        struct feed_row r;
        memset(&r, 0, sizeof r);
        memcpy(r.rid, rids[i], sizeof r.rid);
        r.window_start = D("2026-11-20");
        r.window_end = r.cert_expiry = D("2027-02-19");
        r.letter_date = D("2026-12-01");
        strcpy(r.district, i == 6 ? "03" : "01");
        snprintf(r.birth_mmdd, sizeof r.birth_mmdd, "04%02d", (1 + i) % 100);
        r.booking = i == 6 ? NOTICE_BOOK_WALK_IN : NOTICE_BOOK_YES;
        bool dup = true;
        assert_int_equal(store_feed_stage_row(s, &r, &dup, &err), CN_OK);
        assert_false(dup);
    }
    assert_int_equal(store_feed_stage_end(s, &err), CN_OK);
    struct feed_batch b = {.municipality = "見本市", .batch = "2026-12-01", .run = run, .rows = n};
    b.batch_date = D("2026-12-01");
    memset(b.sha256, 'a', 64);
    struct feed_counts c;
    assert_int_equal(store_feed_apply(s, &b, counts ? counts : &c, &err), CN_OK);
    store_feed_stage_drop(s);
    store_close(s);
}

/* A booking store as feed import leaves it: every ID but the last in the snapshot (the
 * last one left it: withdrawn); the seventh a walk-in letter. */
static int setup(void **state)
{
    if (fixture_db_setup(state))
        return -1;
    where = getenv("CN_TEST_PG");
    if (where && where[0]) {
        for (int i = 0; i < N_RESIDENTS; i++)
            snprintf(rids[i], sizeof rids[i], "PGTEST%06u", (unsigned)i % 1000u);
        return 0;
    }
    where = fixture_db_path;
    struct cn_err err = {0};
    for (int i = 0; i < N_RESIDENTS; i++)
        if (rid_generate(rids[i], &err))
            return -1;
    feed(0, N_RESIDENTS, 1, NULL);
    struct feed_counts c;
    feed(0, N_RESIDENTS - 1, 2, &c);
    assert_int_equal(c.withdrawn, 1);
    assert_int_equal(c.upserted, 0); /* the same rows again change nothing */
    return 0;
}

static struct store_booking *open_bs(void)
{
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    if (store_booking_open(where, &bs, &err))
        fail_msg("%s", err.msg);
    return bs;
}

/* The ID's feed row and its active booking, each as the pages get it (store_booking_facts). */
static int resident_of(struct store_booking *bs, const char *rid, struct booking_resident *out,
                       bool *found, struct cn_err *err)
{
    struct id_facts f;
    int rc = store_booking_facts(bs, rid, &f, err);
    *out = f.res;
    *found = !rc && f.in_feed;
    return rc;
}

static int active_of(struct store_booking *bs, const char *rid, struct booking *out, bool *found,
                     struct cn_err *err)
{
    struct id_facts f;
    int rc = store_booking_facts(bs, rid, &f, err);
    *out = f.active;
    *found = !rc && f.has_active;
    return rc;
}

static void refuses_a_missing_database(void **state)
{
    (void)state;
    char p[320];
    snprintf(p, sizeof p, "%s/none.db", fixture_dir);
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    assert_int_not_equal(store_booking_open(p, &bs, &err), CN_OK);
    assert_null(bs);
    assert_non_null(strstr(err.msg, "no database"));
    assert_int_equal(access(p, F_OK), -1); /* and did not create it */
}

static void reads_the_notice(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct booking_resident r;
    bool found = false;
    struct cn_err err = {0};
    assert_int_equal(resident_of(bs, rids[2], &r, &found, &err), CN_OK);
    assert_true(found);
    assert_string_equal(r.rid, rids[2]);
    assert_int_equal(r.cert_expiry, D("2027-02-19"));
    assert_int_equal(r.letter_date, D("2026-12-01"));
    assert_string_equal(r.district, "01");
    assert_int_equal(r.birth_month, 4);
    assert_int_equal(r.birth_day, 3);
    assert_true(r.active);
    assert_int_equal(r.booking, NOTICE_BOOK_YES);
    assert_int_equal(resident_of(bs, rids[N_RESIDENTS - 1], &r, &found, &err), CN_OK);
    assert_false(r.active);
    assert_int_equal(resident_of(bs, "ZZZZZZZZZZZZ", &r, &found, &err), CN_OK);
    assert_false(found);
    store_booking_close(bs);
}

/* The feed carries the letter's policy: a walk-in letter opens the pages to say where to
 * go; an ID never fed is unknown. */
static void reads_whether_the_id_books(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct booking_resident r;
    bool found = false;
    struct cn_err err = {0};
    assert_int_equal(resident_of(bs, rids[6], &r, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(r.booking, NOTICE_BOOK_WALK_IN);
    assert_string_equal(r.district, "03");
    store_booking_close(bs);
}

/* The night's database is not a booking store: refused, naming feed import. */
static void refuses_the_nights_database(void **state)
{
    (void)state;
    char p[320];
    snprintf(p, sizeof p, "%s/night.db", fixture_dir);
    struct store *night = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_open(p, 0600, &night, &err), CN_OK);
    store_close(night);
    struct store_booking *bs = NULL;
    assert_int_equal(store_booking_open(p, &bs, &err), CN_EUSAGE);
    assert_null(bs);
    assert_non_null(strstr(err.msg, "feed"));
    assert_non_null(strstr(err.msg, "import"));
    /* and the other way round */
    assert_int_not_equal(store_open(fixture_db_path, 0600, &night, &err), CN_OK);
    assert_null(night);
}

static void count_taken(cn_date day, int start, int taken, void *ctx)
{
    (void)day;
    (void)start;
    *(int *)ctx += taken;
}

/* The kept counts (slot_taken, through the tally the pages read) against the active
 * bookings themselves, slot by slot, at office over first..last. */
struct slot_count {
    cn_date day;
    int start, n;
};
struct slot_counts {
    const char *office;
    int n;
    struct slot_count c[256];
};

static int count_booking(const struct booking *b, void *ctx)
{
    struct slot_counts *sc = ctx;
    if (strcmp(b->office, sc->office) != 0)
        return 0;
    for (int i = 0; i < sc->n; i++)
        if (sc->c[i].day == b->day && sc->c[i].start == b->start_min) {
            sc->c[i].n++;
            return 0;
        }
    assert_true(sc->n < 256);
    sc->c[sc->n++] = (struct slot_count){b->day, b->start_min, 1};
    return 0;
}

static void tally_entry(cn_date day, int start, int taken, void *ctx)
{
    struct slot_counts *sc = ctx;
    assert_true(sc->n < 256);
    sc->c[sc->n++] = (struct slot_count){day, start, taken};
}

static void counts_agree(struct store_booking *bs, const char *office, cn_date first, cn_date last)
{
    struct slot_counts want = {.office = office}, got = {.office = office};
    struct cn_err err = {0};
    assert_int_equal(store_booking_each(bs, office, DATE_NONE, count_booking, &want, &err), CN_OK);
    struct slot_changes ch;
    assert_int_equal(
        store_staff_tally(store_booking_db(bs), office, first, last, tally_entry, &got, &ch, &err),
        CN_OK);
    int in_range = 0;
    for (int i = 0; i < want.n; i++) {
        if (want.c[i].day < first || want.c[i].day > last)
            continue;
        in_range++;
        bool found = false;
        for (int k = 0; k < got.n && !found; k++)
            found = got.c[k].day == want.c[i].day && got.c[k].start == want.c[i].start &&
                    got.c[k].n == want.c[i].n;
        if (!found)
            fail_msg("%s day %d %d: %d active bookings, the kept count differs", office,
                     (int)want.c[i].day, want.c[i].start, want.c[i].n);
    }
    assert_int_equal(got.n, in_range); /* no count for a slot with no booking */
}

static enum take_result take(struct store_booking *bs, const char *rid, const char *day, int start,
                             int seats, int64_t replace, struct booking *b)
{
    struct take_request req = {.rid = rid,
                               .office = "main",
                               .by = "web",
                               .day = D(day),
                               .start_min = start,
                               .seats = seats,
                               .slot_min = 30,
                               .replace_id = replace};
    enum take_result res;
    struct cn_err err = {0};
    if (store_booking_take(bs, &req, b, &res, &err))
        fail_msg("%s", err.msg);
    return res;
}

static void seats_and_one_booking_per_id(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct booking b0, b1, b2, b;
    struct cn_err err = {0};
    assert_int_equal(take(bs, rids[0], "2027-01-11", 9 * 60, 2, 0, &b0), TAKE_OK);
    assert_int_equal(take(bs, rids[1], "2027-01-11", 9 * 60, 2, 0, &b1), TAKE_OK);
    /* two seats: the third resident is told the slot is full */
    assert_int_equal(take(bs, rids[2], "2027-01-11", 9 * 60, 2, 0, &b2), TAKE_FULL);
    /* one active booking per ID */
    assert_int_equal(take(bs, rids[0], "2027-01-12", 9 * 60, 2, 0, &b), TAKE_HAS_BOOKING);
    int taken = 0;
    struct slot_changes ch, alone;
    assert_int_equal(store_staff_tally(store_booking_db(bs), "main", D("2027-01-11"),
                                       D("2027-01-11"), count_taken, &taken, &ch, &err),
                     CN_OK);
    assert_int_equal(taken, 2);
    /* the same statement reads the counter's closures and seat changes, as the two reads of
     * store_staff_changes do, seat changes newest first */
    struct store *db = store_booking_db(bs);
    int64_t closure;
    int hit;
    assert_int_equal(store_staff_close(db, "main", D("2027-01-11"), 13 * 60, 14 * 60, 30, "x",
                                       "staff", &closure, &hit, &err),
                     CN_OK);
    assert_int_equal(
        store_staff_set_seats(db, "main", D("2027-01-10"), D("2027-01-12"), 4, "staff", &err),
        CN_OK);
    assert_int_equal(
        store_staff_set_seats(db, "main", D("2027-01-11"), D("2027-01-11"), 1, "staff", &err),
        CN_OK);
    taken = 0;
    memset(&ch, 0, sizeof ch);
    memset(&alone, 0, sizeof alone);
    assert_int_equal(store_staff_tally(db, "main", D("2027-01-11"), D("2027-01-11"), count_taken,
                                       &taken, &ch, &err),
                     CN_OK);
    assert_int_equal(
        store_staff_changes(db, "main", D("2027-01-11"), D("2027-01-11"), &alone, &err), CN_OK);
    assert_int_equal(taken, 2);
    assert_int_equal(ch.n_closures, 1);
    assert_int_equal(ch.closure[0].from_min, 13 * 60);
    assert_int_equal(ch.closure[0].to_min, 14 * 60);
    assert_int_equal(ch.closure[0].day, D("2027-01-11"));
    assert_int_equal(ch.n_seats, 2);
    assert_int_equal(ch.seats[0].seats, 1);
    assert_int_equal(ch.seats[1].seats, 4);
    assert_int_equal(ch.seats[1].first, D("2027-01-10"));
    assert_int_equal(ch.seats[1].last, D("2027-01-12"));
    assert_memory_equal(&ch, &alone, sizeof ch);

    /* a change frees the old seat and takes the new one together */
    assert_int_equal(take(bs, rids[0], "2027-01-12", 10 * 60, 2, b0.id, &b), TAKE_OK);
    bool found;
    struct booking active;
    assert_int_equal(active_of(bs, rids[0], &active, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(active.id, b.id);
    assert_int_equal(active.day, D("2027-01-12"));
    assert_int_equal(active.start_min, 600);
    counts_agree(bs, "main", D("2027-01-01"), D("2027-01-31"));

    /* The take counts against the newest seat change for the day, not the caller's seats
     * (the config's): 0 on 2027-01-13 takes nobody; on 2027-01-11 the 1 (newer than the 4
     * of 01-10..01-12) is full at 9:00, which rids[1] holds, and free at 10:00. */
    assert_int_equal(
        store_staff_set_seats(db, "main", D("2027-01-13"), D("2027-01-13"), 0, "staff", &err),
        CN_OK);
    assert_int_equal(take(bs, rids[2], "2027-01-13", 9 * 60, 2, 0, &b2), TAKE_FULL);
    assert_int_equal(take(bs, rids[2], "2027-01-11", 9 * 60, 2, 0, &b2), TAKE_FULL);
    assert_int_equal(take(bs, rids[2], "2027-01-11", 10 * 60, 2, 0, &b2), TAKE_OK);
    /* ... and a closure made by staff: 13:00-14:00 of 2027-01-11 */
    assert_int_equal(take(bs, rids[3], "2027-01-11", 13 * 60, 2, 0, &b), TAKE_FULL);
    counts_agree(bs, "main", D("2027-01-01"), D("2027-01-31"));

    /* a change to a full slot keeps the old booking */
    assert_int_equal(take(bs, rids[1], "2027-01-11", 10 * 60, 2, b1.id, &b), TAKE_FULL);
    assert_int_equal(active_of(bs, rids[1], &active, &found, &err), CN_OK);
    assert_true(found);
    assert_int_equal(active.id, b1.id);

    /* cancel: only the ID's own, only once */
    bool done;
    assert_int_equal(store_booking_cancel(bs, rids[2], b1.id, &done, &err), CN_OK);
    assert_false(done);
    assert_int_equal(store_booking_cancel(bs, rids[1], b1.id, &done, &err), CN_OK);
    assert_true(done);
    assert_int_equal(store_booking_cancel(bs, rids[1], b1.id, &done, &err), CN_OK);
    assert_false(done);
    assert_int_equal(active_of(bs, rids[1], &active, &found, &err), CN_OK);
    assert_false(found);
    counts_agree(bs, "main", D("2027-01-01"), D("2027-01-31"));
    char ref[BOOKING_REF_LEN];
    booking_ref(42, ref); /* a store's sequential id from before version 2 */
    assert_string_equal(ref, "Y000000042");
    booking_ref(b2.id, ref);
    assert_int_equal(strlen(ref), 10);
    store_booking_close(bs);
}

/* Booking numbers tell nobody how many bookings came before: 9 digits, drawn at random, so
 * sixty bookings in a row neither count up nor follow each other. */
static void numbers_are_random(void **state)
{
    (void)state;
    enum { N = 60 };
    struct store_booking *bs = open_bs();
    int64_t ids[N];
    int ups = 0, next = 0;
    for (int i = 0; i < N; i++) {
        char rid[RID_LEN + 1];
        snprintf(rid, sizeof rid, "NB%010d", i);
        struct booking b;
        assert_int_equal(take(bs, rid, "2027-04-05", 9 * 60 + 30 * (i % 8), N, 0, &b), TAKE_OK);
        ids[i] = b.id;
        assert_in_range(b.id, BOOKING_NUMBER_MIN, BOOKING_NUMBER_MAX);
        char ref[BOOKING_REF_LEN];
        booking_ref(b.id, ref);
        assert_int_equal(strlen(ref), 10);
        assert_int_equal(ref[0], 'Y');
        assert_int_equal(strspn(ref + 1, "0123456789"), 9);
        if (i) {
            ups += ids[i] > ids[i - 1];
            next += ids[i] == ids[i - 1] + 1;
            for (int j = 0; j < i; j++)
                assert_int_not_equal(ids[i], ids[j]);
        }
    }
    /* about half go up; all 59 would be one chance in 59! */
    assert_in_range(ups, 5, N - 6);
    assert_int_equal(next, 0);
    store_booking_close(bs);
}

/* A number drawn again (the draw repeats on purpose) is not given twice: the take draws
 * anew. Nor after retention deleted its booking: the inside keeps bookings by number. A
 * take whose draws all repeat fails and leaves nothing. */
static void a_number_is_never_given_twice(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    assert_int_equal(secret_init(&err), CN_OK); /* libsodium's own first read is done */
    struct booking a, b, c;
    repeats = 1;
    assert_int_equal(take(bs, "NBREPEAT0001", "2000-01-03", 9 * 60, 9, 0, &a), TAKE_OK);
    repeats = 1;
    assert_int_equal(take(bs, "NBREPEAT0002", "2027-04-06", 9 * 60, 9, 0, &b), TAKE_OK);
    assert_int_equal(repeats, 0);
    assert_int_not_equal(b.id, a.id);
    assert_in_range(b.id, BOOKING_NUMBER_MIN, BOOKING_NUMBER_MAX);
    /* a's day is long past: retention deletes it, its number stays given */
    long deleted = 0;
    assert_int_equal(store_booking_purge(store_booking_db(bs), D("2000-02-01"), &deleted, &err),
                     CN_OK);
    assert_true(deleted >= 1);
    repeats = 1;
    assert_int_equal(take(bs, "NBREPEAT0003", "2027-04-06", 9 * 60, 9, 0, &c), TAKE_OK);
    assert_int_not_equal(c.id, a.id);
    assert_int_not_equal(c.id, b.id);
    /* every draw repeats: an error, no booking, and the next take works */
    repeats = 1000;
    struct take_request req = {.rid = "NBREPEAT0004",
                               .office = "main",
                               .by = "web",
                               .day = D("2027-04-06"),
                               .start_min = 9 * 60,
                               .seats = 9};
    enum take_result res;
    assert_int_not_equal(store_booking_take(bs, &req, &c, &res, &err), CN_OK);
    assert_non_null(strstr(err.msg, "booking numbers"));
    repeats = 0;
    bool found = true;
    assert_int_equal(active_of(bs, "NBREPEAT0004", &c, &found, &err), CN_OK);
    assert_false(found);
    assert_int_equal(take(bs, "NBREPEAT0004", "2027-04-06", 9 * 60, 9, 0, &c), TAKE_OK);
    store_booking_close(bs);
}

static int collect(const struct booking *b, void *ctx)
{
    char *out = ctx;
    size_t len = strlen(out);
    char iso[11];
    date_format_iso(b->day, iso);
    snprintf(out + len, 512 - len, "%s %d %s;", iso, b->start_min, b->rid);
    return 0;
}

static void counter_list(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    char all[512] = "", day[512] = "", other[512] = "";
    assert_int_equal(store_booking_each(bs, NULL, DATE_NONE, collect, all, &err), CN_OK);
    assert_int_equal(store_booking_each(bs, "main", D("2027-01-12"), collect, day, &err), CN_OK);
    assert_int_equal(store_booking_each(bs, "north", DATE_NONE, collect, other, &err), CN_OK);
    char want[512];
    snprintf(want, sizeof want, "2027-01-11 600 %s;2027-01-12 600 %s;", rids[2], rids[0]);
    assert_string_equal(all, want);
    snprintf(want, sizeof want, "2027-01-12 600 %s;", rids[0]);
    assert_string_equal(day, want);
    assert_string_equal(other, "");
    store_booking_close(bs);
}

/* store_booking_pass: a right answer taken without an attempt counted admits what an attempt
 * then a settle would: after 4 failures it is taken and the count starts again; after the
 * 5th (the ID locked) or with the client locked it is refused, with the lock's end, and
 * nothing is forgotten. No row is written for a key that never failed. */
static void right_answers_pass(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    const int64_t t0 = 1820000000;
    struct lockout_try id = {.key = "rid:PASS", .max = 5, .window = 1800, .lock = 1800};
    struct lockout_try ip = {.key = "ip:203.0.113.9", .max = 20, .window = 86400, .lock = 1800};
    int64_t id_until = -1, ip_until = -1;
    assert_int_equal(store_booking_pass(bs, id.key, ip.key, t0, &id_until, &ip_until, &err), CN_OK);
    assert_int_equal(id_until, 0);
    assert_int_equal(ip_until, 0);
    static const struct store_sql sql_rows = {"SELECT count(*) FROM lockouts WHERE key IN (?1, ?2)",
                                              NULL};
    struct store_query *q = store_query(store_booking_db(bs), &sql_rows, &err);
    store_q_text(q, 1, id.key);
    store_q_text(q, 2, ip.key);
    int64_t rows = -1;
    bool found;
    assert_int_equal(store_q_row(q, "counting", store_q_int64, &rows, &found, &err), CN_OK);
    assert_int_equal(rows, 0);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + i, &err), CN_OK);
    assert_int_equal(store_booking_pass(bs, id.key, ip.key, t0 + 5, &id_until, &ip_until, &err),
                     CN_OK);
    assert_int_equal(id_until, 0);
    assert_int_equal(ip_until, 0);
    assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 6, &err), CN_OK);
    assert_int_equal(id.count, 1); /* forgotten: counts afresh */
    assert_int_equal(ip.count, 5); /* the client's count untouched */
    for (int i = 2; i <= 5; i++)
        assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 6 + i, &err), CN_OK);
    assert_int_equal(id.count, 5);
    assert_int_equal(store_booking_pass(bs, id.key, ip.key, t0 + 12, &id_until, &ip_until, &err),
                     CN_OK);
    assert_int_equal(id_until, id.until); /* the 5th's lock refuses the right answer */
    assert_int_equal(ip_until, 0);
    /* the client locked (20 failures over other IDs): a right answer on a fresh ID refused */
    struct lockout_try other = {.key = "rid:PASS2", .max = 5, .window = 1800, .lock = 1800};
    for (int i = 0; i < 12; i++) /* the client's 10th to 21st: the 20th locks it */
        assert_int_equal(store_booking_attempts(bs, &other, &ip, t0 + 20 + i, &err), CN_OK);
    assert_false(ip.allowed);
    assert_int_equal(
        store_booking_pass(bs, "rid:PASS3", ip.key, t0 + 40, &id_until, &ip_until, &err), CN_OK);
    assert_int_equal(id_until, 0);
    assert_true(ip_until > t0 + 40);
    store_booking_close(bs);
}

/* store_booking_attempt with the ID's limits: 5 attempts in 30 minutes, then 30 locked. */
static int attempt(struct store_booking *bs, const char *key, int64_t now, bool *allowed,
                   int *count, int64_t *until)
{
    struct cn_err err = {0};
    return store_booking_attempt(bs, key, now, 5, 1800, 1800, allowed, count, until, &err);
}

/* Rows in the SQLite fixture's lockouts table (-1 on PostgreSQL, shared with other tests). */
static int64_t lockouts_rows(struct store_booking *bs)
{
    if (where != fixture_db_path)
        return -1;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fixture_db_path, &db), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM lockouts", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    (void)bs;
    return n;
}

/* An ID's facts in one read, by the start page (store_booking_facts) and with a stored
 * session (store_session_read): the feed row when there is one, the active booking when
 * there is one, and which ID they were read for. */
static void reads_the_id_facts(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    static const char booked[] = "FACTS0000001"; /* an ID no other test books, not in the feed */
    struct booking b;
    assert_int_equal(take(bs, booked, "2027-02-10", 10 * 60, 3, 0, &b), TAKE_OK);
    struct id_facts f;
    assert_int_equal(store_booking_facts(bs, booked, &f, &err), CN_OK);
    assert_true(f.read);
    assert_string_equal(f.rid, booked);
    assert_false(f.in_feed);
    assert_true(f.has_active);
    assert_int_equal(f.active.id, b.id);
    assert_string_equal(f.active.rid, booked);
    assert_int_equal(f.active.day, D("2027-02-10"));
    assert_int_equal(f.active.start_min, 10 * 60);
    assert_int_equal(f.active.status, BOOKING_ACTIVE);
    /* in the feed, no booking (the withdrawn one: nothing books it); the SQLite fixture's
     * feed only, PostgreSQL's database starts empty */
    if (where == fixture_db_path) {
        assert_int_equal(store_booking_facts(bs, rids[N_RESIDENTS - 1], &f, &err), CN_OK);
        assert_true(f.in_feed);
        assert_false(f.res.active);
        assert_string_equal(f.res.rid, rids[N_RESIDENTS - 1]);
        assert_false(f.has_active);
    }
    /* neither */
    assert_int_equal(store_booking_facts(bs, "ZZZZZZZZZZZZ", &f, &err), CN_OK);
    assert_true(f.read);
    assert_false(f.in_feed);
    assert_false(f.has_active);
    /* with a stored session: the same facts, read with it */
    struct session s;
    memset(&s, 0, sizeof s);
    snprintf(s.token, sizeof s.token, "%s", "fac75fac75fac75fac75fac75fac75fa");
    snprintf(s.csrf, sizeof s.csrf, "%s", "c5rfc5rfc5rfc5rfc5rfc5rfc5rfc5rf");
    snprintf(s.rid, sizeof s.rid, "%s", booked);
    s.last_seen = 1800000000;
    s.day = DATE_NONE;
    s.start_min = -1;
    assert_int_equal(store_session_new(store_booking_db(bs), &s, &err), CN_OK);
    struct session got;
    bool found = false;
    assert_int_equal(store_session_read(store_booking_db(bs), s.token, s.last_seen + 1, 1800, &got,
                                        &f, NULL, &found, &err),
                     CN_OK);
    assert_true(found);
    assert_string_equal(got.rid, booked);
    assert_true(f.read);
    assert_string_equal(f.rid, booked);
    assert_true(f.has_active);
    assert_int_equal(f.active.id, b.id);
    store_booking_close(bs);
}

/* Two keys in one statement (the birthday page's ID and client): both counted; a locked one
 * is refused and not counted while the other is; one read says which is locked; a right
 * answer forgets the one and refunds the other in one statement. */
static void lockout_pairs(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    const int64_t t0 = 1810000000;
    struct lockout_try id = {.key = "rid:PAIR", .max = 5, .window = 1800, .lock = 1800};
    struct lockout_try ip = {.key = "ip:198.51.100.7", .max = 20, .window = 86400, .lock = 1800};
    for (int i = 1; i <= 5; i++) {
        assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + i, &err), CN_OK);
        assert_true(id.allowed);
        assert_true(ip.allowed);
        assert_int_equal(id.count, i);
        assert_int_equal(ip.count, i);
    }
    assert_int_equal(id.until, t0 + 5 + 1800); /* the 5th locks the ID at once */
    assert_int_equal(ip.until, 0);
    int64_t id_until = -1, ip_until = -1;
    assert_int_equal(store_booking_locked(bs, id.key, ip.key, t0 + 6, &id_until, &ip_until, &err),
                     CN_OK);
    assert_int_equal(id_until, t0 + 5 + 1800);
    assert_int_equal(ip_until, 0);
    /* the ID locked: refused, nothing counted on it; the client's counted all the same */
    assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 7, &err), CN_OK);
    assert_false(id.allowed);
    assert_int_equal(id.count, 5);
    assert_int_equal(id.until, t0 + 5 + 1800);
    assert_true(ip.allowed);
    assert_int_equal(ip.count, 6);
    assert_int_equal(store_booking_refund(bs, ip.key, 20, &err), CN_OK); /* as the page does */
    /* the lock run out: the ID counts afresh, the client on */
    assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 1806, &err), CN_OK);
    assert_true(id.allowed);
    assert_int_equal(id.count, 1);
    assert_int_equal(ip.count, 6);
    /* right: the ID forgotten, the client's attempt given back */
    assert_int_equal(store_booking_settle(bs, id.key, ip.key, 20, &err), CN_OK);
    assert_int_equal(
        store_booking_locked(bs, id.key, ip.key, t0 + 1807, &id_until, &ip_until, &err), CN_OK);
    assert_int_equal(id_until, 0);
    assert_int_equal(ip_until, 0);
    assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 1808, &err), CN_OK);
    assert_int_equal(id.count, 1);
    assert_int_equal(ip.count, 6);
    /* both locked: neither counted, each with its lock's end */
    for (int i = 0; i < 20; i++)
        assert_int_equal(store_booking_attempts(bs, &id, &ip, t0 + 1810 + i, &err), CN_OK);
    assert_false(id.allowed);
    assert_false(ip.allowed);
    assert_int_equal(ip.count, 20);
    assert_true(id.until > t0 + 1810 && ip.until > t0 + 1810);
    store_booking_close(bs);
}

/* store_booking_locked for one key, as the tests ask. */
static int locked_at(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                     int64_t *until)
{
    struct cn_err err = {0};
    int rc = store_booking_locked(bs, key, NULL, now, until, NULL, &err);
    *locked = *until != 0;
    return rc;
}

static void lockouts(void **state)
{
    (void)state;
    struct store_booking *bs = open_bs();
    struct cn_err err = {0};
    int count;
    int64_t until;
    bool locked, allowed;
    const int64_t t0 = 1800000000;
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(attempt(bs, "rid:A", t0 + i, &allowed, &count, &until), CN_OK);
        assert_true(allowed);
        assert_int_equal(count, i);
        assert_int_equal(until, 0);
    }
    /* the 5th attempt is allowed and locks at once, before its answer is compared */
    assert_int_equal(attempt(bs, "rid:A", t0 + 5, &allowed, &count, &until), CN_OK);
    assert_true(allowed);
    assert_int_equal(count, 5);
    assert_int_equal(until, t0 + 5 + 1800);
    /* the 6th is refused and not counted */
    assert_int_equal(attempt(bs, "rid:A", t0 + 6, &allowed, &count, &until), CN_OK);
    assert_false(allowed);
    assert_int_equal(count, 5);
    assert_int_equal(until, t0 + 5 + 1800);
    assert_int_equal(locked_at(bs, "rid:A", t0 + 1000, &locked, &until), CN_OK);
    assert_true(locked);
    assert_int_equal(locked_at(bs, "rid:B", t0 + 1000, &locked, &until), CN_OK);
    assert_false(locked);
    /* 30 minutes later the lock is gone and counting starts again */
    assert_int_equal(locked_at(bs, "rid:A", t0 + 5 + 1800, &locked, &until), CN_OK);
    assert_false(locked);
    assert_int_equal(attempt(bs, "rid:A", t0 + 5 + 1801, &allowed, &count, &until), CN_OK);
    assert_int_equal(count, 1);
    /* attempts older than the window are forgotten */
    assert_int_equal(attempt(bs, "rid:A", t0 + 5 + 1801 + 1800, &allowed, &count, &until), CN_OK);
    assert_int_equal(count, 1);
    /* a right answer forgets (and refunds the client's attempt, here none) */
    assert_int_equal(store_booking_settle(bs, "rid:A", "ip:none", 20, &err), CN_OK);
    assert_int_equal(attempt(bs, "rid:A", t0 + 9000, &allowed, &count, &until), CN_OK);
    assert_int_equal(count, 1);
    /* a refund gives an attempt back and lifts the lock it reached */
    for (int i = 2; i <= 5; i++)
        assert_int_equal(attempt(bs, "rid:A", t0 + 9000 + i, &allowed, &count, &until), CN_OK);
    assert_int_equal(count, 5);
    assert_int_not_equal(until, 0);
    assert_int_equal(store_booking_refund(bs, "rid:A", 5, &err), CN_OK);
    assert_int_equal(locked_at(bs, "rid:A", t0 + 9010, &locked, &until), CN_OK);
    assert_false(locked);
    assert_int_equal(attempt(bs, "rid:A", t0 + 9011, &allowed, &count, &until), CN_OK);
    assert_true(allowed);
    assert_int_equal(count, 5);
    /* a lock until a moment: never shortened */
    assert_int_equal(store_booking_lock_until(bs, "rid:A", t0 + 90000, &err), CN_OK);
    assert_int_equal(store_booking_lock_until(bs, "rid:A", t0 + 50000, &err), CN_OK);
    assert_int_equal(locked_at(bs, "rid:A", t0 + 9012, &locked, &until), CN_OK);
    assert_true(locked);
    assert_int_equal(until, t0 + 90000);
    /* the sweep deletes rows whose lock and count ended before the moment, and only those */
    assert_int_equal(attempt(bs, "ip:192.0.2.1", t0, &allowed, &count, &until), CN_OK);
    const int64_t rows = lockouts_rows(bs);
    long purged = 0;
    assert_int_equal(store_lockout_purge(store_booking_db(bs), t0 + 3600, &purged, &err), CN_OK);
    if (rows >= 0) {
        assert_int_equal(rows, 2);
        assert_int_equal(lockouts_rows(bs), 1); /* rid:A is locked till t0 + 90000 */
    }
    assert_int_equal(store_lockout_purge(store_booking_db(bs), t0 + 100000, &purged, &err), CN_OK);
    if (rows >= 0)
        assert_int_equal(lockouts_rows(bs), 0);
    /* what is left counts afresh */
    assert_int_equal(attempt(bs, "ip:192.0.2.1", t0 + 100001, &allowed, &count, &until), CN_OK);
    assert_int_equal(count, 1);
    store_booking_close(bs);
}

struct racer {
    pthread_barrier_t *start;
    const char *rid;
    enum take_result result;
    int rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    r->rc = store_booking_open(where, &bs, &err);
    pthread_barrier_wait(r->start);
    if (r->rc == CN_OK) {
        struct take_request req = {.rid = r->rid,
                                   .office = "main",
                                   .by = "web",
                                   .day = date_from_ymd(2027, 2, 1),
                                   .start_min = 13 * 60,
                                   .seats = 1};
        struct booking b;
        r->rc = store_booking_take(bs, &req, &b, &r->result, &err);
    }
    store_booking_close(bs);
    return NULL;
}

/* Each thread has its own connection, as the server's pool does: the last seat goes to
 * exactly one of them and none gets an error. */
/* The one rule both the resident pages and the call centre's phone booking follow. */
static void which_ids_open_the_pages(void **state)
{
    (void)state;
    static const struct {
        bool active;
        enum notice_booking booking;
        bool opens;
    } cases[] = {
        {true, NOTICE_BOOK_YES, true},       {true, NOTICE_BOOK_WALK_IN, true},
        {true, NOTICE_BOOK_NONE, false},     {false, NOTICE_BOOK_YES, false},
        {false, NOTICE_BOOK_WALK_IN, false}, {false, NOTICE_BOOK_NONE, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct booking_resident res = {.active = cases[i].active, .booking = cases[i].booking};
        assert_int_equal(booking_resident_opens(&res), cases[i].opens);
    }
}

static void racing_for_the_last_seat(void **state)
{
    (void)state;
    enum { N = N_RESIDENTS - 4 };
    pthread_t th[N];
    struct racer rs[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    for (int i = 0; i < N; i++) {
        rs[i] = (struct racer){.start = &start, .rid = rids[3 + i]};
        pthread_create(&th[i], NULL, race, &rs[i]);
    }
    int ok = 0, full = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(rs[i].rc, CN_OK);
        ok += rs[i].result == TAKE_OK;
        full += rs[i].result == TAKE_FULL;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(ok, 1);
    assert_int_equal(full, N - 1);
}

/* The date page's tally of an office's slots: every slot's count found among more slots than
 * a page shows (70 days of 30: 2,100, past the fixed 2,048 an older tally kept), an empty
 * slot and a day outside the range 0. The counts written straight into the SQLite fixture's
 * slot_taken, which the tally reads. */
static void a_tally_of_many_slots(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(fixture_db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO slot_taken (office, day, start, taken) "
                                        "VALUES ('tally', ?1, ?2, ?3)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    const cn_date first = date_from_ymd(2028, 1, 1);
    for (int d = 0; d < 70; d++)
        for (int k = 0; k < 30; k++) {
            char day[11], hhmm[6];
            date_format_iso(first + d, day);
            slots_format_hhmm(8 * 60 + 15 * k, hhmm);
            sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2, hhmm, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(st, 3, 1 + (d + k) % 3);
            assert_int_equal(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    struct store_booking *bs = open_bs();
    struct seat_tally *t = NULL;
    struct cn_err err = {0};
    assert_int_equal(seat_tally_load(bs, "tally", first, first + 69, &t, &err), CN_OK);
    for (int d = 0; d < 70; d++)
        for (int k = 0; k < 30; k++)
            assert_int_equal(seat_tally_taken(t, first + d, 8 * 60 + 15 * k), 1 + (d + k) % 3);
    assert_int_equal(seat_tally_taken(t, first + 3, 7 * 60), 0);
    assert_int_equal(seat_tally_taken(t, first + 70, 8 * 60), 0);
    seat_tally_free(t);
    store_booking_close(bs);
}

/* Attempts on one key from connections of their own, all at once, in rounds: each round
 * exactly 5 are counted (the limit) and the rest refused as locked, whatever the order: the
 * count is one statement that reads and writes under the row's lock. */
struct guesser {
    pthread_barrier_t *start;
    int rounds;
    int allowed[8];
    int rc;
};

enum { GUESSERS = 24, GUESS_ROUNDS = 8 };

static void *guesser(void *arg)
{
    struct guesser *g = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    g->rc = store_booking_open(where, &bs, &err);
    for (int round = 0; round < g->rounds; round++) {
        pthread_barrier_wait(g->start);
        if (g->rc)
            continue;
        char key[32];
        snprintf(key, sizeof key, "rid:GUESS%d", round);
        bool allowed;
        int count;
        int64_t until;
        g->rc = attempt(bs, key, 1900000000, &allowed, &count, &until);
        g->allowed[round] = allowed;
    }
    store_booking_close(bs);
    return NULL;
}

static void parallel_attempts_count_to_the_limit(void **state)
{
    (void)state;
    pthread_t th[GUESSERS];
    struct guesser gs[GUESSERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, GUESSERS);
    for (int i = 0; i < GUESSERS; i++) {
        gs[i] = (struct guesser){.start = &start, .rounds = GUESS_ROUNDS};
        pthread_create(&th[i], NULL, guesser, &gs[i]);
    }
    int allowed[GUESS_ROUNDS] = {0};
    for (int i = 0; i < GUESSERS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(gs[i].rc, CN_OK);
        for (int round = 0; round < GUESS_ROUNDS; round++)
            allowed[round] += gs[i].allowed[round];
    }
    pthread_barrier_destroy(&start);
    for (int round = 0; round < GUESS_ROUNDS; round++)
        assert_int_equal(allowed[round], 5);
}

/* A crowd on connections of their own goes for a slot's last 3 seats, round after round:
 * exactly 3 get one each round, the rest are told it is full, nobody gets an error. */
struct crowd {
    pthread_barrier_t *start;
    int who, rounds;
    int ok[20], full[20];
    int rc;
    char msg[800];
};

enum { CROWD = 48, ROUNDS = 20, LAST_SEATS = 3 };

static void *crowd_member(void *arg)
{
    struct crowd *c = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    c->rc = store_booking_open(where, &bs, &err);
    for (int round = 0; round < c->rounds; round++) {
        pthread_barrier_wait(c->start);
        if (c->rc)
            continue;
        char rid[RID_LEN + 1];
        snprintf(rid, sizeof rid, "CR%02u%03u00000", (unsigned)round % 100u,
                 (unsigned)c->who % 1000u);
        struct take_request req = {.rid = rid,
                                   .office = "crowd",
                                   .by = "web",
                                   .day = date_from_ymd(2027, 3, 1 + round),
                                   .start_min = 10 * 60,
                                   .seats = LAST_SEATS};
        struct booking b;
        enum take_result res;
        if ((c->rc = store_booking_take(bs, &req, &b, &res, &err)) != CN_OK) {
            snprintf(c->msg, sizeof c->msg, "%s", err.msg);
            continue;
        }
        c->ok[round] = res == TAKE_OK;
        c->full[round] = res == TAKE_FULL;
    }
    store_booking_close(bs);
    return NULL;
}

static void a_crowd_for_the_last_seats(void **state)
{
    (void)state;
    pthread_t th[CROWD];
    static struct crowd cs[CROWD];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, CROWD);
    for (int i = 0; i < CROWD; i++) {
        cs[i] = (struct crowd){.start = &start, .who = i, .rounds = ROUNDS};
        pthread_create(&th[i], NULL, crowd_member, &cs[i]);
    }
    for (int i = 0; i < CROWD; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < CROWD; i++)
        if (cs[i].rc)
            fail_msg("member %d: %s", i, cs[i].msg);
    struct store_booking *bs = open_bs();
    for (int round = 0; round < ROUNDS; round++) {
        int ok = 0, full = 0, taken = 0;
        for (int i = 0; i < CROWD; i++) {
            ok += cs[i].ok[round];
            full += cs[i].full[round];
        }
        assert_int_equal(ok, LAST_SEATS);
        assert_int_equal(full, CROWD - LAST_SEATS);
        struct cn_err err = {0};
        const cn_date day = date_from_ymd(2027, 3, 1 + round);
        struct slot_changes ch;
        assert_int_equal(store_staff_tally(store_booking_db(bs), "crowd", day, day, count_taken,
                                           &taken, &ch, &err),
                         CN_OK);
        assert_int_equal(taken, LAST_SEATS);
    }
    store_booking_close(bs);
}

/* The feed's withdrawals (feed import's store_booking_withdraw after the snapshot) cancel many
 * bookings in one statement: the kept counts follow.
 * Last in its group: it withdraws an ID. */
static void withdrawn_bookings_leave_the_counts(void **state)
{
    (void)state;
    static const char leaver[] = "WDTEST000001"; /* an ID no other test books */
    struct store_booking *bs = open_bs();
    struct booking b;
    assert_int_equal(take(bs, leaver, "2027-02-03", 9 * 60, 3, 0, &b), TAKE_OK);
    counts_agree(bs, "main", D("2027-02-01"), D("2027-02-28"));
    /* leaver leaves the snapshot, as feed import marks it (on either backend) */
    static const struct store_sql sql_leave = {
        "INSERT INTO feed (rid, window_start, window_end, cert_expiry, district, birth_mmdd, "
        "policy, batch_id, withdrawn_at) VALUES (?1, '2026-11-20', '2027-02-19', '2027-02-19', "
        "'01', '0406', 'book', 1, '2026-12-02T00:00:00Z') "
        "ON CONFLICT (rid) DO UPDATE SET withdrawn_at = excluded.withdrawn_at",
        NULL};
    struct cn_err err = {0};
    struct store_query *q = store_query(store_booking_db(bs), &sql_leave, &err);
    store_q_text(q, 1, leaver);
    assert_int_equal(store_q_exec(q, "withdrawing", &err), CN_OK);
    /* and a count that drifted (changed by hand) is counted again with them */
    static const struct store_sql sql_drift = {
        "UPDATE slot_taken SET taken = 99 WHERE office = 'main' AND day = '2027-01-11'", NULL};
    assert_int_equal(
        store_q_exec(store_query(store_booking_db(bs), &sql_drift, &err), "drifting", &err), CN_OK);
    long cancelled = 0;
    /* in a transaction, as feed import calls it (PostgreSQL's LOCK TABLE needs one) */
    assert_int_equal(store_begin(store_booking_db(bs), &err), CN_OK);
    assert_int_equal(store_booking_withdraw(store_booking_db(bs), &cancelled, &err), CN_OK);
    assert_int_equal(store_commit(store_booking_db(bs), &err), CN_OK);
    assert_true(cancelled >= 1);
    bool found;
    struct booking active;
    assert_int_equal(active_of(bs, leaver, &active, &found, &err), CN_OK);
    assert_false(found);
    counts_agree(bs, "main", D("2027-01-01"), D("2027-03-31"));
    store_booking_close(bs);
}

int main(void)
{
    /* The rules both backends share; the notice reads need the night's tables (SQLite). */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(seats_and_one_booking_per_id),
        cmocka_unit_test(counter_list),
        cmocka_unit_test(numbers_are_random),
        cmocka_unit_test(a_number_is_never_given_twice),
        cmocka_unit_test(lockouts),
        cmocka_unit_test(lockout_pairs),
        cmocka_unit_test(right_answers_pass),
        cmocka_unit_test(reads_the_id_facts),
        cmocka_unit_test(racing_for_the_last_seat),
        cmocka_unit_test(parallel_attempts_count_to_the_limit),
        cmocka_unit_test(a_crowd_for_the_last_seats),
        cmocka_unit_test(withdrawn_bookings_leave_the_counts),
    };
    const char *pg = getenv("CN_TEST_PG");
    if (pg && pg[0])
        return cmocka_run_group_tests(pg_tests, setup, fixture_db_teardown);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refuses_a_missing_database),
        cmocka_unit_test(reads_the_notice),
        cmocka_unit_test(reads_whether_the_id_books),
        cmocka_unit_test(refuses_the_nights_database),
        cmocka_unit_test(seats_and_one_booking_per_id),
        cmocka_unit_test(counter_list),
        cmocka_unit_test(numbers_are_random),
        cmocka_unit_test(a_number_is_never_given_twice),
        cmocka_unit_test(lockouts),
        cmocka_unit_test(lockout_pairs),
        cmocka_unit_test(right_answers_pass),
        cmocka_unit_test(reads_the_id_facts),
        cmocka_unit_test(which_ids_open_the_pages),
        cmocka_unit_test(a_tally_of_many_slots),
        cmocka_unit_test(racing_for_the_last_seat),
        cmocka_unit_test(parallel_attempts_count_to_the_limit),
        cmocka_unit_test(a_crowd_for_the_last_seats),
        cmocka_unit_test(withdrawn_bookings_leave_the_counts),
    };
    return cmocka_run_group_tests(tests, setup, fixture_db_teardown);
}
