/* /office: which of the district's offices, when it has more than one. */
#include <stdio.h>
#include <string.h>

#include "book_req.h"

void book_page_office(struct req *r, bool post)
{
    struct web_who who;
    if (!book_verified(r, &who))
        return;
    if (who.n_offices <= 1) {
        http_redirect(r->out, "/date");
        return;
    }
    const char *picked = post ? webform_get(&r->in->form, "office") : r->s.office;
    struct page_error e = {NULL, NULL};
    if (post) {
        if (picked && web_who_office(&who, picked)) {
            if (strcmp(r->s.office, picked) != 0) {
                r->s.day = DATE_NONE;
                r->s.start_min = -1;
            }
            snprintf(r->s.office, sizeof r->s.office, "%s", picked);
            book_save(r);
            http_redirect(r->out, "/date");
            return;
        }
        e = (struct page_error){"office-0", N_("手続きをする窓口を選んでください")};
    }
    struct html *h = &r->out->body;
    char back[64];
    snprintf(back, sizeof back, "/R/%s", r->s.rid);
    book_begin(r, "窓口の選択", e.msg != NULL, back);
    page_error_summary(h, &e, e.msg ? 1 : 0);
    page_form_post(h, "/office", r->s.csrf);
    html_f(h, "<div class=\"%s\"><fieldset>\n<legend><h1>", e.msg ? "has-error" : "");
    html_t(h, T_(r, "どの窓口で手続きしますか"));
    html_raw(h, "</h1></legend>\n");
    if (e.msg)
        page_field_error(h, "office", e.msg);
    for (int i = 0; i < who.n_offices; i++) {
        char id[24];
        snprintf(id, sizeof id, "office-%d", i);
        page_radio(h, "office", id, who.offices[i]->id, who.offices[i]->name,
                   who.offices[i]->address, picked && strcmp(picked, who.offices[i]->id) == 0,
                   false);
    }
    html_raw(h, "</fieldset></div>\n");
    page_button(h, T_(r, "次へ"), false);
    html_raw(h, "</form>\n");
    book_end(r);
}
