#include "store_booking.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slots.h"
#include "store.h"
#include "store_db.h"

/* One active booking per ID is the partial unique index, not a check in C: the database
 * refuses a second one even from two processes at once. Day and start are text so that
 * IT can read the table with the sqlite3 shell. AUTOINCREMENT: an ID is never reused after
 * retention deletes rows, since the inside keeps bookings by it. changed_at moves with
 * every change (export-bookings --since). attendance is what the counter saw, which the
 * forecast measures its visit curve from. Registered in store.c's BOOKING_STORE_MIGRATIONS. */
const char store_booking_schema_1[] =
    "CREATE TABLE bookings ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  rid TEXT NOT NULL, office TEXT NOT NULL,"
    "  day TEXT NOT NULL, start TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('active','cancelled')),"
    "  reason TEXT CHECK (reason IN ('cancelled','changed','withdrawn')),"
    "  by_whom TEXT NOT NULL,"
    "  attendance TEXT CHECK (attendance IN ('arrived','done','no_show')), attended_at TEXT,"
    "  closure_id INTEGER,"
    "  created_at TEXT NOT NULL, cancelled_at TEXT, changed_at TEXT NOT NULL"
    ");"
    "CREATE UNIQUE INDEX bookings_one_active ON bookings(rid) WHERE status = 'active';"
    "CREATE INDEX bookings_slot ON bookings(office, day, start) WHERE status = 'active';"
    "CREATE INDEX bookings_changed ON bookings(changed_at);"
    "CREATE INDEX bookings_day ON bookings(day);";

#define BOOKING_COLS                                                                               \
    "id, rid, office, day, start, status, by_whom, reason, attendance, attended_at, created_at, " \
    "changed_at"

static const char sql_active[] =
    "SELECT " BOOKING_COLS " FROM bookings WHERE rid = ?1 AND status = 'active'";
static const char sql_taken[] =
    "SELECT day, start, count(*) FROM bookings WHERE office = ?1 AND day >= ?2 "
    "AND day <= ?3 AND status = 'active' GROUP BY day, start";
static const char sql_count[] = "SELECT count(*) FROM bookings WHERE office = ?1 AND day = ?2 "
                                "AND start = ?3 AND status = 'active'";
/* A closure (store_closure.c's table) over the slot, read inside the take's transaction:
 * the page checked before, but staff may have closed the slot since. */
static const char sql_closed[] =
    "SELECT count(*) FROM closures WHERE office = ?1 AND day = ?2 AND from_min < ?3 + ?4 "
    "AND to_min > ?3";
static const char sql_insert[] =
    "INSERT INTO bookings (rid, office, day, start, status, by_whom, created_at, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, 'active', ?5, datetime('now'), datetime('now'))";
static const char sql_cancel[] =
    "UPDATE bookings SET status = 'cancelled', reason = ?3, cancelled_at = datetime('now'), "
    "changed_at = datetime('now') WHERE id = ?1 AND rid = ?2 AND status = 'active'";
static const char sql_each[] = "SELECT " BOOKING_COLS " FROM bookings WHERE status = 'active' "
                               "AND (?1 IS NULL OR office = ?1) AND (?2 IS NULL OR day = ?2) "
                               "ORDER BY day, start, office, id";
static const char sql_since[] = "SELECT " BOOKING_COLS " FROM bookings "
                                "WHERE ?1 IS NULL OR changed_at >= ?1 ORDER BY changed_at, id";
static const char sql_withdraw[] =
    "UPDATE bookings SET status = 'cancelled', reason = 'withdrawn', "
    "cancelled_at = datetime('now'), changed_at = datetime('now') WHERE status = 'active' "
    "AND rid IN (SELECT rid FROM feed WHERE withdrawn_at IS NOT NULL)";
static const char sql_withdrawn[] =
    "SELECT " BOOKING_COLS " FROM bookings WHERE status = 'cancelled' AND reason = 'withdrawn' "
    "AND (?1 IS NULL OR office = ?1) AND day >= ?2 ORDER BY day, start, id";
static const char sql_purge[] = "DELETE FROM bookings WHERE day < ?1";

struct store_booking {
    struct store *s;
};

int store_booking_open(const char *path, struct store_booking **out, struct cn_err *err)
{
    *out = NULL;
    struct store_booking *bs = calloc(1, sizeof *bs);
    if (!bs)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    /* Never created, never migrated here: a missing or older store means no feed has been
     * imported into it with this version. */
    int rc = store_open_existing(path, STORE_BOOKING, false, &bs->s, err);
    if (rc) {
        free(bs);
        return rc;
    }
    *out = bs;
    return CN_OK;
}

