#include "postal_store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "store.h"

/* The dictionary is replaced whole: a month's file renames, splits and drops towns, and
 * rows kept from an older file would be towns that no longer exist. */
const char postal_store_schema_3[] =
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

#define TOWN_COLS "postcode, pref, city, town, kind, unit, ranges, names, building, floor, partial"

enum pstmt {
    P_PUT_TOWN,
    P_PUT_OFFICE,
    P_INDIVIDUAL,
    P_CITY_OF,
    P_TOWNS_OF,
    P_TOWNS_NAMED,
    P_INFO,
    P_COUNT
};

static const char *const psql[P_COUNT] = {
    [P_PUT_TOWN] = "INSERT INTO postal_towns (" TOWN_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    [P_PUT_OFFICE] = "INSERT OR IGNORE INTO postal_offices (postcode, kind) VALUES (?, ?)",
    [P_INDIVIDUAL] = "SELECT 1 FROM postal_offices WHERE postcode = ?",
    [P_CITY_OF] = "SELECT pref, city FROM postal_towns WHERE postcode = ? LIMIT 1",
    [P_TOWNS_OF] = "SELECT " TOWN_COLS " FROM postal_towns WHERE pref = ? AND city = ? "
                   "ORDER BY rowid",
    [P_TOWNS_NAMED] = "SELECT " TOWN_COLS " FROM postal_towns WHERE instr(?, city) > 0 "
                      "ORDER BY pref, city, rowid",
    [P_INFO] = "SELECT ken_all_name, ken_all_date, ken_all_sha256, ken_all_rows, jigyosyo_name,"
               " jigyosyo_date, jigyosyo_sha256, jigyosyo_rows, towns, offices, imported_at"
               " FROM postal_dictionary WHERE id = 1",
};

struct postal_store {
    sqlite3 *db;
    sqlite3_stmt *st[P_COUNT];
    char path[512];
    long towns, offices;
};

static int db_fail(struct postal_store *ps, struct cn_err *err, const char *what)
{
    return cn_fail(err, CN_EOUTPUT, "%s: %s: %s", ps->path, what, sqlite3_errmsg(ps->db));
}

