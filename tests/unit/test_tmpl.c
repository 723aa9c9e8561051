/* tmpl: parsing, schema and name checks with file:line errors, static/dynamic classes,
 * tests and variable expansion. Templates are written next to a copy of template.xsd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture_db.h"
#include "tmpl.h"

static const struct tmpl_name vars[] = {
    {"sender", TDEP_CONFIG},
    {"certs", TDEP_VARIANT},
    {"name", TDEP_LETTER},
    {"office.name", TDEP_OFFICE},
};
static const struct tmpl_name flags[] = {
    {"sign", TDEP_VARIANT},
    {"user", TDEP_VARIANT},
    {"policy", TDEP_VARIANT},
    {"reprint", TDEP_LETTER},
};
static const struct tmpl_names names = {vars, 4, flags, 4};

/* The shared fixture's folder, with the template schema beside the templates written in
 * it (a template names its schema relative to itself). */
static int setup(void **state)
{
    if (fixture_db_setup(state))
        return -1;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cp templates/template.xsd %s/", fixture_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmpl(const char *body)
{
    static char path[200];
    snprintf(path, sizeof path, "%s/t.xml", fixture_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s", body);
    fclose(f);
    return path;
}

static const char good[] =
    "<page width=\"210\" height=\"297\">\n"                                              /* 2 */
    "  <text x=\"10\" y=\"10\">{sender}</text>\n"                                        /* 3 */
    "  <text x=\"10\" y=\"20\" w=\"50\" min-size=\"7\">{name} 様</text>\n"               /* 4 */
    "  <if test=\"sign\"><pinboxes x=\"10\" y=\"30\" n=\"16\" w=\"8\" h=\"9\"/></if>\n"  /* 5 */
    "  <if test=\"reprint\"><text x=\"1\" y=\"1\">再</text></if>\n"                      /* 6 */
    "  <para x=\"10\" y=\"40\" w=\"100\" h=\"20\">一行目\n     続き<br/>二行目</para>\n" /* 7-8 */
    "  <each over=\"offices\" x=\"10\" y=\"70\" step=\"10\" h=\"40\">\n"
    "    <text x=\"0\" y=\"4\">{office.name}</text>\n"
    "  </each>\n"
    "  <table x=\"10\" y=\"120\" cols=\"30,100\">\n"
    "    <tr><td>証明書</td><td>{certs}</td></tr>\n"
    "  </table>\n"
    "  <qr x=\"150\" y=\"150\" w=\"25\"/>\n"
    "</page>\n";

static void test_parse_and_classify(void **state)
{
    (void)state;
    struct tmpl t;
    struct cn_err err = {0};
    assert_int_equal(tmpl_load(write_tmpl(good), &names, &t, &err), CN_OK);
    const struct tmpl_node *k = t.root.kids;
    assert_int_equal(t.root.n_kids, 8);
    assert_int_equal(k[0].kind, TK_TEXT);
    assert_true(tmpl_is_static(&k[0])); /* config only */
    assert_int_equal(k[0].line, 3);
    assert_false(tmpl_is_static(&k[1])); /* {name} */
    assert_true(k[1].min_size == 7 && k[1].size == 10);
    assert_int_equal(k[2].kind, TK_IF);
    assert_true(tmpl_is_static(&k[2])); /* variant flag: shared per variant */
    assert_int_equal(k[2].kids[0].kind, TK_PINBOXES);
    assert_int_equal(k[2].kids[0].n, 16);
    assert_false(tmpl_is_static(&k[3])); /* reprint is per letter */
    assert_int_equal(k[4].kind, TK_PARA);
    assert_string_equal(k[4].text, "一行目続き\n二行目");
    assert_int_equal(k[5].kind, TK_EACH);
    assert_false(tmpl_is_static(&k[5]));
    /* The offices are the district's: the list is the same for every letter of a variant
     * and district, laid out once a run. */
    assert_int_equal(tmpl_layer_of(k[5].dep), TL_DISTRICT);
    assert_int_equal(tmpl_layer_of(k[2].dep), TL_VARIANT);
    assert_int_equal(tmpl_layer_of(k[1].dep), TL_LETTER);
    assert_int_equal(tmpl_layer_of(k[7].dep), TL_LETTER);
    assert_int_equal(k[6].kind, TK_TABLE);
    assert_true(tmpl_is_static(&k[6]));
    assert_int_equal(k[6].n_cols, 2);
    assert_int_equal(k[7].kind, TK_QR);
    assert_false(tmpl_is_static(&k[7]));
    tmpl_free(&t);
}

struct broken {
    const char *body;
    const char *expect; /* in the message, after "t.xml:LINE:" */
    int line;
};

static void test_broken_templates_name_line(void **state)
{
    (void)state;
    static const struct broken cases[] = {
        {"<page width=\"210\" height=\"297\">\n<text x=\"1\" y=\"1\">{nmae}</text>\n</page>\n",
         "unknown variable {nmae}", 3},
        {"<page width=\"210\" height=\"297\">\n\n<if test=\"sing\"/>\n</page>\n",
         "unknown flag 'sing'", 4},
        {"<page width=\"210\" height=\"297\">\n<if test=\"sign user\"/>\n</page>\n",
         "'and' or 'or' expected", 3},
        {"<page width=\"210\" height=\"297\">\n<text x=\"1\" y=\"1\">{office.name}</text>\n"
         "</page>\n",
         "outside <each", 3},
        /* Schema: unknown element, missing attribute, bad value. */
        {"<page width=\"210\" height=\"297\">\n<circle/>\n</page>\n", "circle", 3},
        {"<page width=\"210\" height=\"297\">\n<rect x=\"1\" y=\"1\" w=\"2\"/>\n</page>\n", "h", 3},
        {"<page width=\"210\" height=\"297\">\n<text x=\"1\" y=\"1\" font=\"serif\">a</text>\n"
         "</page>\n",
         "serif", 3},
        {"<page width=\"210\" height=\"297\">\n<qr x=\"1\" y=\"1\" w=\"15\"/>\n</page>\n",
         "narrower than 20 mm", 3},
        /* Integers the schema allows but an int cannot hold (undefined behaviour to convert). */
        {"<page width=\"210\" height=\"297\">\n\n<pinboxes x=\"1\" y=\"1\" w=\"5\" h=\"5\" "
         "n=\"100000000000000000000\"/>\n</page>\n",
         "n=\"100000000000000000000\" must be 1-64", 4},
        {"<page width=\"210\" height=\"297\">\n<pinboxes x=\"1\" y=\"1\" w=\"5\" h=\"5\" n=\"4\" "
         "group=\"99999999999\"/>\n</page>\n",
         "group=", 3},
        {"<page width=\"210\" height=\"297\">\n<each over=\"offices\" x=\"1\" y=\"1\" "
         "h=\"9\" step=\"3\" max=\"4294967296\"/>\n</page>\n",
         "max=\"4294967296\" must be 1-64", 3},
        /* Not XML at all. */
        {"<page width=\"210\" height=\"297\">\n<text x=\"1\" y=\"1\">a</txet>\n</page>\n", "", 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct tmpl t;
        struct cn_err err = {0};
        const char *path = write_tmpl(cases[i].body);
        assert_int_equal(tmpl_load(path, &names, &t, &err), CN_EUSAGE);
        char where[160];
        snprintf(where, sizeof where, "%s:%d:", path, cases[i].line);
        if (!strstr(err.msg, where) || !strstr(err.msg, cases[i].expect))
            fail_msg("case %zu: \"%s\" lacks \"%s\" / \"%s\"", i, err.msg, where, cases[i].expect);
    }
}

static void test_doctype_refused(void **state)
{
    (void)state;
    struct tmpl t;
    struct cn_err err = {0};
    const char *path = write_tmpl("<!DOCTYPE page [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                                  "<page width=\"210\" height=\"297\">\n"
                                  "<text x=\"1\" y=\"1\">&x;</text></page>\n");
    assert_int_equal(tmpl_load(path, &names, &t, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "DOCTYPE"));
}

static bool flag_fn(void *ctx, const char *name, const char *value)
{
    const char *set = ctx; /* "sign policy=none" */
    char want[64];
    snprintf(want, sizeof want, value[0] ? "%s=%s" : "%s", name, value);
    for (const char *p = strstr(set, want); p; p = strstr(p + 1, want))
        if ((p == set || p[-1] == ' ') && (p[strlen(want)] == ' ' || !p[strlen(want)]))
            return true;
    return false;
}

static void test_conditions(void **state)
{
    (void)state;
    static const struct {
        const char *test, *set;
        bool want;
    } cases[] = {
        {"sign", "sign", true},
        {"sign", "user", false},
        {"not sign", "user", true},
        {"sign and user", "sign", false},
        {"sign and user", "sign user", true},
        {"sign and not user or policy=none", "user policy=none", true},
        {"sign and not user or policy=none", "sign user policy=required", false},
        {"not policy=none", "policy=optional", true},
        {"user and not sign or user and reprint", "user reprint sign", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char body[512];
        snprintf(body, sizeof body, "<page width=\"210\" height=\"297\"><if test=\"%s\"/></page>\n",
                 cases[i].test);
        struct tmpl t;
        struct cn_err err = {0};
        assert_int_equal(tmpl_load(write_tmpl(body), &names, &t, &err), CN_OK);
        if (tmpl_test(&t.root.kids[0], flag_fn, (void *)cases[i].set) != cases[i].want)
            fail_msg("test \"%s\" with {%s}", cases[i].test, cases[i].set);
        tmpl_free(&t);
    }
}

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "name") == 0 ? "春日 太郎" : NULL;
}

static void test_expand(void **state)
{
    (void)state;
    char out[64];
    assert_true(tmpl_expand("{name} 様 {unknown}!", lookup, NULL, out, sizeof out));
    assert_string_equal(out, "春日 太郎 様 !");
    assert_false(tmpl_expand("{name}{name}{name}{name}", lookup, NULL, out, 20));
    assert_true(strlen(out) < 20);
}

static void test_shipped_templates_load(void **state)
{
    (void)state;
    /* The real templates use the renderer's names; here only their schema validity and
     * structure are checked with every name allowed via a permissive list. */
    struct tmpl t;
    struct cn_err err = {0};
    static const struct tmpl_name none[] = {{"x", TDEP_NONE}};
    static const struct tmpl_names strict = {none, 1, none, 1};
    /* With a list that lacks their names, loading must fail on the first variable. */
    assert_int_equal(tmpl_load("templates/letter-front.xml", &strict, &t, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "templates/letter-front.xml:"));
    assert_non_null(strstr(err.msg, "unknown"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_classify),
        cmocka_unit_test(test_broken_templates_name_line),
        cmocka_unit_test(test_doctype_refused),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_shipped_templates_load),
    };
    return cmocka_run_group_tests(tests, setup, fixture_db_teardown);
}
