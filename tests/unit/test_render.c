/* render: letters the font cannot print or that overflow go to review, never to print; a
 * printed file holds the right text, pages and mode; broken setups fail with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "config_load.h"
#include "letter.h"
#include "fixture_db.h"
#include "render.h"
#include "rid.h"
#include "rules.h"

#define YOKOHAMA "templates/municipalities/yokohama.xml"

struct fixture {
    struct config cfg;
    struct render_setup *setup;
    char dir[128];
};

static int setup(void **state)
{
    static struct fixture fx;
    struct cn_err err = {0};
    if (config_load(YOKOHAMA, &fx.cfg, &err) != CN_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    if (render_setup_load(&fx.cfg, &fx.setup, &err) != CN_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    if (fixture_db_setup(state))
        return -1;
    snprintf(fx.dir, sizeof fx.dir, "%s", fixture_dir);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    render_setup_free(fx->setup);
    config_free(&fx->cfg);
    return fixture_db_teardown(state);
}

/* A resident of Yokohama whose two certificates expire on 2027-03-24. */
static void resident(struct resident *r, const char *name, const char *address,
                     const char *district)
{
    memset(r, 0, sizeof *r);
    snprintf(r->resident_id, sizeof r->resident_id, "A0001");
    snprintf(r->name, sizeof r->name, "%s", name);
    r->birth_date = date_from_ymd(1980, 5, 6);
    snprintf(r->postal_code, sizeof r->postal_code, "2250024");
    snprintf(r->address, sizeof r->address, "%s", address);
    snprintf(r->district, sizeof r->district, "%s", district);
    r->card_expiry = date_from_ymd(2032, 3, 24);
    r->sign_cert_expiry = r->user_cert_expiry = date_from_ymd(2027, 3, 24);
    r->status = STATUS_ACTIVE;
}

static void letter(const struct config *cfg, const struct resident *r, long seq, struct letter *l)
{
    struct cert_group g[2];
    memset(l, 0, sizeof *l);
    l->r = r;
    l->district = config_district(cfg, r->district);
    assert_non_null(l->district);
    assert_int_equal(rules_cert_groups(r, g), 1);
    l->certs = g[0];
    l->window = rules_window(g[0].expiry);
    l->issue_date = date_from_ymd(2026, 12, 1);
    l->variant = rules_variant(r, &g[0], l->district->policy, l->issue_date);
    l->seq = seq;
    l->file_no = 1;
    /* A valid ID: the check symbol found by trying the alphabet. */
    const char *syms = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    char typed[RID_LEN + 1] = "K7QP3XW9RT2";
    for (const char *c = syms; *c; c++) {
        typed[RID_LEN - 1] = *c;
        typed[RID_LEN] = '\0';
        if (rid_check(typed, l->rid))
            break;
    }
}

static bool check(struct fixture *fx, const char *name, const char *address, char *reason)
{
    struct resident r;
    struct letter l;
    resident(&r, name, address, "13");
    letter(&fx->cfg, &r, 1, &l);
    return render_check(fx->setup, &l, reason, 256);
}

static void test_check_review_cases(void **state)
{
    struct fixture *fx = *state;
    char reason[256];
    assert_true(check(fx, "青葉 花子", "横浜市青葉区市ケ尾町31番地4", reason));
    assert_string_equal(reason, "");
    /* Outside the BMP, a variation sequence, a BMP character IPAex lacks: IPAmj明朝 has
     * them (issue 14). */
    assert_true(check(fx, "𠮷田 辻\U000E0102本 槗", "横浜市青葉区𠮷田町31番地4", reason));
    /* A sequence no font has is held, never printed as its base character. */
    assert_false(check(fx, "辻\U000E010A田 花子", "横浜市青葉区市ケ尾町31番地4", reason));
    assert_non_null(strstr(reason, "U+8FBB U+E010A"));
    assert_non_null(strstr(reason, "{name}")); /* which field, without the name itself */
    assert_null(strstr(reason, "田 花子"));
    /* A gaiji with no gaiji map (this config names none), in the address. */
    assert_false(check(fx, "青葉 花子", "横浜市青葉区\xee\x80\x80町1番地", reason));
    assert_non_null(strstr(reason, "U+E000"));
    assert_non_null(strstr(reason, "address: gaiji"));
}