void store_booking_close(struct store_booking *bs)
{
    if (!bs)
        return;
    store_close(bs->s);
    free(bs);
}

struct store *store_booking_db(struct store_booking *bs)
{
    return bs->s;
}

/* The start is formatted into a local: bound as a copy. */
static void bind_start(sqlite3_stmt *st, int i, int min)
{
    char hhmm[6];
    slots_format_hhmm(min, hhmm);
    sqlite3_bind_text(st, i, hhmm, 5, SQLITE_TRANSIENT);
}

bool booking_resident_opens(const struct booking_resident *res)
{
    return res->active && res->booking != NOTICE_BOOK_NONE;
}

int store_booking_resident(struct store_booking *bs, const char *rid, struct booking_resident *out,
                           bool *found, struct cn_err *err)
{
    return store_feed_resident(bs->s, rid, out, found, err);
}

void booking_ref(int64_t id, char out[BOOKING_REF_LEN])
{
    snprintf(out, BOOKING_REF_LEN, "Y%06lld", (long long)id);
}

static int row_booking(sqlite3_stmt *st, void *ctx)
{
    struct booking *b = ctx;
    memset(b, 0, sizeof *b);
    b->id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, b->rid, sizeof b->rid);
    store_column_copy(st, 2, b->office, sizeof b->office);
    b->day = store_column_date(st, 3);
    const char *start = (const char *)sqlite3_column_text(st, 4);
    if (!start || !slots_parse_hhmm(start, &b->start_min))
        b->start_min = -1;
    const char *status = (const char *)sqlite3_column_text(st, 5);
    b->status = status && strcmp(status, "active") == 0 ? BOOKING_ACTIVE : BOOKING_CANCELLED;
    store_column_copy(st, 6, b->by, sizeof b->by);
    store_column_copy(st, 7, b->reason, sizeof b->reason);
    store_column_copy(st, 8, b->attendance, sizeof b->attendance);
    store_column_copy(st, 9, b->attended_at, sizeof b->attended_at);
    store_column_copy(st, 10, b->created_at, sizeof b->created_at);
    store_column_copy(st, 11, b->changed_at, sizeof b->changed_at);
    return 0;
}

int store_booking_active(struct store_booking *bs, const char *rid, struct booking *out,
                         bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(bs->s, sql_active, err);
    if (st)
        store_bind_text(st, 1, rid);
    return store_row(bs->s, st, "reading a booking", row_booking, out, found, err);
}

struct taken_rows {
    void (*fn)(cn_date day, int start_min, int taken, void *ctx);
    void *ctx;
};

static int row_taken(sqlite3_stmt *st, void *ctx)
{
    const struct taken_rows *t = ctx;
    int start;
    const char *s = (const char *)sqlite3_column_text(st, 1);
    const cn_date day = store_column_date(st, 0);
    if (day != DATE_NONE && s && slots_parse_hhmm(s, &start))
        t->fn(day, start, sqlite3_column_int(st, 2), t->ctx);
    return 0;
}

int store_booking_taken(struct store_booking *bs, const char *office, cn_date from, cn_date to,
                        void (*fn)(cn_date day, int start_min, int taken, void *ctx), void *ctx,
                        struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(bs->s, sql_taken, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
        store_bind_date(st, 3, to);
    }
    struct taken_rows t = {fn, ctx};
    return store_rows(bs->s, st, "counting bookings", row_taken, &t, err);
}

