/* /staff/day, /staff/day.csv and /staff/mark: an office's bookings of one day (A4 print,
 * CSV) and the attendance marks the counter sets on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rid.h"
#include "staff_req.h"
#include "web_format.h"

static const char *attendance_label(enum attendance a)
{
    switch (a) {
    case ATTEND_ARRIVED:
        return "来庁";
    case ATTEND_DONE:
        return "完了";
    case ATTEND_NO_SHOW:
        return "不在";
    default:
        return "予約";
    }
}

struct day_ctx {
    struct sreq *r;
    const struct office *o;
    cn_date day;
    int n;
    FILE *csv;
};

static int day_row(const struct day_entry *e, void *ctx)
{
    struct day_ctx *c = ctx;
    struct html *h = &c->r->out->body;
    /* What the booking store holds: the birth month and day the card is checked against,
     * never a name (certnotice daylist prints those inside). */
    char hhmm[6], rid[RID_DISPLAY_LEN + 1], md[8] = "", md_ja[24] = "", iso[11],
                                            ref[BOOKING_REF_LEN];
    slots_format_hhmm(e->start_min, hhmm);
    rid_display(e->rid, rid);
    if (e->birth_month > 0) {
        snprintf(md, sizeof md, "%02d-%02d", e->birth_month % 100, e->birth_day % 100);
        snprintf(md_ja, sizeof md_ja, "%d月%d日", e->birth_month % 100, e->birth_day % 100);
    }
    const bool web = strcmp(e->by, "web") == 0;
    date_format_iso(c->day, iso);
    booking_ref(e->id, ref);
    c->n++;
    if (c->csv) {
        const char *row[] = {hhmm,  rid, md, attendance_name(e->attendance), web ? "web" : "phone",
                             e->by, ref};
        return csv_write_row(c->csv, row, 7) ? CN_EOUTPUT : 0;
    }
    html_f(h, "<tr%s><td>%s</td><td class=\"rid\">%s</td><td>%s</td><td>%s",
           e->closure_id ? " class=\"hit\"" : "", hhmm, rid, md_ja, web ? "ウェブ" : "電話");
    if (!web)
        html_f(h, "<br><span class=\"hint\">%s</span>", e->by);
    html_f(h, "</td><td>%s", attendance_label(e->attendance));
    if (e->closure_id)
        html_raw(h, "<br><strong>休止：要連絡</strong>");
    html_raw(h, "</td><td class=\"noprint marks\">");
    static const enum attendance marks[] = {ATTEND_ARRIVED, ATTEND_DONE, ATTEND_NO_SHOW};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        page_form_post(h, "/staff/mark", c->r->s.csrf);
        html_f(h,
               "<input type=\"hidden\" name=\"id\" value=\"%s\"><input type=\"hidden\" "
               "name=\"office\" value=\"%s\"><input type=\"hidden\" name=\"date\" value=\"%s\">"
               "<button type=\"submit\" name=\"mark\" value=\"%s\" class=\"button small%s\" "
               "aria-label=\"%s %s %s\">%s</button></form>",
               ref, c->o->id, iso, attendance_name(marks[i]),
               e->attendance == marks[i] ? " current" : " secondary", attendance_label(marks[i]),
               hhmm, rid, attendance_label(marks[i]));
    }
    html_raw(h, "</td></tr>\n");
    return 0;
}

static bool day_of_page(struct sreq *r, const char *v, cn_date *day)
{
    *day = r->at.day;
    if (v && v[0] && !date_parse_iso(v, day)) {
        staff_status(r, 400);
        return false;
    }
    return true;
}

static void day_csv(struct sreq *r, struct day_ctx *c, const char *iso)
{
    struct cn_err err = {0};
    char *buf = NULL;
    size_t len = 0;
    c->csv = open_memstream(&buf, &len);
    if (!c->csv) {
        staff_status(r, 503);
        return;
    }
    static const char *const header[] = {"time",       "reservation_id", "birth_month_day",
                                         "attendance", "channel",        "booked_by",
                                         "reference"};
    int rc = csv_write_row(c->csv, header, 7) ? CN_EOUTPUT : CN_OK;
    if (!rc)
        rc = store_staff_day(r->db, c->o->id, c->day, day_row, c, &err);
    fclose(c->csv);
    if (!rc)
        html_rawn(&r->out->body, buf, len);
    if (buf)
        explicit_bzero(buf, len);
    free(buf);
    if (rc) {
        if (!err.msg[0])
            cn_fail(&err, CN_EOUTPUT, "writing the day's CSV failed");
        staff_fail(r, &err);
        return;
    }
    r->out->content_type = "text/csv; charset=utf-8";
    snprintf(r->out->disposition, sizeof r->out->disposition,
             "attachment; filename=\"bookings-%s-%s.csv\"", c->o->id, iso);
    char detail[96];
    snprintf(detail, sizeof detail, "%s %s rows %d", c->o->id, iso, c->n);
    staff_audit(r, r->s.staff, "day csv", detail);
}

