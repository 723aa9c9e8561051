/* floor: the nightly benchmark's reference, a bare libharu program that prints as many
 * letters as the night did: files of BATCH letters, two A4 pages a letter, the two IPAex
 * fonts embedded by libharu (UTF-8), and each side's static part (the letter's constant
 * paragraphs, headings and frames) drawn once per file into a content stream that every
 * page of the file shares (libharu's HPDF_Page_New_Content_Stream and
 * HPDF_Page_Insert_Shared_Content_Stream). Each page's own stream then holds what a
 * program that does no layout of its own would draw for one resident: about a dozen lines
 * of the resident's text, and the QR code, DataMatrix and customer barcode as one rectangle
 * per dark module or bar (a fixed pseudo-random pattern per letter: no encoder runs).
 * libharu's defaults otherwise (deflate at zlib's default level). No measuring, no line
 * breaking, no database: the time of the PDF work alone. scripts/bench.sh runs it on the
 * night's letter count and reports the night's CPU time over the floor's.
 *
 *   floor LETTERS BATCH OUTDIR GOTHIC.ttf MINCHO.ttf
 *
 * Built and run by scripts/bench.sh; never by the tests. */
#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    (void)user;
    fprintf(stderr, "floor: libharu error 0x%04X (detail %u)\n", (unsigned)error,
            (unsigned)detail);
    exit(1);
}

/* One line of text at x,y mm from the top-left. */
static void line(HPDF_Page p, HPDF_Font f, double size, double x, double y, const char *s)
{
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, f, (HPDF_REAL)size);
    HPDF_Page_TextOut(p, (HPDF_REAL)(x * MM), (HPDF_REAL)(PAGE_H - y * MM), s);
    HPDF_Page_EndText(p);
}

static void box(HPDF_Page p, double x, double y, double w, double h, double width)
{
    HPDF_Page_SetLineWidth(p, (HPDF_REAL)width);
    HPDF_Page_Rectangle(p, (HPDF_REAL)(x * MM), (HPDF_REAL)(PAGE_H - (y + h) * MM),
                        (HPDF_REAL)(w * MM), (HPDF_REAL)(h * MM));
    HPDF_Page_Stroke(p);
}

/* The letter's constant text, cut into lines as a program without a line breaker would
 * (a fixed count of characters): front, then back. */
static const char *const front_text[] = {
    "マイナンバーカード電子証明書　有効期限のお知らせ",
    "あなたのマイナンバーカードに搭載されている電子証明書の有効期限が近づいています。",
    "有効期限を過ぎると、下記のサービスが利用できなくなります。下記の期間内に、",
    "お近くの窓口で更新の手続きをしてください（手数料は無料です）。",
    "対象の電子証明書", "有効期限", "更新できる期間", "窓口での手続きには予約が必要です",
    "予約ID", "右のQRコードを読み取るか、予約電話で、予約IDを伝えて予約してください。",
    "予約は更新できる期間の初日から受け付けます。", "予約サイト", "手続きできる窓口",
    "お持ちいただくもの", "ご本人が来られる場合", "代理人が来られる場合",
    "・マイナンバーカード", "・この通知書", "・設定している暗証番号（窓口で入力していただきます）",
    "・ご本人のマイナンバーカード", "・代理人の本人確認書類（運転免許証など）",
    "・裏面の照会書兼回答書（ご本人が記入し、同封の封筒に入れ封をしたもの）",
    "有効期限が切れると利用できなくなるもの",
    "署名用電子証明書：e-Tax（国税の電子申告）などのオンライン申請・届出、電子契約での署名",
    "利用者証明用電子証明書：マイナ保険証による医療機関・薬局でのオンライン資格確認、",
    "コンビニ交付（住民票の写し等）、マイナポータルへのログイン",
    "お問い合わせ：見本市 市民課　電話 000-000-0000",
    "このお知らせは、電子証明書の有効期限の約3か月前にお送りしています。",
    "見本市長", "見本市 市民生活部 市民課", "〒000-0000　見本市中央一丁目1番1号",
};
static const char *const back_text[] = {
    "照会書兼回答書（兼委任状）", "（あて先）見本市長",
    "代理人が手続きをする場合に、ご本人が記入してください（ご本人が来られる場合は記入不要です）。",
    "記入した用紙は、同封の封筒に入れて封をし、代理人にお渡しください。",
    "代理人は封をしたまま窓口にお持ちください。", "１　ご本人（照会を受けた方）", "住所", "氏名",
    "生年月日", "対象の電子証明書", "予約ID", "２　回答（暗証番号）",
    "私は、上記の電子証明書の更新を申請するにあたり、設定している暗証番号を次のとおり回答します。",
    "暗証番号を誤って記入すると、代理人による手続きはできません。",
    "署名用電子証明書の暗証番号（英数字6〜16文字・左詰め）", "利用者証明用電子証明書の暗証番号（数字4桁）",
    "３　委任状", "私は、次の者を代理人と定め、マイナンバーカードの電子証明書の更新（新規発行を含む）の",
    "申請及び受領に関する権限を委任します。", "代理人の住所", "代理人の氏名", "電話番号",
    "ご本人との関係", "記入日　令和　　年　　月　　日", "ご本人の署名（自署）",
    "ご本人が署名できない場合は、その理由と代筆者の氏名を余白に記入してください。",
    "記入後は同封の封筒に入れ封をしてください",
    "封がされていない場合や開封された場合は、受け付けできません。", "市区町村使用欄",
    "受付日　　　年　　月　　日　　　受付者　　　　本人確認　□運転免許証　□旅券　□その他",
    "お問い合わせ：見本市 市民課　電話 000-000-0000",
};

