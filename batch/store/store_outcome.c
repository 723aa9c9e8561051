#include "store_outcome.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"
#include "store_notice.h"

/* The outcome sits on the notice beside its print status, not in it: a renewed letter
 * was still published (the inserter's results and reprints keep reading that), and the
 * outcome is what the booking side and the take-up report read. card_expiry is the card
 * the letter went to, so that a reissued card is seen as a renewal. A follow-up letter has
 * the notice's ID and its own print status and sheet mark. A booking the night cancels
 * keeps why in the imported bookings' own reason column (store_counter.c), and its
 * changed_at, so that an older import does not bring it back. Registered in store_schema.c's
 * STORE_MIGRATIONS. */
const char store_outcome_schema_12[] =
    "ALTER TABLE notices ADD COLUMN outcome TEXT"
    "  CHECK (outcome IN ('renewed','lapsed','withdrawn'));"
    "ALTER TABLE notices ADD COLUMN outcome_on TEXT;"
    "ALTER TABLE notices ADD COLUMN card_expiry TEXT;"
    "CREATE TABLE followups ("
    "  notice_id INTEGER NOT NULL REFERENCES notices(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('reminder','lapse')),"
    "  variant TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('issued','publishing','published','review')),"
    "  batch TEXT, file TEXT, seq INTEGER,"
    "  run_id INTEGER NOT NULL, run_date TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  PRIMARY KEY (notice_id, kind)"
    ");"
    "CREATE INDEX followups_status ON followups(status);";

static const char sql_open[] =
    "SELECT n.id, n.resident_id, n.cert_expiry, n.rid, n.variant, n.status, n.card_expiry, "
    "r.run_date, "
    "EXISTS (SELECT 1 FROM bookings b WHERE b.rid = n.rid AND b.status = 'active'), "
    "EXISTS (SELECT 1 FROM followups f WHERE f.notice_id = n.id AND f.kind = 'reminder') "
    "FROM notices n LEFT JOIN runs r ON r.id = n.run_id "
    "WHERE n.outcome IS NULL AND n.status IN ('published','returned') ORDER BY n.id";
static const char sql_set[] =
    "UPDATE notices SET outcome = ?2, outcome_on = ?3, updated_at = datetime('now') "
    "WHERE id = ?1 AND outcome IS NULL";
static const char sql_active_from[] =
    "SELECT id, office, day, start FROM bookings WHERE rid = ?1 AND status = 'active' "
    "AND day > ?2 ORDER BY day, start";
static const char sql_cancel[] =
    "UPDATE bookings SET status = 'cancelled', cancelled_at = datetime('now'), "
    "reason = ?2, changed_at = datetime('now') WHERE id = ?1 AND status = 'active'";
static const char sql_fu_add[] =
    "INSERT INTO followups (notice_id, kind, variant, status, run_id, run_date, created_at, "
    "updated_at) VALUES (?1, ?2, ?3, 'issued', ?4, ?5, datetime('now'), datetime('now')) "
    "ON CONFLICT (notice_id, kind) DO UPDATE SET variant = excluded.variant "
    "WHERE followups.status IN ('issued','review')";
static const char sql_fu_status[] =
    "UPDATE followups SET status = ?3, batch = ?4, file = ?5, seq = ?6, "
    "updated_at = datetime('now') WHERE notice_id = ?1 AND kind = ?2";
static const char sql_fu_drop[] = "DELETE FROM followups WHERE notice_id = ?1 AND kind = ?2 "
                                  "AND status IN ('issued','review')";
static const char sql_fu_unsent[] =
    "SELECT n.id, n.resident_id, n.cert_expiry, n.rid, n.variant, n.status, n.outcome, "
    "n.outcome_on, f.kind FROM followups f JOIN notices n ON n.id = f.notice_id "
    "WHERE f.status IN ('issued','review') ORDER BY n.id, f.kind";
static const char sql_takeup[] =
    "SELECT p.district, p.birth_date, n.cert_expiry, r.run_date, n.outcome, n.outcome_on, "
    "(SELECT f.run_date FROM followups f WHERE f.notice_id = n.id AND f.kind = 'reminder' "
    "   AND f.status = 'published'), "
    "(SELECT min(b.day) FROM bookings b WHERE b.rid = n.rid AND b.status = 'active') "
    "FROM notices n JOIN residents p ON p.resident_id = n.resident_id "
    "LEFT JOIN runs r ON r.id = n.run_id "
    "WHERE n.status IN ('published','returned') ORDER BY n.id";

struct open_rows {
    int (*fn)(const struct open_notice *o, void *ctx);
    void *ctx;
};

static int row_open(sqlite3_stmt *st, void *ctx)
{
    const struct open_rows *r = ctx;
    struct open_notice o;
    memset(&o, 0, sizeof o);
    store_notice_read_head(st, &o.n);
    o.card_then = store_column_date(st, 6);
    o.letter_date = store_column_date(st, 7);
    o.booked = sqlite3_column_int(st, 8) != 0;
    o.reminded = sqlite3_column_int(st, 9) != 0;
    return r->fn(&o, r->ctx);
}

int store_outcome_open(struct store *s, int (*fn)(const struct open_notice *o, void *ctx),
                       void *ctx, struct cn_err *err)
{
    struct open_rows r = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_open, err), "reading open notices", row_open, &r, err);
}

