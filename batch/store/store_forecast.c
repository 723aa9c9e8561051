#include "store_forecast.h"

#include "store_db.h"

/* A resident has at most one active booking (bookings_one_active); a visit is a booking
 * the counter marked arrived or done. A no_show, or no mark at all, is no visit. */
static const char sql_history[] =
    "SELECT p.district, n.cert_expiry, "
    "(SELECT min(b.day) FROM bookings b WHERE b.rid = n.rid AND b.status = 'active' "
    "AND b.attendance IN ('arrived','done')), n.outcome, n.outcome_on "
    "FROM notices n JOIN residents p ON p.resident_id = n.resident_id "
    "WHERE n.status IN ('published','returned')";

static const char sql_visits[] =
    "SELECT office, day, count(*) FROM bookings WHERE status = 'active' "
    "AND attendance IN ('arrived','done') AND day >= ?1 AND day <= ?2 "
    "GROUP BY office, day ORDER BY office, day";

static const char sql_renewals[] =
    "SELECT p.district, n.outcome_on, count(*) FROM notices n "
    "JOIN residents p ON p.resident_id = n.resident_id WHERE n.outcome = 'renewed' "
    "AND n.outcome_on >= ?1 AND n.outcome_on <= ?2 AND n.status IN ('published','returned') "
    "GROUP BY p.district, n.outcome_on ORDER BY 1, 2";

struct history_rows {
    int (*fn)(const struct forecast_history *h, void *ctx);
    void *ctx;
};

static int row_history(sqlite3_stmt *st, void *ctx)
{
    struct history_rows *rows = ctx;
    struct forecast_history h;
    store_column_copy(st, 0, h.district, sizeof h.district);
    h.cert_expiry = store_column_date(st, 1);
    h.first_visit = store_column_date(st, 2);
    if (!outcome_parse((const char *)sqlite3_column_text(st, 3), &h.outcome))
        h.outcome = OUTCOME_NONE;
    h.outcome_on = store_column_date(st, 4);
    return rows->fn(&h, rows->ctx);
}

int store_forecast_history(struct store *s, int (*fn)(const struct forecast_history *h, void *ctx),
                           void *ctx, struct cn_err *err)
{
    struct history_rows h = {fn, ctx};
    return store_rows(s, store_stmt(s, sql_history, err), "reading the booking history",
                      row_history, &h, err);
}

struct visit_rows {
    int (*fn)(const char *office, cn_date day, long visits, void *ctx);
    void *ctx;
};

static int row_visits(sqlite3_stmt *st, void *ctx)
{
    struct visit_rows *v = ctx;
    char office[32];
    store_column_copy(st, 0, office, sizeof office);
    return v->fn(office, store_column_date(st, 1), (long)sqlite3_column_int64(st, 2), v->ctx);
}

int store_forecast_visits(struct store *s, cn_date from, cn_date to,
                          int (*fn)(const char *office, cn_date day, long visits, void *ctx),
                          void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_visits, err);
    if (st) {
        store_bind_date(st, 1, from);
        store_bind_date(st, 2, to);
    }
    struct visit_rows v = {fn, ctx};
    return store_rows(s, st, "counting the counter's visits", row_visits, &v, err);
}

int store_forecast_renewals(struct store *s, cn_date from, cn_date to,
                            int (*fn)(const char *district, cn_date day, long renewals, void *ctx),
                            void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = store_stmt(s, sql_renewals, err);
    if (st) {
        store_bind_date(st, 1, from);
        store_bind_date(st, 2, to);
    }
    /* The same rows as the visits': a district where an office id stood. */
    struct visit_rows v = {fn, ctx};
    return store_rows(s, st, "counting renewals", row_visits, &v, err);
}