static void draw_static(HPDF_Page p, HPDF_Font gothic, HPDF_Font mincho, int side)
{
    const char *const *text = side == 0 ? front_text : back_text;
    size_t n = side == 0 ? sizeof front_text / sizeof *front_text
                         : sizeof back_text / sizeof *back_text;
    for (size_t i = 0; i < n; i++)
        line(p, i % 3 == 0 ? gothic : mincho, i == 0 ? 15 : 9, 20, 60 + 7.5 * (double)i, text[i]);
    for (int i = 0; i < 8; i++)
        box(p, 20, 90 + 24 * i, 170, 20, 0.5);
    for (int i = 0; i < 20; i++)
        box(p, 20 + 9 * i, 122, 9, 10, 0.7);
}

static unsigned long rng = 20261201;

static unsigned next_bits(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* A square code of n x n modules, s mm each, at x,y mm: one rectangle per dark module. */
static void code(HPDF_Page p, int n, double s, double x, double y)
{
    HPDF_Page_SetGrayFill(p, 0);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++)
            if (next_bits() & 1)
                HPDF_Page_Rectangle(p, (HPDF_REAL)((x + c * s) * MM),
                                    (HPDF_REAL)(PAGE_H - (y + (r + 1) * s) * MM),
                                    (HPDF_REAL)(s * MM), (HPDF_REAL)(s * MM));
    HPDF_Page_Fill(p);
}

/* The customer barcode: 67 bars of three heights. */
static void barcode(HPDF_Page p, double x, double y)
{
    for (int i = 0; i < 67; i++) {
        unsigned k = next_bits() % 3;
        double h = k == 0 ? 3.6 : 2.4, top = k == 2 ? 1.2 : 0;
        HPDF_Page_Rectangle(p, (HPDF_REAL)((x + 1.2 * i) * MM),
                            (HPDF_REAL)(PAGE_H - (y + top + h) * MM), (HPDF_REAL)(0.6 * MM),
                            (HPDF_REAL)(h * MM));
    }
    HPDF_Page_Fill(p);
}

