#include "postal_dict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int postal_dict_open(struct postal_dict *d, struct store *s, const char *where, cn_date today,
                     struct cn_err *err)
{
    int rc;
    memset(d, 0, sizeof *d);
    if (s && (rc = store_postal_info(s, &d->info, err)))
        return rc;
    if (!d->info.present) {
        log_warn("postal",
                 "no postcode dictionary in %s: the rules alone find where the town "
                 "name ends, and postcodes are not checked (certnotice postal import)",
                 where);
        return CN_OK;
    }
    cn_date made;
    d->age_days = date_parse_iso(d->info.ken_all.date, &made) ? (long)(today - made) : 0;
    /* the cache holds a run's towns: too big for a command's stack */
    if (!(d->cache = calloc(1, sizeof *d->cache)))
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    d->store = s;
    log_info("postal", "postcode dictionary: KEN_ALL of %s (%s)%s%s, %ld towns, imported %s",
             d->info.ken_all.date, d->info.ken_all.name,
             d->info.jigyosyo.name[0] ? ", JIGYOSYO of " : "", d->info.jigyosyo.date, d->info.towns,
             d->info.imported_at);
    if (d->info.offices_unplaced > 0)
        log_warn("postal",
                 "%ld individual postcodes were imported without their offices' addresses (an "
                 "older certnotice): a resident's postcode that is one of them is not checked; "
                 "import Japan Post's files again",
                 d->info.offices_unplaced);
    if (d->age_days > POSTAL_DICT_STALE_DAYS)
        log_warn("postal",
                 "the postcode dictionary is %ld days old (KEN_ALL of %s): import Japan Post's "
                 "latest files",
                 d->age_days, d->info.ken_all.date);
    return CN_OK;
}

void postal_dict_close(struct postal_dict *d)
{
    if (d->cache)
        postal_cache_free(d->cache);
    free(d->cache);
    memset(d, 0, sizeof *d);
}

int postal_dict_decide(struct postal_dict *d, const char *postcode, const char *address,
                       const char *address2, struct postal_decision *out, bool *decided,
                       struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    *decided = d->store != NULL;
    if (!d->store)
        return CN_OK;
    return store_postal_decide(d->store, d->cache, postcode, address, address2, out, err);
}

void postal_dict_mismatch_reason(const struct postal_decision *d, char *out, size_t cap)
{
    char code[9] = "";
    if (d->suggested[0])
        snprintf(code, sizeof code, "%.3s-%.4s", d->suggested, d->suggested + 3);
    snprintf(out, cap, "postcode does not cover the address's town (Japan Post's dictionary)%s%s",
             code[0] ? ": it suggests " : "", code);
}
