#include "store_staff.h"

#include <stdio.h>
#include <string.h>

#include "store_query.h"

/* The counter's accounts: a KDF hash, never a password. Registered in store_schema.c's
 * BOOKING_STORE_MIGRATIONS (and STORE_PG_MIGRATIONS). */
const char store_staff_schema_1[] =
    "CREATE TABLE staff ("
    "  name TEXT PRIMARY KEY, office TEXT NOT NULL, hash TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, changed_at TEXT NOT NULL"
    ") WITHOUT ROWID;";
const char store_staff_schema_1_pg[] =
    "CREATE TABLE staff ("
    "  name text PRIMARY KEY, office text NOT NULL, hash text NOT NULL,"
    "  created_at text NOT NULL, changed_at text NOT NULL"
    ");";

/* Every statement runs on both backends (store_query.h); the clock is bound from C. */
static const struct store_sql sql_add = {
    "INSERT INTO staff (name, office, hash, created_at, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (name) DO NOTHING",
    NULL};
static const struct store_sql sql_passwd = {
    "UPDATE staff SET hash = ?2, changed_at = ?3 WHERE name = ?1", NULL};
static const struct store_sql sql_remove = {"DELETE FROM staff WHERE name = ?1", NULL};
static const struct store_sql sql_end_all = {"DELETE FROM staff_sessions WHERE staff = ?1", NULL};
static const struct store_sql sql_get = {
    "SELECT name, office, hash, created_at, changed_at FROM staff WHERE name = ?1", NULL};
static const struct store_sql sql_each = {
    "SELECT name, office, hash, created_at, changed_at FROM staff ORDER BY name", NULL};

/* What the counter checks a card against outside: the birth month and day, from the feed;
 * names are inside only (certnotice daylist). */
static const struct store_sql sql_day = {
    "SELECT b.id, b.rid, b.start, b.by_whom, b.attendance, b.attended_at, f.birth_mmdd,"
    " b.closure_id FROM bookings b LEFT JOIN feed f ON f.rid = b.rid"
    " WHERE b.office = ?1 AND b.day = ?2 AND b.status = 'active' ORDER BY b.start, b.created_at, "
    "b.id",
    NULL};
static const struct store_sql sql_mark = {
    "UPDATE bookings SET attendance = ?3, attended_at = ?4, changed_at = ?4 "
    "WHERE id = CAST(?1 AS BIGINT) AND office = ?2 AND status = 'active'",
    NULL};