static void test_long_fields_fit_or_are_held(void **state)
{
    struct fixture *fx = *state;
    char reason[256];
    char addr[512] = "", name[256] = "";
    /* 60 characters of address and 30 of name fit (shrunk). */
    for (int i = 0; i < 6; i++)
        strcat(addr, "横浜市青葉区市ケ尾町");
    for (int i = 0; i < 3; i++)
        strcat(name, "寿限無寿限無五劫の擦");
    assert_true(check(fx, name, addr, reason));
    /* 40 characters of name do not fit at the smallest size: held with a reason. */
    strcat(name, "寿限無寿限無五劫の擦");
    assert_false(check(fx, name, addr, reason));
    assert_non_null(strstr(reason, "does not fit"));
    /* The longest address the input allows (80) with the longest 方書 (60) still fits
     * the window block, shrunk; anything longer is held. */
    struct resident r;
    struct letter l;
    resident(&r, "青葉 花子", "", "13");
    for (int i = 0; i < 8; i++)
        strcat(r.address, "横浜市青葉区市ケ尾町");
    for (int i = 0; i < 6; i++)
        strcat(r.address2, "市ケ尾マンション棟");
    strcat(r.address2, "号室");
    letter(&fx->cfg, &r, 1, &l);
    if (!render_check(fx->setup, &l, reason, sizeof reason))
        fail_msg("%s", reason);
    strcat(r.address, "横浜市青葉区市ケ尾町横浜市青葉区市ケ尾町"); /* 100: buffer's limit */
    assert_false(render_check(fx->setup, &l, reason, sizeof reason));
    assert_non_null(strstr(reason, "does not fit"));
}

static void test_too_many_offices_are_held(void **state)
{
    struct fixture *fx = *state;
    struct resident r;
    struct letter l;
    char reason[256];
    resident(&r, "鶴見 一郎", "横浜市鶴見区鶴見中央3丁目20番1号", "01");
    letter(&fx->cfg, &r, 1, &l);
    struct district d = *l.district;
    for (d.n_offices = 0; d.n_offices < 8; d.n_offices++)
        d.offices[d.n_offices] = d.n_offices;
    l.district = &d;
    assert_false(render_check(fx->setup, &l, reason, sizeof reason));
    assert_non_null(strstr(reason, "offices do not fit"));
    d.n_offices = 3;
    assert_true(render_check(fx->setup, &l, reason, sizeof reason));
}

