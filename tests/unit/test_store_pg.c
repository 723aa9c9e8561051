/* Tests of the store on PostgreSQL as a service of several nodes meets it: which --db names a
 * server; a server restarted under load (the statements in flight fail as "unreachable", the
 * connections come back by themselves, nothing confirmed is lost, no slot overbooked); the
 * nodes migrating an empty database at once. The backend choice runs everywhere; the rest
 * needs CN_TEST_PG (an empty database) and CN_TEST_PG_RESTART (a command that restarts the
 * server), which tests/e2e/pg_store.sh sets. */
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

#include "store.h"
#include "store_booking.h"
#include "store_query.h" /* store_unavailable */

static const char *where;

static void uri_names_the_backend(void **state)
{
    (void)state;
    static const struct {
        const char *db;
        bool pg;
    } cases[] = {
        {"postgresql://cn@127.0.0.1:5432/cn", true},
        {"postgres://cn@db.example/booking", true},
        {"postgresql:///booking?host=/run/postgresql", true},
        {"booking.db", false},
        {"/var/lib/certnotice/booking.db", false},
        {"postgresql", false},
        {"./postgresql://x", false},
        {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (store_uri_is_pg(cases[i].db) != cases[i].pg)
            fail_msg("%s", cases[i].db);
}

/* What logs and errors show of a --db or <booking store>: never the password, wherever the
 * URI puts it; and which values are refused before anything connects. */
static void where_shown_without_password(void **state)
{
    (void)state;
    static const struct {
        const char *where, *shown;
    } cases[] = {
        {"postgresql://cn:s3cret@db1:5432/booking", "postgresql://cn:***@db1:5432/booking"},
        {"postgres://cn:s3cret@db1", "postgres://cn:***@db1"},
        {"postgresql://cn@db1/booking?password=s3cret&sslmode=require",
         "postgresql://cn@db1/booking?password=***&sslmode=require"},
        {"postgresql://cn:a@db1/b?sslmode=require&PASSWORD=s3cret",
         "postgresql://cn:***@db1/b?sslmode=require&PASSWORD=***"},
        {"postgresql://cn@db1:5432,db2:5432/booking?target_session_attrs=read-write",
         "postgresql://cn@db1:5432,db2:5432/booking?target_session_attrs=read-write"},
        {"postgresql://db1/x?user=a:b@c", "postgresql://db1/x?user=a:b@c"},
        {"/var/lib/certnotice/pass:word@x.db", "/var/lib/certnotice/pass:word@x.db"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        store_where_shown(cases[i].where, out, sizeof out);
        if (strcmp(out, cases[i].shown) != 0)
            fail_msg("%s: %s", cases[i].where, out);
    }
    /* cut short, still terminated, and no part of the password */
    store_where_shown("postgresql://cn:s3cret@db1/booking", out, 20);
    assert_string_equal(out, "postgresql://cn:***");

    static const struct {
        const char *where;
        bool ok;
    } checks[] = {
        {"booking.db", true},
        {"/srv/booking.db", true},
        {"postgresql://cn@127.0.0.1:5432/cn", true},
        {"postgresql://cn@h1:5432,h2:5432/cn?target_session_attrs=read-write", true},
        {"", false},
        {"mysql://cn@db1/booking", false},
        {"postgresql://cn:%zz@db1/booking", false},
        {"postgresql://cn@db1/booking?nosuchparameter=1", false},
        {"postgresql://cn:pass word@db1/booking", false},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
        if ((store_where_problem(checks[i].where) == NULL) != checks[i].ok)
            fail_msg("%s", checks[i].where);
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum { WORKERS = 6, SLOT_SEATS = 3, MAX_CONFIRMED = 20000 };

struct worker {
    int who;
    volatile int *stop;
    int ok, full, failed, unreachable;
    double last_failure, first_ok_after; /* seconds() */
    int64_t confirmed[MAX_CONFIRMED];
    int n_confirmed;
};

/* Books round after round, a new ID each time, over slots of 3 seats that fill in turn. */
static void *book_on(void *arg)
{
    struct worker *w = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    if (store_booking_open(where, &bs, &err))
        return NULL;
    for (int i = 0; !*w->stop && i < 100000; i++) {
        char rid[RID_LEN + 1];
        snprintf(rid, sizeof rid, "RS%u%07u", (unsigned)w->who % 10u, (unsigned)i % 10000000u);
        struct take_request req = {.rid = rid,
                                   .office = "restart",
                                   .by = "web",
                                   .day = date_from_ymd(2027, 4, 1 + (i / 20) % 28),
                                   .start_min = 9 * 60 + (i % 20) * 30,
                                   .seats = SLOT_SEATS};
        struct booking b;
        enum take_result res;
        cn_err_clear(&err);
        if (store_booking_take(bs, &req, &b, &res, &err) != CN_OK) {
            w->failed++;
            w->unreachable += store_unavailable(store_booking_db(bs));
            w->last_failure = seconds();
            w->first_ok_after = 0;
            usleep(20000); /* a resident does not retry at once either */
            continue;
        }
        if (res == TAKE_OK && w->n_confirmed < MAX_CONFIRMED)
            w->confirmed[w->n_confirmed++] = b.id;
        w->ok += res == TAKE_OK;
        w->full += res == TAKE_FULL;
        if (w->last_failure > 0 && w->first_ok_after == 0)
            w->first_ok_after = seconds();
    }
    store_booking_close(bs);
    return NULL;
}

struct slot_count {
    int over;
    int64_t total;
    char last[32];
    int in_slot;
};

static int count_slot(const struct booking *b, void *ctx)
{
    struct slot_count *c = ctx;
    char key[32];
    snprintf(key, sizeof key, "%d/%d", (int)b->day, b->start_min);
    if (strcmp(key, c->last) == 0)
        c->in_slot++;
    else {
        snprintf(c->last, sizeof c->last, "%s", key);
        c->in_slot = 1;
    }
    c->over += c->in_slot > SLOT_SEATS;
    c->total++;
    return 0;
}

static int find_id(const struct booking *b, void *ctx)
{
    int64_t *want = ctx;
    if (b->id == *want)
        *want = 0;
    return 0;
}

static void a_server_restart_under_load(void **state)
{
    (void)state;
    const char *restart = getenv("CN_TEST_PG_RESTART");
    assert_non_null(restart);
    static struct worker ws[WORKERS];
    pthread_t th[WORKERS];
    volatile int stop = 0;
    for (int i = 0; i < WORKERS; i++) {
        memset(&ws[i], 0, sizeof ws[i]);
        ws[i].who = i;
        ws[i].stop = &stop;
        pthread_create(&th[i], NULL, book_on, &ws[i]);
    }
    sleep(1);
    const double restarted_at = seconds();
    assert_int_equal(system(restart), 0); /* stop -m fast (connections cut), then start */
    const double up_at = seconds();
    sleep(3);
    stop = 1;
    for (int i = 0; i < WORKERS; i++)
        pthread_join(th[i], NULL);
    int ok = 0, failed = 0, unreachable = 0;
    double worst = 0;
    for (int i = 0; i < WORKERS; i++) {
        ok += ws[i].ok;
        failed += ws[i].failed;
        unreachable += ws[i].unreachable;
        /* back within seconds of the server: the first booking after its last failure */
        if (ws[i].failed) {
            if (ws[i].first_ok_after == 0)
                fail_msg("worker %d never booked again after the restart", i);
            if (ws[i].first_ok_after - up_at > worst)
                worst = ws[i].first_ok_after - up_at;
        }
    }
    print_message("# %d booked, %d failed while the server restarted (%.1f s down), all back "
                  "%.2f s after it\n",
                  ok, failed, up_at - restarted_at, worst);
    assert_true(ok > 0);
    assert_true(failed > 0);               /* the restart was felt */
    assert_int_equal(unreachable, failed); /* ... and each failure said why */
    assert_true(worst < 5.0);              /* connections came back by themselves */
    /* nothing confirmed lost, no slot over its seats */
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_booking_open(where, &bs, &err), CN_OK);
    struct slot_count c = {0};
    assert_int_equal(store_booking_each(bs, "restart", DATE_NONE, count_slot, &c, &err), CN_OK);
    assert_int_equal(c.over, 0);
    assert_true(c.total >= ok); /* a commit whose answer was lost may have landed too */
    for (int i = 0; i < WORKERS; i++)
        for (int k = 0; k < ws[i].n_confirmed; k += 7) { /* a sample: each is a scan */
            int64_t id = ws[i].confirmed[k];
            assert_int_equal(store_booking_each(bs, "restart", DATE_NONE, find_id, &id, &err),
                             CN_OK);
            if (id != 0)
                fail_msg("confirmed booking %lld is gone", (long long)ws[i].confirmed[k]);
        }
    store_booking_close(bs);
}

struct opener {
    pthread_barrier_t *start;
    int rc;
    char msg[800];
};

static void *open_at_once(void *arg)
{
    struct opener *o = arg;
    struct store_booking *bs = NULL;
    struct cn_err err = {0};
    pthread_barrier_wait(o->start);
    o->rc = store_booking_open(where, &bs, &err);
    snprintf(o->msg, sizeof o->msg, "%s", err.msg);
    store_booking_close(bs);
    return NULL;
}

/* Nodes started together on an empty database: one migrates, the others wait for it and
 * find the schema current; none fails. (Runs first: the database is empty then.) */
static void nodes_migrate_an_empty_database_at_once(void **state)
{
    (void)state;
    enum { NODES = 6 };
    pthread_t th[NODES];
    struct opener os[NODES];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, NODES);
    for (int i = 0; i < NODES; i++) {
        os[i] = (struct opener){.start = &start};
        pthread_create(&th[i], NULL, open_at_once, &os[i]);
    }
    for (int i = 0; i < NODES; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    for (int i = 0; i < NODES; i++)
        if (os[i].rc)
            fail_msg("node %d: %s", i, os[i].msg);
}

int main(void)
{
    where = getenv("CN_TEST_PG");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uri_names_the_backend),
        cmocka_unit_test(where_shown_without_password),
        cmocka_unit_test(nodes_migrate_an_empty_database_at_once),
        cmocka_unit_test(a_server_restart_under_load),
    };
    /* Without a server, the backend choice and the names shown alone. */
    const size_t n = where && where[0] ? sizeof tests / sizeof tests[0] : 2;
    return _cmocka_run_group_tests("test_store_pg", tests, n, NULL, NULL);
}
