/* Tests for config: the demo config loads with every value, and each kind of mistake is
 * refused with the file and line that need fixing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_load.h"

static void demo_config_loads(void **state)
{
    (void)state;
    struct config cfg;
    struct cn_err err = {0};
    assert_int_equal(config_load("templates/municipalities/demo.xml", &cfg, &err), CN_OK);
    assert_string_equal(cfg.municipality, "見本市");
    assert_true(cfg.example);
    assert_int_equal(cfg.lead_days, 14);
    assert_int_equal(cfg.batch_size, 1000);
    assert_int_equal(cfg.file_mode, 0600);
    assert_int_equal(cfg.n_offices, 3);
    assert_int_equal(cfg.n_districts, 3);
    /* Seven languages on offer, a phone line for each but Japanese; large print off. */
    assert_int_equal(cfg.languages, LANG_ALL);
    assert_string_equal(cfg.language_line[LANG_KO].phone, "0120-000-013");
    assert_string_equal(cfg.language_line[LANG_JA].phone, "");
    assert_non_null(strstr(cfg.catalogs, "templates/municipalities/../po"));
    assert_int_equal(cfg.large_print_age, 0);
    assert_false(cfg.ud_fonts);
    const struct district *d = config_district(&cfg, "02");
    assert_non_null(d);
    assert_int_equal(d->policy, RESV_OPTIONAL);
    assert_int_equal(d->n_offices, 2);
    assert_string_equal(cfg.offices[d->offices[0]].id, "north");
    assert_null(config_district(&cfg, "99"));
    const struct office_calendar *cal = &cfg.offices[0].calendar;
    assert_int_equal(cal->n_rules, 4);
    assert_int_equal(cal->rules[0].weekdays, 1 << 3);
    assert_int_equal(cal->rules[0].close_min, 19 * 60 + 30);
    assert_int_equal(cal->rules[2].nth, 1 << 3);
    assert_true(cal->rules[2].closed);
    assert_int_equal(cal->rules[3].lunch_start, 12 * 60);
    assert_int_equal(cfg.offices[2].calendar.rules[1].months, (1 << 3) | (1 << 4));
    assert_non_null(strstr(cfg.template_front, "letter-front.xml"));
    /* Who is served when: walk-in hours, bookings-only Sundays, dated exceptions. */
    assert_true(cal->takes_bookings && cal->takes_walkins);
    assert_true(cal->rules[3].bookings_only);
    assert_int_equal(cal->n_walkin, 1);
    assert_int_equal(cal->walkin[0].close_min, 16 * 60);
    assert_int_equal(cal->n_dates, 2);
    assert_true(cal->dates[0].hours.bookings_only);
    assert_true(cal->dates[1].hours.closed);
    assert_false(cfg.offices[2].calendar.takes_bookings);
    assert_true(cfg.offices[2].calendar.takes_walkins);
    assert_string_equal(cfg.offices[0].contact,
                        "見本市中央一丁目1番1号 本庁舎1階　電話 0120-000-002");
    assert_int_equal(cfg.n_booking_alt, 1);
    /* the service's limits: what demo.xml's <limits> says (the defaults), no proxy trusted */
    assert_string_equal(cfg.trusted_proxy, "");
    assert_int_equal(cfg.serve_limits.threads, 8);
    assert_int_equal(cfg.serve_limits.per_address, 32);
    assert_int_equal(cfg.serve_limits.idle_timeout, 15);
    assert_int_equal(cfg.serve_limits.request_timeout, 30);
    assert_int_equal(cfg.serve_limits.max_header, 8192);
    assert_int_equal(cfg.serve_limits.lookups_burst, 20);
    assert_int_equal(cfg.serve_limits.lookups_per_hour, 60);
    assert_memory_equal(&cfg.serve_limits, &serve_limits_default, sizeof serve_limits_default);
    /* the date page's kept tally: demo.xml leaves it at the default */
    assert_int_equal(cfg.seats_cache_ms, CONFIG_SEATS_CACHE_MS);
    /* config_office: by id, the config's own entry; unknown and NULL ids are none. */
    for (size_t i = 0; i < cfg.n_offices; i++)
        assert_ptr_equal(config_office(&cfg, cfg.offices[i].id), &cfg.offices[i]);
    assert_null(config_office(&cfg, "nowhere"));
    assert_null(config_office(&cfg, ""));
    assert_null(config_office(&cfg, NULL));
    assert_string_equal(cfg.booking_phones,
                        "0120-000-001（平日 9:00〜17:00。IP電話などでつながらない"
                        "場合 0120-000-009）");
    config_free(&cfg);
}

