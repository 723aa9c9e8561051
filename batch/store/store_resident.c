#include "store_resident.h"

#include <string.h>

#include "rules.h"
#include "store_db.h"

/* Certificates are columns of residents, not a table of their own: a card carries at most
 * one certificate of each kind, and a second table would double ingest's writes for
 * nothing. Dates are ISO text so that IT can read the database with the sqlite3 shell. */
const char store_resident_schema_1[] =
    "CREATE TABLE residents ("
    "  resident_id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL, name_kana TEXT NOT NULL, birth_date TEXT NOT NULL,"
    "  postal_code TEXT NOT NULL, address TEXT NOT NULL, address2 TEXT NOT NULL,"
    "  district TEXT NOT NULL, card_expiry TEXT NOT NULL,"
    "  sign_cert_expiry TEXT, user_cert_expiry TEXT,"
    "  face_auth INTEGER NOT NULL, adult_ward INTEGER NOT NULL, hold INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('active','deceased','moved_out')),"
    "  returned_hold INTEGER NOT NULL DEFAULT 0,"
    "  updated_at TEXT NOT NULL"
    ") WITHOUT ROWID;";

/* The language a resident reads (issue 29): '' for Japanese, as every row before it. */
const char store_resident_schema_10[] =
    "ALTER TABLE residents ADD COLUMN language TEXT NOT NULL DEFAULT '';";

#define RESIDENT_COLS                                                                              \
    "resident_id, name, name_kana, birth_date, postal_code, address, address2, district, "         \
    "card_expiry, sign_cert_expiry, user_cert_expiry, face_auth, adult_ward, hold, status, "       \
    "returned_hold, language"

/* A newer export replaces the record; whether a returned-mail hold survives it is
 * rules_returned_hold_kept's, through cn_returned_hold_kept (STORE_FUNCTIONS). */
#define RESIDENT_UPSERT                                                                            \
    " ON CONFLICT (resident_id) DO UPDATE SET name = excluded.name, "                              \
    "name_kana = excluded.name_kana, birth_date = excluded.birth_date, "                           \
    "postal_code = excluded.postal_code, address = excluded.address, "                             \
    "address2 = excluded.address2, district = excluded.district, "                                 \
    "card_expiry = excluded.card_expiry, sign_cert_expiry = excluded.sign_cert_expiry, "           \
    "user_cert_expiry = excluded.user_cert_expiry, face_auth = excluded.face_auth, "               \
    "adult_ward = excluded.adult_ward, hold = excluded.hold, status = excluded.status, "           \
    "language = excluded.language, "                                                               \
    "returned_hold = cn_returned_hold_kept(residents.returned_hold, residents.postal_code, "       \
    "residents.address, residents.address2, excluded.postal_code, excluded.address, "              \
    "excluded.address2), updated_at = excluded.updated_at"

static const char sql_put[] = "INSERT INTO residents (" RESIDENT_COLS ", updated_at) VALUES "
                              "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                              "0, ?17, ?16)" RESIDENT_UPSERT;

/* A file's residents wait here until the file is wholly read (see store_input.h). */
static const char sql_stage_create[] =
    "CREATE TEMP TABLE IF NOT EXISTS load_residents AS SELECT " RESIDENT_COLS
    ", updated_at FROM main.residents WHERE 0";
static const char sql_stage_clear[] = "DELETE FROM temp.load_residents";
static const char sql_stage[] =
    "INSERT INTO temp.load_residents (" RESIDENT_COLS ", updated_at) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, ?17, ?16)";
static const char sql_staged_max[] = "SELECT max(rowid) FROM temp.load_residents";
static const char sql_apply[] = "INSERT INTO main.residents (" RESIDENT_COLS ", updated_at) "
                                "SELECT " RESIDENT_COLS ", updated_at FROM temp.load_residents "
                                "WHERE rowid BETWEEN ?1 AND ?2" RESIDENT_UPSERT;
static const char sql_get[] = "SELECT " RESIDENT_COLS " FROM residents WHERE resident_id = ?1";
static const char sql_each[] = "SELECT " RESIDENT_COLS " FROM residents ORDER BY resident_id";

void store_resident_hold_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const struct mail_address before = {(const char *)sqlite3_value_text(argv[1]),
                                        (const char *)sqlite3_value_text(argv[2]),
                                        (const char *)sqlite3_value_text(argv[3])};
    const struct mail_address after = {(const char *)sqlite3_value_text(argv[4]),
                                       (const char *)sqlite3_value_text(argv[5]),
                                       (const char *)sqlite3_value_text(argv[6])};
    sqlite3_result_int(ctx,
                       rules_returned_hold_kept(sqlite3_value_int(argv[0]) != 0, &before, &after));
}

