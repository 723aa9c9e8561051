/* Tests for rules: the renewal window at every month end, each reason a letter is or is
 * not due (one by one and in precedence), certificate groups, variants and their codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "rules.h"

static cn_date iso(const char *s)
{
    cn_date d;
    if (!date_parse_iso(s, &d))
        fail_msg("bad test date %s", s);
    return d;
}

static void check_window(const char *expiry, const char *want_start)
{
    struct window w = rules_window(iso(expiry));
    char start[11];
    date_format_iso(w.start, start);
    if (strcmp(start, want_start) != 0)
        fail_msg("window of %s starts %s, expected %s", expiry, start, want_start);
    assert_int_equal(w.end, iso(expiry));
}

static void window_domain_examples(void **state)
{
    (void)state;
    check_window("2027-03-24", "2026-12-25");
    check_window("2027-05-01", "2027-02-02");
    check_window("2027-05-31", "2027-03-01");
    check_window("2028-05-31", "2028-03-01");
    check_window("2027-11-30", "2027-08-31");
}

/* Days 28-31 of every month of a common (2027) and a leap (2028) year; computed
 * independently (Python's datetime) so the table does not repeat the code under test. */
static void window_month_ends(void **state)
{
    (void)state;
    static const struct {
        const char *expiry, *start;
    } cases[] = {
        {"2027-01-28", "2026-10-29"}, {"2027-01-29", "2026-10-30"}, {"2027-01-30", "2026-10-31"},
        {"2027-01-31", "2026-11-01"}, {"2027-02-28", "2026-11-29"}, {"2027-03-28", "2026-12-29"},
        {"2027-03-29", "2026-12-30"}, {"2027-03-30", "2026-12-31"}, {"2027-03-31", "2027-01-01"},
        {"2027-04-28", "2027-01-29"}, {"2027-04-29", "2027-01-30"}, {"2027-04-30", "2027-01-31"},
        {"2027-05-28", "2027-03-01"}, {"2027-05-29", "2027-03-01"}, {"2027-05-30", "2027-03-01"},
        {"2027-05-31", "2027-03-01"}, {"2027-06-28", "2027-03-29"}, {"2027-06-29", "2027-03-30"},
        {"2027-06-30", "2027-03-31"}, {"2027-07-28", "2027-04-29"}, {"2027-07-29", "2027-04-30"},
        {"2027-07-30", "2027-05-01"}, {"2027-07-31", "2027-05-01"}, {"2027-08-28", "2027-05-29"},
        {"2027-08-29", "2027-05-30"}, {"2027-08-30", "2027-05-31"}, {"2027-08-31", "2027-06-01"},
        {"2027-09-28", "2027-06-29"}, {"2027-09-29", "2027-06-30"}, {"2027-09-30", "2027-07-01"},
        {"2027-10-28", "2027-07-29"}, {"2027-10-29", "2027-07-30"}, {"2027-10-30", "2027-07-31"},
        {"2027-10-31", "2027-08-01"}, {"2027-11-28", "2027-08-29"}, {"2027-11-29", "2027-08-30"},
        {"2027-11-30", "2027-08-31"}, {"2027-12-28", "2027-09-29"}, {"2027-12-29", "2027-09-30"},
        {"2027-12-30", "2027-10-01"}, {"2027-12-31", "2027-10-01"}, {"2028-01-28", "2027-10-29"},
        {"2028-01-29", "2027-10-30"}, {"2028-01-30", "2027-10-31"}, {"2028-01-31", "2027-11-01"},
        {"2028-02-28", "2027-11-29"}, {"2028-02-29", "2027-11-30"}, {"2028-03-28", "2027-12-29"},
        {"2028-03-29", "2027-12-30"}, {"2028-03-30", "2027-12-31"}, {"2028-03-31", "2028-01-01"},
        {"2028-04-28", "2028-01-29"}, {"2028-04-29", "2028-01-30"}, {"2028-04-30", "2028-01-31"},
        {"2028-05-28", "2028-02-29"}, {"2028-05-29", "2028-03-01"}, {"2028-05-30", "2028-03-01"},
        {"2028-05-31", "2028-03-01"}, {"2028-06-28", "2028-03-29"}, {"2028-06-29", "2028-03-30"},
        {"2028-06-30", "2028-03-31"}, {"2028-07-28", "2028-04-29"}, {"2028-07-29", "2028-04-30"},
        {"2028-07-30", "2028-05-01"}, {"2028-07-31", "2028-05-01"}, {"2028-08-28", "2028-05-29"},
        {"2028-08-29", "2028-05-30"}, {"2028-08-30", "2028-05-31"}, {"2028-08-31", "2028-06-01"},
        {"2028-09-28", "2028-06-29"}, {"2028-09-29", "2028-06-30"}, {"2028-09-30", "2028-07-01"},
        {"2028-10-28", "2028-07-29"}, {"2028-10-29", "2028-07-30"}, {"2028-10-30", "2028-07-31"},
        {"2028-10-31", "2028-08-01"}, {"2028-11-28", "2028-08-29"}, {"2028-11-29", "2028-08-30"},
        {"2028-11-30", "2028-08-31"}, {"2028-12-28", "2028-09-29"}, {"2028-12-29", "2028-09-30"},
        {"2028-12-30", "2028-10-01"}, {"2028-12-31", "2028-10-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_window(cases[i].expiry, cases[i].start);
}

/* Due on 2026-12-11: E 2027-03-24, S 2026-12-25, lead 14. */
static struct due_input due_base(void)
{
    struct due_input in = {0};
    in.run_date = iso("2026-12-11");
    in.lead_days = 14;
    in.expired_letters = false;
    in.status = STATUS_ACTIVE;
    in.cert_expiry = iso("2027-03-24");
    in.card_expiry = iso("2031-03-24");
    return in;
}

static void expect_due(const struct due_input *in, enum due_reason want, const char *what)
{
    enum due_reason got = rules_due(in);
    if (got != want)
        fail_msg("%s: got %s, expected %s", what, rules_reason_name(got), rules_reason_name(want));
}

static void due_reasons_one_by_one(void **state)
{
    (void)state;
    struct due_input in = due_base();
    expect_due(&in, DUE_YES, "first day of lead time");

    in = due_base();
    in.run_date = iso("2026-12-10");
    expect_due(&in, DUE_NOT_YET, "the day before lead time");
    in.lead_days = 15;
    expect_due(&in, DUE_YES, "a longer lead time");
    in.lead_days = 0;
    in.run_date = iso("2026-12-24");
    expect_due(&in, DUE_NOT_YET, "no lead time, day before the window");
    in.run_date = iso("2026-12-25");
    expect_due(&in, DUE_YES, "no lead time, window start");

    in = due_base();
    in.run_date = iso("2027-03-24");
    expect_due(&in, DUE_YES, "expiry day");
    in.run_date = iso("2027-03-25");
    expect_due(&in, DUE_EXPIRED, "the day after expiry");
    in.expired_letters = true;
    expect_due(&in, DUE_YES, "after expiry with expired letters");
    in.run_date = iso("2029-01-01");
    expect_due(&in, DUE_YES, "long after expiry with expired letters");

    in = due_base();
    in.status = STATUS_DECEASED;
    expect_due(&in, DUE_DECEASED, "deceased");
    in.status = STATUS_MOVED_OUT;
    expect_due(&in, DUE_MOVED_OUT, "moved out");

    in = due_base();
    in.hold = true;
    expect_due(&in, DUE_HOLD, "on hold");

    in = due_base();
    in.returned = true;
    expect_due(&in, DUE_RETURNED, "returned mail");

    in = due_base();
    in.already_sent = true;
    expect_due(&in, DUE_ALREADY_SENT, "already sent");
}

static void card_renewal_boundary(void **state)
{
    (void)state;
    static const struct {
        const char *cert, *card;
        enum due_reason want;
    } cases[] = {
        {"2027-03-24", "2027-06-24", DUE_YES},          /* exactly three months later */
        {"2027-03-24", "2027-06-23", DUE_CARD_RENEWAL}, /* one day short */
        {"2027-03-24", "2027-03-24", DUE_CARD_RENEWAL}, /* same day as the certificate */
        {"2027-03-24", "2027-01-01", DUE_CARD_RENEWAL}, /* card already before it */
        {"2027-11-30", "2028-02-29", DUE_YES},          /* clamped to the leap month end */
        {"2027-11-30", "2028-02-28", DUE_CARD_RENEWAL}, {"2026-11-30", "2027-02-28", DUE_YES},
        {"2026-11-30", "2027-02-27", DUE_CARD_RENEWAL}, {"2027-03-24", "2037-03-24", DUE_YES},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct due_input in = due_base();
        in.cert_expiry = iso(cases[i].cert);
        in.card_expiry = iso(cases[i].card);
        in.run_date = rules_window(in.cert_expiry).start;
        expect_due(&in, cases[i].want, cases[i].card);
    }
    struct due_input in = due_base();
    in.card_expiry = DATE_NONE;
    expect_due(&in, DUE_CARD_RENEWAL, "no card expiry");
}

/* Everything wrong at once, then fixed one thing at a time: each step must reveal the
 * next reason in the documented order. */
static void due_precedence(void **state)
{
    (void)state;
    for (int late = 0; late <= 1; late++) {
        struct due_input in = due_base();
        in.run_date = late ? iso("2027-04-01") : iso("2026-11-01");
        in.status = STATUS_DECEASED;
        in.hold = true;
        in.returned = true;
        in.card_expiry = in.cert_expiry;
        in.already_sent = true;
        expect_due(&in, DUE_DECEASED, "all");
        in.status = STATUS_MOVED_OUT;
        expect_due(&in, DUE_MOVED_OUT, "moved out over the rest");
        in.status = STATUS_ACTIVE;
        expect_due(&in, DUE_HOLD, "hold over the rest");
        in.hold = false;
        expect_due(&in, DUE_RETURNED, "returned over the rest");
        in.returned = false;
        expect_due(&in, DUE_CARD_RENEWAL, "card renewal over the rest");
        in.card_expiry = iso("2035-01-01");
        expect_due(&in, DUE_ALREADY_SENT, "already sent over timing");
        in.already_sent = false;
        expect_due(&in, late ? DUE_EXPIRED : DUE_NOT_YET, "timing last");
        in.expired_letters = true;
        expect_due(&in, late ? DUE_YES : DUE_NOT_YET, "expired letters only after expiry");
    }
}

static void reason_names(void **state)
{
    (void)state;
    static const char *const want[DUE_REASON_COUNT] = {
        [DUE_YES] = "due",
        [DUE_DECEASED] = "deceased",
        [DUE_MOVED_OUT] = "moved_out",
        [DUE_HOLD] = "hold",
        [DUE_RETURNED] = "returned",
        [DUE_CARD_RENEWAL] = "card_renewal",
        [DUE_NOT_YET] = "not_yet_due",
        [DUE_EXPIRED] = "expired",
        [DUE_ALREADY_SENT] = "already_sent",
    };
    for (int r = 0; r < DUE_REASON_COUNT; r++)
        assert_string_equal(rules_reason_name((enum due_reason)r), want[r]);
    assert_string_equal(rules_reason_name(DUE_REASON_COUNT), "unknown");
}

static struct resident person(const char *sign, const char *user)
{
    struct resident r;
    memset(&r, 0, sizeof r);
    r.sign_cert_expiry = sign ? iso(sign) : DATE_NONE;
    r.user_cert_expiry = user ? iso(user) : DATE_NONE;
    r.card_expiry = iso("2035-01-01");
    return r;
}

static void cert_groups(void **state)
{
    (void)state;
    struct cert_group g[2];
    struct resident r = person(NULL, NULL);
    assert_int_equal(rules_cert_groups(&r, g), 0);

    r = person("2027-03-24", "2027-03-24");
    assert_int_equal(rules_cert_groups(&r, g), 1);
    assert_int_equal(g[0].expiry, iso("2027-03-24"));
    assert_true(g[0].sign && g[0].user);

    r = person("2027-03-24", NULL);
    assert_int_equal(rules_cert_groups(&r, g), 1);
    assert_true(g[0].sign && !g[0].user);

    r = person(NULL, "2027-03-24");
    assert_int_equal(rules_cert_groups(&r, g), 1);
    assert_true(!g[0].sign && g[0].user);
    assert_int_equal(g[0].expiry, iso("2027-03-24"));

    r = person("2027-03-24", "2028-01-10");
    assert_int_equal(rules_cert_groups(&r, g), 2);
    assert_int_equal(g[0].expiry, iso("2027-03-24"));
    assert_true(g[0].sign && !g[0].user);
    assert_int_equal(g[1].expiry, iso("2028-01-10"));
    assert_true(!g[1].sign && g[1].user);

    r = person("2028-01-10", "2027-03-24");
    assert_int_equal(rules_cert_groups(&r, g), 2);
    assert_int_equal(g[0].expiry, iso("2027-03-24"));
    assert_true(!g[0].sign && g[0].user);
    assert_true(g[1].sign && !g[1].user);

    /* The data decides what exists, even for an adult ward. */
    r = person("2027-03-24", "2027-03-24");
    r.adult_ward = true;
    assert_int_equal(rules_cert_groups(&r, g), 1);
    assert_true(g[0].sign && g[0].user);
}

static void variants(void **state)
{
    (void)state;
    struct cert_group both = {iso("2027-03-24"), true, true};
    struct cert_group sign_only = {iso("2027-03-24"), true, false};
    struct resident r = person("2027-03-24", "2027-03-24");
    const cn_date before = iso("2027-01-10"), on = iso("2027-03-24"), after = iso("2027-03-25");

    struct variant v = rules_variant(&r, &both, RESV_REQUIRED, before);
    assert_true(v.sign && v.user);
    assert_false(v.face_auth || v.adult_ward || v.expired);
    assert_int_equal(v.policy, RESV_REQUIRED);

    v = rules_variant(&r, &both, RESV_NONE, on);
    assert_false(v.expired);
    assert_int_equal(v.policy, RESV_NONE);
    v = rules_variant(&r, &both, RESV_OPTIONAL, after);
    assert_true(v.expired);

    r.face_auth = true;
    v = rules_variant(&r, &both, RESV_REQUIRED, before);
    assert_true(v.face_auth && v.sign && v.user);

    r.face_auth = false;
    r.adult_ward = true;
    v = rules_variant(&r, &both, RESV_REQUIRED, before);
    assert_true(v.adult_ward && !v.sign && v.user);
    v = rules_variant(&r, &sign_only, RESV_REQUIRED, before);
    assert_true(v.adult_ward && !v.sign && v.user);
}

/* Field by field: padding bytes of a struct are not part of its value. */
static void assert_variant_equal(const struct variant *a, const struct variant *b)
{
    assert_int_equal(a->sign, b->sign);
    assert_int_equal(a->user, b->user);
    assert_int_equal(a->face_auth, b->face_auth);
    assert_int_equal(a->adult_ward, b->adult_ward);
    assert_int_equal(a->expired, b->expired);
    assert_int_equal(a->policy, b->policy);
    assert_int_equal(a->reminder, b->reminder);
}

static void variant_codes(void **state)
{
    (void)state;
    static const struct {
        struct variant v;
        const char *code;
    } cases[] = {
        {{true, true, false, false, false, RESV_REQUIRED, false}, "SU-R"},
        {{false, true, true, false, false, RESV_NONE, false}, "U-N-F"},
        {{true, false, false, false, true, RESV_OPTIONAL, false}, "S-O-X"},
        {{false, true, false, true, false, RESV_REQUIRED, false}, "U-R-W"},
        {{false, true, true, true, true, RESV_OPTIONAL, false}, "U-O-FWX"},
        {{true, true, true, false, true, RESV_NONE, false}, "SU-N-FX"},
        /* the reminder: its own code on the sheet mark */
        {{true, true, false, false, false, RESV_REQUIRED, true}, "SU-R-M"},
        {{false, true, true, true, false, RESV_NONE, true}, "U-N-FWM"},
        {{false, true, true, true, true, RESV_OPTIONAL, true}, "U-O-FWXM"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char code[VARIANT_CODE_MAX];
        rules_variant_code(&cases[i].v, code);
        assert_string_equal(code, cases[i].code);
        struct variant back;
        assert_true(rules_variant_parse(code, &back));
        assert_variant_equal(&back, &cases[i].v);
    }
}

/* Every variant with a certificate: code then parse gives it back, and its code is the
 * only spelling parse accepts for it. */
static void variant_codes_round_trip(void **state)
{
    (void)state;
    int n = 0;
    for (int certs = 1; certs <= 3; certs++)
        for (int policy = RESV_REQUIRED; policy <= RESV_NONE; policy++)
            for (int flags = 0; flags < 16; flags++) {
                struct variant v;
                memset(&v, 0, sizeof v);
                v.sign = certs & 1;
                v.user = certs & 2;
                v.policy = (enum resv_policy)policy;
                v.face_auth = flags & 1;
                v.adult_ward = flags & 2;
                v.expired = flags & 4;
                v.reminder = flags & 8;
                char code[VARIANT_CODE_MAX], again[VARIANT_CODE_MAX];
                rules_variant_code(&v, code);
                assert_true(strlen(code) < VARIANT_CODE_MAX);
                struct variant back;
                memset(&back, 0, sizeof back);
                if (!rules_variant_parse(code, &back))
                    fail_msg("cannot parse %s", code);
                assert_variant_equal(&back, &v);
                rules_variant_code(&back, again);
                assert_string_equal(again, code);
                n++;
            }
    assert_int_equal(n, 144);
}

static void variant_parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        "SU",    "SU-",  "US-R",    "SU-R-",     "SU-R-XF", "SU-R-FF", "SU-Q",
        "-R",      "SU-RR", "su-r", "SU-R-F ", " SU-R",     "SSU-R",   "SU-R-WF", "SU-R-Z",
        "SU-R--F", "SUU-R", "X-R",  "SU_R",    "SU-R-FWXX", "SU-R-MX", "SU-R-MM", "SU-M",
    };
    struct variant v;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rules_variant_parse(bad[i], &v))
            fail_msg("accepted '%s'", bad[i]);
    assert_false(rules_variant_parse(NULL, &v));
}

