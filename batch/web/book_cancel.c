/* /cancel: the verified resident's booking, and the POST that cancels it. */
#include <stdio.h>

#include "book_req.h"
#include "log.h"
#include "web_format.h"

static void cancelled(struct req *r, const struct booking *b, bool found, const char *self)
{
    bool done = false;
    struct cn_err err = {0};
    if (found && store_booking_cancel(r->bs, r->s.rid, b->id, &done, &err)) {
        book_fail(r, &err);
        return;
    }
    if (done) {
        book_seats_moved(r, b, -1);
        char ref[BOOKING_REF_LEN], masked[16];
        booking_ref(b->id, ref);
        web_mask_rid(r->s.rid, masked);
        log_info("serve", "cancelled ref=%s office=%s rid=%s", ref, b->office, masked);
    }
    r->s.intent = INTENT_BOOK;
    r->s.day = DATE_NONE;
    r->s.start_min = -1;
    r->s.booking_id = 0;
    book_save(r);
    struct html *h = &r->out->body;
    book_begin(r, "予約を取り消しました", false, NULL);
    book_h1(r, "予約を取り消しました");
    book_p(r, "窓口に来られる前に、もう一度予約してください。");
    page_start_link(h, self, T_(r, "新しく予約する"));
    book_end(r);
}

void book_page_cancel(struct req *r, bool post)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    const struct booking b = who.active;
    const bool found = who.has_active;
    char self[64];
    snprintf(self, sizeof self, "/R/%s", r->s.rid);
    if (post) {
        cancelled(r, &b, found, self);
        return;
    }
    if (!found) {
        http_redirect(r->out, self);
        return;
    }
    struct html *h = &r->out->body;
    book_begin(r, "予約の取り消し", false, self);
    book_h1(r, "この予約を取り消しますか");
    book_rows(r, &b, config_office(r->cfg, b.office));
    page_form_post(h, "/cancel", r->s.csrf);
    page_button(h, T_(r, "予約を取り消す"), true);
    html_raw(h, "</form>\n");
    html_f(h, "<p><a href=\"%s\">", self);
    html_t(h, T_(r, "取り消さずに戻る"));
    html_raw(h, "</a></p>\n");
    book_end(r);
}
