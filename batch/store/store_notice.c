#include "store_notice.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"

const char store_notice_schema_1[] =
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  resident_id TEXT NOT NULL, cert_expiry TEXT NOT NULL,"
    "  rid TEXT NOT NULL UNIQUE, variant TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('issued','publishing','published','returned','review')),"
    "  batch TEXT, file TEXT, seq INTEGER,"
    "  run_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  UNIQUE (resident_id, cert_expiry)"
    ");"
    "CREATE INDEX notices_status ON notices(status);";

#define NOTICE_COLS                                                                                \
    "id, resident_id, cert_expiry, rid, variant, status, batch, file, seq, outcome, outcome_on"

static const char sql_find[] = "SELECT " NOTICE_COLS " FROM notices "
                               "WHERE resident_id = ?1 AND cert_expiry = ?2";
static const char sql_by_rid[] = "SELECT " NOTICE_COLS " FROM notices WHERE rid = ?1";
static const char sql_of_resident[] = "SELECT " NOTICE_COLS " FROM notices WHERE resident_id = ?1 "
                                      "ORDER BY cert_expiry DESC";
/* The card the letter goes to is kept with it: a later, different card is a renewal
 * (store_outcome.h). */
static const char sql_insert[] =
    "INSERT INTO notices (resident_id, cert_expiry, rid, variant, status, run_id, created_at, "
    "updated_at, card_expiry) VALUES (?1, ?2, ?3, ?4, 'issued', ?5, datetime('now'), "
    "datetime('now'), (SELECT card_expiry FROM residents WHERE resident_id = ?1))";
static const char sql_status[] = "UPDATE notices SET status = ?2, batch = ?3, file = ?4, seq = ?5, "
                                 "updated_at = datetime('now') WHERE id = ?1";
static const char sql_each_feed[] =
    "SELECT n.rid, n.cert_expiry, n.variant, n.status, r.run_date, p.district, p.birth_date,"
    " p.status = 'active', p.hold OR p.returned_hold,"
    " n.cert_expiry IN (p.sign_cert_expiry, p.user_cert_expiry), n.outcome FROM notices n"
    " JOIN residents p ON p.resident_id = n.resident_id LEFT JOIN runs r ON r.id = n.run_id"
    " ORDER BY n.rid";
static const char sql_each[] = "SELECT " NOTICE_COLS " FROM notices ORDER BY rid";
/* A batch holds notices and the letters that follow them (store_outcome.h): recovery
 * resolves both by the same evidence. */
static const char sql_publishing[] =
    "SELECT batch FROM notices WHERE status = 'publishing' UNION "
    "SELECT batch FROM followups WHERE status = 'publishing' ORDER BY 1";
/* A few thousand notices a statement, so that store_chunk can cut a million into chunks. */
#define RESOLVE_ROWS "2048"
static const char sql_resolve_published[] =
    "UPDATE notices SET status = 'published', updated_at = datetime('now') WHERE id IN "
    "(SELECT id FROM notices WHERE status = 'publishing' AND batch = ?1 LIMIT " RESOLVE_ROWS ")";
static const char sql_resolve_fu_published[] =
    "UPDATE followups SET status = 'published', updated_at = datetime('now') WHERE rowid IN "
    "(SELECT rowid FROM followups WHERE status = 'publishing' AND batch = ?1 LIMIT " RESOLVE_ROWS
    ")";
static const char sql_resolve_fu_issued[] =
    "UPDATE followups SET status = 'issued', batch = NULL, file = NULL, seq = NULL, "
    "updated_at = datetime('now') WHERE rowid IN "
    "(SELECT rowid FROM followups WHERE status = 'publishing' AND batch = ?1 LIMIT " RESOLVE_ROWS
    ")";
static const char sql_resolve_issued[] =
    "UPDATE notices SET status = 'issued', batch = NULL, file = NULL, seq = NULL, "
    "updated_at = datetime('now') WHERE id IN "
    "(SELECT id FROM notices WHERE status = 'publishing' AND batch = ?1 LIMIT " RESOLVE_ROWS ")";

