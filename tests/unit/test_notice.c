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

/* Who stays in tonight's feed: the letter's own rule, then the resident and the window. */
static void feed_rule(void **state)
{
    (void)state;
    const cn_date today = date_from_ymd(2026, 12, 2);
    static const struct {
        const char *what;
        enum notice_status status;
        const char *variant;
        bool active, held, current;
        int last_offset; /* last bookable day, days from today; 9999: after expiry too */
        enum notice_booking want;
    } cases[] = {
        {"due", NOTICE_PUBLISHED, "SU-R", true, false, true, 60, NOTICE_BOOK_YES},
        {"tonight's letter", NOTICE_ISSUED, "U-R", true, false, true, 60, NOTICE_BOOK_YES},
        {"books on its last day", NOTICE_PUBLISHED, "SU-R", true, false, true, 0, NOTICE_BOOK_YES},
        {"window over", NOTICE_PUBLISHED, "SU-R", true, false, true, -1, NOTICE_BOOK_NONE},
        {"after expiry allowed", NOTICE_PUBLISHED, "SU-R", true, false, true, 9999,
         NOTICE_BOOK_YES},
        {"walk-in letter", NOTICE_PUBLISHED, "SU-N", true, false, true, 60, NOTICE_BOOK_WALK_IN},
        {"moved out or deceased", NOTICE_PUBLISHED, "SU-R", false, false, true, 60,
         NOTICE_BOOK_NONE},
        {"held", NOTICE_PUBLISHED, "SU-R", true, true, true, 60, NOTICE_BOOK_NONE},
        {"renewed (a later expiry)", NOTICE_PUBLISHED, "SU-R", true, false, false, 60,
         NOTICE_BOOK_NONE},
        {"returned mail", NOTICE_RETURNED, "SU-R", true, false, true, 60, NOTICE_BOOK_NONE},
        {"withdrawn for review", NOTICE_REVIEW, "SU-R", true, false, true, 60, NOTICE_BOOK_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct notice_subject n = {
            .status = cases[i].status,
            .variant = cases[i].variant,
            .resident_active = cases[i].active,
            .held = cases[i].held,
            .cert_current = cases[i].current,
            .last_day = cases[i].last_offset == 9999 ? INT32_MAX : today + cases[i].last_offset,
        };
        const enum notice_booking got = notice_feed(&n, today);
        if (got != cases[i].want)
            fail_msg("%s: got %d, want %d", cases[i].what, (int)got, (int)cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_names_round_trip),
        cmocka_unit_test(booking_rule),
        cmocka_unit_test(feed_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
