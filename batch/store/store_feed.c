#include "store_feed.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"

/* The feed as the last snapshot gave it, plus the IDs that have left it (withdrawn_at set),
 * kept while a booking refers to them so that /R/{RID} can say why it cannot be booked.
 * birth_mmdd is "MMDD" only: the year never crosses the wall. Registered in store.c's
 * BOOKING_STORE_MIGRATIONS. */
const char store_feed_schema_1[] =
    "CREATE TABLE feed ("
    "  rid TEXT PRIMARY KEY,"
    "  window_start TEXT NOT NULL, window_end TEXT NOT NULL, cert_expiry TEXT NOT NULL,"
    "  letter_date TEXT, district TEXT NOT NULL,"
    "  birth_mmdd TEXT NOT NULL CHECK (birth_mmdd = '' OR length(birth_mmdd) = 4),"
    "  policy TEXT NOT NULL CHECK (policy IN ('book','walk_in')),"
    "  batch_id INTEGER NOT NULL, withdrawn_at TEXT"
    ") WITHOUT ROWID;"
    "CREATE INDEX feed_withdrawn ON feed(withdrawn_at) WHERE withdrawn_at IS NOT NULL;"
    "CREATE TABLE feed_batches ("
    "  id INTEGER PRIMARY KEY, municipality TEXT NOT NULL, batch TEXT NOT NULL,"
    "  batch_date TEXT NOT NULL, run INTEGER NOT NULL, rows INTEGER NOT NULL,"
    "  sha256 TEXT NOT NULL, loaded_at TEXT NOT NULL,"
    "  upserted INTEGER NOT NULL, withdrawn INTEGER NOT NULL"
    ");";

static const char sql_last[] =
    "SELECT municipality, batch, batch_date, run, rows, sha256, loaded_at FROM feed_batches "
    "ORDER BY id DESC LIMIT 1";
/* The scratch table lives in temp: staging takes no lock on the store. */
static const char sql_stage_make[] =
    "CREATE TEMP TABLE IF NOT EXISTS feed_in ("
    "  rid TEXT PRIMARY KEY, window_start TEXT, window_end TEXT, cert_expiry TEXT,"
    "  letter_date TEXT, district TEXT, birth_mmdd TEXT, policy TEXT) WITHOUT ROWID";
static const char sql_stage_clear[] = "DELETE FROM temp.feed_in";
static const char sql_stage_row[] =
    "INSERT INTO temp.feed_in VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (rid) DO NOTHING";
static const char sql_batch[] =
    "INSERT INTO feed_batches (municipality, batch, batch_date, run, rows, sha256, loaded_at,"
    " upserted, withdrawn) VALUES (?1, ?2, ?3, ?4, ?5, ?6, datetime('now'), 0, 0)";
static const char sql_batch_counts[] =
    "UPDATE feed_batches SET upserted = ?2, withdrawn = ?3 WHERE id = ?1";
/* Only rows that differ are written: a night changes a few hundred of 200,000. */
static const char sql_upsert[] =
    "INSERT INTO feed (rid, window_start, window_end, cert_expiry, letter_date, district,"
    " birth_mmdd, policy, batch_id) "
    "SELECT rid, window_start, window_end, cert_expiry, letter_date, district, birth_mmdd,"
    " policy, ?1 FROM temp.feed_in WHERE true "
    "ON CONFLICT (rid) DO UPDATE SET window_start = excluded.window_start,"
    " window_end = excluded.window_end, cert_expiry = excluded.cert_expiry,"
    " letter_date = excluded.letter_date, district = excluded.district,"
    " birth_mmdd = excluded.birth_mmdd, policy = excluded.policy, batch_id = excluded.batch_id,"
    " withdrawn_at = NULL "
    "WHERE feed.withdrawn_at IS NOT NULL OR feed.window_start IS NOT excluded.window_start"
    " OR feed.window_end IS NOT excluded.window_end"
    " OR feed.cert_expiry IS NOT excluded.cert_expiry"
    " OR feed.letter_date IS NOT excluded.letter_date OR feed.district IS NOT excluded.district"
    " OR feed.birth_mmdd IS NOT excluded.birth_mmdd OR feed.policy IS NOT excluded.policy";
static const char sql_withdraw[] =
    "UPDATE feed SET withdrawn_at = datetime('now'), batch_id = ?1 WHERE withdrawn_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM temp.feed_in f WHERE f.rid = feed.rid)";
static const char sql_resident[] =
    "SELECT rid, cert_expiry, letter_date, district, birth_mmdd, policy, withdrawn_at "
    "FROM feed WHERE rid = ?1";
static const char sql_purge[] =
    "DELETE FROM feed WHERE withdrawn_at IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.rid = feed.rid)";

const char *feed_booking_name(enum notice_booking b)
{
    return b == NOTICE_BOOK_WALK_IN ? "walk_in" : "book";
}

bool feed_booking_parse(const char *s, enum notice_booking *out)
{
    if (s && strcmp(s, "book") == 0)
        *out = NOTICE_BOOK_YES;
    else if (s && strcmp(s, "walk_in") == 0)
        *out = NOTICE_BOOK_WALK_IN;
    else
        return false;
    return true;
}