int postal_store_open(const char *path, bool create, struct postal_store **out, struct cn_err *err)
{
    *out = NULL;
    struct postal_store *ps = calloc(1, sizeof *ps);
    if (!ps)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    snprintf(ps->path, sizeof ps->path, "%s", path);
    int rc = CN_OK;
    /* the store core creates and migrates the file: the dictionary's tables are its
     * migration 3 */
    struct store *core = NULL;
    if (!create && access(path, F_OK) != 0) {
        rc = cn_fail(err, CN_EUSAGE, "%s: cannot open database: %s", path, strerror(errno));
        goto fail;
    }
    if ((rc = store_open(path, 0, &core, err)))
        goto fail;
    store_close(core);
    if (sqlite3_open_v2(path, &ps->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = db_fail(ps, err, "cannot open database");
        goto fail;
    }
    sqlite3_busy_timeout(ps->db, 5000);
    for (int i = 0; i < P_COUNT; i++)
        if (sqlite3_prepare_v3(ps->db, psql[i], -1, SQLITE_PREPARE_PERSISTENT, &ps->st[i], NULL) !=
            SQLITE_OK) {
            rc = db_fail(ps, err, "preparing a statement");
            goto fail;
        }
    *out = ps;
    return CN_OK;
fail:
    postal_store_close(ps);
    return rc;
}

void postal_store_close(struct postal_store *ps)
{
    if (!ps)
        return;
    for (int i = 0; i < P_COUNT; i++)
        sqlite3_finalize(ps->st[i]);
    sqlite3_close(ps->db);
    free(ps);
}

static int step_done(struct postal_store *ps, sqlite3_stmt *st, const char *what,
                     struct cn_err *err)
{
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? CN_OK : db_fail(ps, err, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

int postal_store_import_begin(struct postal_store *ps, struct cn_err *err)
{
    ps->towns = ps->offices = 0;
    /* IMMEDIATE: a night's run reading the dictionary waits, then sees old or new whole */
    if (sqlite3_exec(ps->db,
                     "BEGIN IMMEDIATE; DELETE FROM postal_towns; DELETE FROM postal_offices;"
                     " DELETE FROM postal_dictionary;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        int rc = db_fail(ps, err, "starting the import");
        sqlite3_exec(ps->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return CN_OK;
}

int postal_store_put_town(struct postal_store *ps, const struct postal_town *t, struct cn_err *err)
{
    sqlite3_stmt *st = ps->st[P_PUT_TOWN];
    sqlite3_bind_text(st, 1, t->postcode, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, t->pref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, t->city, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, t->town, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, (int)t->kind);
    sqlite3_bind_int(st, 6, (int)t->unit);
    sqlite3_bind_text(st, 7, t->ranges, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, t->names, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, t->building, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, t->floor);
    sqlite3_bind_int(st, 11, t->partial);
    ps->towns++;
    return step_done(ps, st, "storing a town", err);
}

int postal_store_put_office(struct postal_store *ps, const char *postcode, int kind,
                            struct cn_err *err)
{
    sqlite3_stmt *st = ps->st[P_PUT_OFFICE];
    sqlite3_bind_text(st, 1, postcode, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, kind);
    ps->offices++;
    return step_done(ps, st, "storing an individual postcode", err);
}

int postal_store_import_commit(struct postal_store *ps, const struct postal_source *ken_all,
                               const struct postal_source *jigyosyo, struct cn_err *err)
{
    static const struct postal_source none = {"", "", "", 0};
    if (!jigyosyo)
        jigyosyo = &none;
    sqlite3_stmt *st = NULL;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
    if (sqlite3_prepare_v2(ps->db, "INSERT INTO postal_dictionary VALUES (1,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        int rc = db_fail(ps, err, "recording the dictionary's files");
        postal_store_import_abort(ps);
        return rc;
    }
    sqlite3_bind_text(st, 1, ken_all->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ken_all->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ken_all->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, ken_all->rows);
    sqlite3_bind_text(st, 5, jigyosyo->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, jigyosyo->date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, jigyosyo->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, jigyosyo->rows);
    sqlite3_bind_int64(st, 9, ps->towns);
    sqlite3_bind_int64(st, 10, ps->offices);
    sqlite3_bind_text(st, 11, now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? CN_OK
                                             : db_fail(ps, err, "recording the dictionary's files");
    sqlite3_finalize(st);
    if (!rc && sqlite3_exec(ps->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(ps, err, "committing the dictionary");
    if (rc)
        postal_store_import_abort(ps);
    return rc;
}

void postal_store_import_abort(struct postal_store *ps)
{
    sqlite3_exec(ps->db, "ROLLBACK", NULL, NULL, NULL);
}

static void col(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", v ? v : "");
}

int postal_store_info(struct postal_store *ps, struct postal_info *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = ps->st[P_INFO];
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->present = true;
        col(st, 0, out->ken_all.name, sizeof out->ken_all.name);
        col(st, 1, out->ken_all.date, sizeof out->ken_all.date);
        col(st, 2, out->ken_all.sha256, sizeof out->ken_all.sha256);
        out->ken_all.rows = (long)sqlite3_column_int64(st, 3);
        col(st, 4, out->jigyosyo.name, sizeof out->jigyosyo.name);
        col(st, 5, out->jigyosyo.date, sizeof out->jigyosyo.date);
        col(st, 6, out->jigyosyo.sha256, sizeof out->jigyosyo.sha256);
        out->jigyosyo.rows = (long)sqlite3_column_int64(st, 7);
        out->towns = (long)sqlite3_column_int64(st, 8);
        out->offices = (long)sqlite3_column_int64(st, 9);
        col(st, 10, out->imported_at, sizeof out->imported_at);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK
                                                 : db_fail(ps, err, "reading the dictionary");
}

int postal_store_individual(struct postal_store *ps, const char *postcode, bool *yes,
                            struct cn_err *err)
{
    sqlite3_stmt *st = ps->st[P_INDIVIDUAL];
    sqlite3_bind_text(st, 1, postcode, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *yes = rc == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK
                                                 : db_fail(ps, err, "looking up a postcode");
}

static int read_towns(struct postal_store *ps, sqlite3_stmt *st, struct postal_town **towns,
                      size_t *n, struct cn_err *err)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct postal_town *grown = grow_for_one(*towns, &cap, *n, sizeof **towns, 64);
        if (!grown) {
            sqlite3_reset(st);
            return cn_fail(err, CN_EOUTPUT, "out of memory");
        }
        *towns = grown;
        struct postal_town *t = &grown[*n];
        memset(t, 0, sizeof *t);
        col(st, 0, t->postcode, sizeof t->postcode);
        col(st, 1, t->pref, sizeof t->pref);
        col(st, 2, t->city, sizeof t->city);
        col(st, 3, t->town, sizeof t->town);
        t->kind = (enum postal_kind)sqlite3_column_int(st, 4);
        t->unit = (enum postal_unit)sqlite3_column_int(st, 5);
        col(st, 6, t->ranges, sizeof t->ranges);
        col(st, 7, t->names, sizeof t->names);
        col(st, 8, t->building, sizeof t->building);
        t->floor = sqlite3_column_int(st, 9);
        t->partial = sqlite3_column_int(st, 10) != 0;
        if (postal_town_prepare(t))
            (*n)++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? CN_OK : db_fail(ps, err, "reading towns");
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

/* The cached city of a postcode (loading it), -1 individual, -2 in no town. */
static int city_of(struct postal_store *ps, struct postal_cache *c, const char *postcode,
                   struct cn_err *err)
{
    unsigned slot = code_slot(postcode);
    if (strcmp(c->code[slot].postcode, postcode) == 0)
        return c->code[slot].city;
    bool individual;
    int rc, city = -2;
    if ((rc = postal_store_individual(ps, postcode, &individual, err)))
        return -100 - rc;
    char pref[32] = "", name[128] = "";
    if (individual) {
        city = -1;
    } else {
        sqlite3_stmt *st = ps->st[P_CITY_OF];
        sqlite3_bind_text(st, 1, postcode, -1, SQLITE_STATIC);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            col(st, 0, pref, sizeof pref);
            col(st, 1, name, sizeof name);
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
            return -100 - db_fail(ps, err, "looking up a postcode");
    }
    for (int i = 0; i < c->n_cities && name[0] && city == -2; i++)
        if (strcmp(c->city[i].pref, pref) == 0 && strcmp(c->city[i].city, name) == 0)
            city = i;
    if (name[0] && city == -2) {
        int i = c->n_cities < POSTAL_CACHE_CITIES ? c->n_cities++ : c->next_evict;
        if (i == c->next_evict && c->n_cities == POSTAL_CACHE_CITIES) {
            c->next_evict = (c->next_evict + 1) % POSTAL_CACHE_CITIES;
            free(c->city[i].towns);
            for (int k = 0; k < POSTAL_CACHE_CODES; k++)
                if (c->code[k].city == i)
                    c->code[k].postcode[0] = '\0';
        }
        struct postal_city *pc = &c->city[i];
        memset(pc, 0, sizeof *pc);
        snprintf(pc->pref, sizeof pc->pref, "%s", pref);
        snprintf(pc->city, sizeof pc->city, "%s", name);
        sqlite3_stmt *st = ps->st[P_TOWNS_OF];
        sqlite3_bind_text(st, 1, pref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if ((rc = read_towns(ps, st, &pc->towns, &pc->n, err)))
            return -100 - rc;
        city = i;
    }
    snprintf(c->code[slot].postcode, sizeof c->code[slot].postcode, "%s", postcode);
    c->code[slot].city = city;
    return city;
}

int postal_store_decide(struct postal_store *ps, struct postal_cache *cache, const char *postcode,
                        const char *address, const char *address2, struct postal_decision *out,
                        struct cn_err *err)
{
    int city = city_of(ps, cache, postcode, err);
    if (city <= -100)
        return -100 - city;
    if (city >= 0) {
        const struct postal_city *pc = &cache->city[city];
        postal_decide(postcode, false, pc->towns, pc->n, address, address2, out);
        return CN_OK;
    }
    if (city == -1) {
        postal_decide(postcode, true, NULL, 0, address, address2, out);
        return CN_OK;
    }
    /* a postcode of no town: the towns of the municipalities the address names */
    struct postal_town *towns = NULL;
    size_t n = 0;
    char norm[2048];
    int rc = CN_OK;
    if (postal_normalize(address, norm, sizeof norm) == 0) {
        sqlite3_stmt *st = ps->st[P_TOWNS_NAMED];
        sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
        rc = read_towns(ps, st, &towns, &n, err);
    }
    if (!rc)
        postal_decide(postcode, false, towns, n, address, address2, out);
    free(towns);
    return rc;
}
