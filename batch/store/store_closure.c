#include "store_closure.h"

#include <string.h>

#include "store_db.h"

/* Closures keep whole minutes (0..1440) so that a whole day is one row; bookings a closure
 * hits point at it and stay active until staff have called. Registered in store_schema.c's
 * BOOKING_STORE_MIGRATIONS. */
const char store_closure_schema_1[] =
    "CREATE TABLE closures ("
    "  id INTEGER PRIMARY KEY, office TEXT NOT NULL, day TEXT NOT NULL,"
    "  from_min INTEGER NOT NULL, to_min INTEGER NOT NULL CHECK (to_min > from_min),"
    "  reason TEXT NOT NULL, by_whom TEXT NOT NULL, created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX closures_day ON closures(office, day);"
    "CREATE TABLE seat_changes ("
    "  id INTEGER PRIMARY KEY, office TEXT NOT NULL, first_day TEXT NOT NULL,"
    "  last_day TEXT NOT NULL, seats INTEGER NOT NULL CHECK (seats >= 0),"
    "  by_whom TEXT NOT NULL, created_at TEXT NOT NULL"
    ");";

#define START_MIN                                                                                  \
    "(CAST(substr(start, 1, 2) AS INTEGER) * 60 + CAST(substr(start, 4, 2) AS INTEGER))"
static const char sql_close[] =
    "INSERT INTO closures (office, day, from_min, to_min, reason, by_whom, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, datetime('now'))";
static const char sql_flag[] =
    "UPDATE bookings SET closure_id = ?1 WHERE office = ?2 AND day = ?3 "
    "AND status = 'active' AND " START_MIN " < ?5 AND " START_MIN " + ?6 > ?4";
static const char sql_seats[] =
    "INSERT INTO seat_changes (office, first_day, last_day, seats, by_whom, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, datetime('now'))";
static const char sql_closures_in[] =
    "SELECT day, from_min, to_min FROM closures WHERE office = ?1 AND day >= ?2 AND day <= ?3";
static const char sql_seats_in[] =
    "SELECT first_day, last_day, seats FROM seat_changes WHERE office = ?1 AND last_day >= ?2 "
    "AND first_day <= ?3 ORDER BY id DESC";
static const char sql_each_closure[] =
    "SELECT id, office, day, from_min, to_min, reason, by_whom FROM closures "
    "WHERE (?1 IS NULL OR office = ?1) AND day >= ?2 ORDER BY day, from_min, id";
static const char sql_each_hit[] =
    "SELECT b.id, b.closure_id, b.rid, b.office, b.day, b.start, c.reason FROM bookings b "
    "JOIN closures c ON c.id = b.closure_id WHERE b.status = 'active' "
    "AND (?1 IS NULL OR b.office = ?1) AND b.day >= ?2 ORDER BY b.day, b.start, b.id";

int store_staff_close(struct store *s, const char *office, cn_date day, int from_min, int to_min,
                      int slot_min, const char *reason, const char *by, int64_t *id, int *hit,
                      struct cn_err *err)
{
    *id = 0;
    *hit = 0;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = store_stmt(s, sql_close, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, day);
        sqlite3_bind_int(st, 3, from_min);
        sqlite3_bind_int(st, 4, to_min);
        store_bind_text(st, 5, reason);
        store_bind_text(st, 6, by);
    }
    if ((rc = store_exec(s, st, "closing slots", err)))
        goto rollback;
    *id = store_last_id(s);
    st = store_stmt(s, sql_flag, err);
    if (st) {
        sqlite3_bind_int64(st, 1, *id);
        store_bind_text(st, 2, office);
        store_bind_date(st, 3, day);
        sqlite3_bind_int(st, 4, from_min);
        sqlite3_bind_int(st, 5, to_min);
        sqlite3_bind_int(st, 6, slot_min);
    }
    if ((rc = store_exec(s, st, "flagging the bookings a closure hits", err)))
        goto rollback;
    *hit = store_changes(s);
    if ((rc = store_commit(s, err)))
        goto rollback;
    return CN_OK;
