#include "store_returned.h"

#include <string.h>

#include "store_db.h"
#include "store_notice.h"

static const char sql_latest_mailed[] =
    "SELECT rid FROM notices WHERE resident_id = ?1 AND status IN ('published', 'returned') "
    "ORDER BY cert_expiry DESC, id DESC LIMIT 1";
static const char sql_hold[] = "UPDATE residents SET returned_hold = ?2 WHERE resident_id = ?1";
/* The latest returned notice of each held resident, if any is marked. */
static const char sql_holds[] =
    "SELECT r.resident_id, r.district, n.rid, n.updated_at FROM residents r "
    "LEFT JOIN notices n ON n.id = (SELECT id FROM notices "
    "  WHERE resident_id = r.resident_id AND status = 'returned' "
    "  ORDER BY updated_at DESC, id DESC LIMIT 1) "
    "WHERE r.returned_hold = 1 ORDER BY r.resident_id";

static int row_rid(sqlite3_stmt *st, void *ctx)
{
    store_column_copy(st, 0, ctx, RID_LEN + 1);
    return 0;
}

int store_notice_latest_mailed(struct store *s, const char *resident_id, struct notice *out,
                               bool *found, struct cn_err *err)
{
    char rid[RID_LEN + 1] = "";
    sqlite3_stmt *st = store_stmt(s, sql_latest_mailed, err);
    if (st)
        store_bind_text(st, 1, resident_id);
    int rc = store_row(s, st, "finding a resident's notice", row_rid, rid, found, err);
    return rc || !*found ? rc : store_notice_by_rid(s, rid, out, found, err);
}

int store_set_returned_hold(struct store *s, const char *resident_id, bool hold, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_hold, err);
    if (st) {
        store_bind_text(st, 1, resident_id);
        sqlite3_bind_int(st, 2, hold);
    }
    return store_exec(s, st, "holding a resident", err);
}

struct hold_rows {
    int (*fn)(const struct returned_hold *h, void *ctx);
    void *ctx;
};

static int row_hold(sqlite3_stmt *st, void *ctx)
{
    const struct hold_rows *hr = ctx;
    struct returned_hold h;
    memset(&h, 0, sizeof h);
    store_column_copy(st, 0, h.resident_id, sizeof h.resident_id);
    store_column_copy(st, 1, h.district, sizeof h.district);
    store_column_copy(st, 2, h.rid, sizeof h.rid);
    store_column_copy(st, 3, h.since, sizeof h.since);
    return hr->fn(&h, hr->ctx);
}

int store_each_returned_hold(struct store *s, int (*fn)(const struct returned_hold *h, void *ctx),
                             void *ctx, struct cn_err *err)
{
    struct hold_rows hr = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_holds, err), "listing held residents", row_hold, &hr,
                      err);
}