int store_booking_take(struct store_booking *bs, const struct take_request *req,
                       struct booking *out, enum take_result *result, struct cn_err *err)
{
    *result = TAKE_FULL;
    /* store_begin's outermost transaction is BEGIN IMMEDIATE: the write lock is held from
     * the count to the insert, so the last seat goes to one request only. */
    int rc = store_begin(bs->s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st;
    if (req->replace_id) {
        st = store_stmt(bs->s, sql_cancel, err);
        if (st) {
            sqlite3_bind_int64(st, 1, req->replace_id);
            store_bind_text(st, 2, req->rid);
            store_bind_text(st, 3, BOOKING_REASON_CHANGED);
        }
        if ((rc = store_exec(bs->s, st, "replacing a booking", err)))
            goto rollback;
    }
    st = store_stmt(bs->s, sql_count, err);
    if (st) {
        store_bind_text(st, 1, req->office);
        store_bind_date(st, 2, req->day);
        bind_start(st, 3, req->start_min);
    }
    int64_t taken = 0;
    bool found;
    if ((rc = store_row(bs->s, st, "counting a slot's bookings", store_row_int64, &taken, &found,
                        err)))
        goto rollback;
    if (taken >= req->seats)
        goto rollback; /* TAKE_FULL, not an error */
    if (req->slot_min > 0) {
        st = store_stmt(bs->s, sql_closed, err);
        if (st) {
            store_bind_text(st, 1, req->office);
            store_bind_date(st, 2, req->day);
            sqlite3_bind_int(st, 3, req->start_min);
            sqlite3_bind_int(st, 4, req->slot_min);
        }
        int64_t closed = 0;
        if ((rc = store_row(bs->s, st, "reading closures", store_row_int64, &closed, &found, err)))
            goto rollback;
        if (closed)
            goto rollback; /* TAKE_FULL: the slot has no seats any more */
    }
    st = store_stmt(bs->s, sql_insert, err);
    if (st) {
        store_bind_text(st, 1, req->rid);
        store_bind_text(st, 2, req->office);
        store_bind_date(st, 3, req->day);
        bind_start(st, 4, req->start_min);
        store_bind_text(st, 5, req->by);
    }
    if ((rc = store_exec(bs->s, st, "inserting a booking", err))) {
        if (store_unique_violation(bs->s)) {
            *result = TAKE_HAS_BOOKING;
            cn_err_clear(err);
            rc = CN_OK;
        }
        goto rollback;
    }
    const int64_t id = store_last_id(bs->s);
    if ((rc = store_commit(bs->s, err)))
        goto rollback;
    *result = TAKE_OK;
    memset(out, 0, sizeof *out);
    out->id = id;
    snprintf(out->rid, sizeof out->rid, "%s", req->rid);
    snprintf(out->office, sizeof out->office, "%s", req->office);
    snprintf(out->by, sizeof out->by, "%s", req->by);
    out->day = req->day;
    out->start_min = req->start_min;
    out->status = BOOKING_ACTIVE;
    return CN_OK;
rollback:
    store_rollback(bs->s);
    return rc;
}

int store_booking_cancel(struct store_booking *bs, const char *rid, int64_t id, bool *done,
                         struct cn_err *err)
{
    *done = false;
    sqlite3_stmt *st = store_stmt(bs->s, sql_cancel, err);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        store_bind_text(st, 2, rid);
        store_bind_text(st, 3, BOOKING_REASON_CANCELLED);
    }
    const int rc = store_exec(bs->s, st, "cancelling a booking", err);
    /* An UPDATE that matched nothing changed no row: not the ID's, or no longer active. */
    *done = rc == CN_OK && store_changes(bs->s) == 1;
    return rc;
}

struct each_rows {
    int (*fn)(const struct booking *b, void *ctx);
    void *ctx;
};

static int row_each(sqlite3_stmt *st, void *ctx)
{
    const struct each_rows *e = ctx;
    struct booking b;
    row_booking(st, &b);
    return e->fn(&b, e->ctx);
}

int store_booking_each(struct store_booking *bs, const char *office, cn_date day,
                       int (*fn)(const struct booking *b, void *ctx), void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(bs->s, sql_each, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, day);
    }
    struct each_rows e = {fn, ctx};
    return store_rows(bs->s, st, "listing bookings", row_each, &e, err);
}

int store_booking_each_since(struct store *s, const char *since,
                             int (*fn)(const struct booking *b, void *ctx), void *ctx,
                             struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_since, err);
    if (st && since)
        store_bind_text(st, 1, since);
    struct each_rows e = {fn, ctx};
    return store_rows(s, st, "listing changed bookings", row_each, &e, err);
}

int store_booking_withdraw(struct store *s, long *cancelled, struct cn_err *err)
{
    int rc = store_exec(s, store_stmt(s, sql_withdraw, err),
                        "cancelling the bookings of withdrawn IDs", err);
    *cancelled = rc ? 0 : store_changes(s);
    return rc;
}

int store_booking_each_withdrawn(struct store *s, const char *office, cn_date from,
                                 int (*fn)(const struct booking *b, void *ctx), void *ctx,
                                 struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_withdrawn, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
    }
    struct each_rows e = {fn, ctx};
    return store_rows(s, st, "listing withdrawn bookings", row_each, &e, err);
}

int store_booking_purge(struct store *s, cn_date before, long *deleted, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_purge, err);
    if (st)
        store_bind_date(st, 1, before);
    int rc = store_exec(s, st, "purging old bookings", err);
    *deleted = rc ? 0 : store_changes(s);
    return rc;
}
