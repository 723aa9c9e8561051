/* idset: an ID given twice is found with the line it first appeared on; distinct IDs are
 * never taken for one another, even when every hash collides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "idset.h"

static uint64_t everything_collides(const char *id)
{
    (void)id;
    return 42;
}

/* Two IDs with one hash, as a real 64-bit collision would have them. */
static void collision_is_not_a_duplicate(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        long line, first; /* first: the line idset_check must answer */
    } steps[] = {
        {"A0001", 2, 0}, {"B0002", 3, 0}, {"A0001", 4, 2},  {"C0003", 5, 0},
        {"B0002", 6, 3}, {"A000", 7, 0},  {"A00011", 8, 0}, {"C0003", 9, 5},
    };
    for (int forced = 0; forced < 2; forced++) {
        struct idset t = {.hash = forced ? everything_collides : NULL};
        for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
            long got = idset_check(&t, steps[i].id, steps[i].line);
            if (got != steps[i].first)
                fail_msg("forced=%d step %zu (%s): %ld, wanted %ld", forced, i, steps[i].id, got,
                         steps[i].first);
        }
        idset_free(&t);
    }
}

/* Many IDs through several table growths, all colliding: each is new once, then found. */
static void growth_keeps_every_id(void **state)
{
    (void)state;
    struct idset t = {.hash = everything_collides};
    char id[32];
    for (long i = 1; i <= 3000; i++) {
        snprintf(id, sizeof id, "R%05ld", i);
        assert_int_equal(idset_check(&t, id, i), 0);
    }
    for (long i = 1; i <= 3000; i += 7) {
        snprintf(id, sizeof id, "R%05ld", i);
        assert_int_equal(idset_check(&t, id, 9999), i);
    }
    idset_free(&t);
}

/* swap: the line is moved on, and the one before is returned, even among collisions. */
static void swap_moves_the_line_on(void **state)
{
    (void)state;
    for (int forced = 0; forced < 2; forced++) {
        struct idset t = {.hash = forced ? everything_collides : NULL};
        assert_int_equal(idset_swap(&t, "A1", 1), 0);
        assert_int_equal(idset_swap(&t, "B2", 1), 0);
        assert_int_equal(idset_swap(&t, "A1", 2), 1);
        assert_int_equal(idset_swap(&t, "A1", 3), 2);
        assert_int_equal(idset_check(&t, "A1", 9), 3);
        assert_int_equal(idset_check(&t, "B2", 9), 1);
        idset_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collision_is_not_a_duplicate),
        cmocka_unit_test(growth_keeps_every_id),
        cmocka_unit_test(swap_moves_the_line_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
