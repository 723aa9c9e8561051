/* Tests for outcome: what the export says became of a letter (renewed, lapsed, withdrawn),
 * the reminder rule, the 新規発行 letter after a lapse, and the take-up age bands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "outcome.h"

#define D(y, m, d) date_from_ymd(y, m, d)
#define NONE DATE_NONE

static void names_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i < OUTCOME_COUNT; i++) {
        enum outcome got = OUTCOME_COUNT;
        assert_true(outcome_parse(outcome_name((enum outcome)i), &got));
        assert_int_equal(got, i);
    }
    enum outcome got;
    assert_true(outcome_parse(NULL, &got));
    assert_int_equal(got, OUTCOME_NONE);
    assert_string_equal(outcome_name(OUTCOME_RENEWED), "renewed");
    assert_string_equal(outcome_name(OUTCOME_LAPSED), "lapsed");
    assert_string_equal(outcome_name(OUTCOME_WITHDRAWN), "withdrawn");
    assert_false(outcome_parse("expired", &got));
}

static void decide_table(void **state)
{
    (void)state;
    const cn_date e = D(2027, 3, 24), card = D(2031, 8, 1);
    static const enum resident_status A = STATUS_ACTIVE, X = STATUS_DECEASED, M = STATUS_MOVED_OUT;
    const struct {
        struct outcome_input in;
        enum outcome want;
    } cases[] = {
        /* nothing has changed before expiry: open */
        {{D(2027, 2, 1), e, true, true, card, A, e, e, card}, OUTCOME_NONE},
        /* the same expiry again is no renewal, on the last day too */
        {{e, e, true, true, card, A, e, e, card}, OUTCOME_NONE},
        /* a later expiry for both certificates */
        {{D(2027, 2, 1), e, true, true, card, A, D(2032, 3, 24), D(2032, 3, 24), card},
         OUTCOME_RENEWED},
        /* renewed on the day after expiry is still a renewal, not a lapse */
        {{e + 1, e, true, true, card, A, D(2032, 3, 24), D(2032, 3, 24), card}, OUTCOME_RENEWED},
        /* the letter was about the signing certificate; the user one's later date is old */
        {{D(2027, 2, 1), e, true, false, card, A, e, D(2029, 5, 1), card}, OUTCOME_NONE},
        {{D(2027, 2, 1), e, true, false, card, A, D(2032, 3, 24), D(2029, 5, 1), card},
         OUTCOME_RENEWED},
        /* an earlier date (a correction) is no renewal */
        {{D(2027, 2, 1), e, true, true, card, A, e - 30, e - 30, card}, OUTCOME_NONE},
        /* a reissued card: new card and certificate expiries */
        {{D(2027, 2, 1), e, true, true, card, A, D(2036, 5, 1), D(2036, 5, 1), D(2036, 5, 1)},
         OUTCOME_RENEWED},
        /* a new card without certificates (declined): the old expiry no longer stands */
        {{D(2027, 2, 1), e, true, true, card, A, NONE, NONE, D(2036, 5, 1)}, OUTCOME_RENEWED},
        /* the card the letter went to is unknown (a notice from before it was kept) */
        {{D(2027, 2, 1), e, true, true, NONE, A, e, e, D(2036, 5, 1)}, OUTCOME_NONE},
        /* moved out or died: withdrawn, before or after expiry, never lapsed */
        {{D(2027, 2, 1), e, true, true, card, M, e, e, card}, OUTCOME_WITHDRAWN},
        {{e + 3, e, true, true, card, X, e, e, card}, OUTCOME_WITHDRAWN},
        /* renewed, then moved out in the same export: the renewal counts */
        {{D(2027, 2, 1), e, true, true, card, M, D(2032, 3, 24), D(2032, 3, 24), card},
         OUTCOME_RENEWED},
        /* expiry passed with nothing new: lapsed */
        {{e + 1, e, true, true, card, A, e, e, card}, OUTCOME_LAPSED},
        {{e + 1, e, false, true, card, A, NONE, e, card}, OUTCOME_LAPSED},
        /* unknown certificates: either one renewed counts */
        {{D(2027, 2, 1), e, false, false, card, A, e, D(2032, 3, 24), card}, OUTCOME_RENEWED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const enum outcome got = outcome_decide(&cases[i].in);
        if (got != cases[i].want)
            fail_msg("case %zu: got %s, want %s", i, outcome_name(got),
                     outcome_name(cases[i].want));
    }
}

