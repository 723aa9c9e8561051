/* ingest: rejects reach the store and the sink with their lines, refused files leave nothing
 * behind, a file loads once, XML errors land on the right record, DOCTYPE at any offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "fixture_db.h"
#include "ingest.h"
#include "store.h"
#include "store_resident.h"

#define HEADER                                                                                     \
    "resident_id,name,name_kana,birth_date,postal_code,address,address2,district,"                 \
    "card_expiry,sign_cert_expiry,user_cert_expiry,face_auth,adult_ward,status,hold\n"
#define GOOD(id) id ",見本　太郎,,1970-01-01,100-0012,見本市本町1,,01,2032-01-01,,,0,0,active,0\n"

struct fixture {
    char dir[128];
    char db[160];
    struct config cfg;
    struct district districts[2];
    struct store *store;
    struct ingest_opts opts;
    /* what the sink heard: "line:field;" per reject */
    char heard[65536];
    int heard_count;
};

static void sink(const struct ingest_reject *rej, void *ctx)
{
    struct fixture *fx = ctx;
    size_t n = strlen(fx->heard);
    snprintf(fx->heard + n, sizeof fx->heard - n, "%ld:%s;", rej->line, rej->field);
    fx->heard_count++;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx || fixture_db_setup(state))
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "%s", fixture_dir);
    snprintf(fx->db, sizeof fx->db, "%s", fixture_db_path);
    snprintf(fx->districts[0].code, sizeof fx->districts[0].code, "01");
    snprintf(fx->districts[1].code, sizeof fx->districts[1].code, "02");
    fx->cfg.districts = fx->districts;
    fx->cfg.n_districts = 2;
    fx->cfg.input_encoding = ENC_UTF8;
    fx->opts.cfg = &fx->cfg;
    fx->opts.xsd_path = "templates/residents.xsd";
    fx->opts.on_reject = sink;
    fx->opts.ctx = fx;
    struct cn_err err;
    if (store_open(fx->db, 0600, &fx->store, &err) != CN_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    store_close(fx->store);
    free(fx);
    return fixture_db_teardown(state);
}

static const char *write_file(struct fixture *fx, const char *name, const char *text, size_t len)
{
    static char path[160];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

static bool stored(struct fixture *fx, const char *id)
{
    struct resident r;
    bool found = false;
    struct cn_err err;
    assert_int_equal(store_get_resident(fx->store, id, &r, &found, &err), CN_OK);
    return found;
}

static void test_individual_number_names(void **state)
{
    (void)state;
    static const char *const yes[] = {"my_number",    "MyNumber",          "MY-NUMBER",
                                      "my number",    "individual_number", "IndividualNumber",
                                      "kojin_bango",  "Kojin-Bangou",      "個人番号",
                                      "マイナンバー", "個人　番号"};
    static const char *const no[] = {"resident_id",       "number",
                                     "card_number",       "マイナンバーカード有効期限",
                                     "my_numbers_expiry", ""};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!individual_number_field_name(yes[i]))
            fail_msg("'%s' not recognised", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (individual_number_field_name(no[i]))
            fail_msg("'%s' wrongly refused", no[i]);
}

static void test_csv_rejects_and_once(void **state)
{
    struct fixture *fx = *state;
    static const char text[] = HEADER GOOD("A1")                              /* line 2 */
        "A2,見本,,2027-02-30,100-0012,見本市,,01,2032-01-01,,,0,0,active,0\n" /* 3 */
        "\"A3\",\"見本\n二行\",,1970-01-01,100-0012,見本市,,01,2032-01-01,,,0,0,active,0\n"
        /* line 4-5 */
        GOOD("A4")                                                            /* line 6 */
        "A5,見本,,1970-01-01,100-0012,見本市,,09,2032-01-01,,,0,0,active,0\n" /* 7 */
        "A6,only,three\n"                                                     /* 8 */
        GOOD("A7")                                                            /* 9 */
        GOOD("A4");                                                           /* 10: given twice */
    const char *path = write_file(fx, "a.csv", text, sizeof text - 1);
    struct ingest_stats st = {0};
    struct cn_err err;
    assert_int_equal(ingest(fx->store, &fx->opts, path, &st, &err), CN_REJECTS);
    assert_string_equal(fx->heard, "3:birth_date;4:name;7:district;8:record;10:resident_id;");
    assert_int_equal(st.files, 1);
    assert_int_equal(st.records, 8);
    assert_int_equal(st.loaded, 3);
    assert_int_equal(st.rejected, 5);
    assert_true(stored(fx, "A1"));
    assert_true(stored(fx, "A4"));
    assert_true(stored(fx, "A7"));
    assert_false(stored(fx, "A2"));

    /* The same bytes again: skipped, and the sink hears nothing new. */
    fx->heard[0] = '\0';
    assert_int_equal(ingest(fx->store, &fx->opts, path, &st, &err), CN_OK);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.skipped, 1);
    assert_int_equal(st.records, 8);
    assert_string_equal(fx->heard, "");
}

