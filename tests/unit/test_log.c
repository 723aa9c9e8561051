/* Tests for log's progress text: done of a fixed total, the bar in proportion, a rate and
 * the time left once there is a rate to speak of, and no bar past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "log.h"

static void formats_each_case(void **state)
{
    (void)state;
    static const struct {
        long done, total;
        double seconds;
        const char *want;
    } cases[] = {
        {0, 6000, 0.0, "render   [                              ] 0/6000"},
        {100, 6000, 0.01, "render   [                              ] 100/6000"}, /* too early */
        {1000, 6000, 0.5, "render   [#####                         ] 1000/6000  2000/s  0:03 left"},
        {3000, 6000, 1.0, "render   [###############               ] 3000/6000  3000/s  0:01 left"},
        {100, 60000, 1.0, "render   [                              ] 100/60000  100/s  9:59 left"},
        {6000, 6000, 2.0, "render   [##############################] 6000/6000  3000/s  0:00 left"},
        {7000, 6000, 2.0, "render   [##############################] 7000/6000  3500/s  0:00 left"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[160];
        log_progress_format(buf, sizeof buf, "render", cases[i].done, cases[i].total,
                            cases[i].seconds);
        assert_string_equal(buf, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_each_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