static char *pdftotext(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -raw %s - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n;
    while ((n = fread(s + len, 1, cap - 1 - len, p)) > 0) {
        len += n;
        if (len + 1 >= cap) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    s[len] = '\0';
    pclose(p);
    return s;
}

static void test_file_holds_the_letters(void **state)
{
    struct fixture *fx = *state;
    struct cn_err err = {0};
    struct render_file *f = NULL;
    struct resident r[3];
    struct letter l[3];
    resident(&r[0], "青葉 花子", "横浜市青葉区市ケ尾町31番地4", "13"); /* walk-in */
    resident(&r[1], "鶴見 一郎", "横浜市鶴見区鶴見中央3丁目20番1号", "01");
    resident(&r[2], "鶴見 次郎", "横浜市鶴見区鶴見中央3丁目20番2号", "01");
    r[2].sign_cert_expiry = DATE_NONE; /* user certificate only */
    assert_int_equal(render_file_open(fx->setup, &f, &err), CN_OK);
    for (int i = 0; i < 3; i++) {
        letter(&fx->cfg, &r[i], i + 1, &l[i]);
        assert_int_equal(render_file_add(f, &l[i], &err), CN_OK);
    }
    char path[200];
    snprintf(path, sizeof path, "%s/notices-001.pdf", fx->dir);
    int pages = 0;
    assert_int_equal(render_file_save(f, path, 0600, &pages, &err), CN_OK);
    render_file_free(f);
    assert_int_equal(pages, 6);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    char *text = pdftotext(path);
    /* Pages are separated by form feeds. */
    char *page[7] = {text};
    for (int i = 1; i < 7; i++) {
        page[i] = page[i - 1] ? strchr(page[i - 1], '\f') : NULL;
        if (page[i])
            *page[i]++ = '\0';
    }
    assert_non_null(page[5]);
    char rid[RID_DISPLAY_LEN + 1];
    rid_display(l[0].rid, rid);
    /* Walk-in (青葉区): the ward office, no reservation ID. */
    assert_non_null(strstr(page[0], "青葉 花子"));
    assert_non_null(strstr(page[0], "令和9年3月24日"));
    assert_non_null(strstr(page[0], "2027年3月24日"));
    assert_non_null(strstr(page[0], "令和8年12月25日"));
    assert_non_null(strstr(page[0], "青葉区役所 戸籍課"));
    assert_non_null(strstr(page[0], "予約は不要です"));
    assert_null(strstr(page[0], rid));
    assert_null(strstr(page[0], "鶴見区役所"));
    assert_non_null(strstr(page[1], "照会書兼回答書"));
    assert_non_null(strstr(page[1], "署名用電子証明書の暗証番号"));
    /* Reservation required (鶴見区): the ID, both certificates, its own ward office. */
    assert_non_null(strstr(page[2], rid));
    assert_non_null(strstr(page[2], "鶴見区役所 戸籍課"));
    assert_null(strstr(page[2], "青葉区役所"));
    assert_non_null(strstr(page[2], "署名用電子証明書・利用者証明用電子証明書"));
    assert_non_null(strstr(page[2], "No.000002"));
    /* User certificate only: no signing PIN boxes on the back. */
    assert_non_null(strstr(page[5], "利用者証明用電子証明書の暗証番号"));
    assert_null(strstr(page[5], "署名用電子証明書の暗証番号"));
    assert_non_null(strstr(page[5], "No.000003"));
    free(text);
}

/* The content objects of each page, from `qpdf --show-pages`: "page N: ..." then one
 * "    X 0 R" line per stream. */
static int page_streams(const char *path, int page, int out[8])
{
    char cmd[320], line[256];
    snprintf(cmd, sizeof cmd, "qpdf --show-pages %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int cur = 0, n = 0;
    while (fgets(line, sizeof line, p)) {
        int pg, obj;
        if (sscanf(line, "page %d:", &pg) == 1)
            cur = pg;
        else if (cur == page && n < 8 && sscanf(line, " %d 0 R", &obj) == 1)
            out[n++] = obj;
    }
    pclose(p);
    return n;
}

static void test_layers_shared_per_variant_and_district(void **state)
{
    struct fixture *fx = *state;
    struct cn_err err = {0};
    struct render_file *f = NULL;
    struct resident r[3];
    struct letter l[3];
    resident(&r[0], "鶴見 一郎", "横浜市鶴見区鶴見中央3丁目20番1号", "01");
    resident(&r[1], "青葉 花子", "横浜市青葉区市ケ尾町31番地4", "13"); /* another variant */
    resident(&r[2], "鶴見 三郎", "横浜市鶴見区鶴見中央3丁目20番3号", "01");
    assert_int_equal(render_file_open(fx->setup, &f, &err), CN_OK);
    for (int i = 0; i < 3; i++) {
        letter(&fx->cfg, &r[i], i + 1, &l[i]);
        assert_int_equal(render_file_add(f, &l[i], &err), CN_OK);
    }
    char path[200];
    snprintf(path, sizeof path, "%s/shared.pdf", fx->dir);
    assert_int_equal(render_file_save(f, path, 0600, NULL, &err), CN_OK);
    render_file_free(f);
    /* Each page: the variant's layer, on the front the district's (its office list), then
     * the letter's own (pdfpage.h). Letters 1 and 3 share both layers of each side; letter
     * 2 (another variant, another district) has its own. */
    int p1[8], p3[8], p5[8], p2[8], p6[8];
    assert_int_equal(page_streams(path, 1, p1), 3);
    assert_int_equal(page_streams(path, 3, p3), 3);
    assert_int_equal(page_streams(path, 5, p5), 3);
    assert_int_equal(page_streams(path, 2, p2), 2); /* the back lists no offices */
    assert_int_equal(page_streams(path, 6, p6), 2);
    assert_int_equal(p5[0], p1[0]);
    assert_int_equal(p5[1], p1[1]);
    assert_int_equal(p6[0], p2[0]);
    assert_int_not_equal(p3[0], p1[0]);
    assert_int_not_equal(p3[1], p1[1]);
    assert_int_not_equal(p5[2], p1[2]);
    assert_int_not_equal(p6[1], p2[1]);
}

static void test_broken_setup_names_the_problem(void **state)
{
    struct fixture *fx = *state;
    struct cn_err err = {0};
    struct render_setup *s = NULL;
    struct config cfg = fx->cfg;
    char path[200];
    snprintf(path, sizeof path, "%s/broken.xml", fx->dir);
    char cmd[320];
    snprintf(cmd, sizeof cmd, "cp templates/template.xsd %s/", fx->dir);
    assert_int_equal(system(cmd), 0);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("<?xml version=\"1.0\"?>\n<page width=\"210\" height=\"297\">\n"
          "<text x=\"1\" y=\"1\">{adress}</text>\n</page>\n",
          fp);
    fclose(fp);
    snprintf(cfg.template_back, sizeof cfg.template_back, "%s", path);
    assert_int_equal(render_setup_load(&cfg, &s, &err), CN_EUSAGE);
    assert_null(s);
    assert_non_null(strstr(err.msg, "broken.xml:3:"));
    assert_non_null(strstr(err.msg, "{adress}"));

    cfg = fx->cfg;
    snprintf(cfg.font_mincho, sizeof cfg.font_mincho, "%s/nofont.ttf", fx->dir);
    assert_int_equal(render_setup_load(&cfg, &s, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "nofont.ttf"));
}

/* A letter that does not print reaching a print file is the run's fault, not the input's:
 * exit 5 (nothing published), never 3, which says the batch was published. */
static void test_unprintable_letter_in_a_file_is_an_output_failure(void **state)
{
    struct fixture *fx = *state;
    struct resident r;
    struct letter l;
    /* A variation sequence no font has (test_check_review_cases). */
    resident(&r, "辻\U000E010A田 花子", "神奈川県横浜市中区港町1-1", "13");
    letter(&fx->cfg, &r, 7, &l);
    char reason[256];
    assert_false(render_check(fx->setup, &l, reason, sizeof reason));
    struct render_file *f = NULL;
    struct cn_err err = {0};
    assert_int_equal(render_file_open(fx->setup, &f, &err), CN_OK);
    assert_int_equal(render_file_add(f, &l, &err), CN_EOUTPUT);
    assert_non_null(strstr(err.msg, "letter 7"));
    assert_non_null(strstr(err.msg, "U+8FBB U+E010A"));
    render_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unprintable_letter_in_a_file_is_an_output_failure),
        cmocka_unit_test(test_check_review_cases),
        cmocka_unit_test(test_long_fields_fit_or_are_held),
        cmocka_unit_test(test_too_many_offices_are_held),
        cmocka_unit_test(test_file_holds_the_letters),
        cmocka_unit_test(test_layers_shared_per_variant_and_district),
        cmocka_unit_test(test_broken_setup_names_the_problem),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