static void draw_own(HPDF_Page p, HPDF_Font gothic, HPDF_Font mincho, long seq, int file, int side)
{
    static const char *const names[] = {"見本　太郎", "山田　花子", "佐藤　一郎", "高橋　美咲"};
    static const char *const towns[] = {"見本市中央一丁目", "見本市北町二丁目", "見本市南町五丁目"};
    char buf[256];
    const char *name = names[seq % 4];
    snprintf(buf, sizeof buf, "No.%06ld　%d/2　F%03d　U-R-F", seq, side + 1, file);
    line(p, gothic, 6.5, 160, 7, buf);
    code(p, 18, 0.5, 188, 9); /* DataMatrix */
    snprintf(buf, sizeof buf, "%s%ld番%ld号　見本ハイツ%ld号室", towns[seq % 3], seq % 30 + 1,
             seq % 17 + 1, seq % 400 + 100);
    if (side == 0) {
        snprintf(buf + 200, 56, "〒%03ld-%04ld", seq % 1000, seq % 10000);
        line(p, gothic, 11, 24, 19, buf + 200);
        line(p, mincho, 11, 24, 26, buf);
        line(p, mincho, 15, 26, 47, name);
        barcode(p, 26, 50);
        line(p, mincho, 9, 160, 30, "令和8年12月1日");
        line(p, gothic, 9.5, 65, 100, "令和9年3月1日（2027年3月1日）");
        line(p, gothic, 9.5, 65, 106, "令和8年12月1日 から 令和9年3月1日 まで");
        snprintf(buf, sizeof buf, "%04lX-%04lX-%04lX", seq * 7919 % 65536, seq * 104729 % 65536,
                 seq * 31 % 65536);
        line(p, gothic, 22, 40, 141, buf);
        code(p, 29, 30.0 / 33, 157, 124); /* QR */
        line(p, gothic, 9, 21, 172, "見本市役所 市民課");
        line(p, mincho, 8, 68, 172, "平日 8:30〜17:15（水曜は19:30まで）");
        line(p, gothic, 9, 21, 183, "北部出張所");
        line(p, mincho, 8, 68, 183, "平日 8:30〜17:15");
    } else {
        line(p, mincho, 9.5, 57, 59, buf);
        line(p, mincho, 9.5, 57, 66, name);
        line(p, mincho, 9.5, 57, 73, "昭和60年4月1日");
        line(p, mincho, 9.5, 57, 80, "署名用電子証明書・利用者証明用電子証明書");
    }
    snprintf(buf, sizeof buf, "No.%06ld　%d/2", seq, side + 1);
    line(p, gothic, 6.5, 180, 293, buf);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: floor LETTERS BATCH OUTDIR GOTHIC.ttf MINCHO.ttf\n");
        return 2;
    }
    long letters = atol(argv[1]), batch = atol(argv[2]);
    if (letters < 0 || batch < 1)
        return 2;
    long seq = 0;
    for (int file = 1; seq < letters; file++) {
        HPDF_Doc pdf = HPDF_New(on_error, NULL);
        HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
        HPDF_UseUTFEncodings(pdf);
        HPDF_SetCurrentEncoder(pdf, "UTF-8");
        HPDF_Font gothic = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, argv[4], HPDF_TRUE),
                                        "UTF-8");
        HPDF_Font mincho = HPDF_GetFont(pdf, HPDF_LoadTTFontFromFile(pdf, argv[5], HPDF_TRUE),
                                        "UTF-8");
        HPDF_Dict shared[2] = {NULL, NULL};
        for (long k = 0; k < batch && seq < letters; k++) {
            seq++;
            for (int side = 0; side < 2; side++) {
                HPDF_Page p = HPDF_AddPage(pdf);
                HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
                if (!shared[side]) {
                    HPDF_Page_New_Content_Stream(p, &shared[side]);
                    draw_static(p, gothic, mincho, side);
                    HPDF_Page_New_Content_Stream(p, NULL);
                } else {
                    HPDF_Page_Insert_Shared_Content_Stream(p, shared[side]);
                }
                draw_own(p, gothic, mincho, seq, file, side);
            }
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/floor-%03d.pdf", argv[3], file);
        HPDF_SaveToFile(pdf, path);
        HPDF_Free(pdf);
    }
    printf("%ld letters\n", seq);
    return 0;
}
