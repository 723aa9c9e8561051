/* Tests for forecast_calc: the forecast of a small database through the staff page's entry point
 * (forecast_calc_svg: read-only, an existing database only) and the result's numbers per office,
 * including one the night would not write to. Table tests. */
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
#include "config_load.h"
#include "forecast_calc.h"
#include "forecast_web.h"
#include "html.h"
#include "store.h"
#include "store_resident.h"

static char dir[256], db_path[300];
static struct config cfg;

static cn_date D(const char *iso)
{
    cn_date d = DATE_NONE;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* Residents of the demo city whose windows open on the given days (expiry three months
 * on), one of them moved out. */
static const struct {
    const char *district, *expiry;
    enum resident_status status;
} residents[] = {
    {"01", "2027-04-05", STATUS_ACTIVE},    /* window 2027-01-06, letter 12-23 */
    {"01", "2027-04-06", STATUS_ACTIVE},    /* window 2027-01-07 */
    {"01", "2027-04-07", STATUS_MOVED_OUT}, /* not counted */
    {"02", "2027-04-12", STATUS_ACTIVE},    /* north: window 2027-01-13 */
    {"03", "2027-04-05", STATUS_ACTIVE},    /* south, walk-in */
};

static int setup(void **state)
{
    (void)state;
    struct cn_err err = {0};
    if (config_load("templates/municipalities/demo.xml", &cfg, &err))
        return -1;
    snprintf(dir, sizeof dir, "%s/test_fcrun_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/cn.db", dir);
    struct store *s = NULL;
    if (store_open(db_path, 0600, &s, &err))
        return -1;
    for (size_t i = 0; i < sizeof residents / sizeof residents[0]; i++) {
        struct resident r;
        memset(&r, 0, sizeof r);
        snprintf(r.resident_id, sizeof r.resident_id, "F%03zu", i);
        strcpy(r.name, "見本　太郎");
        r.birth_date = D("1980-04-01");
        strcpy(r.postal_code, "1000011");
        strcpy(r.address, "見本市中央1丁目2番3号");
        strcpy(r.district, residents[i].district);
        r.card_expiry = D("2032-02-19");
        r.sign_cert_expiry = D(residents[i].expiry);
        r.user_cert_expiry = D(residents[i].expiry);
        r.status = residents[i].status;
        if (store_put_resident(s, &r, &err))
            return -1;
    }
    /* A crowd for north: 600 windows on 2027-01-13 overflow its seats that week. */
    for (int i = 0; i < 600; i++) {
        struct resident r;
        memset(&r, 0, sizeof r);
        snprintf(r.resident_id, sizeof r.resident_id, "N%04d", i);
        strcpy(r.name, "見本　花子");
        r.birth_date = D("1985-04-01");
        strcpy(r.postal_code, "1000011");
        strcpy(r.address, "見本市北町1丁目2番3号");
        strcpy(r.district, "02");
        r.card_expiry = D("2032-02-19");
        r.sign_cert_expiry = DATE_NONE;
        r.user_cert_expiry = D("2027-04-12");
        if (store_put_resident(s, &r, &err))
            return -1;
    }
    store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const tails[] = {"", "-wal", "-shm"};
    char p[340];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", db_path, tails[i]);
        unlink(p);
    }
    rmdir(dir);
    config_free(&cfg);
    return 0;
}

static void counts(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_open_existing(db_path, STORE_NIGHT, true, &s, &err), CN_OK);
    struct forecast_calc r;
    assert_int_equal(forecast_calc_forecast(s, &cfg, D("2026-12-23"), 6, NULL, &r, &err), CN_OK);
    assert_int_equal(r.first_week, D("2026-12-21"));
    assert_int_equal(r.n_offices, 3);
    static const struct {
        int office, week;
        long windows, letters;
    } cases[] = {
        {0, 0, 0, 2},   /* main: letters 12-23 and 12-24 */
        {0, 2, 2, 0},   /* main: windows 01-06 and 01-07 (the moved-out resident left out) */
        {1, 3, 601, 0}, /* north */
        {1, 1, 0, 601}, /* north's letters 12-30 */
        {2, 2, 1, 0},   /* south */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct forecast_calc_office *o = &r.offices[cases[i].office];
        assert_int_equal(o->windows[cases[i].week], cases[i].windows);
        assert_int_equal(o->letters[cases[i].week], cases[i].letters);
    }
    assert_false(r.offices[0].walkin);
    assert_true(r.offices[2].walkin);
    assert_int_equal(r.offices[2].seats[2], 0);
    assert_false(r.curve.measured);
    /* Nothing visits before its window opens. */
    assert_true(r.offices[0].visits[0] == 0 && r.offices[0].visits[1] == 0);
    assert_true(r.offices[0].visits[2] > 0);
    forecast_calc_free(&r);
    assert_int_equal(forecast_calc_forecast(s, &cfg, D("2026-12-23"), 6, "north", &r, &err), CN_OK);
    assert_int_equal(r.n_offices, 1);
    forecast_calc_free(&r);
    assert_int_equal(forecast_calc_forecast(s, &cfg, D("2026-12-23"), 6, "nowhere", &r, &err),
                     CN_EUSAGE);
    assert_non_null(strstr(err.msg, "--office nowhere"));
    store_close(s);
}

static void svg(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct cn_err err = {0};
    assert_int_equal(store_open_existing(db_path, STORE_NIGHT, true, &s, &err), CN_OK);
    char *out = NULL;
    size_t len = 0;
    struct forecast_calc r;
    assert_int_equal(forecast_calc_svg(s, &cfg, D("2026-12-23"), 6, &r, &out, &len, &err), CN_OK);
    assert_int_equal(strlen(out), len);
    assert_int_equal(r.n_offices, 3);
    static const char *const want[] = {"<svg ",
                                       "見本市 窓口の来庁予測と予約席数",
                                       "見本市役所 市民課（main）",
                                       "北部出張所（north）",
                                       "南部市民センター（south）",
                                       "</svg>"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(out, want[i]))
            fail_msg("the SVG lacks %s", want[i]);
    free(out);
    forecast_calc_free(&r);

    struct html h = {0};
    assert_int_equal(forecast_web_section(&h, s, &cfg, D("2026-12-23"), &err), CN_OK);
    assert_false(html_failed(&h));
    static const char *const page[] = {
        "<div class=\"forecast-chart\">\n<svg ", "<caption>席数を超える週</caption>",
        "<th scope=\"row\">見本市役所 市民課</th><td>なし</td><td>", /* within capacity */
        /* Windows open Wed 1/13: 3 open days of 0.02 x 601 that week (36 < 52 seats), then
         * 2 days + Sat/Sun 1/16-17 carried (closed) + 4 days of 0.1/7: 82 > 71 seats. */
        "<th scope=\"row\">北部出張所</th><td>1/18</td><td>116%</td>",
        "<th scope=\"row\">南部市民センター</th><td>予約なしの窓口（席数なし）</td><td>-</td>"};
    for (size_t i = 0; i < sizeof page / sizeof page[0]; i++)
        if (!strstr(h.sb.buf, page[i]))
            fail_msg("the page lacks %s in %s", page[i], strstr(h.sb.buf, "<table"));
    assert_null(strstr(h.sb.buf, "<?xml")); /* inline: no declaration inside HTML */
    html_free(&h);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(counts), cmocka_unit_test(svg)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
