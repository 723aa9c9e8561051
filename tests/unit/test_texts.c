/* Tests for texts and the shipped catalogs: every key of templates/po/certnotice.pot in every
 * language's catalog (the missing ones listed by language), the pot itself current with the
 * C sources, the Japanese fallback, furigana markup and how a translation takes its values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "msgcat.h"
#include "texts.h"

#define PO_DIR "templates/po"

/* Every language's catalog has every key of the template, or the test names what it lacks. */
static void catalogs_complete(void **state)
{
    (void)state;
    struct msgcat *pot = NULL;
    struct cn_err err = {0};
    if (msgcat_load(PO_DIR "/certnotice.pot", &pot, &err) != CN_OK)
        fail_msg("%s", err.msg);
    assert_true(msgcat_count(pot) > 10);
    struct texts *t = NULL;
    if (texts_load(PO_DIR, LANG_ALL, &t, &err) != CN_OK)
        fail_msg("%s", err.msg);
    size_t missing = 0;
    for (int l = 0; l < LANG_COUNT; l++) {
        if (l == LANG_JA)
            continue;
        char path[128];
        snprintf(path, sizeof path, PO_DIR "/%s.po", lang_code((enum lang)l));
        struct msgcat *c = NULL;
        if (msgcat_load(path, &c, &err) != CN_OK)
            fail_msg("%s", err.msg);
        for (size_t i = 0; i < msgcat_count(pot); i++) {
            const char *id, *str;
            msgcat_entry(pot, i, &id, &str);
            if (!msgcat_find(c, id)) {
                printf("# %s lacks: \"%s\"\n", lang_code((enum lang)l), id);
                missing++;
            } else if (texts_get(t, (enum lang)l, id) == id) {
                fail_msg("%s: texts_get falls back for a key the catalog has", path);
            }
        }
        msgcat_free(c);
    }
    texts_free(t);
    msgcat_free(pot);
    if (missing)
        fail_msg("%zu translations missing (listed above): run `make po` and translate them",
                 missing);
}

/* The template holds every text the C sources mark, so a new text shows up as missing above
 * rather than silently in Japanese. */
static void pot_current(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char out[512], cmd[1024];
    snprintf(out, sizeof out, "%s/cn-test-texts-%d.pot", tmp, (int)getpid());
    snprintf(cmd, sizeof cmd,
             "xgettext --from-code=UTF-8 --language=C --keyword= --keyword=N_ "
             "--keyword=texts_get:3 --keyword=T_:2 --keyword=page_word --keyword=book_begin:2 --keyword=book_h1:2 --keyword=book_p:2 --keyword=book_count:2 -o %s batch/*/*.c 2>&1",
             out);
    if (system(cmd) != 0)
        fail_msg("xgettext failed (package gettext)");
    struct msgcat *now = NULL, *pot = NULL;
    struct cn_err err = {0};
    if (msgcat_load(out, &now, &err) != CN_OK || msgcat_load(PO_DIR "/certnotice.pot", &pot, &err))
        fail_msg("%s", err.msg);
    remove(out);
    size_t stale = 0;
    for (size_t i = 0; i < msgcat_count(now); i++) {
        const char *id, *str;
        msgcat_entry(now, i, &id, &str);
        if (!msgcat_has(pot, id)) {
            printf("# not in certnotice.pot (run `make po`): \"%s\"\n", id);
            stale++;
        }
    }
    for (size_t i = 0; i < msgcat_count(pot); i++) {
        const char *id, *str;
        msgcat_entry(pot, i, &id, &str);
        if (!msgcat_has(now, id)) {
            printf("# in certnotice.pot but no longer in the sources: \"%s\"\n", id);
            stale++;
        }
    }
    msgcat_free(now);
    msgcat_free(pot);
    assert_int_equal(stale, 0);
}

static void fallback_and_format(void **state)
{
    (void)state;
    struct texts *t = NULL;
    struct cn_err err = {0};
    assert_int_equal(texts_load(PO_DIR, 1u << LANG_EN, &t, &err), CN_OK);
    const char *ja = "予約ID";
    assert_string_equal(texts_get(t, LANG_EN, ja), "Reservation ID");
    assert_ptr_equal(texts_get(t, LANG_JA, ja), ja);
    assert_ptr_equal(texts_get(t, LANG_KO, ja), ja); /* not loaded: Japanese */
    const char *none = "どこにもない文";
    assert_ptr_equal(texts_get(t, LANG_EN, none), none);
    assert_ptr_equal(texts_get(NULL, LANG_EN, ja), ja);
    texts_free(t);
    assert_int_equal(texts_load("/nonexistent", 1u << LANG_KO, &t, &err), CN_EUSAGE);
    assert_non_null(strstr(err.msg, "ko.po"));

    char out[64];
    const char *args[] = {"見本市", "2027年2月19日"};
    assert_true(texts_format("%sから%sまで 100%%", args, 2, out, sizeof out));
    assert_string_equal(out, "見本市から2027年2月19日まで 100%");
    assert_true(texts_format("%s %s %s", args, 2, out, sizeof out)); /* past the args: "" */
    assert_string_equal(out, "見本市 2027年2月19日 ");
    assert_false(texts_format("%s%s", args, 2, out, 8)); /* cut */
    assert_true(strlen(out) < 8);
}

static void ruby(void **state)
{
    (void)state;
    const char *s = "[予約|よやく]の[ページ]は a[b|c] [|x]";
    struct ruby_seg seg;
    char got[256] = "";
    while (texts_ruby_next(&s, &seg)) {
        char piece[64];
        if (seg.reading)
            snprintf(piece, sizeof piece, "<%.*s/%.*s>", (int)seg.base_len, seg.base,
                     (int)seg.reading_len, seg.reading);
        else
            snprintf(piece, sizeof piece, "{%.*s}", (int)seg.base_len, seg.base);
        strcat(got, piece);
    }
    assert_string_equal(got, "<予約/よやく>{の}{[ページ]は a}<b/c>{ }{[|x]}");
    char plain[64];
    assert_true(texts_plain("[予約|よやく]のページ", plain, sizeof plain));
    assert_string_equal(plain, "予約のページ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(catalogs_complete),
        cmocka_unit_test(pot_current),
        cmocka_unit_test(fallback_and_format),
        cmocka_unit_test(ruby),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
