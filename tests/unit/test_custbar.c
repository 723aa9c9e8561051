/* Customer barcode: address-number reading, symbols, check digit and bars, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "custbar.h"

struct encode_case {
    const char *what;
    const char *postal;
    const char *address;
    const char *want; /* NULL: the address must be refused */
};

static const struct encode_case cases[] = {
    /* docs/domain.md (Japan Post's own examples) */
    {"manual 1: 丁目, hyphens, building and 号", "2630023",
     "千葉市稲毛区緑町3丁目30-8 郵便ビル403号", "2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5"},
    {"manual 2: letter run dropped, floor F at the end", "1100016",
     "東京都台東区台東5-6-3 ABCビル10F", "1 1 0 0 0 1 6 5 - 6 - 3 - 1 0 CC4 CC4 CC4 CC4 CC4 9"},
    {"manual 3: ・ & deleted, single letter kept without hyphens", "2730102",
     "千葉県鎌ケ谷市右京塚 東3丁目-20-5 郵便・A&bコーポB604号",
     "2 7 3 0 1 0 2 3 - 2 0 - 5 CC1 1 6 0 4 CC4 CC4 0"},
    /* Japan Post's manual (郵便番号・バーコードマニュアル) and a vendor's manual */
    {"manual: 霞が関, CD 9", "1000013", "東京都千代田区霞が関1丁目3番2号 郵便プラザ503室",
     "1 0 0 0 0 1 3 1 - 3 - 2 - 5 0 3 CC4 CC4 CC4 CC4 9"},
    {"manual: floor 2F at the end", "3170055", "茨城県日立市宮田町 6丁目7-14 ABCビル2F",
     "3 1 7 0 0 5 5 6 - 7 - 1 4 - 2 CC4 CC4 CC4 CC4 CC4 CC1"},
    {"manual: 南四条西 is a town name, cut at 20 on a hyphen", "0640804",
     "札幌市中央区南四条西 29丁目1524-23 第2郵便ハウス501",
     "0 6 4 0 8 0 4 2 9 - 1 5 2 4 - 2 3 - 2 - 3"},
    {"manual: letter J, and B's CC at position 20", "9100067",
     "福井県福井市新田塚 3丁目80-25 J1ビル2-B", "9 1 0 0 0 6 7 3 - 8 0 - 2 5 CC1 9 1 - 2 CC1 9"},
    {"vendor: single letters on both sides of a word", "6230011",
     "京都府綾部市青野町出口 6-7 LプラザB 106",
     "6 2 3 0 0 1 1 6 - 7 CC2 1 CC1 1 1 0 6 CC4 CC4 CC4 4"},
    {"published decoding: 永田町, ー after a digit", "1000014", "東京都千代田区永田町1丁目11ー32",
     "1 0 0 0 0 1 4 1 - 1 1 - 3 2 CC4 CC4 CC4 CC4 CC4 CC4 CC5"},
    /* kanji numerals */
    {"kanji numerals before 丁目 and 番", "1000013", "東京都千代田区霞が関十一丁目二十三番",
     "1 0 0 0 0 1 3 1 1 - 2 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC8"},
    {"百 before 番地", "1000013", "東京都千代田区霞が関百五番地",
     "1 0 0 0 0 1 3 1 0 5 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 1"},
    {"digit-by-digit kanji with 〇 before 号", "2630023", "千葉市稲毛区緑町3丁目 二〇三号",
     "2 6 3 0 0 2 3 3 - 2 0 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 6"},
    {"番地の", "0200500", "岩手県岩手郡雫石町字中原百二十三番地の4",
     "0 2 0 0 5 0 0 1 2 3 - 4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC3"},
    {"地割", "0200500", "岩手県岩手郡雫石町第2地割5番地",
     "0 2 0 0 5 0 0 2 - 5 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 7"},
    /* town names that hold numerals are not the address number */
    {"一番町 is a town name", "9800811", "宮城県仙台市青葉区一番町四丁目7-17",
     "9 8 0 0 8 1 1 4 - 7 - 1 7 CC4 CC4 CC4 CC4 CC4 CC4 CC4 7"},
    {"八丁堀 is a town name", "1040032", "東京都中央区八丁堀3丁目5-1",
     "1 0 4 0 0 3 2 3 - 5 - 1 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 1"},
    {"三ノ輪 is a town name", "1100011", "東京都台東区三ノ輪2丁目12-3",
     "1 1 0 0 0 1 1 2 - 1 2 - 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 3"},
    {"北1条西 is a town name", "0600001", "北海道札幌市中央区北1条西2丁目1番地",
     "0 6 0 0 0 0 1 2 - 1 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC1"},
    {"麻布十番 is a town name before 丁目", "1060045", "東京都港区麻布十番2丁目3-4",
     "1 0 6 0 0 4 5 2 - 3 - 4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4"},
    {"番 then 号 in kanji is a number", "2630023", "千葉市稲毛区緑町十二番五号",
     "2 6 3 0 0 2 3 1 2 - 5 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC1"},
    /* full-width */
    {"full-width digits and hyphens", "1040061", "東京都中央区銀座４－５－６",
     "1 0 4 0 0 6 1 4 - 5 - 6 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC2"},
    {"long-vowel mark after a digit is a hyphen", "1040061", "東京都中央区銀座4ー5ー6",
     "1 0 4 0 0 6 1 4 - 5 - 6 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC2"},
    {"full-width letter", "5300001", "大阪市北区梅田１－２ Ｂ棟",
     "5 3 0 0 0 0 1 1 - 2 CC1 1 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC4 6"},
    /* floors */
    {"floor F with more after it becomes a hyphen", "5300001",
     "大阪市北区梅田1-2-3 梅田ビル5F 501号室", "5 3 0 0 0 0 1 1 - 2 - 3 - 5 - 5 0 1 CC4 CC4 1"},
    {"floor F at the end is dropped", "5300001", "大阪市北区梅田1-2-3 梅田ビル12F",
     "5 3 0 0 0 0 1 1 - 2 - 3 - 1 2 CC4 CC4 CC4 CC4 CC4 CC5"},
    /* letters */
    {"single letter, hyphens around it dropped", "5300001", "大阪市北区梅田1-2-3 A棟201",
     "5 3 0 0 0 0 1 1 - 2 - 3 CC1 0 2 0 1 CC4 CC4 CC4 4"},
    {"K is CC2 0", "5300001", "大阪市北区梅田1-2 K-3",
     "5 3 0 0 0 0 1 1 - 2 CC2 0 3 CC4 CC4 CC4 CC4 CC4 CC4 CC4 CC7"},
    {"U and Z are CC3 0 and CC3 5", "5300001", "大阪市北区梅田1-2 U-3 Z",
     "5 3 0 0 0 0 1 1 - 2 CC3 0 3 CC3 5 CC4 CC4 CC4 CC4 CC4 7"},
    {"lower-case letter is upper-cased", "5300001", "大阪市北区梅田1-2-3 b棟",
     "5 3 0 0 0 0 1 1 - 2 - 3 CC1 1 CC4 CC4 CC4 CC4 CC4 CC4 2"},
    /* truncation */
    {"cut at 20 positions", "5300001", "大阪市北区梅田1234-5678-9012-3456",
     "5 3 0 0 0 0 1 1 2 3 4 - 5 6 7 8 - 9 0 1 1"},
    {"a letter at position 20 keeps its CC only", "5300001", "大阪市北区梅田12-34-56-789 B棟",
     "5 3 0 0 0 0 1 1 2 - 3 4 - 5 6 - 7 8 9 CC1 0"},
    /* refused: never a wrong barcode */
    {"no address number", "1000001", "東京都千代田区千代田", NULL},
    {"kanji numeral after 丁目 without a marker", "1000013", "東京都千代田区霞が関三丁目五", NULL},
    {"kanji numeral after の without a marker", "1050001", "東京都港区芝1の五", NULL},
    {"malformed kanji numeral", "1000013", "東京都千代田区霞が関二二十番", NULL},
    {"N丁目 right after the city is a town name", "4150021", "静岡県下田市五丁目3番1号", NULL},
    {"十番 then a number: town or number?", "1060045", "東京都港区麻布十番 2-3-4", NULL},
    {"十二番 alone: town or number?", "2630023", "千葉市稲毛区緑町十二番", NULL},
    {"三の五: town or number?", "2630023", "千葉市稲毛区緑町三の五", NULL},
    {"town-name numeral only", "9800811", "宮城県仙台市青葉区一番町", NULL},
    {"postcode too short", "263002", "千葉市稲毛区緑町3丁目30-8", NULL},
    {"postcode with a hyphen", "263-0023", "千葉市稲毛区緑町3丁目30-8", NULL},
    {"postcode not digits", "26300A3", "千葉市稲毛区緑町3丁目30-8", NULL},
    {"invalid UTF-8", "2630023", "\xe5\x8d\x83\xff 3-30-8", NULL},
    {"empty address", "2630023", "", NULL},
};

