/* /done and /print: the booking made, what to bring, and how to change or cancel it. */
#include <stdio.h>

#include "book_req.h"
#include "rid.h"

/* What to bring, as the letter says it (templates/letter-front.xml). */
static void what_to_bring(struct html *h)
{
    html_raw(h, "<h2>お持ちいただくもの</h2>\n<ul>\n<li>マイナンバーカード</li>\n"
                "<li>通知書（予約ID通知書）</li>\n"
                "<li>設定している暗証番号（窓口で入力していただきます。顔認証マイナンバーカード"
                "の方は不要です）</li>\n</ul>\n"
                "<p>代理人が来られる場合は、ご本人のマイナンバーカード、代理人の本人確認書類"
                "（運転免許証など）、通知書の裏面の照会書兼回答書（ご本人が記入し、同封の封筒に"
                "入れ封をしたもの）をお持ちください。</p>\n");
}

void book_page_done(struct req *r, bool print)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    struct booking b;
    bool found = false;
    if (!book_active(r, &b, &found))
        return;
    if (!found) {
        book_redirect_start(r);
        return;
    }
    const struct office *o = config_office(r->cfg, b.office);
    struct html *h = &r->out->body;
    char ref[BOOKING_REF_LEN], disp[RID_DISPLAY_LEN + 1];
    booking_ref(b.id, ref);
    rid_display(r->s.rid, disp);
    book_begin(r, print ? "予約内容（印刷用）" : "予約が完了しました", false,
               print ? "/done" : NULL);
    if (print)
        html_f(h, "<h1>電子証明書の更新の予約</h1>\n<p>予約ID：%s</p>\n", disp);
    else
        html_f(h,
               "<div class=\"panel\"><h1>予約が完了しました</h1><p>予約番号<br>"
               "<span class=\"ref\">%s</span></p></div>\n",
               ref);
    book_rows(r, &b, o);
    html_raw(h, "<p>予約した時間帯の中でご案内します。時間に余裕をもってお越しください。</p>\n");
    what_to_bring(h);
    html_raw(h, "<h2>予約の変更・取り消し</h2>\n"
                "<p>通知書のQRコードを読み取るか、このサイトで予約IDを入力すると、予約の変更や"
                "取り消しができます（誕生日の入力が必要です）。</p>\n");
    if (!print) {
        char self[64];
        snprintf(self, sizeof self, "/R/%s", r->s.rid);
        html_raw(h, "<ul class=\"links noprint\">\n");
        html_raw(h, "<li><a href=\"/booking.ics\">カレンダーに登録する（ICSファイル）</a></li>\n"
                    "<li><a href=\"/print\">印刷用のページを開く</a></li>\n");
        html_f(h, "<li><a href=\"%s\">予約の変更・取り消しへ</a></li>\n", self);
        html_raw(h, "</ul>\n");
    }
    book_end(r);
}
