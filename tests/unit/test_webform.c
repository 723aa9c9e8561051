/* Tests for webform, html and session: forms decode or are refused whole, every value is
 * escaped by the one function, CSRF tokens compare exactly. Table tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "html.h"
#include "session.h"
#include "webform.h"

static void forms(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        bool ok;
        const char *name, *want; /* a field to look at, and its value (NULL: absent) */
    } cases[] = {
        {"csrf=ab12&bday-month=4&bday-day=1", true, "bday-month", "4"},
        {"csrf=ab12&bday-month=4&bday-day=1", true, "bday-day", "1"},
        {"slot=09%3A30", true, "slot", "09:30"},
        {"a=%E6%9C%88+x", true, "a", "月 x"},
        {"a=", true, "a", ""},
        {"a", true, "a", ""},
        {"&&a=1&", true, "a", "1"},
        {"", true, "a", NULL},
        {"a=%4", false, NULL, NULL},        /* truncated escape */
        {"a=%zz", false, NULL, NULL},       /* not hex */
        {"a=%00", false, NULL, NULL},       /* NUL */
        {"a=%0A", false, NULL, NULL},       /* newline */
        {"a=%FF", false, NULL, NULL},       /* not UTF-8 */
        {"a=%C0%80", false, NULL, NULL},    /* overlong */
        {"a=%ED%A0%80", false, NULL, NULL}, /* surrogate */
        {"a=1&a=2", false, NULL, NULL},     /* named twice */
        {"=1", false, NULL, NULL},          /* no name */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct webform f;
        bool ok = webform_parse(cases[i].in, strlen(cases[i].in), &f);
        if (ok != cases[i].ok)
            fail_msg("case %zu '%s': ok=%d", i, cases[i].in, ok);
        if (ok && cases[i].name) {
            const char *v = webform_get(&f, cases[i].name);
            if (cases[i].want)
                assert_string_equal(v ? v : "(absent)", cases[i].want);
            else
                assert_null(v);
        }
    }
}

static void form_limits(void **state)
{
    (void)state;
    char big[WEBFORM_VALUE_MAX + 8] = "a=";
    memset(big + 2, 'x', WEBFORM_VALUE_MAX);
    big[WEBFORM_VALUE_MAX + 2] = '\0';
    struct webform f;
    assert_false(webform_parse(big, strlen(big), &f)); /* value too long */
    char many[256] = "";
    for (int i = 0; i <= WEBFORM_MAX_FIELDS; i++) {
        char one[16];
        snprintf(one, sizeof one, "f%d=1&", i);
        strcat(many, one);
    }
    assert_false(webform_parse(many, strlen(many), &f)); /* too many fields */
    assert_true(webform_text_ok("予約ID"));
    assert_false(webform_text_ok("a\x01"));
}