/* What the letter prints of an office's contact and the booking phones, with the parts a
 * page does not give left out rather than printed empty. */
static void contact_wording(void **state)
{
    (void)state;
    static const struct {
        const char *address, *phone, *want;
    } offices[] = {
        {"市役所1階", "0568-85-6138", "市役所1階　電話 0568-85-6138"},
        {"市役所1階", "", "市役所1階"},
        {"", "0568-85-6138", "電話 0568-85-6138"},
        {"", "", ""},
    };
    for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++) {
        struct office o = {0};
        snprintf(o.address, sizeof o.address, "%s", offices[i].address);
        snprintf(o.phone, sizeof o.phone, "%s", offices[i].phone);
        char out[320];
        config_format_office_contact(&o, out, sizeof out);
        assert_string_equal(out, offices[i].want);
    }
    struct config cfg = {0};
    char out[512];
    snprintf(cfg.booking_phone, sizeof cfg.booking_phone, "072-724-6920");
    config_format_booking_phones(&cfg, out, sizeof out);
    assert_string_equal(out, "072-724-6920");
    snprintf(cfg.booking_alt[0].number, sizeof cfg.booking_alt[0].number, "045-350-8484");
    snprintf(cfg.booking_alt[0].label, sizeof cfg.booking_alt[0].label, "ファクス");
    cfg.n_booking_alt = 1;
    config_format_booking_phones(&cfg, out, sizeof out);
    assert_string_equal(out, "072-724-6920（ファクス 045-350-8484）");
    snprintf(cfg.booking_hours, sizeof cfg.booking_hours, "平日 9:00〜17:00");
    snprintf(cfg.booking_alt[1].number, sizeof cfg.booking_alt[1].number, "045-550-5454");
    snprintf(cfg.booking_alt[1].hours, sizeof cfg.booking_alt[1].hours, "24時間");
    cfg.n_booking_alt = 2;
    config_format_booking_phones(&cfg, out, sizeof out);
    assert_string_equal(out, "072-724-6920（平日 9:00〜17:00。ファクス 045-350-8484、045-550-5454"
                             "（24時間））");
}

/* Writes xml to a temp file, loads it and returns the status; msg gets the error. */
static int load_text(const char *xml, char *msg, size_t cap)
{
    char path[] = "/tmp/cfgtestXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(xml, f);
    fclose(f);
    struct config cfg;
    struct cn_err err = {0};
    int rc = config_load(path, &cfg, &err);
    snprintf(msg, cap, "%s", err.msg);
    if (rc == CN_OK)
        config_free(&cfg);
    remove(path);
    return rc;
}

#define HEAD                                                                                       \
    "<?xml version=\"1.0\"?>\n<municipality name=\"X\">\n"                                         \
    "<sender name=\"a\" department=\"b\" postal=\"1234567\" address=\"c\" phone=\"1\"/>\n"
#define BOOKING "<booking url=\"https://E/{rid}\" phone=\"1\"/>\n"
#define OFFICE                                                                                     \
    "<offices><office id=\"m\" name=\"n\" address=\"a\">"                                          \
    "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/></office></offices>\n"
#define DISTRICT                                                                                   \
    "<districts><district code=\"1\" name=\"d\" policy=\"none\" offices=\"m\"/>"                   \
    "</districts>\n"

