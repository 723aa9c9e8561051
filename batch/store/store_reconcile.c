#include "store_reconcile.h"

#include <stdio.h>
#include <string.h>

#include "store_db.h"
#include "store_notice.h"
#include "store_outcome.h"

/* A result per printed letter: (batch, seq) is what the sheet's mark and the results file
 * name, and it stays true after the notice moves to a later batch (a reprint), so the
 * same file read again finds its rows already kept. inserter_since: results are expected
 * only for batches published after this feature came. */
const char store_reconcile_schema_5[] =
    "CREATE TABLE inserter_results ("
    "  batch TEXT NOT NULL, seq INTEGER NOT NULL, file INTEGER NOT NULL,"
    "  notice_id INTEGER NOT NULL REFERENCES notices(id),"
    "  status TEXT NOT NULL CHECK (status IN ('mailed','spoiled','diverted')),"
    "  at TEXT NOT NULL, batch_path TEXT NOT NULL,"
    "  source TEXT NOT NULL, line INTEGER NOT NULL, recorded_at TEXT NOT NULL,"
    "  PRIMARY KEY (batch, seq)"
    ");"
    "CREATE INDEX inserter_results_notice ON inserter_results(notice_id);"
    "CREATE INDEX notices_seq ON notices(seq);"
    "ALTER TABLE notices ADD COLUMN mailed_at TEXT;"
    "CREATE TABLE inserter_since (at TEXT NOT NULL);"
    "INSERT INTO inserter_since VALUES (datetime('now'));";

/* notices.batch is the folder's absolute path; the mark and the vendor know its name. */
#define BATCH_IS_NAMED(col, param)                                                                 \
    "(" col " = " param " OR substr(" col ", -length(" param ") - 1) = '/' || " param ")"

static const char sql_known[] =
    "SELECT EXISTS (SELECT 1 FROM inserter_results WHERE batch = ?1) OR "
    "EXISTS (SELECT 1 FROM notices WHERE batch IS NOT NULL AND " BATCH_IS_NAMED(
        "batch",
        "?1") ") OR "
              "EXISTS (SELECT 1 FROM followups WHERE batch IS NOT NULL AND " BATCH_IS_NAMED(
                  "batch", "?1") ")";
static const char sql_prior[] =
    "SELECT status, file FROM inserter_results WHERE batch = ?1 AND seq = ?2";
/* A batch's sequence numbers go to its notices' letters and to the letters that follow
 * them (reminders, 新規発行: store_outcome.h) alike. */
static const char sql_letter[] =
    "SELECT id, file, status, batch, '' FROM notices WHERE seq = ?2 AND "
    "status IN ('published', 'returned') AND " BATCH_IS_NAMED(
        "batch",
        "?1") " UNION ALL "
              "SELECT notice_id, file, status, batch, kind FROM followups WHERE seq = ?2 AND "
              "status = 'published' AND " BATCH_IS_NAMED("batch", "?1");
static const char sql_insert[] =
    "INSERT INTO inserter_results (batch, seq, file, notice_id, status, at, batch_path, source, "
    "line, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, datetime('now'))";
static const char sql_mailed[] = "UPDATE notices SET mailed_at = ?2 WHERE id = ?1";
static const char sql_reissue[] =
    "SELECT 1 FROM inserter_results WHERE notice_id = ?1 AND status <> 'mailed' LIMIT 1";
static const char sql_unaccounted[] =
    "SELECT n.rid, n.batch, n.file, n.seq, n.updated_at FROM notices n "
    "WHERE n.status = 'published' AND n.updated_at <= datetime('now', ?1) "
    "  AND n.updated_at >= (SELECT min(at) FROM inserter_since) "
    "  AND NOT EXISTS (SELECT 1 FROM inserter_results r "
    "                  WHERE r.notice_id = n.id AND r.batch_path = n.batch AND r.seq = n.seq) "
    "ORDER BY n.batch, n.seq";

static int row_bool(sqlite3_stmt *st, void *ctx)
{
    *(bool *)ctx = sqlite3_column_int(st, 0) != 0;
    return 0;
}

int store_reconcile_batch_known(struct store *s, const char *batch, bool *known, struct cn_err *err)
{
    bool found;
    *known = false;
    sqlite3_stmt *st = store_stmt(s, sql_known, err);
    if (st)
        store_bind_text(st, 1, batch);
    return store_row(s, st, "looking for a batch", row_bool, known, &found, err);
}

struct prior {
    enum inserter_status status;
    int file;
};

static int row_prior(sqlite3_stmt *st, void *ctx)
{
    struct prior *p = ctx;
    const char *status = (const char *)sqlite3_column_text(st, 0);
    p->status = INSERTER_MAILED;
    for (int i = 0; i < INSERTER_STATUS_COUNT; i++)
        if (status && strcmp(status, inserter_status_name((enum inserter_status)i)) == 0)
            p->status = (enum inserter_status)i;
    p->file = sqlite3_column_int(st, 1);
    return 0;
}