static void escaping(void **state)
{
    (void)state;
    struct html h = {0};
    html_text(&h, "<script>alert('x')</script> & \"q\"");
    assert_string_equal(h.sb.buf,
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    html_free(&h);
    html_f(&h, "<p title=\"%s\">%s %d %02d %%</p>", "\"><img>", "a<b", 7, 5);
    assert_string_equal(h.sb.buf, "<p title=\"&quot;&gt;&lt;img&gt;\">a&lt;b 7 05 %</p>");
    assert_false(html_failed(&h));
    html_free(&h);
    html_f(&h, "%x", 1); /* an unknown conversion refuses the page */
    assert_true(html_failed(&h));
    html_free(&h);
}

static void csrf(void **state)
{
    (void)state;
    struct session_jar *jar = NULL;
    struct cn_err err = {0};
    assert_int_equal(session_jar_new(2, 100, &jar, &err), CN_OK);
    struct session a, b, got;
    assert_int_equal(session_new(jar, 1000, &a, &err), CN_OK);
    assert_int_equal(strlen(a.token), SESSION_TOKEN_LEN);
    assert_string_not_equal(a.token, a.csrf);
    assert_true(session_csrf_ok(&a, a.csrf));
    assert_false(session_csrf_ok(&a, NULL));
    assert_false(session_csrf_ok(&a, ""));
    assert_false(session_csrf_ok(&a, a.token));
    char wrong[SESSION_TOKEN_LEN + 1];
    memcpy(wrong, a.csrf, sizeof wrong);
    wrong[SESSION_TOKEN_LEN - 1] ^= 1;
    assert_false(session_csrf_ok(&a, wrong));
    /* found while live, gone after the idle time */
    assert_true(session_get(jar, a.token, 1050, &got));
    snprintf(got.rid, sizeof got.rid, "ABCDEFGHJKLM");
    session_put(jar, &got);
    assert_true(session_get(jar, a.token, 1100, &got));
    assert_string_equal(got.rid, "ABCDEFGHJKLM");
    assert_false(session_get(jar, a.token, 1201, &got));
    assert_false(session_get(jar, "nope", 1100, &got));
    /* rotation: new tokens, the same content, the old token forgotten */
    assert_int_equal(session_new(jar, 1210, &a, &err), CN_OK);
    struct session before = a;
    snprintf(a.rid, sizeof a.rid, "ABCDEFGHJKLM");
    assert_int_equal(session_rotate(jar, &a, &err), CN_OK);
    assert_string_not_equal(a.token, before.token);
    assert_string_not_equal(a.csrf, before.csrf);
    assert_false(session_get(jar, before.token, 1211, &got));
    assert_true(session_get(jar, a.token, 1211, &got));
    assert_string_equal(got.rid, "ABCDEFGHJKLM");
    assert_false(session_csrf_ok(&got, before.csrf));
    /* a full jar gives the oldest away */
    assert_int_equal(session_new(jar, 1300, &a, &err), CN_OK);
    assert_int_equal(session_new(jar, 1301, &b, &err), CN_OK);
    struct session c;
    assert_int_equal(session_new(jar, 1302, &c, &err), CN_OK);
    assert_false(session_get(jar, a.token, 1303, &got));
    assert_true(session_get(jar, b.token, 1303, &got));
    assert_true(session_get(jar, c.token, 1303, &got));
    session_jar_free(jar);
}

/* Cookie headers as browsers send them: what this service cannot use is skipped, never
 * fatal; the first of a name wins. */
static void cookies(void **state)
{
    (void)state;
    static const struct {
        const char *header, *name, *want;
        int kept;
    } cases[] = {
        {"cn_sid=abc", "cn_sid", "abc", 1},
        {"a=1; cn_sid=abc; b=2", "cn_sid", "abc", 3},
        {"  cn_sid = abc  ;", "cn_sid", "abc", 1},
        {"cn_sid=\"abc\"", "cn_sid", "abc", 1},
        {"cn_sid=abc; cn_sid=def", "cn_sid", "abc", 1},
        {"cn_sid=", "cn_sid", "", 1},
        {"=abc; cn_sid=x", "cn_sid", "x", 1},
        {"junk; cn_sid=x", "cn_sid", "x", 1},
        {";;;", "cn_sid", NULL, 0},
        {"", "cn_sid", NULL, 0},
        {"cn_sid=a\x01b", "cn_sid", NULL, 0},
        {"cn_sid=\xff", "cn_sid", NULL, 0},
        {"averyveryveryveryveryverylongname=1", "cn_sid", NULL, 0},
        {"a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9;j=10;k=11;l=12;m=13;n=14;o=15;p=16;cn_sid=x",
         "cn_sid", NULL, 16},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct webform f;
        const int kept = webform_cookies(cases[i].header, &f);
        const char *got = webform_get(&f, cases[i].name);
        if (kept != cases[i].kept || (got == NULL) != (cases[i].want == NULL) ||
            (got && strcmp(got, cases[i].want) != 0))
            fail_msg("case %zu (%s): kept %d, got %s", i, cases[i].header, kept,
                     got ? got : "(none)");
    }
    struct webform f;
    assert_int_equal(webform_cookies(NULL, &f), 0);
    char long_value[400];
    memset(long_value, 'v', sizeof long_value);
    memcpy(long_value, "cn_sid=", 7);
    long_value[sizeof long_value - 1] = '\0';
    assert_int_equal(webform_cookies(long_value, &f), 0);
}

/* A jar far smaller than the sessions made: each new session is found at once, a rotated
 * one only by its new token, and no token finds another's session; the jar never holds
 * more than its size (the oldest near a new one's slot gives way). */
static void crowded_jar(void **state)
{
    (void)state;
    struct session_jar *jar;
    struct cn_err err = {0};
    assert_int_equal(session_jar_new(100, 60, &jar, &err), CN_OK);
    for (int i = 0; i < 2000; i++) {
        struct session s, got;
        assert_int_equal(session_new(jar, 1000 + i / 10, &s, &err), CN_OK);
        assert_true(session_get(jar, s.token, 1000 + i / 10, &got));
        assert_string_equal(got.token, s.token);
        char old[SESSION_TOKEN_LEN + 1];
        memcpy(old, s.token, sizeof old);
        snprintf(s.rid, sizeof s.rid, "R%d", i);
        assert_int_equal(session_rotate(jar, &s, &err), CN_OK);
        assert_false(session_get(jar, old, 1000 + i / 10, &got));
        assert_true(session_get(jar, s.token, 1000 + i / 10, &got));
        assert_string_equal(got.rid, s.rid);
    }
    struct session got;
    assert_false(session_get(jar, "0123456789abcdef0123456789abcdef", 1200, &got));
    assert_false(session_get(jar, "short", 1200, &got));
    assert_false(session_get(jar, NULL, 1200, &got));
    session_jar_free(jar);
}

static void paths(void **state)
{
    (void)state;
    char out[64];
    assert_true(webform_decode_path("/R/AB%2DCD+E", 12, out, sizeof out));
    assert_string_equal(out, "/R/AB-CD+E");
    assert_false(webform_decode_path("/%zz", 4, out, sizeof out));
    assert_false(webform_decode_path("/%00", 4, out, sizeof out));
    assert_false(webform_decode_path("/%4", 3, out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forms),       cmocka_unit_test(form_limits), cmocka_unit_test(escaping),
        cmocka_unit_test(csrf),        cmocka_unit_test(cookies),     cmocka_unit_test(paths),
        cmocka_unit_test(crowded_jar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
