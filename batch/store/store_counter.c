#include "store_counter.h"

#include <string.h>

#include "slots.h"
#include "store_db.h"

/* The night's migrations of the bookings tables, from when the service ran on this
 * database (versions 4, 6, 7); the booking store outside has its own since. */
const char store_booking_schema_4[] =
    "CREATE TABLE bookings ("
    "  id INTEGER PRIMARY KEY,"
    "  rid TEXT NOT NULL, office TEXT NOT NULL,"
    "  day TEXT NOT NULL, start TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('active','cancelled')),"
    "  by_whom TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, cancelled_at TEXT"
    ");"
    "CREATE UNIQUE INDEX bookings_one_active ON bookings(rid) WHERE status = 'active';"
    "CREATE INDEX bookings_slot ON bookings(office, day, start) WHERE status = 'active';"
    "CREATE TABLE lockouts ("
    "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, first_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL"
    ") WITHOUT ROWID;";

const char store_booking_schema_6[] = "ALTER TABLE bookings ADD COLUMN attendance TEXT"
                                      "  CHECK (attendance IN ('arrived','done','no_show'));"
                                      "ALTER TABLE bookings ADD COLUMN attended_at TEXT;";

/* Version 7: the counter's tables, from when the service ran on the night's database (the
 * booking store has its own now, store_staff.c and its neighbours). */
const char store_staff_schema_7[] =
    "CREATE TABLE staff ("
    "  name TEXT PRIMARY KEY, office TEXT NOT NULL, hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, changed_at TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE staff_sessions ("
    "  digest TEXT PRIMARY KEY, staff TEXT NOT NULL, csrf TEXT NOT NULL,"
    "  last_seen INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX staff_sessions_staff ON staff_sessions(staff);"
    "ALTER TABLE audit ADD COLUMN who TEXT;"
    "ALTER TABLE audit ADD COLUMN client TEXT;"
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
    ");"
    "ALTER TABLE bookings ADD COLUMN closure_id INTEGER;";

/* Version 11: the bookings table becomes the inside's copy of the booking store's, kept by
 * the outside's ids: the reason of a cancellation and the time of the last change come
 * along, and one active booking per ID is the outside's rule, not this copy's (a file may
 * bring a change's new booking before its old one's cancellation). Each file loaded is
 * recorded, so an older one is refused. */
const char store_counter_schema_11[] =
    "ALTER TABLE bookings ADD COLUMN reason TEXT;"
    "ALTER TABLE bookings ADD COLUMN changed_at TEXT;"
    "DROP INDEX bookings_one_active;"
    "CREATE TABLE booking_imports ("
    "  id INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL,"
    "  exported_at TEXT NOT NULL, rows INTEGER NOT NULL, applied INTEGER NOT NULL,"
    "  loaded_at TEXT NOT NULL"
    ");";

static const char sql_last[] =
    "SELECT exported_at, sha256 FROM booking_imports ORDER BY exported_at DESC, id DESC LIMIT 1";
/* An older row never overwrites a newer one: files may overlap (--since is inclusive). */
static const char sql_put[] =
    "INSERT INTO bookings (id, rid, office, day, start, status, by_whom, created_at,"
    " cancelled_at, attendance, attended_at, reason, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CASE WHEN ?6 = 'cancelled' THEN ?9 END,"
    " NULLIF(?10, ''), NULLIF(?11, ''), NULLIF(?12, ''), ?9) "
    "ON CONFLICT (id) DO UPDATE SET rid = excluded.rid, office = excluded.office,"
    " day = excluded.day, start = excluded.start, status = excluded.status,"
    " by_whom = excluded.by_whom, created_at = excluded.created_at,"
    " cancelled_at = excluded.cancelled_at, attendance = excluded.attendance,"
    " attended_at = excluded.attended_at, reason = excluded.reason,"
    " changed_at = excluded.changed_at "
    "WHERE bookings.changed_at IS NULL OR bookings.changed_at < excluded.changed_at"
    " OR (bookings.changed_at = excluded.changed_at AND (bookings.status IS NOT excluded.status"
    " OR bookings.attendance IS NOT excluded.attendance OR bookings.reason IS NOT "
    "excluded.reason))";
