#include "staff_req.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

void staff_audit(struct sreq *r, const char *who, const char *action, const char *detail)
{
    struct cn_err err = {0};
    if (store_staff_audit(r->db, who, action, detail, r->in->client, &err))
        log_error("staff", "%s", err.msg); /* the action stands; the log says what is missing */
}

void staff_begin(struct sreq *r, const char *title, bool errors)
{
    char service[128];
    snprintf(service, sizeof service, "%s 窓口", r->cfg->municipality);
    page_begin(&r->out->body, service, title, errors, NULL);
    if (!r->have_session)
        return;
    struct html *h = &r->out->body;
    html_raw(h, "<nav class=\"staffnav noprint\" aria-label=\"窓口のメニュー\"><ul>"
                "<li><a href=\"/staff/day\">予約一覧</a></li>"
                "<li><a href=\"/staff/phone\">電話予約</a></li>"
                "<li><a href=\"/staff/closures\">休止・定員</a></li>"
                "<li><a href=\"/staff/forecast\">来庁予測</a></li></ul>");
    page_form_post(h, "/staff/logout", r->s.csrf);
    html_f(h, "<span class=\"who\">%s</span> ", r->s.staff);
    html_raw(h, "<button type=\"submit\" class=\"button secondary small\">ログアウト</button>"
                "</form></nav>\n");
}

void staff_end(struct sreq *r)
{
    page_end(&r->out->body, "", "");
}

void staff_status(struct sreq *r, int status)
{
    html_free(&r->out->body);
    r->out->status = status;
    char service[128];
    snprintf(service, sizeof service, "%s 窓口", r->cfg->municipality);
    page_status(&r->out->body, service, status, "", "");
}

void staff_fail(struct sreq *r, const struct cn_err *err)
{
    log_error("staff", "%s", err->msg);
    staff_status(r, 503);
}

static bool all_offices(const struct sreq *r)
{
    return strcmp(r->s.office, STAFF_ALL_OFFICES) == 0;
}

bool staff_may_office(const struct sreq *r, const char *office)
{
    return all_offices(r) || strcmp(r->s.office, office) == 0;
}

const struct office *staff_page_office(struct sreq *r, const char *asked)
{
    const struct config *cfg = r->cfg;
    const struct office *o = NULL;
    if (asked && asked[0])
        o = config_office(cfg, asked);
    else if (!all_offices(r))
        o = config_office(cfg, r->s.office);
    for (size_t i = 0; !o && !(asked && asked[0]) && i < cfg->n_offices; i++)
        if (cfg->offices[i].booking.enabled)
            o = &cfg->offices[i];
    if (!o) {
        staff_status(r, 404);
        return NULL;
    }
    if (!staff_may_office(r, o->id)) {
        log_warn("staff", "refused: %s asked for office %s", r->s.staff, o->id);
        staff_status(r, 403);
        return NULL;
    }
    return o;
}

void staff_office_select(struct sreq *r, const char *id, const struct office *current)
{
    struct html *h = &r->out->body;
    html_f(h,
           "<div class=\"field\"><label for=\"%s\">窓口</label><select id=\"%s\" name=\"office\">",
           id, id);
    for (size_t i = 0; i < r->cfg->n_offices; i++) {
        const struct office *o = &r->cfg->offices[i];
        if (!o->booking.enabled || !staff_may_office(r, o->id))
            continue;
        html_f(h, "<option value=\"%s\"%s>%s</option>", o->id, current == o ? " selected" : "",
               o->name);
    }
    html_raw(h, "</select></div>\n");
}

void staff_date_field(struct html *h, const char *id, const char *name, const char *label,
                      cn_date value)
{
    char iso[11] = "";
    if (value != DATE_NONE)
        date_format_iso(value, iso);
    html_f(h,
           "<div class=\"field\"><label for=\"%s\">%s</label><span class=\"hint\" "
           "id=\"%s-hint\">例：2027-01-12</span><input id=\"%s\" name=\"%s\" type=\"text\" "
           "inputmode=\"numeric\" aria-describedby=\"%s-hint\" value=\"%s\"></div>\n",
           id, label, id, id, name, id, iso);
}
