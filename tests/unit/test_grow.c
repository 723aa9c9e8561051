/* Tests for grow: no reallocation while there is room, doubling from the first capacity,
 * and a size that would overflow refused with the array left as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "grow.h"

static void grows_by_doubling(void **state)
{
    (void)state;
    int *items = NULL;
    size_t cap = 0;
    static const size_t want_cap[] = {4, 4, 4, 4, 8, 8, 8, 8, 16};
    for (size_t n = 0; n < sizeof want_cap / sizeof want_cap[0]; n++) {
        int *grown = grow_for_one(items, &cap, n, sizeof *items, 4);
        assert_non_null(grown);
        items = grown;
        items[n] = (int)n;
        assert_int_equal(cap, want_cap[n]);
    }
    for (int i = 0; i < 9; i++)
        assert_int_equal(items[i], i);
    /* With room left the same array comes back. */
    assert_ptr_equal(grow_for_one(items, &cap, 9, sizeof *items, 4), items);
    free(items);
}

static void overflow_is_refused(void **state)
{
    (void)state;
    char *items = malloc(1);
    size_t cap = SIZE_MAX / 2 + 1;
    assert_null(grow_for_one(items, &cap, cap, 1, 4));
    assert_int_equal(cap, SIZE_MAX / 2 + 1);
    size_t cap2 = SIZE_MAX / 16;
    assert_null(grow_for_one(items, &cap2, cap2, 16, 4));
    assert_int_equal(cap2, SIZE_MAX / 16);
    free(items); /* still the caller's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grows_by_doubling),
        cmocka_unit_test(overflow_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
