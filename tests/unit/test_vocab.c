/* vocab: every template name answers from the right field of the config, the letter's
 * values, the resident, the district or the office, and every flag from the right fact;
 * the names tmpl_load accepts are exactly the ones answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "letter.h"
#include "letter_values.h"
#include "vocab.h"

static struct config cfg;
static struct district district;
static struct office office;
static struct resident res;
static struct letter let;
static struct letter_values vals;

static struct vocab_ctx ctx(bool in_office)
{
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.municipality, sizeof cfg.municipality, "横浜市");
    snprintf(cfg.sender, sizeof cfg.sender, "市長");
    snprintf(cfg.department, sizeof cfg.department, "戸籍課");
    snprintf(cfg.sender_address, sizeof cfg.sender_address, "港町1-1");
    snprintf(cfg.sender_phone, sizeof cfg.sender_phone, "045-000-0000");
    snprintf(cfg.booking_phone, sizeof cfg.booking_phone, "0120-000-000");
    snprintf(cfg.booking_hours, sizeof cfg.booking_hours, "平日9時から");
    snprintf(cfg.booking_phones, sizeof cfg.booking_phones, "0120-000-000（平日）");
    snprintf(cfg.sender_postal, sizeof cfg.sender_postal, "2310017");
    snprintf(cfg.booking_url, sizeof cfg.booking_url, "https://r.example/R/{rid}");
    cfg.example = true;
    memset(&district, 0, sizeof district);
    snprintf(district.name, sizeof district.name, "中区");
    memset(&office, 0, sizeof office);
    snprintf(office.name, sizeof office.name, "中区役所");
    snprintf(office.address, sizeof office.address, "日本大通35");
    snprintf(office.phone, sizeof office.phone, "045-224-0000");
    snprintf(office.note, sizeof office.note, "駐車場なし");
    snprintf(office.contact, sizeof office.contact, "予約は電話で");
    memset(&res, 0, sizeof res);
    snprintf(res.resident_id, sizeof res.resident_id, "A0001");
    snprintf(res.name, sizeof res.name, "山田太郎");
    snprintf(res.name_kana, sizeof res.name_kana, "ヤマダタロウ");
    snprintf(res.postal_code, sizeof res.postal_code, "2310023");
    snprintf(res.address, sizeof res.address, "山下町1");
    snprintf(res.address2, sizeof res.address2, "101号");
    res.birth_date = date_from_ymd(1980, 5, 6);
    memset(&let, 0, sizeof let);
    let.r = &res;
    let.district = &district;
    let.certs.expiry = date_from_ymd(2027, 3, 24);
    let.window.start = date_from_ymd(2026, 12, 24);
    let.window.end = date_from_ymd(2027, 3, 24);
    let.issue_date = date_from_ymd(2026, 12, 1);
    let.variant.sign = true;
    let.variant.policy = RESV_REQUIRED;
    let.variant.adult_ward = true;
    let.reprint = true;
    snprintf(let.rid, sizeof let.rid, "K7QP3XW9RT2A");
    let.seq = 42;
    let.file_no = 3;
    letter_values_fill(&cfg, NULL, &let, &vals);
    struct vocab_ctx c = {.cfg = &cfg, .l = &let, .v = &vals, .specimen = true};
    if (in_office) {
        c.office = &office;
        c.office_hours = "月〜金 8:45〜17:00";
    }
    return c;
}

static void test_every_variable_answers_its_field(void **state)
{
    (void)state;
    struct vocab_ctx c = ctx(true);
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"municipality", "横浜市"},
        {"sender", "市長"},
        {"department", "戸籍課"},
        {"sender_address", "港町1-1"},
        {"sender_postal", "〒231-0017"},
        {"sender_phone", "045-000-0000"},
        {"booking_phone", "0120-000-000"},
        {"booking_hours", "平日9時から"},
        {"booking_phones", "0120-000-000（平日）"},
        {"certs", "署名用電子証明書"},
        {"name", "山田太郎"},
        {"name_kana", "ヤマダタロウ"},
        {"postal", "〒231-0023"},
        {"address", "山下町1"},
        {"address2", "101号"},
        {"booking_url", "https://r.example/R/K7QP3XW9RT2A"},
        {"expiry_western", "2027年3月24日"},
        {"district", "中区"},
        {"resident_id", "A0001"},
        {"seq", "000042"},
        {"file_no", "003"},
        {"office.name", "中区役所"},
        {"office.address", "日本大通35"},
        {"office.phone", "045-224-0000"},
        {"office.hours", "月〜金 8:45〜17:00"},
        {"office.note", "駐車場なし"},
        {"office.contact", "予約は電話で"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = vocab_lookup(&c, cases[i].name);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("{%s}: got \"%s\", want \"%s\"", cases[i].name, got, cases[i].want);
    }
    assert_string_equal(vocab_lookup(&c, "rid"), vals.rid);
    assert_string_equal(vocab_lookup(&c, "expiry_wareki"), vals.expiry_wareki);
    assert_string_equal(vocab_lookup(&c, "window_start_wareki"), vals.window_start);
    assert_string_equal(vocab_lookup(&c, "window_end_wareki"), vals.window_end);
    assert_string_equal(vocab_lookup(&c, "issue_wareki"), vals.issue);
    assert_string_equal(vocab_lookup(&c, "birth_wareki"), vals.birth);
    assert_string_equal(vocab_lookup(&c, "variant"), vals.variant);
}

/* Every name the templates may use has a value for a full letter: a name added to the
 * table without a source would print empty. */