static void mistakes_are_refused_with_line(void **state)
{
    (void)state;
    static const struct {
        const char *xml;
        const char *expect; /* substring of the message */
    } cases[] = {
        {HEAD BOOKING OFFICE DISTRICT "</municipality>", NULL},
        {HEAD "<booking url=\"https://E/\" phone=\"1\"/>\n" OFFICE DISTRICT "</municipality>",
         ":4: booking url"},
        {HEAD BOOKING OFFICE "<districts><district code=\"1\" name=\"d\" policy=\"maybe\" "
                             "offices=\"m\"/></districts>\n</municipality>",
         ":6: policy 'maybe'"},
        {HEAD BOOKING OFFICE "<districts><district code=\"1\" name=\"d\" policy=\"none\" "
                             "offices=\"x\"/></districts>\n</municipality>",
         "office 'x' is not defined"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\" address=\"a\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"8:00\"/></office></offices>\n" DISTRICT
         "</municipality>",
         "close '8:00'"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\" address=\"a\">"
         "<hours days=\"someday\" open=\"9:00\" close=\"17:00\"/></office></offices>\n" DISTRICT
         "</municipality>",
         "days 'someday'"},
        {HEAD BOOKING "<batch file-mode=\"0777\"/>\n" OFFICE DISTRICT "</municipality>",
         ":5: file-mode"},
        {HEAD BOOKING "<batch size=\"0\"/>\n" OFFICE DISTRICT "</municipality>", "'size'"},
        {HEAD BOOKING OFFICE "</municipality>", "no <district>"},
        {HEAD BOOKING "<languages offer=\"ja en fr\"/>\n" OFFICE DISTRICT "</municipality>",
         ":5: language 'fr' is not one of"},
        {HEAD BOOKING "<languages offer=\"en-US\"/>\n" OFFICE DISTRICT "</municipality>",
         "language 'en-US' is not one of"},
        {HEAD BOOKING "<languages offer=\"en\"><language code=\"ko\" phone=\"1\"/>"
                      "</languages>\n" OFFICE DISTRICT "</municipality>",
         "<language code='ko'> is not among the languages offered"},
        {HEAD BOOKING "<large-print age-from=\"0\"/>\n" OFFICE DISTRICT "</municipality>",
         "'age-from' is out of range"},
        {HEAD BOOKING "<large-print/>\n" OFFICE DISTRICT "</municipality>",
         "<large-print> needs age-from"},
        {HEAD BOOKING "<fonts ud=\"yes\"/>\n" OFFICE DISTRICT "</municipality>",
         "'ud' must be true or false"},
        {HEAD BOOKING "<offices><office id=\"m\" name=\"n\">"
                      "<hours days=\"mon-fri\" unconfirmed=\"true\" open=\"9:00\" close=\"17:00\"/>"
                      "</office></offices>\n" DISTRICT "</municipality>",
         ":5: an unconfirmed rule takes no open"},
        {HEAD BOOKING "<offices><office id=\"m\" name=\"n\">"
                      "<hours days=\"sat,hol\" some=\"true\" for=\"bookings\"/>"
                      "<hours days=\"mon-fri\" unconfirmed=\"true\"/></office></offices>\n" DISTRICT
                      "</municipality>",
         NULL},
        {HEAD BOOKING "<offices><office id=\"m\" name=\"n\">"
                      "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\" for=\"staff\"/>"
                      "</office></offices>\n" DISTRICT "</municipality>",
         "for 'staff' must be bookings or everyone"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/>"
         "<date on=\"2027-02-30\" open=\"9:00\" close=\"12:00\"/></office></offices>\n" DISTRICT
         "</municipality>",
         "on '2027-02-30' is not a date"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/>"
         "<date on=\"2027-01-10\" closed=\"true\"/><date on=\"2027-01-10\" closed=\"true\"/>"
         "</office></offices>\n" DISTRICT "</municipality>",
         "date 2027-01-10 appears twice"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\" walk-ins=\"false\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/></office></offices>\n" DISTRICT
         "</municipality>",
         "takes neither bookings nor walk-ins"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/>"
         "<walk-in days=\"mon-fri\" open=\"9:00\" close=\"16:00\"/></office></offices>\n" DISTRICT
         "</municipality>",
         "<walk-in> hours need <booking>"},
        {HEAD BOOKING
         "<offices><office id=\"m\" name=\"n\">"
         "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/></office></offices>\n"
         "<districts><district code=\"1\" name=\"d\" policy=\"required\" offices=\"m\"/>"
         "</districts>\n</municipality>",
         "none of its offices takes bookings"},
        {HEAD "<booking url=\"https://E/{rid}\"/>\n"
              "<offices><office id=\"m\" name=\"n\"><booking/>"
              "<hours days=\"mon-fri\" open=\"9:00\" close=\"17:00\"/></office></offices>\n"
              "<districts><district code=\"1\" name=\"d\" policy=\"optional\" offices=\"m\"/>"
              "</districts>\n</municipality>",
         ":4: district '1' books, so <booking> needs a phone"},
        {HEAD "<booking url=\"https://E/{rid}\"/>\n" OFFICE DISTRICT "</municipality>", NULL},
        {HEAD
         "<booking url=\"https://E/{rid}\" phone=\"1\" trusted-proxy=\"proxy.local\"/>\n" OFFICE
             DISTRICT "</municipality>",
         ":4: trusted-proxy 'proxy.local' is not an IP address"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\" trusted-proxy=\"::1\">"
              "<limits lookups-burst=\"5\"/></booking>\n" OFFICE DISTRICT "</municipality>",
         NULL},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\"><limits idle-timeout=\"0\"/>"
              "</booking>\n" OFFICE DISTRICT "</municipality>",
         "'idle-timeout' is out of range"},
        {HEAD
         "<booking url=\"https://E/{rid}\" phone=\"1\" seats-cache-ms=\"0\"/>\n" OFFICE DISTRICT
         "</municipality>",
         NULL},
        {HEAD
         "<booking url=\"https://E/{rid}\" phone=\"1\" seats-cache-ms=\"-1\"/>\n" OFFICE DISTRICT
         "</municipality>",
         ":4: attribute 'seats-cache-ms' is out of range"},
        {HEAD
         "<booking url=\"https://E/{rid}\" phone=\"1\" seats-cache-ms=\"1s\"/>\n" OFFICE DISTRICT
         "</municipality>",
         "'seats-cache-ms'"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\"><limits threads=\"0\"/>"
              "</booking>\n" OFFICE DISTRICT "</municipality>",
         "'threads' is out of range"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\"><limits threads=\"65\"/>"
              "</booking>\n" OFFICE DISTRICT "</municipality>",
         "'threads' is out of range"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\"><limits max-header=\"100000\"/>"
              "</booking>\n" OFFICE DISTRICT "</municipality>",
         "'max-header' is out of range"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\" store=\"mysql://cn@db1/b\"/>\n" OFFICE
             DISTRICT "</municipality>",
         ":4: attribute 'store' is neither a postgresql:// URI nor a file path"},
        {HEAD "<booking url=\"https://E/{rid}\" phone=\"1\" store=\"\"/>\n" OFFICE DISTRICT
              "</municipality>",
         ":4: attribute 'store' is empty"},
        {HEAD
         "<booking url=\"https://E/{rid}\" phone=\"1\" store=\"postgresql://h/b?x=1\"/>\n" OFFICE
             DISTRICT "</municipality>",
         ":4: attribute 'store' is not a URI libpq can read"},
        {"<municipality name=\"X\"><sender", "cannot read config"},
        {"<?xml version=\"1.0\"?>\n<city/>", "root element"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char msg[800];
        int rc = load_text(cases[i].xml, msg, sizeof msg);
        if (!cases[i].expect) {
            assert_int_equal(rc, CN_OK);
            continue;
        }
        if (rc != CN_EUSAGE || !strstr(msg, cases[i].expect))
            fail_msg("case %zu: rc=%d msg=%s (wanted %s)", i, rc, msg, cases[i].expect);
    }
}