static void test_encode_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct encode_case *c = &cases[i];
        struct custbar cb;
        memset(&cb, 0xAA, sizeof cb);
        bool ok = custbar_encode(c->postal, c->address, &cb);
        if (!c->want) {
            if (ok)
                fail_msg("%s: %s should be refused", c->what, c->address);
            continue;
        }
        if (!ok)
            fail_msg("%s: %s refused", c->what, c->address);
        char got[128];
        custbar_format(&cb, got, sizeof got);
        if (strcmp(got, c->want) != 0)
            fail_msg("%s: %s\n  want %s\n  got  %s", c->what, c->address, c->want, got);
    }
}

/* Whatever the address, the check digit makes the 21 values a multiple of 19. */
static void test_check_digit_closes_sum(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct custbar cb;
        if (!cases[i].want || !custbar_encode(cases[i].postal, cases[i].address, &cb))
            continue;
        int sum = 0;
        for (int k = 0; k < CUSTBAR_SYMBOLS; k++) {
            assert_true(cb.sym[k] <= 18);
            sum += cb.sym[k];
        }
        assert_int_equal(sum % 19, 0);
    }
}

static void test_bars(void **state)
{
    (void)state;
    struct custbar cb;
    char bars[68];
    assert_true(custbar_encode("2630023", "千葉市稲毛区緑町3丁目30-8 郵便ビル403号", &cb));
    custbar_bars(&cb, bars);
    assert_int_equal(strlen(bars), 67);
    assert_string_equal(bars,
                        "FDFDADAFDFAFTTFTTFDADFADFATFTDFAFTTTFTADFTFTFADFTTDFATDATDATDAFTFDF");
}

