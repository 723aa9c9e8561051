/* /done and /print: the booking made, what to bring, and how to change or cancel it. */
#include <stdio.h>

#include "book_req.h"
#include "rid.h"

/* What to bring, as the letter says it (templates/letter-front.xml). */
static void what_to_bring(struct req *r)
{
    struct html *h = &r->out->body;
    html_raw(h, "<h2>");
    html_t(h, T_(r, "お持ちいただくもの"));
    html_raw(h, "</h2>\n<ul>\n");
    static const char *const items[] = {
        N_("マイナンバーカード"),
        N_("通知書（予約ID通知書）"),
        N_("設定している暗証番号（窓口で入力していただきます。顔認証マイナンバーカードの方は"
           "不要です）"),
    };
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        html_raw(h, "<li>");
        html_t(h, T_(r, items[i]));
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
    book_p(r, "代理人が来られる場合は、ご本人のマイナンバーカード、代理人の本人確認書類"
              "（運転免許証など）、通知書の裏面の照会書兼回答書（ご本人が記入し、同封の封筒に"
              "入れ封をしたもの）をお持ちください。");
}

void book_page_done(struct req *r, bool print)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    const struct booking b = who.active;
    if (!who.has_active) {
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
    if (print) {
        book_h1(r, "電子証明書の更新の予約");
        html_raw(h, "<p>");
        html_tf(h, T_(r, "予約ID：%s"), disp);
        html_raw(h, "</p>\n");
    } else {
        html_raw(h, "<div class=\"panel\"><h1>");
        html_t(h, T_(r, "予約が完了しました"));
        html_raw(h, "</h1><p>");
        html_t(h, T_(r, "予約番号"));
        html_f(h, "<br><span class=\"ref\">%s</span></p></div>\n", ref);
    }
    book_rows(r, &b, o);
    book_p(r, "予約した時間帯の中でご案内します。時間に余裕をもってお越しください。");
    what_to_bring(r);
    html_raw(h, "<h2>");
    html_t(h, T_(r, "予約の変更・取り消し"));
    html_raw(h, "</h2>\n");
    book_p(r, "通知書のQRコードを読み取るか、このサイトで予約IDを入力すると、予約の変更や"
              "取り消しができます（誕生日の入力が必要です）。");
    if (!print) {
        char self[64];
        snprintf(self, sizeof self, "/R/%s", r->s.rid);
        html_raw(h, "<ul class=\"links noprint\">\n<li><a href=\"/booking.ics\">");
        html_t(h, T_(r, "カレンダーに登録する（ICSファイル）"));
        html_raw(h, "</a></li>\n<li><a href=\"/print\">");
        html_t(h, T_(r, "印刷用のページを開く"));
        html_f(h, "</a></li>\n<li><a href=\"%s\">", self);
        html_t(h, T_(r, "予約の変更・取り消しへ"));
        html_raw(h, "</a></li>\n</ul>\n");
    }
    book_end(r);
}
