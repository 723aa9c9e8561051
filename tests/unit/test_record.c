/* record: every field rule of the input contract, one table row per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "record.h"

static bool known_district(const char *code, void *ctx)
{
    (void)ctx;
    return strcmp(code, "01") == 0 || strcmp(code, "02") == 0;
}

static void good_values(const char *v[F_COUNT])
{
    v[F_RESIDENT_ID] = "A0001";
    v[F_NAME] = "山田　太郎";
    v[F_NAME_KANA] = "ヤマダ　タロウ";
    v[F_BIRTH_DATE] = "1980-02-29";
    v[F_POSTAL_CODE] = "486-8686";
    v[F_ADDRESS] = "愛知県春日井市鳥居松町5丁目44番地";
    v[F_ADDRESS2] = "コーポ春日井101号";
    v[F_DISTRICT] = "01";
    v[F_CARD_EXPIRY] = "2031-05-31";
    v[F_SIGN_CERT_EXPIRY] = "2027-05-31";
    v[F_USER_CERT_EXPIRY] = "";
    v[F_FACE_AUTH] = "0";
    v[F_ADULT_WARD] = "1";
    v[F_STATUS] = "moved_out";
    v[F_HOLD] = "0";
    v[F_LANGUAGE] = NULL; /* the optional column absent, as in files from before it */
}

static void test_good_record(void **state)
{
    (void)state;
    const char *v[F_COUNT];
    good_values(v);
    struct resident r;
    struct record_problem p;
    assert_true(record_from_fields(v, known_district, NULL, &r, &p));
    assert_string_equal(r.resident_id, "A0001");
    assert_string_equal(r.name, "山田　太郎");
    assert_string_equal(r.postal_code, "4868686");
    assert_int_equal(r.birth_date, date_from_ymd(1980, 2, 29));
    assert_int_equal(r.card_expiry, date_from_ymd(2031, 5, 31));
    assert_int_equal(r.sign_cert_expiry, date_from_ymd(2027, 5, 31));
    assert_int_equal(r.user_cert_expiry, DATE_NONE);
    assert_false(r.face_auth);
    assert_true(r.adult_ward);
    assert_false(r.hold);
    assert_int_equal(r.status, STATUS_MOVED_OUT);
    assert_string_equal(r.language, "");
    v[F_LANGUAGE] = "pt-BR"; /* kept as the registry wrote it; lang.h reads it */
    assert_true(record_from_fields(v, known_district, NULL, &r, &p));
    assert_string_equal(r.language, "pt-BR");
    v[F_LANGUAGE] = NULL;

    /* Optional columns absent altogether; postal code without hyphen. */
    v[F_NAME_KANA] = NULL;
    v[F_ADDRESS2] = NULL;
    v[F_POSTAL_CODE] = "4868686";
    v[F_STATUS] = "active";
    v[F_HOLD] = "1";
    assert_true(record_from_fields(v, known_district, NULL, &r, &p));
    assert_string_equal(r.name_kana, "");
    assert_string_equal(r.postal_code, "4868686");
    assert_int_equal(r.status, STATUS_ACTIVE);
    assert_true(r.hold);
    /* variation selectors are Mn, not format characters: MJ names keep theirs */
    static const char *const selected[] = {"辻\U000E0102　太郎", "葛\U000E0100城　花子",
                                           "禰\uFE00豆子", "ミホン\U000E01EF"};
    for (size_t i = 0; i < sizeof selected / sizeof selected[0]; i++) {
        v[F_NAME] = selected[i];
        assert_true(record_from_fields(v, known_district, NULL, &r, &p));
        assert_string_equal(r.name, selected[i]);
    }
}

/* Full-length fields of four-byte characters fit their buffers exactly. */
static void test_limits_in_characters(void **state)
{
    (void)state;
    char name[NAME_MAX_CHARS * 4 + 8] = "", addr[ADDRESS_MAX_CHARS * 3 + 8] = "";
    for (int i = 0; i < NAME_MAX_CHARS; i++)
        strcat(name, "\xF0\xA0\xAE\xB7"); /* U+20BB7 𠮷 */
    for (int i = 0; i < ADDRESS_MAX_CHARS; i++)
        strcat(addr, "町");
    const char *v[F_COUNT];
    good_values(v);
    v[F_NAME] = name;
    v[F_ADDRESS] = addr;
    v[F_RESIDENT_ID] = "ABCDEFGHIJ0123456789";
    struct resident r;
    struct record_problem p;
    assert_true(record_from_fields(v, known_district, NULL, &r, &p));
    assert_string_equal(r.name, name);
    assert_string_equal(r.address, addr);
    strcat(name, "a");
    assert_false(record_from_fields(v, known_district, NULL, &r, &p));
    assert_int_equal(p.field, F_NAME);
    assert_string_equal(p.reason, "name is 41 characters long; at most 40 are allowed");
}