void store_notice_read_head(sqlite3_stmt *st, struct notice *n)
{
    memset(n, 0, sizeof *n);
    n->id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, n->resident_id, sizeof n->resident_id);
    n->cert_expiry = store_column_date(st, 2);
    store_column_copy(st, 3, n->rid, sizeof n->rid);
    store_column_copy(st, 4, n->variant, sizeof n->variant);
    /* The schema's CHECK allows no other status; an unknown one reads as the first. */
    if (!notice_status_parse((const char *)sqlite3_column_text(st, 5), &n->status))
        n->status = NOTICE_ISSUED;
}

enum outcome store_notice_outcome_column(sqlite3_stmt *st, int col)
{
    enum outcome o;
    return outcome_parse((const char *)sqlite3_column_text(st, col), &o) ? o : OUTCOME_NONE;
}

static void read_notice(sqlite3_stmt *st, struct notice *n)
{
    store_notice_read_head(st, n);
    store_column_copy(st, 6, n->batch, sizeof n->batch);
    store_column_copy(st, 7, n->file, sizeof n->file);
    n->seq = (long)sqlite3_column_int64(st, 8);
    n->outcome = store_notice_outcome_column(st, 9);
    n->outcome_on = store_column_date(st, 10);
}

static int row_notice(sqlite3_stmt *st, void *out)
{
    read_notice(st, out);
    return 0;
}

int store_notice_find(struct store *s, const char *resident_id, cn_date cert_expiry,
                      struct notice *out, bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_find, err);
    if (st) {
        store_bind_text(st, 1, resident_id);
        store_bind_date(st, 2, cert_expiry);
    }
    return store_row(s, st, "reading a notice", row_notice, out, found, err);
}

int store_notice_by_rid(struct store *s, const char *rid, struct notice *out, bool *found,
                        struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_by_rid, err);
    if (st)
        store_bind_text(st, 1, rid);
    return store_row(s, st, "reading a notice", row_notice, out, found, err);
}

struct notice_list {
    struct notice *out;
    int cap, n;
};

static int row_list(sqlite3_stmt *st, void *ctx)
{
    struct notice_list *l = ctx;
    if (l->n < l->cap)
        read_notice(st, &l->out[l->n]);
    l->n++;
    return 0;
}

int store_notices_of_resident(struct store *s, const char *resident_id, struct notice *out, int cap,
                              int *n, struct cn_err *err)
{
    struct notice_list l = {out, cap, 0};
    sqlite3_stmt *st = store_stmt(s, sql_of_resident, err);
    if (st)
        store_bind_text(st, 1, resident_id);
    int rc = store_rows(s, st, "reading notices", row_list, &l, err);
    *n = l.n;
    return rc;
}

int store_notice_issue(struct store *s, int64_t run_id, const char *resident_id,
                       cn_date cert_expiry, const char *variant, struct notice *out,
                       struct cn_err *err)
{
    /* With 55 random bits a collision is a one-in-trillions event per ID; the UNIQUE
     * constraint catches it and we draw again rather than trusting the odds. */
    for (int attempt = 0; attempt < 8; attempt++) {
        char rid[RID_LEN + 1];
        int rc = rid_generate(rid, err);
        if (rc)
            return rc;
        sqlite3_stmt *st = store_stmt(s, sql_insert, err);
        if (!st)
            return err ? err->status : CN_EOUTPUT;
        store_bind_text(st, 1, resident_id);
        store_bind_date(st, 2, cert_expiry);
        store_bind_text(st, 3, rid);
        store_bind_text(st, 4, variant);
        sqlite3_bind_int64(st, 5, run_id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) {
            memset(out, 0, sizeof *out);
            out->id = store_last_id(s);
            snprintf(out->resident_id, sizeof out->resident_id, "%s", resident_id);
            out->cert_expiry = cert_expiry;
            memcpy(out->rid, rid, sizeof rid);
            snprintf(out->variant, sizeof out->variant, "%s", variant);
            out->status = NOTICE_ISSUED;
            return CN_OK;
        }
        if (!store_unique_violation(s))
            return store_fail(s, err, "issuing a reservation ID");
        /* Two notices for one resident and expiry is the other UNIQUE: not a retry. */
        bool found;
        struct notice existing;
        if (store_notice_find(s, resident_id, cert_expiry, &existing, &found, err))
            return err ? err->status : CN_EOUTPUT;
        if (found)
            return cn_fail(err, CN_EOUTPUT, "a notice for resident %s and %s exists already",
                           resident_id, "this expiry");
    }
    return cn_fail(err, CN_EOUTPUT, "could not draw a unique reservation ID");
}

