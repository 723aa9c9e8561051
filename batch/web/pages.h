/* pages: the web pages' shared parts in the GOV.UK question-page pattern: layout, back
 * link, error summary, radios, buttons, summary lists, the error pages and the one CSS
 * file. Must not read the database or decide rules; every value goes through html_text. */
#ifndef CN_PAGES_H
#define CN_PAGES_H

#include <stdbool.h>

#include "html.h"
#include "lang.h"
#include "texts.h"

/* The language the residents' pages are written in: the pages' own words come from its
 * catalog, <html> gets its lang and dir, and the header links every offered language, each
 * named in itself (?lang=CODE on the same path). */
struct page_lang {
    enum lang lang;
    const struct texts *texts;
    lang_set offered;
};

/* Sets the language of the pages this thread writes until page_lang_set(NULL): a request
 * is written whole on one thread, and the staff pages, which never set it, stay Japanese
 * without every page function taking one more argument. */
void page_lang_set(const struct page_lang *pl);
/* ja in the current language (ja itself without one). */
const char *page_word(const char *ja);

struct page_error {
    const char *field; /* the id of the input it is about: the summary links to it */
    const char *msg;
};

/* Opens the page: the title gets "エラー: " when errors is true; back: the back link's
 * target, or NULL for none; service: the header's service name. */
void page_begin(struct html *h, const char *service, const char *title, bool errors,
                const char *back);
/* Closes main and adds the footer with the phone number (may be ""). */
void page_end(struct html *h, const char *phone, const char *hours);

/* The error summary at the top of main: each message links to its field. */
void page_error_summary(struct html *h, const struct page_error *errs, int n);
/* An error message under a field's label (role alert is the summary's job). */
void page_field_error(struct html *h, const char *field, const char *msg);

/* A POST form's opening tag with its CSRF token. */
void page_form_post(struct html *h, const char *action, const char *csrf);

/* One radio in a fieldset: disabled ones are shown but cannot be chosen (full slots). */
void page_radio(struct html *h, const char *name, const char *id, const char *value,
                const char *label, const char *hint, bool checked, bool disabled);

void page_button(struct html *h, const char *label, bool warning);
/* A link drawn as the start button. */
void page_start_link(struct html *h, const char *href, const char *label);

/* A summary row: key, value and an optional change link (NULL for none). */
void page_summary_row(struct html *h, const char *key, const char *value, const char *change,
                      const char *change_what);

/* The whole page for an HTTP error status: what happened in words, nothing internal. */
void page_status(struct html *h, const char *service, int status, const char *phone,
                 const char *hours);

/* The one stylesheet, served at /style.css. */
extern const char page_css[];

#endif