static const char sql_record[] =
    "INSERT INTO booking_imports (file, sha256, exported_at, rows, applied, loaded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, datetime('now'))";
static const char sql_day[] =
    "SELECT b.id, b.rid, b.start, b.by_whom, b.attendance, p.name, p.name_kana, p.birth_date"
    " FROM bookings b LEFT JOIN notices n ON n.rid = b.rid"
    " LEFT JOIN residents p ON p.resident_id = n.resident_id"
    " WHERE b.office = ?1 AND b.day = ?2 AND b.status = 'active' ORDER BY b.start, b.created_at, "
    "b.id";

struct last {
    char *at, *sha;
};

static int row_last(sqlite3_stmt *st, void *ctx)
{
    struct last *l = ctx;
    store_column_copy(st, 0, l->at, 24);
    store_column_copy(st, 1, l->sha, 65);
    return 0;
}

int store_counter_last_import(struct store *s, char exported_at[24], char sha256[65], bool *found,
                              struct cn_err *err)
{
    exported_at[0] = sha256[0] = '\0';
    struct last l = {exported_at, sha256};
    return store_row(s, store_stmt(s, sql_last, err), "reading the last bookings file", row_last,
                     &l, found, err);
}

int store_counter_put(struct store *s, const struct booking *b, bool *applied, struct cn_err *err)
{
    char start[6];
    slots_format_hhmm(b->start_min, start);
    sqlite3_stmt *st = store_stmt(s, sql_put, err);
    if (st) {
        sqlite3_bind_int64(st, 1, b->id);
        store_bind_text(st, 2, b->rid);
        store_bind_text(st, 3, b->office);
        store_bind_date(st, 4, b->day);
        store_bind_text(st, 5, start);
        store_bind_text(st, 6, b->status == BOOKING_ACTIVE ? "active" : "cancelled");
        store_bind_text(st, 7, b->by);
        store_bind_text(st, 8, b->created_at);
        store_bind_text(st, 9, b->changed_at);
        store_bind_text(st, 10, b->attendance);
        store_bind_text(st, 11, b->attended_at);
        store_bind_text(st, 12, b->reason);
    }
    int rc = store_exec(s, st, "loading a booking", err);
    *applied = rc == CN_OK && store_changes(s) > 0;
    return rc;
}

int store_counter_record_import(struct store *s, const char *file, const char *sha256,
                                const char *exported_at, long rows, long applied,
                                struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_record, err);
    if (st) {
        store_bind_text(st, 1, file);
        store_bind_text(st, 2, sha256);
        store_bind_text(st, 3, exported_at);
        sqlite3_bind_int64(st, 4, rows);
        sqlite3_bind_int64(st, 5, applied);
    }
    return store_exec(s, st, "recording the bookings file", err);
}

struct each_day {
    int (*fn)(const struct counter_entry *e, void *ctx);
    void *ctx;
};

static int row_day(sqlite3_stmt *st, void *ctx)
{
    const struct each_day *e = ctx;
    struct counter_entry d;
    memset(&d, 0, sizeof d);
    d.id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, d.rid, sizeof d.rid);
    const char *start = (const char *)sqlite3_column_text(st, 2);
    if (!start || !slots_parse_hhmm(start, &d.start_min))
        d.start_min = -1;
    store_column_copy(st, 3, d.by, sizeof d.by);
    store_column_copy(st, 4, d.attendance, sizeof d.attendance);
    store_column_copy(st, 5, d.name, sizeof d.name);
    store_column_copy(st, 6, d.kana, sizeof d.kana);
    d.birth = store_column_date(st, 7);
    const int rc = e->fn(&d, e->ctx);
    explicit_bzero(&d, sizeof d);
    return rc;
}

int store_counter_day(struct store *s, const char *office, cn_date day,
                      int (*fn)(const struct counter_entry *e, void *ctx), void *ctx,
                      struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_day, err);
    if (st) {
        store_bind_text(st, 1, office);
        store_bind_date(st, 2, day);
    }
    struct each_day e = {fn, ctx};
    return store_rows(s, st, "reading the day list", row_day, &e, err);
}