int store_outcome_set(struct store *s, int64_t notice_id, enum outcome o, cn_date on,
                      struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_set, err);
    if (st) {
        sqlite3_bind_int64(st, 1, notice_id);
        store_bind_text(st, 2, outcome_name(o));
        store_bind_date(st, 3, on);
    }
    return store_exec(s, st, "recording a letter's outcome", err);
}

#define CANCEL_MAX 8 /* one active booking per ID; a few spare for a store from before that */

struct booking_list {
    struct cancelled_booking b[CANCEL_MAX];
    int n;
};

static int row_booking(sqlite3_stmt *st, void *ctx)
{
    struct booking_list *l = ctx;
    if (l->n == CANCEL_MAX)
        return STORE_STOP;
    struct cancelled_booking *b = &l->b[l->n++];
    memset(b, 0, sizeof *b);
    b->id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, b->office, sizeof b->office);
    b->day = store_column_date(st, 2);
    store_column_copy(st, 3, b->start, sizeof b->start);
    return 0;
}

int store_outcome_cancel_bookings(struct store *s, const char *rid, cn_date day, const char *reason,
                                  int (*fn)(const struct cancelled_booking *b, void *ctx),
                                  void *ctx, struct cn_err *err)
{
    struct booking_list l = {.n = 0};
    sqlite3_stmt *st = store_stmt(s, sql_active_from, err);
    if (st) {
        store_bind_text(st, 1, rid);
        store_bind_date(st, 2, day);
    }
    int rc = store_rows(s, st, "reading bookings to cancel", row_booking, &l, err);
    for (int i = 0; !rc && i < l.n; i++) {
        if ((rc = fn(&l.b[i], ctx)))
            break;
        st = store_stmt(s, sql_cancel, err);
        if (st) {
            sqlite3_bind_int64(st, 1, l.b[i].id);
            store_bind_text(st, 2, reason);
        }
        rc = store_exec(s, st, "cancelling a booking", err);
    }
    return rc;
}

int store_followup_add(struct store *s, int64_t notice_id, enum followup_kind kind,
                       const char *variant, int64_t run_id, cn_date run_date, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_fu_add, err);
    if (st) {
        sqlite3_bind_int64(st, 1, notice_id);
        store_bind_text(st, 2, followup_kind_name(kind));
        store_bind_text(st, 3, variant);
        sqlite3_bind_int64(st, 4, run_id);
        store_bind_date(st, 5, run_date);
    }
    return store_exec(s, st, "issuing a follow-up letter", err);
}

int store_followup_set_status(struct store *s, int64_t notice_id, enum followup_kind kind,
                              enum notice_status status, const char *batch, const char *file,
                              long seq, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_fu_status, err);
    if (st) {
        sqlite3_bind_int64(st, 1, notice_id);
        store_bind_text(st, 2, followup_kind_name(kind));
        store_bind_text(st, 3, notice_status_name(status));
        if (batch)
            store_bind_text(st, 4, batch);
        if (file)
            store_bind_text(st, 5, file);
        if (seq > 0)
            sqlite3_bind_int64(st, 6, seq);
    }
    return store_exec(s, st, "updating a follow-up letter", err);
}

int store_followup_drop(struct store *s, int64_t notice_id, enum followup_kind kind,
                        struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_fu_drop, err);
    if (st) {
        sqlite3_bind_int64(st, 1, notice_id);
        store_bind_text(st, 2, followup_kind_name(kind));
    }
    return store_exec(s, st, "dropping a follow-up letter", err);
}

struct unsent_rows {
    int (*fn)(const struct unsent_followup *f, void *ctx);
    void *ctx;
};

static int row_unsent(sqlite3_stmt *st, void *ctx)
{
    const struct unsent_rows *r = ctx;
    struct unsent_followup f;
    memset(&f, 0, sizeof f);
    store_notice_read_head(st, &f.n);
    f.n.outcome = store_notice_outcome_column(st, 6);
    f.n.outcome_on = store_column_date(st, 7);
    const char *kind = (const char *)sqlite3_column_text(st, 8);
    f.kind = kind && strcmp(kind, "lapse") == 0 ? FOLLOWUP_LAPSE : FOLLOWUP_REMINDER;
    return r->fn(&f, r->ctx);
}

int store_followup_unsent(struct store *s, int (*fn)(const struct unsent_followup *f, void *ctx),
                          void *ctx, struct cn_err *err)
{
    struct unsent_rows r = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_fu_unsent, err), "reading follow-up letters", row_unsent,
                      &r, err);
}

struct takeup_rows {
    int (*fn)(const struct takeup_row *r, void *ctx);
    void *ctx;
};

static int row_takeup(sqlite3_stmt *st, void *ctx)
{
    const struct takeup_rows *t = ctx;
    struct takeup_row r;
    memset(&r, 0, sizeof r);
    store_column_copy(st, 0, r.district, sizeof r.district);
    r.birth_date = store_column_date(st, 1);
    r.f.cert_expiry = store_column_date(st, 2);
    r.f.letter_date = store_column_date(st, 3);
    r.f.outcome = store_notice_outcome_column(st, 4);
    r.f.outcome_on = store_column_date(st, 5);
    r.f.reminder_date = store_column_date(st, 6);
    r.f.booking_day = store_column_date(st, 7);
    return t->fn(&r, t->ctx);
}

int store_takeup_each(struct store *s, int (*fn)(const struct takeup_row *r, void *ctx), void *ctx,
                      struct cn_err *err)
{
    struct takeup_rows t = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_takeup, err), "reading the take-up", row_takeup, &t,
                      err);
}