void staff_page_day(struct sreq *r, bool csv)
{
    const struct office *o = staff_page_office(r, webform_get(&r->in->query, "office"));
    cn_date day;
    if (!o || !day_of_page(r, webform_get(&r->in->query, "date"), &day))
        return;
    char iso[11], title[256], label[64];
    date_format_iso(day, iso);
    web_fmt_day(day, label, sizeof label);
    struct day_ctx c = {r, o, day, 0, NULL};
    if (csv) {
        day_csv(r, &c, iso);
        return;
    }
    struct html *h = &r->out->body;
    snprintf(title, sizeof title, "予約一覧 %s %s", o->name, label);
    staff_begin(r, title, false);
    html_f(h, "<h1><span class=\"office\">%s</span> %s の予約</h1>\n", o->name, label);
    html_raw(h, "<form method=\"get\" action=\"/staff/day\" class=\"noprint inline\">\n");
    staff_office_select(r, "day-office", o);
    staff_date_field(h, "day-date", "date", "日付", day);
    page_button(h, "表示", false);
    html_raw(h, "</form>\n");
    html_f(h,
           "<p class=\"noprint\"><a href=\"/staff/day.csv?office=%s&amp;date=%s\">CSVで"
           "ダウンロード</a>　印刷はブラウザの印刷（Ctrl+P）で、A4 縦に収まります。</p>\n",
           o->id, iso);
    html_raw(h,
             "<p class=\"noprint\">氏名入りの一覧は庁内で印刷します（certnotice daylist）。</p>\n");
    html_raw(h, "<table class=\"daylist\"><thead><tr><th scope=\"col\">時間</th>"
                "<th scope=\"col\">予約ID</th><th scope=\"col\">誕生日</th>"
                "<th scope=\"col\">受付</th>"
                "<th scope=\"col\">状況</th><th scope=\"col\" class=\"noprint\">記録</th>"
                "</tr></thead>\n<tbody>\n");
    struct cn_err err = {0};
    if (store_staff_day(r->db, o->id, day, day_row, &c, &err)) {
        staff_fail(r, &err);
        return;
    }
    html_raw(h, "</tbody></table>\n");
    html_f(h, "<p>予約 %d 件</p>\n", c.n);
    staff_end(r);
    /* The list shows names and birth dates: seeing it is audited as the CSV download is. */
    char detail[96];
    snprintf(detail, sizeof detail, "%s %s rows %d", o->id, iso, c.n);
    staff_audit(r, r->s.staff, "day list", detail);
}

void staff_do_mark(struct sreq *r)
{
    const char *ref = webform_get(&r->in->form, "id");
    const char *mark = webform_get(&r->in->form, "mark");
    const char *date = webform_get(&r->in->form, "date");
    const struct office *o = staff_page_office(r, webform_get(&r->in->form, "office"));
    if (!o)
        return;
    enum attendance a;
    char *end_ptr = NULL;
    const long long id = ref && ref[0] == 'Y' ? strtoll(ref + 1, &end_ptr, 10) : 0;
    if (!attendance_parse(mark, &a) || id <= 0 || !end_ptr || *end_ptr) {
        staff_status(r, 400);
        return;
    }
    bool done = false;
    struct cn_err err = {0};
    if (store_staff_mark(r->db, id, o->id, a, &done, &err)) {
        staff_fail(r, &err);
        return;
    }
    if (!done) {
        staff_status(r, 404);
        return;
    }
    char detail[96], to[128];
    snprintf(detail, sizeof detail, "%.16s %s %s", ref, o->id, attendance_name(a));
    staff_audit(r, r->s.staff, "mark", detail);
    cn_date day;
    char iso[11] = "";
    if (date && date_parse_iso(date, &day))
        date_format_iso(day, iso);
    snprintf(to, sizeof to, "/staff/day?office=%s&date=%s", o->id, iso);
    http_redirect(r->out, to);
}