int store_notice_set_status(struct store *s, int64_t notice_id, enum notice_status status,
                            const char *batch, const char *file, long seq, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_status, err);
    if (st) {
        sqlite3_bind_int64(st, 1, notice_id);
        store_bind_text(st, 2, notice_status_name(status));
        if (batch)
            store_bind_text(st, 3, batch);
        if (file)
            store_bind_text(st, 4, file);
        if (seq > 0)
            sqlite3_bind_int64(st, 5, seq);
    }
    return store_exec(s, st, "updating a notice", err);
}

struct each_notice {
    int (*fn)(const struct notice *n, void *ctx);
    void *ctx;
    struct notice n;
};

static int row_each(sqlite3_stmt *st, void *ctx)
{
    struct each_notice *e = ctx;
    read_notice(st, &e->n);
    return e->fn(&e->n, e->ctx);
}

int store_each_notice(struct store *s, int (*fn)(const struct notice *n, void *ctx), void *ctx,
                      struct cn_err *err)
{
    struct each_notice e = {.fn = fn, .ctx = ctx};
    return store_rows(s, store_stmt(s, sql_each, err), "listing notices", row_each, &e, err);
}

struct batch_list {
    char (*names)[BATCH_PATH_MAX];
    int cap, n;
};

static int row_batch(sqlite3_stmt *st, void *ctx)
{
    struct batch_list *l = ctx;
    if (l->n == l->cap)
        return STORE_STOP; /* the rest waits for the next run */
    store_column_copy(st, 0, l->names[l->n++], BATCH_PATH_MAX);
    return 0;
}

int store_publishing_batches(struct store *s, char (*names)[BATCH_PATH_MAX], int cap, int *n,
                             struct cn_err *err)
{
    struct batch_list l = {names, cap, 0};
    int rc = store_rows(s, store_stmt(s, sql_publishing, err), "recovery", row_batch, &l, err);
    *n = l.n;
    return rc;
}

int store_batch_resolve(struct store *s, const char *batch, bool published, struct cn_err *err)
{
    /* In chunks: a crash between two leaves 'publishing' notices, which the next run's
     * recovery resolves the same way, since it looks at the same folder. */
    int rc = store_begin(s, err);
    const char *const sql[2][2] = {{sql_resolve_issued, sql_resolve_published},
                                   {sql_resolve_fu_issued, sql_resolve_fu_published}};
    for (int table = 0; !rc && table < 2; table++) {
        while (!rc) {
            sqlite3_stmt *st = store_stmt(s, sql[table][published], err);
            if (st)
                store_bind_text(st, 1, batch);
            if ((rc = store_exec(s, st, "recovering a batch", err)) || store_changes(s) == 0)
                break;
            rc = store_chunk(s, err);
        }
    }
    if (rc) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

struct each_feed {
    int (*fn)(const struct notice_feed_row *n, void *ctx);
    void *ctx;
};

static int row_each_feed(sqlite3_stmt *st, void *ctx)
{
    const struct each_feed *e = ctx;
    struct notice_feed_row n;
    memset(&n, 0, sizeof n);
    store_column_copy(st, 0, n.rid, sizeof n.rid);
    n.cert_expiry = store_column_date(st, 1);
    store_column_copy(st, 2, n.variant, sizeof n.variant);
    if (!notice_status_parse((const char *)sqlite3_column_text(st, 3), &n.status))
        n.status = NOTICE_REVIEW; /* unreadable: never offered for booking */
    n.letter_date = store_column_date(st, 4);
    store_column_copy(st, 5, n.district, sizeof n.district);
    n.birth_date = store_column_date(st, 6);
    n.resident_active = sqlite3_column_int(st, 7) != 0;
    n.held = sqlite3_column_int(st, 8) != 0;
    n.cert_current = sqlite3_column_int(st, 9) != 0;
    if (!outcome_parse((const char *)sqlite3_column_text(st, 10), &n.outcome))
        n.outcome = OUTCOME_NONE;
    return e->fn(&n, e->ctx);
}

int store_notice_each_feed(struct store *s, int (*fn)(const struct notice_feed_row *n, void *ctx),
                           void *ctx, struct cn_err *err)
{
    struct each_feed e = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_each_feed, err), "listing the feed's notices",
                      row_each_feed, &e, err);
}
