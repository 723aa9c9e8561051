#include "web_resident.h"

#include <string.h>

/* Whether the ID takes a booking at all is the letter's (notice_booking), not today's
 * district policy: this only lists where. */
int web_offices(const struct config *cfg, const struct district *d, const struct office **out)
{
    int n = 0;
    for (int i = 0; d && i < d->n_offices && n < WEB_MAX_OFFICES; i++) {
        const struct office *o = &cfg->offices[d->offices[i]];
        if (o->booking.enabled)
            out[n++] = o;
    }
    return n;
}

void web_who_of(const struct config *cfg, const struct id_facts *facts, struct web_who *who,
                bool *found)
{
    memset(who, 0, sizeof *who);
    who->has_active = facts->has_active;
    if (facts->has_active)
        who->active = facts->active;
    if (facts->in_feed)
        who->res = facts->res;
    *found = false;
    if (!facts->in_feed || !booking_resident_opens(&who->res)) {
        who->withdrawn = facts->in_feed && !who->res.active;
        return;
    }
    *found = true;
    who->district = config_district(cfg, who->res.district);
    who->window = rules_window(who->res.cert_expiry);
    if (who->res.booking == NOTICE_BOOK_YES)
        who->n_offices = web_offices(cfg, who->district, who->offices);
}

int web_who_load(struct store_booking *bs, const struct config *cfg, const char *rid,
                 struct web_who *who, bool *found, struct cn_err *err)
{
    struct id_facts facts;
    int rc = store_booking_facts(bs, rid, &facts, err);
    if (rc) {
        memset(who, 0, sizeof *who);
        *found = false;
        return rc;
    }
    web_who_of(cfg, &facts, who, found);
    return CN_OK;
}

const struct office *web_who_office(const struct web_who *who, const char *id)
{
    for (int i = 0; id && i < who->n_offices; i++)
        if (strcmp(who->offices[i]->id, id) == 0)
            return who->offices[i];
    return NULL;
}

struct slot_resident web_who_slots(const struct web_who *who)
{
    struct slot_resident s = {who->window.start, who->window.end, who->res.letter_date};
    return s;
}
