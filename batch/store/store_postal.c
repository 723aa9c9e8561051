#include "store_postal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "store_db.h"

/* The dictionary is replaced whole: a month's file renames, splits and drops towns, and
 * rows kept from an older file would be towns that no longer exist. */
const char store_postal_schema_3[] =
    "CREATE TABLE postal_towns ("
    "  postcode TEXT NOT NULL, pref TEXT NOT NULL, city TEXT NOT NULL, town TEXT NOT NULL,"
    "  kind INTEGER NOT NULL, unit INTEGER NOT NULL, ranges TEXT NOT NULL,"
    "  names TEXT NOT NULL, building TEXT NOT NULL, floor INTEGER NOT NULL,"
    "  partial INTEGER NOT NULL);"
    "CREATE INDEX postal_towns_postcode ON postal_towns(postcode);"
    "CREATE INDEX postal_towns_city ON postal_towns(pref, city);"
    "CREATE TABLE postal_offices ("
    "  postcode TEXT PRIMARY KEY, kind INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE postal_dictionary ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  ken_all_name TEXT NOT NULL, ken_all_date TEXT NOT NULL, ken_all_sha256 TEXT NOT NULL,"
    "  ken_all_rows INTEGER NOT NULL,"
    "  jigyosyo_name TEXT NOT NULL, jigyosyo_date TEXT NOT NULL, jigyosyo_sha256 TEXT NOT NULL,"
    "  jigyosyo_rows INTEGER NOT NULL,"
    "  towns INTEGER NOT NULL, offices INTEGER NOT NULL, imported_at TEXT NOT NULL);";

/* Where a 大口事業所 or 私書箱 is: a resident's postcode that is an office's code is a typo
 * unless the address is the office's, and a barcode of it would send the letter there.
 * Offices imported before this migration have no address ("") and are not checked. */
const char store_postal_schema_8[] =
    "ALTER TABLE postal_offices ADD COLUMN pref TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE postal_offices ADD COLUMN city TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE postal_offices ADD COLUMN town TEXT NOT NULL DEFAULT '';";

#define TOWN_COLS "postcode, pref, city, town, kind, unit, ranges, names, building, floor, partial"

static const char sql_clear_towns[] = "DELETE FROM postal_towns";
static const char sql_clear_offices[] = "DELETE FROM postal_offices";
static const char sql_clear_dictionary[] = "DELETE FROM postal_dictionary";
static const char sql_put_town[] =
    "INSERT INTO postal_towns (" TOWN_COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)";
/* a code listed twice (several offices share one) is one code */
static const char sql_put_office[] = "INSERT OR IGNORE INTO postal_offices (postcode, kind, pref, "
                                     "city, town) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_put_dictionary[] =
    "INSERT INTO postal_dictionary VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
    "strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
static const char sql_office[] = "SELECT pref, city, town FROM postal_offices WHERE postcode = ?1";
static const char sql_cities_of[] =
    "SELECT DISTINCT pref, city FROM postal_towns WHERE postcode = ?1 ORDER BY pref, city";
static const char sql_towns_of[] =
    "SELECT " TOWN_COLS " FROM postal_towns WHERE pref = ?1 AND city = ?2 ORDER BY rowid";
static const char sql_towns_named[] = "SELECT " TOWN_COLS " FROM postal_towns WHERE "
                                      "instr(?1, city) > 0 ORDER BY pref, city, rowid";
static const char sql_info[] =
    "SELECT ken_all_name, ken_all_date, ken_all_sha256, ken_all_rows, jigyosyo_name,"
    " jigyosyo_date, jigyosyo_sha256, jigyosyo_rows, towns, offices, imported_at,"
    " (SELECT count(*) FROM postal_offices WHERE pref = '')"
    " FROM postal_dictionary WHERE id = 1";

