/* tally_cache: a kept tally is shown again within its time, with this node's own bookings
 * applied, and read again when fresh, dropped, outgrown or kept for no time; seat_tally_add
 * keeps its slots in the order bisection needs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>

#include "fixture_db.h"
#include "store_booking.h"
#include "store_query.h"
#include "tally_cache.h"

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* The store's count of one slot, set as another node's booking would move it. */
static void set_taken(struct store_booking *bs, const char *day, const char *start, int taken)
{
    static const struct store_sql sql = {
        "INSERT INTO slot_taken (office, day, start, taken) VALUES ('main', ?1, ?2, "
        "CAST(?3 AS INTEGER)) ON CONFLICT (office, day, start) DO UPDATE SET taken = "
        "excluded.taken",
        NULL};
    struct cn_err err = {0};
    struct store_query *q = store_query(store_booking_db(bs), &sql, &err);
    store_q_text(q, 1, day);
    store_q_text(q, 2, start);
    store_q_int(q, 3, taken);
    assert_int_equal(store_q_exec(q, "setting a count", &err), CN_OK);
}

/* The count of 2027-01-11 at start_min as tally_cache_load gives it over first..last. */
static int shown(struct tally_cache *c, struct store_booking *bs, const char *first,
                 const char *last, bool fresh, int start_min)
{
    struct seat_tally *t = NULL;
    struct cn_err err = {0};
    assert_int_equal(tally_cache_load(c, bs, "main", D(first), D(last), fresh, &t, &err), CN_OK);
    const int n = seat_tally_taken(t, D("2027-01-11"), start_min);
    seat_tally_free(t);
    return n;
}

/* This node made (delta > 0) or cancelled (delta < 0) a booking at office, day, start_min. */
static void moved(struct tally_cache *c, const char *office, const char *day, int start_min,
                  int delta)
{
    struct booking b = {.day = D(day), .start_min = start_min};
    snprintf(b.office, sizeof b.office, "%s", office);
    tally_cache_taken(c, &b, delta);
}

static struct store_booking *open_store(void)
{
    struct store *s = NULL;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    if (store_open_booking(fixture_db_path, 0600, &s, &err))
        fail_msg("%s", err.msg);
    store_close(s);
    if (store_booking_open(fixture_db_path, &bs, &err))
        fail_msg("%s", err.msg);
    return bs;
}

static void kept_applied_and_read_again(void **state)
{
    (void)state;
    struct store_booking *bs = open_store();
    struct tally_cache *c = NULL;
    struct cn_err err = {0};
    assert_int_equal(tally_cache_new(60000, &c, &err), CN_OK);
    set_taken(bs, "2027-01-11", "09:00", 1);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 1);
    /* another node books: the kept tally is shown again */
    set_taken(bs, "2027-01-11", "09:00", 2);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 1);
    /* ... a narrower range is served from it too */
    assert_int_equal(shown(c, bs, "2027-01-11", "2027-01-11", false, 540), 1);
    /* this node's own booking is applied at once, in a slot new to the tally as well */
    moved(c, "main", "2027-01-11", 540, +1);
    moved(c, "main", "2027-01-11", 600, +1);
    moved(c, "main", "2027-01-11", 570, +1);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 2);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 570), 1);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 600), 1);
    /* a cancellation never takes a count below 0; a day outside the tally is left alone */
    moved(c, "main", "2027-01-11", 600, -3);
    moved(c, "main", "2027-02-11", 540, +1);
    moved(c, "north", "2027-01-11", 540, +1);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 600), 0);
    /* fresh: the store's count, kept for the next view */
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", true, 540), 2);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 570), 0);
    /* a range the kept tally does not cover is read */
    set_taken(bs, "2027-01-11", "09:00", 3);
    assert_int_equal(shown(c, bs, "2027-01-01", "2027-01-20", false, 540), 3);
    /* dropped (staff changed the office's slots): read again */
    set_taken(bs, "2027-01-11", "09:00", 4);
    tally_cache_drop(c, "main");
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 4);
    tally_cache_free(c);

    /* kept for no time: every view reads */
    assert_int_equal(tally_cache_new(0, &c, &err), CN_OK);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 4);
    set_taken(bs, "2027-01-11", "09:00", 5);
    assert_int_equal(shown(c, bs, "2027-01-10", "2027-01-20", false, 540), 5);
    tally_cache_free(c);
    store_booking_close(bs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(kept_applied_and_read_again, fixture_db_setup,
                                        fixture_db_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