static void test_format_respects_capacity(void **state)
{
    (void)state;
    struct custbar cb;
    char small[10];
    memset(small, 'x', sizeof small);
    assert_true(custbar_encode("2630023", "千葉市稲毛区緑町3丁目30-8", &cb));
    custbar_format(&cb, small, sizeof small);
    assert_true(memchr(small, '\0', sizeof small) != NULL);
    assert_int_equal(strncmp(small, "2 6 3 0 0", 9), 0);
}

/* The room number lives in address2 (方書): the letter's barcode must carry it. */
static void test_encode_parts_reads_address2(void **state)
{
    (void)state;
    struct custbar cb;
    char text[128];
    assert_true(custbar_encode_parts("2630023", "千葉市稲毛区緑町3丁目30-8", "郵便ビル403号", &cb));
    custbar_format(&cb, text, sizeof text);
    assert_string_equal(text, "2 6 3 0 0 2 3 3 - 3 0 - 8 - 4 0 3 CC4 CC4 CC4 5");
    assert_true(custbar_encode_parts("2630023", "千葉市稲毛区緑町3丁目30-8", "", &cb));
    custbar_format(&cb, text, sizeof text);
    assert_string_equal(text, "2 6 3 0 0 2 3 3 - 3 0 - 8 CC4 CC4 CC4 CC4 CC4 CC4 CC4 4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_table),
        cmocka_unit_test(test_check_digit_closes_sum),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_format_respects_capacity),
        cmocka_unit_test(test_encode_parts_reads_address2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
