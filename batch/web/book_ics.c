/* /booking.ics: the verified resident's booking as a calendar file. */
#include <stdio.h>

#include "book_req.h"
#include "ics.h"

void book_page_ics(struct req *r)
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
    char ref[BOOKING_REF_LEN], uid[64], summary[256], location[512], desc[1024];
    booking_ref(b.id, ref);
    snprintf(uid, sizeof uid, "%s@certnotice", ref);
    /* The file follows the pages' language; the office's name and address stay as the
     * city writes them. Plain text: furigana markup is dropped. */
    char plain[768];
    const char *name = o ? o->name : b.office;
    const char *one[] = {name};
    texts_format(T_(r, "電子証明書の更新（%s）"), one, 1, plain, sizeof plain);
    texts_plain(plain, summary, sizeof summary);
    snprintf(location, sizeof location, "%s %s", o ? o->name : b.office, o ? o->address : "");
    const char *two[] = {ref, r->cfg->booking_phone};
    texts_format(
        T_(r,
           "予約番号 %s\n持ち物：マイナンバーカード、通知書（予約ID通知書）、設定している暗証番号\n"
           "変更・取り消し：通知書のQRコードから\n問い合わせ：%s"),
        two, 2, plain, sizeof plain);
    texts_plain(plain, desc, sizeof desc);
    const struct ics_event ev = {.uid = uid,
                                 .day = b.day,
                                 .start_min = b.start_min,
                                 .end_min = b.start_min + (o ? o->booking.slot_min : 30),
                                 .stamp = r->now,
                                 .summary = summary,
                                 .location = location,
                                 .description = desc};
    char buf[4096];
    const size_t n = ics_write(&ev, buf, sizeof buf);
    if (!n) {
        book_status(r, 500);
        return;
    }
    html_rawn(&r->out->body, buf, n);
    r->out->content_type = "text/calendar; charset=utf-8";
    snprintf(r->out->disposition, sizeof r->out->disposition,
             "attachment; filename=\"booking-%s.ics\"", ref);
}