static void returned_hold_lifts_on_a_new_address(void **state)
{
    (void)state;
    static const struct {
        bool held;
        struct mail_address after;
        bool kept;
    } cases[] = {
        {true, {"4860816", "春日井市鳥居松町5", "101号"}, true},   /* the same address */
        {false, {"4860816", "春日井市鳥居松町5", "101号"}, false}, /* no hold to keep */
        {true, {"4860817", "春日井市鳥居松町5", "101号"}, false},  /* new postcode */
        {true, {"4860816", "春日井市鳥居松町6", "101号"}, false},  /* new address */
        {true, {"4860816", "春日井市鳥居松町5", "102号"}, false},  /* new room */
        {true, {"4860816", "春日井市鳥居松町5", ""}, false},       /* the building dropped */
        {true, {"4860816", "春日井市鳥居松町5 ", "101号"}, false}, /* text, not meaning */
        {false, {"1000001", "東京都", ""}, false},
    };
    const struct mail_address before = {"4860816", "春日井市鳥居松町5", "101号"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (rules_returned_hold_kept(cases[i].held, &before, &cases[i].after) != cases[i].kept)
            fail_msg("case %zu: want kept=%d", i, cases[i].kept);
    /* an absent building reads as empty, as the database stores it */
    const struct mail_address no_building = {"4860816", "春日井市鳥居松町5", NULL};
    const struct mail_address empty_building = {"4860816", "春日井市鳥居松町5", ""};
    assert_true(rules_returned_hold_kept(true, &no_building, &empty_building));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(window_domain_examples),
        cmocka_unit_test(window_month_ends),
        cmocka_unit_test(due_reasons_one_by_one),
        cmocka_unit_test(card_renewal_boundary),
        cmocka_unit_test(due_precedence),
        cmocka_unit_test(reason_names),
        cmocka_unit_test(cert_groups),
        cmocka_unit_test(variants),
        cmocka_unit_test(variant_codes),
        cmocka_unit_test(variant_codes_round_trip),
        cmocka_unit_test(variant_parse_refuses),
        cmocka_unit_test(returned_hold_lifts_on_a_new_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