bool staff_name_ok(const char *name)
{
    size_t n = 0;
    for (; name && name[n]; n++) {
        const char c = name[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n >= 1 && n < STAFF_NAME_MAX;
}

int store_staff_add(struct store *s, const char *name, const char *office, const char *hash,
                    bool *exists, struct cn_err *err)
{
    *exists = false;
    struct store_query *q = store_query(s, &sql_add, err);
    store_q_text(q, 1, name);
    store_q_text(q, 2, office);
    store_q_text(q, 3, hash);
    store_q_text(q, 4, store_now(s));
    int rc = store_q_exec(q, "adding a staff account", err);
    *exists = !rc && store_q_changes(q) == 0;
    return rc;
}

static int end_all(struct store *s, const char *name, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_end_all, err);
    store_q_text(q, 1, name);
    return store_q_exec(q, "ending an account's sessions", err);
}

/* One statement on an account by name, then its sessions end, in one transaction. */
static int account_change(struct store *s, const struct store_sql *sql, const char *name,
                          const char *hash, const char *what, bool *found, struct cn_err *err)
{
    *found = false;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    struct store_query *q = store_query(s, sql, err);
    store_q_text(q, 1, name);
    if (hash) {
        store_q_text(q, 2, hash);
        store_q_text(q, 3, store_now(s));
    }
    if (!(rc = store_q_exec(q, what, err)))
        *found = store_q_changes(q) > 0;
    if (rc || (rc = end_all(s, name, err)) || (rc = store_commit(s, err))) {
        store_rollback(s);
        return rc;
    }
    return CN_OK;
}

int store_staff_passwd(struct store *s, const char *name, const char *hash, bool *found,
                       struct cn_err *err)
{
    return account_change(s, &sql_passwd, name, hash, "changing a password", found, err);
}

int store_staff_remove(struct store *s, const char *name, bool *found, struct cn_err *err)
{
    return account_change(s, &sql_remove, name, NULL, "removing a staff account", found, err);
}

static int row_account(struct store_query *st, void *ctx)
{
    struct staff_account *a = ctx;
    store_q_col_copy(st, 0, a->name, sizeof a->name);
    store_q_col_copy(st, 1, a->office, sizeof a->office);
    store_q_col_copy(st, 2, a->hash, sizeof a->hash);
    store_q_col_copy(st, 3, a->created, sizeof a->created);
    store_q_col_copy(st, 4, a->changed, sizeof a->changed);
    return 0;
}

int store_staff_get(struct store *s, const char *name, struct staff_account *out, bool *found,
                    struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_query *q = store_query(s, &sql_get, err);
    store_q_text(q, 1, name);
    return store_q_row(q, "reading a staff account", row_account, out, found, err);
}

struct each_account {
    int (*fn)(const struct staff_account *a, void *ctx);
    void *ctx;
};

static int row_each_account(struct store_query *st, void *ctx)
{
    const struct each_account *e = ctx;
    struct staff_account a;
    memset(&a, 0, sizeof a);
    row_account(st, &a);
    const int rc = e->fn(&a, e->ctx);
    explicit_bzero(a.hash, sizeof a.hash);
    return rc;
}

int store_staff_each(struct store *s, int (*fn)(const struct staff_account *a, void *ctx),
                     void *ctx, struct cn_err *err)
{
    struct each_account e = {fn, ctx};
    return store_q_rows(store_query(s, &sql_each, err), "listing staff accounts", row_each_account,
                        &e, err);
}

static const char *const attendance_names[] = {"", "arrived", "done", "no_show"};

const char *attendance_name(enum attendance a)
{
    return a >= ATTEND_NONE && a <= ATTEND_NO_SHOW ? attendance_names[a] : "";
}

bool attendance_parse(const char *s, enum attendance *out)
{
    for (int i = ATTEND_ARRIVED; s && i <= ATTEND_NO_SHOW; i++)
        if (strcmp(s, attendance_names[i]) == 0) {
            *out = (enum attendance)i;
            return true;
        }
    return false;
}

struct each_day {
    int (*fn)(const struct day_entry *e, void *ctx);
    void *ctx;
};

static int row_day(struct store_query *st, void *ctx)
{
    const struct each_day *e = ctx;
    struct day_entry d;
    memset(&d, 0, sizeof d);
    d.id = store_q_col_int(st, 0);
    store_q_col_copy(st, 1, d.rid, sizeof d.rid);
    const char *start = store_q_col_text(st, 2);
    if (!start || !slots_parse_hhmm(start, &d.start_min))
        d.start_min = -1;
    store_q_col_copy(st, 3, d.by, sizeof d.by);
    const char *a = store_q_col_text(st, 4);
    if (!attendance_parse(a, &d.attendance))
        d.attendance = ATTEND_NONE;
    store_q_col_copy(st, 5, d.attended_at, sizeof d.attended_at);
    char mmdd[8];
    store_q_col_copy(st, 6, mmdd, sizeof mmdd);
    if (strlen(mmdd) == 4) {
        d.birth_month = (mmdd[0] - '0') * 10 + (mmdd[1] - '0');
        d.birth_day = (mmdd[2] - '0') * 10 + (mmdd[3] - '0');
    }
    d.closure_id = store_q_col_int(st, 7);
    const int rc = e->fn(&d, e->ctx);
    explicit_bzero(&d, sizeof d);
    return rc;
}

int store_staff_day(struct store *s, const char *office, cn_date day,
                    int (*fn)(const struct day_entry *e, void *ctx), void *ctx, struct cn_err *err)
{
    struct store_query *q = store_query(s, &sql_day, err);
    store_q_text(q, 1, office);
    store_q_date(q, 2, day);
    struct each_day e = {fn, ctx};
    return store_q_rows(q, "reading the day list", row_day, &e, err);
}

int store_staff_mark(struct store *s, int64_t id, const char *office, enum attendance a, bool *done,
                     struct cn_err *err)
{
    *done = false;
    struct store_query *q = store_query(s, &sql_mark, err);
    store_q_int(q, 1, id);
    store_q_text(q, 2, office);
    store_q_text(q, 3, attendance_name(a));
    store_q_text(q, 4, store_now(s));
    int rc = store_q_exec(q, "marking a booking", err);
    *done = !rc && store_q_changes(q) > 0;
    return rc;
}