static void test_refused_header_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    static const char text[] = "resident_id,name,birth_date,my_number\nB1,x,1970-01-01,1\n";
    const char *path = write_file(fx, "b.csv", text, sizeof text - 1);
    struct ingest_stats st = {0};
    struct cn_err err;
    assert_int_equal(ingest(fx->store, &fx->opts, path, &st, &err), CN_EINPUT);
    assert_non_null(strstr(err.msg, "individual number"));
    assert_non_null(strstr(err.msg, "b.csv:1:"));
    assert_int_equal(st.refused, 1);
    assert_int_equal(st.records, 0);
    assert_string_equal(fx->heard, "1:header;");
    assert_false(stored(fx, "B1"));
    /* Not recorded as loaded: once fixed and sent again it must load. */
    struct ingest_stats st2 = {0};
    assert_int_equal(ingest(fx->store, &fx->opts, path, &st2, &err), CN_EINPUT);
    assert_int_equal(st2.skipped, 0);
}

/* Thousands of XML records, every seventh with an element the schema refuses and every
 * eleventh with a bad date: the parser reads ahead of the reader, yet each error must land on
 * its own record. */
static void test_xml_errors_land_on_their_record(void **state)
{
    struct fixture *fx = *state;
    size_t cap = 4 << 20, n = 0;
    char *text = malloc(cap);
    char *want = malloc(1 << 20);
    size_t wn = 0;
    long line = 1;
    n += (size_t)sprintf(text + n, "<?xml version=\"1.0\"?>\n<residents>\n");
    line = 3;
    int loaded = 0;
    for (int i = 0; i < 3000; i++) {
        bool schema_bad = i % 7 == 3, date_bad = i % 11 == 5;
        n += (size_t)sprintf(
            text + n,
            "<resident><resident_id>X%d</resident_id><name>見本　太郎</name>\n"
            "<birth_date>%s</birth_date><postal_code>1000012</postal_code>"
            "<address>見本市本町1</address><district>02</district>\n"
            "<card_expiry>2032-01-01</card_expiry><sign_cert_expiry/><user_cert_expiry/>"
            "%s<face_auth>0</face_auth><adult_ward>0</adult_ward><status>active</status>"
            "<hold>0</hold></resident>\n",
            i, date_bad ? "1970-02-30" : "1970-01-01", schema_bad ? "<x>1</x>" : "");
        if (date_bad)
            wn += (size_t)sprintf(want + wn, "%ld:birth_date;", line);
        else if (schema_bad)
            wn += (size_t)sprintf(want + wn, "%ld:record;", line);
        else
            loaded++;
        line += 3;
    }
    n += (size_t)sprintf(text + n, "</residents>\n");
    const char *path = write_file(fx, "many.xml", text, n);
    struct ingest_stats st = {0};
    struct cn_err err;
    assert_int_equal(ingest(fx->store, &fx->opts, path, &st, &err), CN_REJECTS);
    assert_int_equal(st.records, 3000);
    assert_int_equal(st.loaded, loaded);
    assert_string_equal(fx->heard, want);
    assert_true(stored(fx, "X0"));
    assert_false(stored(fx, "X3"));
    free(text);
    free(want);
}

/* A DOCTYPE is found wherever it sits, also across the hashing pass's read boundary. */
static void test_doctype_anywhere(void **state)
{
    struct fixture *fx = *state;
    for (size_t pad = 65530; pad <= 65540; pad += 2) {
        size_t cap = pad + 512, n = 0;
        char *text = malloc(cap);
        n += (size_t)sprintf(text, "<?xml version=\"1.0\"?>\n<!--");
        memset(text + n, 'x', pad - n);
        n = pad;
        n += (size_t)sprintf(text + n, "-->\n<!DOCTYPE residents [<!ENTITY e \"x\">]>\n"
                                       "<residents/>\n");
        char name[32];
        snprintf(name, sizeof name, "d%zu.xml", pad);
        const char *path = write_file(fx, name, text, n);
        struct ingest_stats st = {0};
        struct cn_err err;
        assert_int_equal(ingest(fx->store, &fx->opts, path, &st, &err), CN_EINPUT);
        assert_non_null(strstr(err.msg, "DOCTYPE"));
        free(text);
    }
}

/* A folder: its *.csv and *.xml in name order; a refused file does not stop the others. */
static void test_folder(void **state)
{
    struct fixture *fx = *state;
    static const char good[] = HEADER GOOD("F2");
    static const char bad[] = "resident_id,name\nF9,x\n";
    static const char xml[] = "<?xml version=\"1.0\"?><residents/>\n";
    write_file(fx, "2-good.csv", good, sizeof good - 1);
    write_file(fx, "1-bad.CSV", bad, sizeof bad - 1);
    write_file(fx, "3-empty.xml", xml, sizeof xml - 1);
    write_file(fx, "notes.txt", "x", 1);
    struct ingest_stats st = {0};
    struct cn_err err;
    assert_int_equal(ingest(fx->store, &fx->opts, fx->dir, &st, &err), CN_EINPUT);
    assert_non_null(strstr(err.msg, "1-bad.CSV"));
    assert_int_equal(st.files, 3);
    assert_int_equal(st.refused, 1);
    assert_int_equal(st.loaded, 1);
    assert_true(stored(fx, "F2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_individual_number_names),
        cmocka_unit_test_setup_teardown(test_csv_rejects_and_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_header_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xml_errors_land_on_their_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_doctype_anywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
