/* postal_store: Japan Post's dictionary in the database: towns per postcode, JIGYOSYO's
 * individual codes, and which files it came from. Must not parse Japan Post's files. */
#ifndef CN_POSTAL_STORE_H
#define CN_POSTAL_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "postal.h"

struct postal_store;

/* The schema: the store core's migration 3. */
extern const char postal_store_schema_3[];

/* A second connection to the night's database file (WAL: it reads beside the store's),
 * which the store core has migrated. create: make the file (0600) when missing, for the
 * import; otherwise it must exist. */
int postal_store_open(const char *path, bool create, struct postal_store **out, struct cn_err *err);
void postal_store_close(struct postal_store *ps);

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
    char imported_at[32];
};

/* ---- import: one transaction; abort keeps the dictionary there was ---- */
int postal_store_import_begin(struct postal_store *ps, struct cn_err *err);
int postal_store_put_town(struct postal_store *ps, const struct postal_town *t, struct cn_err *err);
/* kind: 0 大口事業所, 1 私書箱 */
int postal_store_put_office(struct postal_store *ps, const char *postcode, int kind,
                            struct cn_err *err);
int postal_store_import_commit(struct postal_store *ps, const struct postal_source *ken_all,
                               const struct postal_source *jigyosyo, struct cn_err *err);
void postal_store_import_abort(struct postal_store *ps);

int postal_store_info(struct postal_store *ps, struct postal_info *out, struct cn_err *err);

/* ---- lookup for a letter ---- */
int postal_store_individual(struct postal_store *ps, const char *postcode, bool *yes,
                            struct cn_err *err);

/* The towns of the municipalities a night's letters live in, kept for the whole run: a
 * municipality's letters name a few cities (a city's wards) and many postcodes. */
#define POSTAL_CACHE_CITIES 64
#define POSTAL_CACHE_CODES 4096
struct postal_city {
    char pref[32];
    char city[128];
    struct postal_town *towns;
    size_t n;
};
struct postal_cache {
    struct postal_city city[POSTAL_CACHE_CITIES];
    int n_cities, next_evict;
    struct {
        char postcode[8];
        int city; /* index into city; -1 individual code; -2 in no town */
    } code[POSTAL_CACHE_CODES];
};
void postal_cache_free(struct postal_cache *c);

/* A letter's barcode decision against the dictionary (postal_decide with its towns). */
int postal_store_decide(struct postal_store *ps, struct postal_cache *cache, const char *postcode,
                        const char *address, const char *address2, struct postal_decision *out,
                        struct cn_err *err);
#endif