int store_reconcile_prior(struct store *s, const char *batch, long seq, bool *found,
                          enum inserter_status *status, int *file, struct cn_err *err)
{
    struct prior p = {0};
    sqlite3_stmt *st = store_stmt(s, sql_prior, err);
    if (st) {
        store_bind_text(st, 1, batch);
        sqlite3_bind_int64(st, 2, seq);
    }
    int rc = store_row(s, st, "reading a result", row_prior, &p, found, err);
    *status = p.status;
    *file = p.file;
    return rc;
}

static int row_letter(sqlite3_stmt *st, void *ctx)
{
    struct reconcile_letter *l = ctx;
    char file[32], status[16];
    l->notice_id = sqlite3_column_int64(st, 0);
    store_column_copy(st, 1, file, sizeof file);
    /* notices-NNN.pdf, as printjob_file_name writes it */
    l->file = 0;
    sscanf(file, "notices-%d.pdf", &l->file);
    store_column_copy(st, 2, status, sizeof status);
    if (!notice_status_parse(status, &l->status))
        l->status = NOTICE_ISSUED;
    store_column_copy(st, 3, l->batch_path, sizeof l->batch_path);
    store_column_copy(st, 4, status, sizeof status);
    l->followup = strcmp(status, "reminder") == 0 ? FOLLOWUP_REMINDER
                  : strcmp(status, "lapse") == 0  ? FOLLOWUP_LAPSE
                                                  : FOLLOWUP_NONE;
    return 0;
}

int store_reconcile_letter(struct store *s, const char *batch, long seq,
                           struct reconcile_letter *out, bool *found, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(s, sql_letter, err);
    if (st) {
        store_bind_text(st, 1, batch);
        sqlite3_bind_int64(st, 2, seq);
    }
    return store_row(s, st, "finding a printed letter", row_letter, out, found, err);
}

int store_reconcile_record(struct store *s, const struct inserter_row *row,
                           const struct reconcile_letter *l, const char *source, long line,
                           struct cn_err *err)
{
    int rc;
    sqlite3_stmt *st = store_stmt(s, sql_insert, err);
    if (st) {
        store_bind_text(st, 1, row->batch);
        sqlite3_bind_int64(st, 2, row->seq);
        sqlite3_bind_int(st, 3, row->file);
        sqlite3_bind_int64(st, 4, l->notice_id);
        store_bind_text(st, 5, inserter_status_name(row->status));
        store_bind_text(st, 6, row->time);
        store_bind_text(st, 7, l->batch_path);
        store_bind_text(st, 8, source);
        sqlite3_bind_int64(st, 9, line);
    }
    if ((rc = store_exec(s, st, "keeping an inserter result", err)))
        return rc;
    if (l->followup != FOLLOWUP_NONE)
        return row->status == INSERTER_MAILED
                   ? CN_OK /* the result row is the record; the notice's own date stays */
                   : store_followup_set_status(s, l->notice_id, l->followup, NOTICE_ISSUED, NULL,
                                               NULL, 0, err);
    if (row->status == INSERTER_MAILED) {
        st = store_stmt(s, sql_mailed, err);
        if (st) {
            sqlite3_bind_int64(st, 1, l->notice_id);
            store_bind_text(st, 2, row->time);
        }
        return store_exec(s, st, "marking a notice mailed", err);
    }
    /* Only a letter still waiting in its batch is released; a returned one went out. */
    if (l->status != NOTICE_PUBLISHED)
        return CN_OK;
    return store_notice_set_status(s, l->notice_id, NOTICE_ISSUED, NULL, NULL, 0, err);
}

int store_reconcile_reissue(struct store *s, int64_t notice_id, bool *reissue, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_reissue, err);
    if (st)
        sqlite3_bind_int64(st, 1, notice_id);
    *reissue = false;
    bool found;
    int rc = store_row(s, st, "asking for a reprint", row_bool, reissue, &found, err);
    *reissue = found;
    return rc;
}

struct unaccounted_rows {
    int (*fn)(const struct unaccounted *u, void *ctx);
    void *ctx;
};

static int row_unaccounted(sqlite3_stmt *st, void *ctx)
{
    const struct unaccounted_rows *ur = ctx;
    struct unaccounted u;
    memset(&u, 0, sizeof u);
    store_column_copy(st, 0, u.rid, sizeof u.rid);
    store_column_copy(st, 1, u.batch, sizeof u.batch);
    store_column_copy(st, 2, u.file, sizeof u.file);
    u.seq = (long)sqlite3_column_int64(st, 3);
    store_column_copy(st, 4, u.published, sizeof u.published);
    return ur->fn(&u, ur->ctx);
}

int store_each_unaccounted(struct store *s, int days,
                           int (*fn)(const struct unaccounted *u, void *ctx), void *ctx,
                           struct cn_err *err)
{
    char modifier[32];
    snprintf(modifier, sizeof modifier, "-%d days", days);
    struct unaccounted_rows ur = {fn, ctx};
    sqlite3_stmt *st = store_stmt(s, sql_unaccounted, err);
    if (st)
        sqlite3_bind_text(st, 1, modifier, -1, SQLITE_TRANSIENT);
    return store_rows(s, st, "listing unaccounted letters", row_unaccounted, &ur, err);
}