static void test_every_name_has_a_value(void **state)
{
    (void)state;
    struct vocab_ctx c = ctx(true);
    struct tmpl_names names = vocab_names();
    assert_true(names.n_vars >= 30);
    for (size_t i = 0; i < names.n_vars; i++)
        if (vocab_lookup(&c, names.vars[i].name)[0] == '\0')
            fail_msg("{%s} is empty", names.vars[i].name);
}

static void test_office_names_are_empty_outside_each(void **state)
{
    (void)state;
    struct vocab_ctx c = ctx(false);
    assert_string_equal(vocab_lookup(&c, "office.name"), "");
    assert_string_equal(vocab_lookup(&c, "office.hours"), "");
    let.district = NULL;
    assert_string_equal(vocab_lookup(&c, "district"), "");
    assert_string_equal(vocab_lookup(&c, "nonesuch"), "");
}

static void test_dependencies(void **state)
{
    (void)state;
    struct tmpl_names names = vocab_names();
    static const struct {
        const char *name;
        enum tmpl_dep dep;
    } cases[] = {{"sender", TDEP_CONFIG}, {"certs", TDEP_VARIANT},
                 {"name", TDEP_LETTER},   {"office.name", TDEP_OFFICE},
                 {"rid", TDEP_LETTER},    {"sender_postal", TDEP_CONFIG}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool found = false;
        for (size_t j = 0; j < names.n_vars; j++)
            if (strcmp(names.vars[j].name, cases[i].name) == 0) {
                assert_int_equal(names.vars[j].dep, cases[i].dep);
                found = true;
            }
        if (!found)
            fail_msg("{%s} missing", cases[i].name);
    }
}

static void test_flags(void **state)
{
    (void)state;
    struct vocab_ctx c = ctx(false);
    static const struct {
        const char *name, *value;
        bool want;
    } cases[] = {
        {"sign", "", true},        {"user", "", false},     {"face_auth", "", false},
        {"adult_ward", "", true},  {"expired", "", false},  {"example", "", true},
        {"specimen", "", true},    {"reprint", "", true},   {"address2", "", true},
        {"policy", "none", false}, {"nonesuch", "", false}, {"reminder", "", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (vocab_flag(&c, cases[i].name, cases[i].value) != cases[i].want)
            fail_msg("flag %s=%s: want %d", cases[i].name, cases[i].value, cases[i].want);
    /* policy compares the config's name of the letter's policy. */
    assert_true(vocab_flag(&c, "policy", config_policy_name(let.variant.policy)));
    res.address2[0] = '\0';
    assert_false(vocab_flag(&c, "address2", ""));
    /* The reminder is a variant of its own: its headline goes with the flag. */
    let.variant.reminder = true;
    assert_true(vocab_flag(&c, "reminder", ""));
    let.variant.reminder = false;
    /* Every flag the templates may use is one of the cases above. */
    struct tmpl_names names = vocab_names();
    for (size_t j = 0; j < names.n_flags; j++) {
        bool found = false;
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
            found = found || strcmp(cases[i].name, names.flags[j].name) == 0;
        if (!found)
            fail_msg("flag %s untested", names.flags[j].name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_variable_answers_its_field),
        cmocka_unit_test(test_every_name_has_a_value),
        cmocka_unit_test(test_office_names_are_empty_outside_each),
        cmocka_unit_test(test_dependencies),
        cmocka_unit_test(test_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