static void test_rejects(void **state)
{
    (void)state;
    static const struct {
        enum field field;
        const char *value;
        const char *reason;
    } cases[] = {
        {F_RESIDENT_ID, "", "resident_id is empty; it is required"},
        {F_RESIDENT_ID, "A-001",
         "resident_id 'A-001' must be 1 to 20 half-width letters or digits (0-9, A-Z, a-z)"},
        {F_RESIDENT_ID, "ＡＢＣ", NULL},
        {F_RESIDENT_ID, "ABCDEFGHIJ01234567890", NULL},
        {F_NAME, " \xE3\x80\x80 ", "name is empty; it is required"},
        {F_NAME, "山田\t太郎",
         "name contains a control character (U+0009) at character 3; remove tabs, line "
         "breaks and other invisible characters"},
        {F_NAME, "a\xC2\x85", NULL}, /* C1 control NEL */
        /* format characters (Cf): bidi overrides and isolates, zero-width ones, BOM, soft
         * hyphen, tags (issue 26) */
        {F_NAME, "山田\u202E太郎",
         "name contains an invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) at "
         "character 3; remove it"},
        {F_NAME_KANA, "ヤマダ\u200Bタロウ",
         "name_kana contains an invisible format character U+200B (ZERO WIDTH SPACE) at "
         "character 4; remove it"},
        {F_ADDRESS, "見本市\u2066本町\u2069", NULL},
        {F_ADDRESS2, "\uFEFFハイツ", NULL},
        {F_NAME, "山田\u00AD太郎", NULL},
        {F_NAME, "山田\u200D太郎", NULL},
        {F_NAME, "山田\u200E", NULL},
        {F_NAME, "山田\u2060", NULL},
        {F_NAME, "山田\U000E0041", NULL},
        {F_NAME_KANA, "ヤマダ\u0600",
         "name_kana contains an invisible format character U+0600 at character 4; remove it"},
        {F_NAME, "\xFF\xFE",
         "name is not valid UTF-8 (bad byte 0xFF after 0 characters); "
         "check the file's encoding"},
        {F_NAME, "\xC0\xAF", NULL},     /* overlong '/' */
        {F_NAME, "\xED\xA0\x80", NULL}, /* surrogate */
        {F_NAME, "\xE5\xB1", NULL},     /* truncated sequence */
        {F_NAME_KANA, "ヤ\x7F", NULL},
        {F_ADDRESS, "", "address is empty; it is required"},
        {F_ADDRESS2, "a\nb", NULL},
        {F_LANGUAGE, "<script>",
         "language '<script>' must be an ISO language code like en, pt-BR or zh-Hans"},
        {F_LANGUAGE, "english", NULL},
        {F_LANGUAGE, "abcdefghijklmnopqrstuvwxyzabcdefghij", NULL}, /* 36: too long */
        {F_BIRTH_DATE, "2027-02-30", "birth_date '2027-02-30' is not a real date"},
        {F_BIRTH_DATE, "1999-13-01", "birth_date '1999-13-01' is not a real date"},
        {F_BIRTH_DATE, "1700-01-01", "birth_date '1700-01-01' has a year outside 1800-2999"},
        {F_BIRTH_DATE, "1980/01/01", "birth_date '1980/01/01' is not a date written YYYY-MM-DD"},
        {F_BIRTH_DATE, "", "birth_date is empty; it is required"},
        {F_CARD_EXPIRY, "2031-5-31", NULL},
        {F_SIGN_CERT_EXPIRY, "2027-02-29", "sign_cert_expiry '2027-02-29' is not a real date"},
        {F_USER_CERT_EXPIRY, "none", NULL},
        {F_POSTAL_CODE, "486-868",
         "postal_code '486-868' must be 7 half-width digits, written NNN-NNNN or NNNNNNN"},
        {F_POSTAL_CODE, "4868-686", NULL},
        {F_POSTAL_CODE, "４８６８６８６", NULL},
        {F_POSTAL_CODE, "48686860", NULL},
        {F_DISTRICT, "99",
         "district '99' is not a district code in this municipality's configuration"},
        {F_DISTRICT, "01234567890123456", NULL},
        {F_FACE_AUTH, "yes", "face_auth 'yes' must be 0 or 1"},
        {F_ADULT_WARD, "2", NULL},
        {F_HOLD, "", "hold is empty; it is required"},
        {F_HOLD, "01", NULL},
        {F_STATUS, "Active", "status 'Active' must be active, deceased or moved_out"},
        {F_STATUS, "dead", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v[F_COUNT];
        good_values(v);
        v[cases[i].field] = cases[i].value;
        struct resident r;
        struct record_problem p;
        if (record_from_fields(v, known_district, NULL, &r, &p))
            fail_msg("case %zu (%s '%s') was accepted", i, record_field_name(cases[i].field),
                     cases[i].value);
        if (p.field != cases[i].field)
            fail_msg("case %zu: blamed %s, wanted %s", i, record_field_name(p.field),
                     record_field_name(cases[i].field));
        if (cases[i].reason && strcmp(p.reason, cases[i].reason) != 0)
            fail_msg("case %zu: reason '%s'", i, p.reason);
        assert_true(
            strncmp(p.reason, record_field_name(p.field), strlen(record_field_name(p.field))) == 0);
    }
}

/* A long bad value is quoted cut short, at a character boundary. */
static void test_reason_quotes_are_bounded(void **state)
{
    (void)state;
    char status[200] = "";
    for (int i = 0; i < 30; i++)
        strcat(status, "状態");
    const char *v[F_COUNT];
    good_values(v);
    v[F_STATUS] = status;
    struct resident r;
    struct record_problem p;
    assert_false(record_from_fields(v, known_district, NULL, &r, &p));
    assert_non_null(strstr(p.reason, "...' must be active"));
    assert_true(strlen(p.reason) < sizeof p.reason - 1);
}

/* Without the district check (a caller passing no district_known), a district of 16
 * characters that are not ASCII used to overflow its 17-byte buffer. The byte limit comes
 * from the buffer itself, so every text field is refused before it could. */
static void test_text_fits_its_buffer(void **state)
{
    (void)state;
    static const struct {
        enum field f;
        const char *value;
        bool ok;
    } cases[] = {
        {F_DISTRICT, "0123456789ABCDEF", true},
        {F_DISTRICT, "一二三四五六七八九十一二三四五六", false}, /* 16 chars, 48 bytes */
        {F_DISTRICT, "ＡＢＣＤＥＦ", false},                     /* 6 chars, 18 bytes */
        {F_DISTRICT, "ＡＢＣＤＥ", true},                        /* 15 bytes */
        {F_NAME, "山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田山田",
         true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *v[F_COUNT];
        good_values(v);
        v[cases[i].f] = cases[i].value;
        struct resident r;
        struct record_problem p;
        bool ok = record_from_fields(v, NULL, NULL, &r, &p);
        if (ok != cases[i].ok)
            fail_msg("case %zu: ok=%d (%s)", i, ok, ok ? "" : p.reason);
        if (ok && cases[i].f == F_DISTRICT)
            assert_string_equal(r.district, cases[i].value);
        if (!ok) {
            assert_int_equal(p.field, cases[i].f);
            assert_non_null(strstr(p.reason, "bytes long"));
        }
    }
}

/* The one postcode normaliser (record and `certnotice custbar`). */
static void test_postal_code(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want; /* want NULL: refused */
    } cases[] = {
        {"4860816", "4860816"},
        {"486-0816", "4860816"},
        {"000-0000", "0000000"},
        {"48608161", NULL},
        {"486081", NULL},
        {"4860-816", NULL},
        {"486 0816", NULL},
        {"４８６０８１６", NULL},
        {"486-08a6", NULL},
        {"486--816", NULL},
        {"", NULL},
        {"-4860816", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[8] = "x";
        const bool ok = record_postal_code(cases[i].in, out);
        if (ok != (cases[i].want != NULL) || strcmp(out, cases[i].want ? cases[i].want : "") != 0)
            fail_msg("case %zu '%s': ok=%d out '%s'", i, cases[i].in, ok, out);
    }
}

static void test_names(void **state)
{
    (void)state;
    for (int f = 0; f < F_COUNT; f++)
        assert_int_equal(record_field_by_name(record_field_name((enum field)f)), f);
    assert_int_equal(record_field_by_name("my_number"), -1);
    assert_false(record_field_required(F_NAME_KANA));
    assert_false(record_field_required(F_ADDRESS2));
    assert_true(record_field_required(F_SIGN_CERT_EXPIRY));
    assert_true(record_field_required(F_HOLD));
    assert_string_equal(record_status_name(STATUS_DECEASED), "deceased");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_record),
        cmocka_unit_test(test_limits_in_characters),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_reason_quotes_are_bounded),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_postal_code),
        cmocka_unit_test(test_text_fits_its_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