/* <booking store>: a file is the config's folder's, a URI is kept as written, no attribute
 * is ""; a refused URI is named with its password masked. */
static void booking_store_attribute(void **state)
{
    (void)state;
    static const struct {
        const char *attr, *want;
    } cases[] = {
        {"", ""},
        {" store=\"b.db\"", "/tmp/b.db"},
        {" store=\"/srv/booking.db\"", "/srv/booking.db"},
        {" store=\"postgresql://cn@db1:5432,db2:5432/b?target_session_attrs=read-write\"",
         "postgresql://cn@db1:5432,db2:5432/b?target_session_attrs=read-write"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[] = "/tmp/cfgtestXXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fprintf(f,
                HEAD "<booking url=\"https://E/{rid}\" phone=\"1\"%s/>\n" OFFICE DISTRICT
                     "</municipality>",
                cases[i].attr);
        fclose(f);
        struct config cfg;
        struct cn_err err = {0};
        int rc = config_load(path, &cfg, &err);
        remove(path);
        if (rc != CN_OK || strcmp(cfg.booking_store, cases[i].want) != 0)
            fail_msg("case %zu: rc=%d store=%s %s", i, rc, rc ? "" : cfg.booking_store, err.msg);
        config_free(&cfg);
    }
    char msg[800];
    assert_int_equal(load_text(HEAD
                               "<booking url=\"https://E/{rid}\" phone=\"1\" "
                               "store=\"postgresql://cn:s3cret@h/b?bogus=1\"/>\n" OFFICE DISTRICT
                               "</municipality>",
                               msg, sizeof msg),
                     CN_EUSAGE);
    assert_non_null(strstr(msg, "'postgresql://cn:***@h/b?bogus=1'"));
    assert_null(strstr(msg, "s3cret"));
}