rollback:
    store_rollback(s);
    *id = 0;
    *hit = 0;
    return rc;
}

int store_staff_set_seats(struct store *s, const char *office, cn_date first, cn_date last,
                          int seats, const char *by, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_seats, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
        sqlite3_bind_int(st, 4, seats);
        store_bind_text(st, 5, by);
    }
    return store_exec(s, st, "changing seats", err);
}

static int row_closure_in(sqlite3_stmt *st, void *ctx)
{
    struct slot_changes *c = ctx;
    if (c->n_closures >= SLOT_MAX_CHANGES)
        return STORE_STOP;
    c->closure[c->n_closures].day = store_column_date(st, 0);
    c->closure[c->n_closures].from_min = sqlite3_column_int(st, 1);
    c->closure[c->n_closures].to_min = sqlite3_column_int(st, 2);
    c->n_closures++;
    return 0;
}

static int row_seats_in(sqlite3_stmt *st, void *ctx)
{
    struct slot_changes *c = ctx;
    if (c->n_seats >= SLOT_MAX_CHANGES)
        return STORE_STOP;
    c->seats[c->n_seats].first = store_column_date(st, 0);
    c->seats[c->n_seats].last = store_column_date(st, 1);
    c->seats[c->n_seats].seats = sqlite3_column_int(st, 2);
    c->n_seats++;
    return 0;
}

int store_staff_changes(struct store *s, const char *office, cn_date first, cn_date last,
                        struct slot_changes *out, struct cn_err *err)
{
    out->n_closures = out->n_seats = 0;
    sqlite3_stmt *st = store_stmt(s, sql_closures_in, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
    }
    int rc = store_rows(s, st, "reading closures", row_closure_in, out, err);
    if (rc)
        return rc;
    st = store_stmt(s, sql_seats_in, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, first);
        store_bind_date(st, 3, last);
    }
    return store_rows(s, st, "reading seat changes", row_seats_in, out, err);
}

struct each_closure {
    int (*fn)(const struct closure_row *c, void *ctx);
    void *ctx;
};

static int row_each_closure(sqlite3_stmt *st, void *ctx)
{
    const struct each_closure *e = ctx;
    struct closure_row c;
    c.id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, c.office, sizeof c.office);
    c.day = store_column_date(st, 2);
    c.from_min = sqlite3_column_int(st, 3);
    c.to_min = sqlite3_column_int(st, 4);
    store_column_copy(st, 5, c.reason, sizeof c.reason);
    store_column_copy(st, 6, c.by, sizeof c.by);
    return e->fn(&c, e->ctx);
}

int store_staff_each_closure(struct store *s, const char *office, cn_date from,
                             int (*fn)(const struct closure_row *c, void *ctx), void *ctx,
                             struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_each_closure, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
    }
    struct each_closure e = {fn, ctx};
    return store_rows(s, st, "listing closures", row_each_closure, &e, err);
}

struct each_hit {
    int (*fn)(const struct hit_row *h, void *ctx);
    void *ctx;
};

static int row_each_hit(sqlite3_stmt *st, void *ctx)
{
    const struct each_hit *e = ctx;
    struct hit_row h;
    h.booking_id = sqlite3_column_int64(st, 0);
    h.closure_id = sqlite3_column_int64(st, 1);
    store_column_copy(st, 2, h.rid, sizeof h.rid);
    store_column_copy(st, 3, h.office, sizeof h.office);
    h.day = store_column_date(st, 4);
    const char *start = (const char *)sqlite3_column_text(st, 5);
    if (!start || !slots_parse_hhmm(start, &h.start_min))
        h.start_min = -1;
    store_column_copy(st, 6, h.reason, sizeof h.reason);
    return e->fn(&h, e->ctx);
}

int store_staff_each_hit(struct store *s, const char *office, cn_date from,
                         int (*fn)(const struct hit_row *h, void *ctx), void *ctx,
                         struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_each_hit, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, from);
    }
    struct each_hit e = {fn, ctx};
    return store_rows(s, st, "listing the bookings closures hit", row_each_hit, &e, err);
}
