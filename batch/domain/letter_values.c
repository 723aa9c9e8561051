#include "letter_values.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "jcal.h"

void letter_booking_url(const struct config *cfg, const char *rid, char *out, size_t cap)
{
    const char *pat = cfg->booking_url, *at = strstr(pat, "{rid}");
    if (at)
        snprintf(out, cap, "%.*s%s%s", (int)(at - pat), pat, rid, at + 5);
    else
        snprintf(out, cap, "%s", pat);
}

static void format_postal(const char *digits, char *out, size_t cap)
{
    if (strlen(digits) == 7)
        snprintf(out, cap, "〒%.3s-%.4s", digits, digits + 3);
    else
        snprintf(out, cap, "%s", digits);
}

static void western(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d年%d月%d日", y, m, dd);
}

/* field as printed into out; a gaiji the map lacks is named in problem (the first one). */
static void printed(const struct gaiji_map *gaiji, const char *what, const char *field, char *out,
                    size_t cap, char *problem, size_t pcap)
{
    uint32_t bad;
    if (gaiji_apply(gaiji, field, out, cap, &bad))
        return;
    out[0] = '\0';
    if (problem[0])
        return;
    if (bad)
        snprintf(problem, pcap, "%s: gaiji U+%04X is not in the gaiji map", what, (unsigned)bad);
    else
        snprintf(problem, pcap, "%s: too long once its gaiji are replaced", what);
}

void letter_values_fill(const struct config *cfg, const struct gaiji_map *gaiji,
                        const struct letter *l, struct letter_values *v)
{
    /* Only the short fields are cleared: the text fields are written whole below, and
     * clearing their 10 KB for every letter would cost more than filling them. */
    memset(v->certs, 0, sizeof *v - offsetof(struct letter_values, certs));
    v->gaiji_problem[0] = '\0';
    const struct resident *r = l->r;
    printed(gaiji, "name", r->name, v->name, sizeof v->name, v->gaiji_problem,
            sizeof v->gaiji_problem);
    printed(gaiji, "name_kana", r->name_kana, v->name_kana, sizeof v->name_kana, v->gaiji_problem,
            sizeof v->gaiji_problem);
    printed(gaiji, "address", r->address, v->address, sizeof v->address, v->gaiji_problem,
            sizeof v->gaiji_problem);
    printed(gaiji, "address2", r->address2, v->address2, sizeof v->address2, v->gaiji_problem,
            sizeof v->gaiji_problem);
    const struct variant *var = &l->variant;
    snprintf(v->certs, sizeof v->certs, "%s%s%s", var->sign ? "署名用電子証明書" : "",
             var->sign && var->user ? "・" : "", var->user ? "利用者証明用電子証明書" : "");
    rules_variant_code(var, v->variant);
    format_postal(l->r->postal_code, v->postal, sizeof v->postal);
    format_postal(cfg->sender_postal, v->sender_postal, sizeof v->sender_postal);
    rid_display(l->rid, v->rid);
    letter_booking_url(cfg, l->rid, v->url, sizeof v->url);
    jcal_wareki_weekday(l->certs.expiry, v->expiry_wareki, sizeof v->expiry_wareki);
    western(l->certs.expiry, v->expiry_western, sizeof v->expiry_western);
    jcal_wareki_weekday(l->window.start, v->window_start, sizeof v->window_start);
    jcal_wareki_weekday(l->window.end, v->window_end, sizeof v->window_end);
    jcal_wareki(l->issue_date, v->issue, sizeof v->issue);
    if (l->r->birth_date != DATE_NONE)
        jcal_wareki(l->r->birth_date, v->birth, sizeof v->birth);
    snprintf(v->seq, sizeof v->seq, "%06ld", l->seq);
    snprintf(v->file_no, sizeof v->file_no, "%03d", l->file_no);
    v->page_count = l->pages > 0 ? l->pages : 2;
    snprintf(v->pages, sizeof v->pages, "%d", v->page_count);
    letter_values_page(v, 1);
}

void letter_values_page(struct letter_values *v, int page_no)
{
    v->page_no = page_no;
    snprintf(v->page, sizeof v->page, "%d", page_no);
}