/* Makes dir (a mkdtemp path) deeper, one folder at a time, until it is want bytes long. */
static void deepen(char *dir, size_t cap, size_t want)
{
    while (strlen(dir) < want) {
        size_t n = strlen(dir), step = want - n - 1 > 100 ? 100 : want - n - 1;
        assert_true(n + 1 + step < cap);
        dir[n] = '/';
        memset(dir + n + 1, 'd', step);
        dir[n + 1 + step] = '\0';
        assert_int_equal(mkdir(dir, 0700), 0);
    }
}

/* Loads DIR/c.xml (a valid config naming a relative font) from a folder dir_len bytes
 * long; the status, and the gothic font path in font. */
static int load_from_depth(size_t dir_len, char *font, size_t font_cap, char *msg, size_t cap)
{
    char dir[1200] = "/tmp/cfgdeepXXXXXX", path[1300];
    assert_non_null(mkdtemp(dir));
    char top[32];
    memcpy(top, dir, strlen("/tmp/cfgdeepXXXXXX") + 1);
    deepen(dir, sizeof dir, dir_len);
    snprintf(path, sizeof path, "%s/c.xml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HEAD BOOKING "<fonts gothic=\"g.ttf\"/>\n" OFFICE DISTRICT "</municipality>", f);
    fclose(f);
    struct config cfg;
    struct cn_err err = {0};
    int rc = config_load(path, &cfg, &err);
    snprintf(msg, cap, "%s", err.msg);
    snprintf(font, font_cap, "%s", rc == CN_OK ? cfg.font_gothic : "");
    if (rc == CN_OK)
        config_free(&cfg);
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    assert_int_equal(system(cmd), 0);
    return rc;
}

/* A path that does not fit is an error, never a shorter path naming another file. */
static void long_paths_are_refused_not_cut(void **state)
{
    (void)state;
    char font[1200], msg[800], want[1200];
    /* 300 bytes: the folder fits; relative paths resolve against all of it. */
    assert_int_equal(load_from_depth(300, font, sizeof font, msg, sizeof msg), CN_OK);
    assert_int_equal(strlen(font), 300 + strlen("/g.ttf"));
    snprintf(want, sizeof want, "%.300s/g.ttf", font);
    assert_string_equal(font, want);
    /* 495 bytes: the config path fits, the default templates beside it do not. */
    assert_int_equal(load_from_depth(495, font, sizeof font, msg, sizeof msg), CN_EUSAGE);
    assert_non_null(strstr(msg, "too long"));
    /* 600 bytes: the config's own path does not fit. */
    assert_int_equal(load_from_depth(600, font, sizeof font, msg, sizeof msg), CN_EUSAGE);
    assert_non_null(strstr(msg, "config path too long"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_config_loads),       cmocka_unit_test(mistakes_are_refused_with_line),
        cmocka_unit_test(booking_store_attribute), cmocka_unit_test(long_paths_are_refused_not_cut),
        cmocka_unit_test(contact_wording),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
