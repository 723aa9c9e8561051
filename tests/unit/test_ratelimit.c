/* Tests for ratelimit: a burst, then one token per refill interval; addresses apart; the
 * table stays within its size and forgets full buckets first; IPv6 counted by /64, in the
 * lockouts' keys too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ratelimit.h"

/* A script of takes on one table: (key, time, expected answer, expected retry_after). */
static void buckets(void **state)
{
    (void)state;
    const struct ratelimit_conf conf = {.burst = 3, .per_hour = 60, .cap = 64};
    static const struct {
        const char *key;
        int64_t now;
        bool ok;
        int64_t retry;
    } steps[] = {
        {"192.0.2.1", 1000, true, 0},
        {"192.0.2.1", 1000, true, 0},
        {"192.0.2.1", 1000, true, 0},
        {"192.0.2.1", 1000, false, 60}, /* empty: one token a minute */
        {"192.0.2.2", 1000, true, 0},   /* another address has its own bucket */
        {"192.0.2.1", 1030, false, 30}, /* half a token back */
        {"192.0.2.1", 1060, true, 0},   /* one token back */
        {"192.0.2.1", 1060, false, 60},
        {"192.0.2.1", 999, false, 60}, /* the clock going back gives nothing */
        {"192.0.2.1", 99999, true, 0}, /* long idle: full again, no more than the burst */
        {"192.0.2.1", 99999, true, 0},
        {"192.0.2.1", 99999, true, 0},
        {"192.0.2.1", 99999, false, 60},
        {"", 99999, true, 0}, /* no address still counts, as one */
    };
    struct ratelimit *rl = ratelimit_new(&conf);
    assert_non_null(rl);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int64_t retry = -1;
        const bool ok = ratelimit_take(rl, steps[i].key, steps[i].now, &retry);
        if (ok != steps[i].ok || retry != steps[i].retry)
            fail_msg("step %zu (%s at %lld): got %d retry %lld", i, steps[i].key,
                     (long long)steps[i].now, ok, (long long)retry);
    }
    ratelimit_free(rl);
}

static void bad_conf(void **state)
{
    (void)state;
    static const struct ratelimit_conf confs[] = {
        {0, 60, 64}, {3, 0, 64}, {3, 60, 0}, {-1, 60, 64}, {3, 60, 7}};
    for (size_t i = 0; i < sizeof confs / sizeof confs[0]; i++)
        assert_null(ratelimit_new(&confs[i]));
}

/* 10,000 addresses through a table of 64: it never tracks more than 64, and an address
 * that used up its bucket is kept while fresh ones come and go. */
static void bounded(void **state)
{
    (void)state;
    const struct ratelimit_conf conf = {.burst = 2, .per_hour = 1, .cap = 64};
    struct ratelimit *rl = ratelimit_new(&conf);
    assert_non_null(rl);
    assert_true(ratelimit_take(rl, "198.51.100.7", 0, NULL));
    assert_true(ratelimit_take(rl, "198.51.100.7", 0, NULL));
    assert_false(ratelimit_take(rl, "198.51.100.7", 0, NULL));
    char key[64];
    for (int i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        ratelimit_take(rl, key, 1, NULL); /* each leaves a bucket with one token of two */
        assert_true(ratelimit_tracked(rl) <= 64);
    }
    assert_int_equal(ratelimit_tracked(rl), 64);
    /* the emptied bucket was never the one evicted: still refused */
    assert_false(ratelimit_take(rl, "198.51.100.7", 2, NULL));
    ratelimit_free(rl);
}

static void keys(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"192.0.2.1", "192.0.2.1"},
        {"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
        {"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
        {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
        {"unknown", "unknown"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        ratelimit_key(cases[i].in, out);
        assert_string_equal(out, cases[i].want);
    }
}

/* The lockouts' keys: a kind before the address's key, IPv6 grouped by /64 as above, so
 * rotating the interface part of an address is still the same client. */
static void client_keys(void **state)
{
    (void)state;
    static const struct {
        const char *kind, *in, *want;
    } cases[] = {
        {"ip", "192.0.2.1", "ip:192.0.2.1"},
        {"ip", "2001:db8:1:2::1", "ip:2001:db8:1:2::/64"},
        {"ip", "2001:db8:1:2::2", "ip:2001:db8:1:2::/64"},
        {"ip", "2001:db8:1:3::1", "ip:2001:db8:1:3::/64"},
        {"staffip", "2001:db8:1:2:ffff:ffff:ffff:ffff", "staffip:2001:db8:1:2::/64"},
        {"staffip", "::ffff:192.0.2.1", "staffip:::ffff:192.0.2.1"},
        {"staffip", "unknown", "staffip:unknown"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[RATELIMIT_CLIENT_KEY];
        ratelimit_client_key(cases[i].kind, cases[i].in, out);
        assert_string_equal(out, cases[i].want);
    }
    /* the longest address fits whole */
    char out[RATELIMIT_CLIENT_KEY];
    ratelimit_client_key("staffip", "::ffff:255.255.255.255", out);
    assert_string_equal(out, "staffip:::ffff:255.255.255.255");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buckets), cmocka_unit_test(bad_conf),    cmocka_unit_test(bounded),
        cmocka_unit_test(keys),    cmocka_unit_test(client_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
