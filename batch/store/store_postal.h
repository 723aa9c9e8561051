/* store_postal: Japan Post's dictionary in the database: towns per postcode, JIGYOSYO's
 * individual codes, and which files it came from. Must not parse Japan Post's files. */
#ifndef CN_STORE_POSTAL_H
#define CN_STORE_POSTAL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "postal.h"
#include "store.h"

/* The schema: the store core's migrations 3 and 8 (the offices' addresses). */
extern const char store_postal_schema_3[];
extern const char store_postal_schema_8[];

struct postal_source {
    char name[256];  /* file name as given */
    char date[11];   /* the CSV's date inside the zip (or the file's mtime) */
    char sha256[65]; /* of the file as given */
    long rows;
};

struct postal_info {
    bool present;
    struct postal_source ken_all, jigyosyo; /* jigyosyo.name "" when not imported */
    long towns, offices;
    long offices_unplaced; /* imported before migration 8: their codes are not checked */
    char imported_at[32];
};

/* A JIGYOSYO row: an individual postcode and where the office is (normalised). */
struct postal_office {
    char postcode[8];
    int kind; /* 0 大口事業所, 1 私書箱 */
    char pref[32];
    char city[128];
    char town[256];
};

/* ---- import: one transaction; abort keeps the dictionary there was ---- */
int store_postal_import_begin(struct store *s, struct cn_err *err);
int store_postal_put_town(struct store *s, const struct postal_town *t, struct cn_err *err);
int store_postal_put_office(struct store *s, const struct postal_office *o, struct cn_err *err);
int store_postal_import_commit(struct store *s, const struct postal_source *ken_all,
                               const struct postal_source *jigyosyo, long towns, long offices,
                               struct cn_err *err);
void store_postal_import_abort(struct store *s);

int store_postal_info(struct store *s, struct postal_info *out, struct cn_err *err);

/* ---- lookup for a letter ---- */

/* The towns of the municipalities a night's letters live in, kept for the whole run: a
 * municipality's letters name a few cities (a city's wards) and many postcodes. A postcode
 * that spans municipalities (498-0000: 弥富市 and 木曽岬町) has all of their towns. */
#define POSTAL_CACHE_CITIES 64
#define POSTAL_CACHE_CODES 4096
struct postal_city {
    char key[1024]; /* "pref\tcity" for each municipality, '\n'-separated */
    struct postal_town *towns;
    size_t n;
};
struct postal_cache {
    struct postal_city city[POSTAL_CACHE_CITIES];
    int n_cities, next_evict;
    struct {
        char postcode[8];
        int city;      /* index into city; -2 in no town (and no office's city) */
        bool office;   /* a JIGYOSYO individual code */
        char town[96]; /* the office's town ("" unknown: imported before migration 8) */
    } code[POSTAL_CACHE_CODES];
};
void postal_cache_free(struct postal_cache *c);

/* A letter's barcode decision against the dictionary (postal_decide with its towns). */
int store_postal_decide(struct store *s, struct postal_cache *cache, const char *postcode,
                        const char *address, const char *address2, struct postal_decision *out,
                        struct cn_err *err);
#endif