int store_postal_import_begin(struct store *s, struct cn_err *err)
{
    int rc;
    /* store_begin takes the write lock at once: a night reading the dictionary waits, then
     * sees the old or the new one whole */
    if ((rc = store_begin(s, err)))
        return rc;
    if ((rc = store_exec(s, store_stmt(s, sql_clear_towns, err), "clearing the dictionary", err)) ||
        (rc = store_exec(s, store_stmt(s, sql_clear_offices, err), "clearing the dictionary",
                         err)) ||
        (rc = store_exec(s, store_stmt(s, sql_clear_dictionary, err), "clearing the dictionary",
                         err)))
        store_rollback(s);
    return rc;
}

int store_postal_put_town(struct store *s, const struct postal_town *t, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_town, err);
    if (st) {
        store_bind_text(st, 1, t->postcode);
        store_bind_text(st, 2, t->pref);
        store_bind_text(st, 3, t->city);
        store_bind_text(st, 4, t->town);
        sqlite3_bind_int(st, 5, (int)t->kind);
        sqlite3_bind_int(st, 6, (int)t->unit);
        store_bind_text(st, 7, t->ranges);
        store_bind_text(st, 8, t->names);
        store_bind_text(st, 9, t->building);
        sqlite3_bind_int(st, 10, t->floor);
        sqlite3_bind_int(st, 11, t->partial);
    }
    return store_exec(s, st, "storing a town", err);
}

int store_postal_put_office(struct store *s, const struct postal_office *o, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put_office, err);
    if (st) {
        store_bind_text(st, 1, o->postcode);
        sqlite3_bind_int(st, 2, o->kind);
        store_bind_text(st, 3, o->pref);
        store_bind_text(st, 4, o->city);
        store_bind_text(st, 5, o->town);
    }
    return store_exec(s, st, "storing an individual postcode", err);
}