static void bind_resident(struct store *s, sqlite3_stmt *st, const struct resident *r)
{
    store_bind_text(st, 1, r->resident_id);
    store_bind_text(st, 2, r->name);
    store_bind_text(st, 3, r->name_kana);
    store_bind_date(st, 4, r->birth_date);
    store_bind_text(st, 5, r->postal_code);
    store_bind_text(st, 6, r->address);
    store_bind_text(st, 7, r->address2);
    store_bind_text(st, 8, r->district);
    store_bind_date(st, 9, r->card_expiry);
    store_bind_date(st, 10, r->sign_cert_expiry);
    store_bind_date(st, 11, r->user_cert_expiry);
    sqlite3_bind_int(st, 12, r->face_auth);
    sqlite3_bind_int(st, 13, r->adult_ward);
    sqlite3_bind_int(st, 14, r->hold);
    store_bind_text(st, 15, record_status_name(r->status));
    store_bind_text(st, 16, store_now(s));
    store_bind_text(st, 17, r->language);
}

int store_put_resident(struct store *s, const struct resident *r, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_put, err);
    if (st)
        bind_resident(s, st, r);
    return store_exec(s, st, "storing a resident", err);
}

int store_stage_clear(struct store *s, struct cn_err *err)
{
    int rc = store_exec(s, store_stmt(s, sql_stage_create, err), "staging residents", err);
    return rc ? rc : store_exec(s, store_stmt(s, sql_stage_clear, err), "staging residents", err);
}

int store_stage_resident(struct store *s, const struct resident *r, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_stage, err);
    if (st)
        bind_resident(s, st, r);
    return store_exec(s, st, "staging a resident", err);
}

/* Rows per statement: a few milliseconds of work, so that store_chunk can cut often. */
#define APPLY_ROWS 2048

int store_apply_staged(struct store *s, struct cn_err *err)
{
    int64_t last = 0;
    bool found;
    int rc = store_row(s, store_stmt(s, sql_staged_max, err), "storing residents", store_row_int64,
                       &last, &found, err);
    for (int64_t from = 1; !rc && from <= last; from += APPLY_ROWS) {
        sqlite3_stmt *st = store_stmt(s, sql_apply, err);
        if (st) {
            sqlite3_bind_int64(st, 1, from);
            sqlite3_bind_int64(st, 2, from + APPLY_ROWS - 1);
        }
        if (!(rc = store_exec(s, st, "storing residents", err)))
            rc = store_chunk(s, err);
    }
    return rc;
}

static void read_resident(sqlite3_stmt *st, struct resident *r)
{
    memset(r, 0, sizeof *r);
    store_column_copy(st, 0, r->resident_id, sizeof r->resident_id);
    store_column_copy(st, 1, r->name, sizeof r->name);
    store_column_copy(st, 2, r->name_kana, sizeof r->name_kana);
    r->birth_date = store_column_date(st, 3);
    store_column_copy(st, 4, r->postal_code, sizeof r->postal_code);
    store_column_copy(st, 5, r->address, sizeof r->address);
    store_column_copy(st, 6, r->address2, sizeof r->address2);
    store_column_copy(st, 7, r->district, sizeof r->district);
    r->card_expiry = store_column_date(st, 8);
    r->sign_cert_expiry = store_column_date(st, 9);
    r->user_cert_expiry = store_column_date(st, 10);
    r->face_auth = sqlite3_column_int(st, 11);
    r->adult_ward = sqlite3_column_int(st, 12);
    r->hold = sqlite3_column_int(st, 13);
    const char *status = (const char *)sqlite3_column_text(st, 14);
    r->status = !status || strcmp(status, "active") == 0 ? STATUS_ACTIVE
                : strcmp(status, "deceased") == 0        ? STATUS_DECEASED
                                                         : STATUS_MOVED_OUT;
    r->returned_hold = sqlite3_column_int(st, 15);
    store_column_copy(st, 16, r->language, sizeof r->language);
}

static int row_resident(sqlite3_stmt *st, void *out)
{
    read_resident(st, out);
    return 0;
}

int store_get_resident(struct store *s, const char *resident_id, struct resident *out, bool *found,
                       struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_get, err);
    if (st)
        store_bind_text(st, 1, resident_id);
    return store_row(s, st, "reading a resident", row_resident, out, found, err);
}

struct each_resident {
    int (*fn)(const struct resident *r, void *ctx);
    void *ctx;
    struct resident r;
};

static int row_each(sqlite3_stmt *st, void *ctx)
{
    struct each_resident *e = ctx;
    read_resident(st, &e->r);
    return e->fn(&e->r, e->ctx);
}

int store_each_resident(struct store *s, int (*fn)(const struct resident *r, void *ctx), void *ctx,
                        struct cn_err *err)
{
    struct each_resident e = {.fn = fn, .ctx = ctx};
    return store_rows(s, store_stmt(s, sql_each, err), "listing residents", row_each, &e, err);
}
