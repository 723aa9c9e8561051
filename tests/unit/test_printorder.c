/* Tests for printorder: letters listed in the order they must print (a table written by
 * hand from the rule: review last, postcode, address joined to building by U+001F,
 * resident, expiry), shuffled and sorted by the key alone, come back in that order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "printorder.h"

struct keyed {
    int want; /* the place in the table */
    unsigned char key[1024];
    size_t n;
};

static int by_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    const size_t n = x->n < y->n ? x->n : y->n;
    const int c = memcmp(x->key, y->key, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void in_print_order(void **state)
{
    (void)state;
    static const struct print_place table[] = {
        {false, "1000001", "東京都千代田区1-1", "", "R9", 20000},
        {false, "1000001", "東京都千代田区1-1", "", "R9", 20001},    /* same resident, later */
        {false, "1000001", "東京都千代田区1-1", "A棟", "R1", 20000}, /* building after none */
        {false, "1000001", "東京都千代田区1-1", "B棟", "R0", 20000},
        {false, "1000001", "東京都千代田区1-10", "", "R0", 20000}, /* longer address after */
        {false, "1000001", "東京都千代田区1-2", "", "R0", 20000},
        {false, "1000002", "", "", "R0", 20000}, /* the postcode first, whatever the address */
        {false, "1000002", "あ", "", "R0", -5},
        {false, "1000002", "あ", "", "R0", 3},   /* dates before 1970 sort as numbers */
        {false, "1000002", "あ", "", "R00", -9}, /* the resident before the date */
        {false, "4860816", "春日井市", "", "R0", 20000},
        {true, "0000000", "", "", "R0", 20000}, /* held for review: after every printed one */
        {true, "1000001", "東京都千代田区1-1", "", "R0", 20000},
    };
    enum { N = sizeof table / sizeof table[0] };
    static struct keyed k[N];
    for (int i = 0; i < N; i++) {
        k[i].want = i;
        k[i].n = printorder_key(&table[i], k[i].key, sizeof k[i].key);
        assert_true(k[i].n <= sizeof k[i].key);
    }
    /* A fixed shuffle (reversed, then pairs swapped): no seed to make the test vary. */
    for (int i = 0; i < N / 2; i++) {
        struct keyed t = k[i];
        k[i] = k[N - 1 - i];
        k[N - 1 - i] = t;
    }
    for (int i = 0; i + 1 < N; i += 2) {
        struct keyed t = k[i];
        k[i] = k[i + 1];
        k[i + 1] = t;
    }
    qsort(k, N, sizeof k[0], by_key);
    for (int i = 0; i < N; i++)
        if (k[i].want != i)
            fail_msg("place %d holds table row %d", i, k[i].want);
}

static void key_length_is_told_when_it_does_not_fit(void **state)
{
    (void)state;
    const struct print_place p = {false, "1000001", "東京都", "", "R1", 0};
    unsigned char full[64], tiny[4] = {0xAA, 0xAA, 0xAA, 0xAA};
    const size_t n = printorder_key(&p, full, sizeof full);
    assert_true(n > sizeof tiny);
    assert_int_equal(printorder_key(&p, tiny, sizeof tiny), n);
    unsigned char again[64];
    assert_int_equal(printorder_key(&p, again, n), n);
    assert_memory_equal(full, again, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(in_print_order),
        cmocka_unit_test(key_length_is_told_when_it_does_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