int store_postal_import_commit(struct store *s, const struct postal_source *ken_all,
                               const struct postal_source *jigyosyo, long towns, long offices,
                               struct cn_err *err)
{
    static const struct postal_source none = {"", "", "", 0};
    if (!jigyosyo)
        jigyosyo = &none;
    sqlite3_stmt *st = store_stmt(s, sql_put_dictionary, err);
    if (st) {
        store_bind_text(st, 1, ken_all->name);
        store_bind_text(st, 2, ken_all->date);
        store_bind_text(st, 3, ken_all->sha256);
        sqlite3_bind_int64(st, 4, ken_all->rows);
        store_bind_text(st, 5, jigyosyo->name);
        store_bind_text(st, 6, jigyosyo->date);
        store_bind_text(st, 7, jigyosyo->sha256);
        sqlite3_bind_int64(st, 8, jigyosyo->rows);
        sqlite3_bind_int64(st, 9, towns);
        sqlite3_bind_int64(st, 10, offices);
    }
    int rc = store_exec(s, st, "recording the dictionary's files", err);
    if (!rc)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

void store_postal_import_abort(struct store *s)
{
    store_rollback(s);
}

static int info_row(sqlite3_stmt *st, void *ctx)
{
    struct postal_info *out = ctx;
    out->present = true;
    store_column_copy(st, 0, out->ken_all.name, sizeof out->ken_all.name);
    store_column_copy(st, 1, out->ken_all.date, sizeof out->ken_all.date);
    store_column_copy(st, 2, out->ken_all.sha256, sizeof out->ken_all.sha256);
    out->ken_all.rows = (long)sqlite3_column_int64(st, 3);
    store_column_copy(st, 4, out->jigyosyo.name, sizeof out->jigyosyo.name);
    store_column_copy(st, 5, out->jigyosyo.date, sizeof out->jigyosyo.date);
    store_column_copy(st, 6, out->jigyosyo.sha256, sizeof out->jigyosyo.sha256);
    out->jigyosyo.rows = (long)sqlite3_column_int64(st, 7);
    out->towns = (long)sqlite3_column_int64(st, 8);
    out->offices = (long)sqlite3_column_int64(st, 9);
    store_column_copy(st, 10, out->imported_at, sizeof out->imported_at);
    out->offices_unplaced = (long)sqlite3_column_int64(st, 11);
    return CN_OK;
}

int store_postal_info(struct store *s, struct postal_info *out, struct cn_err *err)
{
    bool found;
    memset(out, 0, sizeof *out);
    return store_row(s, store_stmt(s, sql_info, err), "reading the dictionary", info_row, out,
                     &found, err);
}

struct town_list {
    struct postal_town *towns;
    size_t n, cap;
};

static int town_row(sqlite3_stmt *st, void *ctx)
{
    struct town_list *l = ctx;
    struct postal_town *grown = grow_for_one(l->towns, &l->cap, l->n, sizeof *l->towns, 64);
    if (!grown)
        return CN_EOUTPUT;
    l->towns = grown;
    struct postal_town *t = &grown[l->n];
    memset(t, 0, sizeof *t);
    store_column_copy(st, 0, t->postcode, sizeof t->postcode);
    store_column_copy(st, 1, t->pref, sizeof t->pref);
    store_column_copy(st, 2, t->city, sizeof t->city);
    store_column_copy(st, 3, t->town, sizeof t->town);
    t->kind = (enum postal_kind)sqlite3_column_int(st, 4);
    t->unit = (enum postal_unit)sqlite3_column_int(st, 5);
    store_column_copy(st, 6, t->ranges, sizeof t->ranges);
    store_column_copy(st, 7, t->names, sizeof t->names);
    store_column_copy(st, 8, t->building, sizeof t->building);
    t->floor = sqlite3_column_int(st, 9);
    t->partial = sqlite3_column_int(st, 10) != 0;
    if (postal_town_prepare(t))
        l->n++;
    return CN_OK;
}

static int read_towns(struct store *s, sqlite3_stmt *st, struct town_list *l, struct cn_err *err)
{
    int rc = store_rows(s, st, "reading towns", town_row, l, err);
    if (rc == CN_EOUTPUT && !err->msg[0])
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
    return rc;
}

void postal_cache_free(struct postal_cache *c)
{
    for (int i = 0; i < c->n_cities; i++)
        free(c->city[i].towns);
    memset(c, 0, sizeof *c);
}

static unsigned code_slot(const char *postcode)
{
    unsigned h = 0;
    for (const char *p = postcode; *p; p++)
        h = h * 10 + (unsigned)(*p - '0');
    return h % POSTAL_CACHE_CODES;
}

#define KEY_CAP sizeof(((struct postal_city *)0)->key)

static int key_row(sqlite3_stmt *st, void *ctx)
{
    char *key = ctx;
    char pref[32], city[128], one[192];
    size_t len = strlen(key);
    store_column_copy(st, 0, pref, sizeof pref);
    store_column_copy(st, 1, city, sizeof city);
    snprintf(one, sizeof one, "%s\t%s", pref, city);
    if (len + strlen(one) + 2 > KEY_CAP)
        return STORE_STOP; /* more municipalities than a key holds: the first ones */
    snprintf(key + len, KEY_CAP - len, "%s%s", len ? "\n" : "", one);
    return CN_OK;
}

/* Loads the towns of every municipality in key into a cache entry; its index. */
static int load_cities(struct store *s, struct postal_cache *c, const char *key, int *index,
                       struct cn_err *err)
{
    for (int i = 0; i < c->n_cities; i++)
        if (strcmp(c->city[i].key, key) == 0) {
            *index = i;
            return CN_OK;
        }
    int i = c->n_cities < POSTAL_CACHE_CITIES ? c->n_cities++ : c->next_evict;
    if (c->n_cities == POSTAL_CACHE_CITIES && i == c->next_evict) {
        c->next_evict = (c->next_evict + 1) % POSTAL_CACHE_CITIES;
        free(c->city[i].towns);
        for (int k = 0; k < POSTAL_CACHE_CODES; k++)
            if (c->code[k].city == i)
                c->code[k].postcode[0] = '\0';
    }
    struct postal_city *pc = &c->city[i];
    memset(pc, 0, sizeof *pc);
    snprintf(pc->key, sizeof pc->key, "%s", key);
    struct town_list l = {0};
    int rc = CN_OK;
    char pref[192];
    for (const char *p = key; *p && !rc;) {
        size_t len = strcspn(p, "\n");
        snprintf(pref, sizeof pref, "%.*s", (int)len, p);
        char *tab = strchr(pref, '\t');
        if (tab) {
            *tab = '\0';
            sqlite3_stmt *st = store_stmt(s, sql_towns_of, err);
            if (st) {
                store_bind_text(st, 1, pref);
                store_bind_text(st, 2, tab + 1);
            }
            rc = read_towns(s, st, &l, err);
        }
        p += len + (p[len] ? 1 : 0);
    }
    pc->towns = l.towns;
    pc->n = l.n;
    *index = i;
    return rc;
}

/* A postcode's municipalities ("pref\tcity" lines) and, for an office, its town. */
struct code_info {
    char key[1024];
    char town[96];
};

static int office_row(sqlite3_stmt *st, void *ctx)
{
    struct code_info *ci = ctx;
    char pref[32], city[128];
    store_column_copy(st, 0, pref, sizeof pref);
    store_column_copy(st, 1, city, sizeof city);
    store_column_copy(st, 2, ci->town, sizeof ci->town);
    if (pref[0])
        snprintf(ci->key, sizeof ci->key, "%s\t%s", pref, city);
    return CN_OK;
}

/* The cache slot of a postcode, loading its municipalities' towns on first sight. */
static int slot_of(struct store *s, struct postal_cache *c, const char *postcode, unsigned *slot,
                   struct cn_err *err)
{
    *slot = code_slot(postcode);
    if (strcmp(c->code[*slot].postcode, postcode) == 0)
        return CN_OK;
    struct code_info ci = {"", ""};
    bool office = false;
    int city = -2, rc;
    sqlite3_stmt *st = store_stmt(s, sql_office, err);
    if (st)
        store_bind_text(st, 1, postcode);
    if ((rc = store_row(s, st, "looking up a postcode", office_row, &ci, &office, err)))
        return rc;
    if (!office) {
        st = store_stmt(s, sql_cities_of, err);
        if (st)
            store_bind_text(st, 1, postcode);
        if ((rc = store_rows(s, st, "looking up a postcode", key_row, ci.key, err)))
            return rc;
    }
    if (ci.key[0] && (rc = load_cities(s, c, ci.key, &city, err)))
        return rc;
    snprintf(c->code[*slot].postcode, sizeof c->code[*slot].postcode, "%s", postcode);
    c->code[*slot].city = city;
    c->code[*slot].office = office;
    snprintf(c->code[*slot].town, sizeof c->code[*slot].town, "%s", office ? ci.town : "");
    return CN_OK;
}

int store_postal_decide(struct store *s, struct postal_cache *cache, const char *postcode,
                        const char *address, const char *address2, struct postal_decision *out,
                        struct cn_err *err)
{
    unsigned slot;
    int rc = slot_of(s, cache, postcode, &slot, err);
    if (rc)
        return rc;
    const char *office_town = cache->code[slot].office ? cache->code[slot].town : NULL;
    int city = cache->code[slot].city;
    if (city >= 0) {
        const struct postal_city *pc = &cache->city[city];
        postal_decide(postcode, office_town, pc->towns, pc->n, address, address2, out);
        return CN_OK;
    }
    if (office_town) { /* an office imported without its address */
        postal_decide(postcode, office_town, NULL, 0, address, address2, out);
        return CN_OK;
    }
    /* a postcode of no town: the towns of the municipalities the address names */
    struct town_list l = {0};
    char norm[2048];
    if (postal_normalize(address, norm, sizeof norm) == 0) {
        sqlite3_stmt *st = store_stmt(s, sql_towns_named, err);
        if (st)
            store_bind_text(st, 1, norm);
        rc = read_towns(s, st, &l, err);
    }
    if (!rc)
        postal_decide(postcode, NULL, l.towns, l.n, address, address2, out);
    free(l.towns);
    return rc;
}