static int row_batch(sqlite3_stmt *st, void *ctx)
{
    struct feed_batch *b = ctx;
    store_column_copy(st, 0, b->municipality, sizeof b->municipality);
    store_column_copy(st, 1, b->batch, sizeof b->batch);
    b->batch_date = store_column_date(st, 2);
    b->run = sqlite3_column_int64(st, 3);
    b->rows = (long)sqlite3_column_int64(st, 4);
    store_column_copy(st, 5, b->sha256, sizeof b->sha256);
    store_column_copy(st, 6, b->loaded_at, sizeof b->loaded_at);
    return 0;
}

int store_feed_last(struct store *s, struct feed_batch *out, bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    return store_row(s, store_stmt(s, sql_last, err), "reading the last feed", row_batch, out,
                     found, err);
}

int store_feed_stage_begin(struct store *s, struct cn_err *err)
{
    int rc = store_begin_scratch(s, err);
    if (rc)
        return rc;
    if ((rc = store_exec(s, store_stmt(s, sql_stage_make, err), "staging the feed", err)) ||
        (rc = store_exec(s, store_stmt(s, sql_stage_clear, err), "staging the feed", err))) {
        store_rollback(s);
        return rc;
    }
    return CN_OK;
}

int store_feed_stage_row(struct store *s, const struct feed_row *r, bool *duplicate,
                         struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_stage_row, err);
    if (st) {
        store_bind_text(st, 1, r->rid);
        store_bind_date(st, 2, r->window_start);
        store_bind_date(st, 3, r->window_end);
        store_bind_date(st, 4, r->cert_expiry);
        store_bind_date(st, 5, r->letter_date);
        store_bind_text(st, 6, r->district);
        store_bind_text(st, 7, r->birth_mmdd);
        store_bind_text(st, 8, feed_booking_name(r->booking));
    }
    int rc = store_exec(s, st, "staging a feed row", err);
    *duplicate = rc == CN_OK && store_changes(s) == 0;
    return rc;
}

int store_feed_stage_end(struct store *s, struct cn_err *err)
{
    return store_commit(s, err);
}

void store_feed_stage_drop(struct store *s)
{
    store_rollback(s);
    if (store_exec(s, store_stmt(s, sql_stage_clear, NULL), "dropping the staged feed", NULL))
        return; /* the temp table goes with the connection anyway */
}

int store_feed_apply(struct store *s, const struct feed_batch *b, struct feed_counts *out,
                     struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql_batch, err);
    if (st) {
        store_bind_text(st, 1, b->municipality);
        store_bind_text(st, 2, b->batch);
        store_bind_date(st, 3, b->batch_date);
        sqlite3_bind_int64(st, 4, b->run);
        sqlite3_bind_int64(st, 5, b->rows);
        store_bind_text(st, 6, b->sha256);
    }
    if ((rc = store_exec(s, st, "recording the feed's batch", err)))
        goto fail;
    const int64_t id = store_last_id(s);
    if ((st = store_stmt(s, sql_upsert, err)))
        sqlite3_bind_int64(st, 1, id);
    if ((rc = store_exec(s, st, "loading the feed", err)))
        goto fail;
    out->upserted = store_changes(s);
    if ((st = store_stmt(s, sql_withdraw, err)))
        sqlite3_bind_int64(st, 1, id);
    if ((rc = store_exec(s, st, "withdrawing IDs that left the feed", err)))
        goto fail;
    out->withdrawn = store_changes(s);
    if ((st = store_stmt(s, sql_batch_counts, err))) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, out->upserted);
        sqlite3_bind_int64(st, 3, out->withdrawn);
    }
    if ((rc = store_exec(s, st, "recording the feed's batch", err)) ||
        (rc = store_commit(s, err)))
        goto fail;
    return CN_OK;
fail:
    store_rollback(s);
    return rc;
}

static int row_resident(sqlite3_stmt *st, void *ctx)
{
    struct booking_resident *out = ctx;
    store_column_copy(st, 0, out->rid, sizeof out->rid);
    out->cert_expiry = store_column_date(st, 1);
    out->letter_date = store_column_date(st, 2);
    store_column_copy(st, 3, out->district, sizeof out->district);
    char mmdd[8];
    store_column_copy(st, 4, mmdd, sizeof mmdd);
    if (strlen(mmdd) == 4) {
        out->birth_month = (mmdd[0] - '0') * 10 + (mmdd[1] - '0');
        out->birth_day = (mmdd[2] - '0') * 10 + (mmdd[3] - '0');
    }
    if (!feed_booking_parse((const char *)sqlite3_column_text(st, 5), &out->booking))
        out->booking = NOTICE_BOOK_NONE;
    out->active = sqlite3_column_type(st, 6) == SQLITE_NULL;
    return 0;
}

int store_feed_resident(struct store *s, const char *rid, struct booking_resident *out,
                        bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_resident, err);
    if (st)
        store_bind_text(st, 1, rid);
    return store_row(s, st, "reading the feed", row_resident, out, found, err);
}

int store_feed_purge(struct store *s, long *deleted, struct cn_err *err)
{
    int rc = store_exec(s, store_stmt(s, sql_purge, err), "purging withdrawn feed rows", err);
    *deleted = rc ? 0 : store_changes(s);
    return rc;
}
