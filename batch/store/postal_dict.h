/* postal_dict: the one way a run (the night, reprint, specimen, custbar) reaches Japan Post's
 * dictionary: said once per run, and each letter's barcode decided against it. Must not
 * parse Japan Post's files, draw bars or decide what a mismatch does to a letter. */
#ifndef CN_POSTAL_DICT_H
#define CN_POSTAL_DICT_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "err.h"
#include "store_postal.h"
#include "store.h"

/* Japan Post publishes every month; a dictionary older than this misses renamed towns. */
#define POSTAL_DICT_STALE_DAYS 90

struct postal_dict {
    struct store *store; /* NULL: no dictionary, the rules alone decide */
    struct postal_info info;
    long age_days; /* of KEN_ALL's date on the run's date */
    struct postal_cache *cache;
};

/* Reads which dictionary s holds (s NULL: there is no database) and says so once on the
 * log, stage "postal": its files and date, a warning past POSTAL_DICT_STALE_DAYS, or that
 * there is none and the rules alone decide. where names the database for that message. */
int postal_dict_open(struct postal_dict *d, struct store *s, const char *where, cn_date today,
                     struct cn_err *err);
void postal_dict_close(struct postal_dict *d);

/* A letter's barcode: *decided false without a dictionary (the rules alone, at drawing
 * time); else out holds the dictionary's verdict and, when out->barcode, the symbols. */
int postal_dict_decide(struct postal_dict *d, const char *postcode, const char *address,
                       const char *address2, struct postal_decision *out, bool *decided,
                       struct cn_err *err);

/* The review reason of a POSTAL_MISMATCH, naming the postcode the dictionary suggests. */
void postal_dict_mismatch_reason(const struct postal_decision *d, char *out, size_t cap);

#endif
