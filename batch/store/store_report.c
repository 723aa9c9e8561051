#include "store_report.h"

#include "store_db.h"

static const char sql_counts[] = "SELECT status, count(*) FROM notices GROUP BY status";

static int row_count(sqlite3_stmt *st, void *ctx)
{
    long *counts = ctx;
    enum notice_status status;
    if (notice_status_parse((const char *)sqlite3_column_text(st, 0), &status))
        counts[status] = (long)sqlite3_column_int64(st, 1);
    return 0;
}

int store_notice_counts(struct store *s, long counts[NOTICE_STATUS_COUNT], struct cn_err *err)
{
    for (int i = 0; i < NOTICE_STATUS_COUNT; i++)
        counts[i] = 0;
    return store_rows(s, store_stmt(s, sql_counts, err), "counting notices", row_count, counts,
                      err);
}
