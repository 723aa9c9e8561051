/* Tests for notice: the status names both ways, and notice_booking, the one rule for which
 * reservation IDs the booking side knows (the nightly feed, export-reservations, serve). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "notice.h"

static void status_names_round_trip(void **state)
{
    (void)state;
    static const struct {
        enum notice_status status;
        const char *name;
    } cases[] = {
        {NOTICE_ISSUED, "issued"},       {NOTICE_PUBLISHING, "publishing"},
        {NOTICE_PUBLISHED, "published"}, {NOTICE_RETURNED, "returned"},
        {NOTICE_REVIEW, "review"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(notice_status_name(cases[i].status), cases[i].name);
        enum notice_status got = NOTICE_REVIEW;
        assert_true(notice_status_parse(cases[i].name, &got));
        assert_int_equal(got, cases[i].status);
    }
    enum notice_status got = NOTICE_ISSUED;
    assert_false(notice_status_parse("reprinted", &got));
    assert_false(notice_status_parse("", &got));
    assert_false(notice_status_parse(NULL, &got));
    assert_string_equal(notice_status_name((enum notice_status)99), "unknown");
}

static void booking_rule(void **state)
{
    (void)state;
    static const struct {
        enum notice_status status;
        const char *variant;
        enum notice_booking want;
        enum outcome outcome;
    } cases[] = {
        /* every status an ID a resident holds can have */
        {NOTICE_ISSUED, "SU-R", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_PUBLISHING, "SU-R", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_PUBLISHED, "SU-R", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_PUBLISHED, "U-O-F", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_PUBLISHED, "S-R-X", NOTICE_BOOK_YES, OUTCOME_NONE},
        /* a walk-in district's letter, with and without flags */
        {NOTICE_ISSUED, "SU-N", NOTICE_BOOK_WALK_IN, OUTCOME_NONE},
        {NOTICE_PUBLISHED, "U-N-F", NOTICE_BOOK_WALK_IN, OUTCOME_NONE},
        {NOTICE_PUBLISHING, "SU-N-X", NOTICE_BOOK_WALK_IN, OUTCOME_NONE},
        /* never arrived, never printed: whatever the variant */
        {NOTICE_RETURNED, "SU-R", NOTICE_BOOK_NONE, OUTCOME_NONE},
        {NOTICE_RETURNED, "SU-N", NOTICE_BOOK_NONE, OUTCOME_NONE},
        {NOTICE_REVIEW, "SU-O", NOTICE_BOOK_NONE, OUTCOME_NONE},
        {NOTICE_REVIEW, NULL, NOTICE_BOOK_NONE, OUTCOME_NONE},
        /* an unreadable variant keeps the ID */
        {NOTICE_PUBLISHED, "", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_PUBLISHED, "X-N", NOTICE_BOOK_YES, OUTCOME_NONE},
        {NOTICE_ISSUED, NULL, NOTICE_BOOK_YES, OUTCOME_NONE},
        /* a status the enum does not have is no ID a resident holds */
        {(enum notice_status)99, "SU-R", NOTICE_BOOK_NONE, OUTCOME_NONE},
        /* what became of the letter: a renewed or withdrawn resident's ID leaves the feed
         * whatever the letter said; a lapsed one stays (after-expiry booking, 新規発行) */
        {NOTICE_PUBLISHED, "SU-R", NOTICE_BOOK_NONE, OUTCOME_RENEWED},
        {NOTICE_PUBLISHED, "SU-N", NOTICE_BOOK_NONE, OUTCOME_RENEWED},
        {NOTICE_RETURNED, "SU-R", NOTICE_BOOK_NONE, OUTCOME_RENEWED},
        {NOTICE_PUBLISHED, "U-O-F", NOTICE_BOOK_NONE, OUTCOME_WITHDRAWN},
        {NOTICE_PUBLISHED, "SU-R", NOTICE_BOOK_YES, OUTCOME_LAPSED},
        {NOTICE_PUBLISHED, "SU-N", NOTICE_BOOK_WALK_IN, OUTCOME_LAPSED},
        {NOTICE_REVIEW, "SU-R", NOTICE_BOOK_NONE, OUTCOME_LAPSED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const enum notice_booking got =
            notice_booking(cases[i].status, cases[i].outcome, cases[i].variant);
        if (got != cases[i].want)
            fail_msg("case %zu: status %d variant %s: got %d, want %d", i, (int)cases[i].status,
                     cases[i].variant ? cases[i].variant : "(null)", (int)got, (int)cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_round_trip),
        cmocka_unit_test(booking_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