static void reminder_table(void **state)
{
    (void)state;
    const cn_date e = D(2027, 3, 24), day = e - 30, letter = D(2026, 12, 10);
    const struct {
        struct reminder_input in;
        bool want;
    } cases[] = {
        /* the day itself, and a night that made it up later, up to the day before expiry */
        {{day, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, true},
        {{day + 3, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, true},
        {{e - 1, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, true},
        /* not before the day, not on or after expiry */
        {{day - 1, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, false},
        {{e, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, false},
        /* off without the element */
        {{day, 0, e, letter, true, OUTCOME_NONE, false, false, DUE_YES}, false},
        /* once per notice */
        {{day, 30, e, letter, true, OUTCOME_NONE, false, true, DUE_YES}, false},
        /* booked, renewed, withdrawn: no reminder */
        {{day, 30, e, letter, true, OUTCOME_NONE, true, false, DUE_YES}, false},
        {{day, 30, e, letter, true, OUTCOME_RENEWED, false, false, DUE_YES}, false},
        {{day, 30, e, letter, true, OUTCOME_WITHDRAWN, false, false, DUE_YES}, false},
        /* the letter never went out (returned, held) */
        {{day, 30, e, letter, false, OUTCOME_NONE, false, false, DUE_YES}, false},
        /* no longer due: on hold, returned mail, the card's own renewal */
        {{day, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_HOLD}, false},
        {{day, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_RETURNED}, false},
        {{day, 30, e, letter, true, OUTCOME_NONE, false, false, DUE_CARD_RENEWAL}, false},
        /* a letter sent on or after the reminder's day is its own reminder */
        {{day + 2, 30, e, day, true, OUTCOME_NONE, false, false, DUE_YES}, false},
        {{day + 2, 30, e, day - 1, true, OUTCOME_NONE, false, false, DUE_YES}, true},
        {{day, 30, e, NONE, true, OUTCOME_NONE, false, false, DUE_YES}, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (outcome_reminder_due(&cases[i].in) != cases[i].want)
            fail_msg("case %zu: want %d", i, cases[i].want);
}

static void lapse_letter_table(void **state)
{
    (void)state;
    const cn_date e = D(2027, 3, 24), l = D(2026, 12, 10);
    assert_true(outcome_lapse_letter_due(e + 1, e, l, true, true, DUE_YES));
    assert_true(outcome_lapse_letter_due(e + 1, e, e, true, true, DUE_YES));
    assert_true(outcome_lapse_letter_due(e + OUTCOME_LAPSE_LETTER_DAYS, e, l, true, true, DUE_YES));
    /* the config sends none: the existing expired-letters setting decides */
    assert_false(outcome_lapse_letter_due(e + 1, e, l, false, true, DUE_YES));
    /* found long after: a database from before lapses were kept */
    assert_false(
        outcome_lapse_letter_due(e + OUTCOME_LAPSE_LETTER_DAYS + 1, e, l, true, true, DUE_YES));
    assert_false(outcome_lapse_letter_due(e, e, l, true, true, DUE_YES));
    assert_false(outcome_lapse_letter_due(e + 1, e, l, true, false, DUE_YES));
    assert_false(outcome_lapse_letter_due(e + 1, e, l, true, true, DUE_HOLD));
    /* the letter itself went after expiry: it was the 新規発行 letter */
    assert_false(outcome_lapse_letter_due(e + 2, e, e + 1, true, true, DUE_YES));
    assert_false(outcome_lapse_letter_due(e + 2, e, DATE_NONE, true, true, DUE_YES));
}

static void age_bands(void **state)
{
    (void)state;
    const struct {
        cn_date birth, day;
        const char *want;
    } cases[] = {
        {D(1985, 4, 1), D(2027, 3, 31), "40-49"}, {D(1985, 4, 1), D(2025, 3, 31), "30-39"},
        {D(1985, 4, 1), D(2025, 4, 1), "40-49"},  {D(2020, 1, 1), D(2027, 1, 1), "0-9"},
        {D(1940, 1, 1), D(2027, 1, 1), "80+"},    {D(1947, 1, 2), D(2027, 1, 1), "70-79"},
        {NONE, D(2027, 1, 1), "unknown"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char band[16];
        outcome_age_band(cases[i].birth, cases[i].day, band);
        assert_string_equal(band, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_round_trip), cmocka_unit_test(decide_table),
        cmocka_unit_test(reminder_table),   cmocka_unit_test(lapse_letter_table),
        cmocka_unit_test(age_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
