#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Safe without a <limits> element: a phone with a family behind one address gets through,
 * a script guessing IDs does not (README, "Limits"; docs/contracts.md). */
const struct serve_limits serve_limits_default = {.threads = 8,
                                                  .connections = 512,
                                                  .per_address = 32,
                                                  .idle_timeout = 15,
                                                  .request_timeout = 30,
                                                  .max_header = 8192,
                                                  .max_body = 8192,
                                                  .lookups_burst = 20,
                                                  .lookups_per_hour = 60};

void config_free(struct config *cfg)
{
    free(cfg->offices);
    free(cfg->districts);
    cfg->offices = NULL;
    cfg->districts = NULL;
    cfg->n_offices = cfg->n_districts = 0;
}

const struct office *config_office(const struct config *cfg, const char *id)
{
    for (size_t i = 0; id && i < cfg->n_offices; i++)
        if (strcmp(cfg->offices[i].id, id) == 0)
            return &cfg->offices[i];
    return NULL;
}

const struct district *config_district(const struct config *cfg, const char *code)
{
    for (size_t i = 0; i < cfg->n_districts; i++)
        if (strcmp(cfg->districts[i].code, code) == 0)
            return &cfg->districts[i];
    return NULL;
}

const char *config_policy_name(enum resv_policy p)
{
    switch (p) {
    case RESV_REQUIRED:
        return "required";
    case RESV_OPTIONAL:
        return "optional";
    case RESV_NONE:
        return "none";
    }
    return "?";
}

/* "市役所1階　電話 0568-85-6138": what the page gives, nothing in place of what it does not. */
void config_format_office_contact(const struct office *o, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s%s", o->address, o->address[0] && o->phone[0] ? "　" : "",
             o->phone[0] ? "電話 " : "", o->phone);
}

/* "0120-769-706（月〜金 8:30〜20:00。IP電話などでつながらない場合 045-550-5454、ファクス
 * 045-350-8484）": the main number, its hours, then the other numbers for the same
 * bookings inside the same parentheses. */
void config_format_booking_phones(const struct config *cfg, char *out, size_t cap)
{
    size_t len = (size_t)snprintf(out, cap, "%s", cfg->booking_phone);
    bool paren = false;
    if (cfg->booking_hours[0] && len < cap) {
        len += (size_t)snprintf(out + len, cap - len, "（%s", cfg->booking_hours);
        paren = true;
    }
    for (size_t i = 0; i < cfg->n_booking_alt && len < cap; i++) {
        const struct phone *ph = &cfg->booking_alt[i];
        len += (size_t)snprintf(out + len, cap - len, "%s%s%s%s%s%s%s",
                                !paren ? "（"
                                : i    ? "、"
                                       : "。",
                                ph->label, ph->label[0] ? " " : "", ph->number,
                                ph->hours[0] ? "（" : "", ph->hours, ph->hours[0] ? "）" : "");
        paren = true;
    }
    if (paren && len < cap)
        snprintf(out + len, cap - len, "）");
}
