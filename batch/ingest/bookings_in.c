#include "bookings_in.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "rid.h"
#include "sha256.h"
#include "slots.h"
#include "store_counter.h"
#include "store_run.h"
#include "wallfiles.h"

/* "YYYY-MM-DD HH:MM:SS" as SQLite's datetime() writes it (UTC), or "" where allowed. */
static bool datetime_ok(const char *s, size_t len, bool empty_ok)
{
    if (len == 0)
        return empty_ok;
    cn_date d;
    char day[11];
    if (len != 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':')
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    for (int i = 11; i < 19; i++)
        if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
            return false;
    return date_parse_iso(day, &d) && (s[11] - '0') * 10 + (s[12] - '0') < 24 &&
           (s[14] - '0') * 10 + (s[15] - '0') < 60 && (s[17] - '0') * 10 + (s[18] - '0') < 60;
}

static bool short_word(const char *s, size_t len, size_t max)
{
    if (len < 1 || len > max)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
            return false;
    return true;
}

static bool one_of(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

/* One row into b; NULL or what is wrong. */
static const char *parse_row(const struct csv_record *rec, struct booking *b, char exported[24])
{
    static const char *const statuses[] = {"active", "cancelled", NULL};
    static const char *const reasons[] = {"", BOOKING_REASON_CANCELLED, BOOKING_REASON_CHANGED,
                                          BOOKING_REASON_WITHDRAWN, NULL};
    static const char *const marks[] = {"", "arrived", "done", "no_show", NULL};
    memset(b, 0, sizeof *b);
    if (rec->problem)
        return rec->problem;
    if (rec->n_fields != BK_COLUMNS)
        return "a row with another number of fields than the header";
    char *const *f = rec->fields;
    for (int i = 0; i < BK_COLUMNS; i++)
        if (strlen(f[i]) != rec->lens[i])
            return "a NUL byte in a field";
    char *end;
    if (f[BK_REFERENCE][0] != 'Y' || rec->lens[BK_REFERENCE] > 15 ||
        (b->id = strtoll(f[BK_REFERENCE] + 1, &end, 10)) <= 0 || *end)
        return "reference is not a booking reference (Y123456789)";
    char rid[RID_LEN + 1];
    if (!rid_check(f[BK_RID], rid))
        return "reservation_id is not a reservation ID";
    memcpy(b->rid, rid, sizeof b->rid);
    if (!date_parse_iso(f[BK_DATE], &b->day) || rec->lens[BK_DATE] != 10)
        return "date is not YYYY-MM-DD";
    if (!slots_parse_hhmm(f[BK_TIME], &b->start_min))
        return "time is not HH:MM";
    if (!short_word(f[BK_OFFICE], rec->lens[BK_OFFICE], sizeof b->office - 1) ||
        !short_word(f[BK_BOOKED_BY], rec->lens[BK_BOOKED_BY], sizeof b->by - 1))
        return "office or booked_by is not an id";
    snprintf(b->office, sizeof b->office, "%s", f[BK_OFFICE]);
    snprintf(b->by, sizeof b->by, "%s", f[BK_BOOKED_BY]);
    if (!one_of(f[BK_STATUS], statuses) || !one_of(f[BK_REASON], reasons) ||
        !one_of(f[BK_ATTENDANCE], marks))
        return "status, reason or attendance is not one the booking store writes";
    b->status = strcmp(f[BK_STATUS], "active") == 0 ? BOOKING_ACTIVE : BOOKING_CANCELLED;
    snprintf(b->reason, sizeof b->reason, "%s", f[BK_REASON]);
    snprintf(b->attendance, sizeof b->attendance, "%s", f[BK_ATTENDANCE]);
    if (!datetime_ok(f[BK_ATTENDED_AT], rec->lens[BK_ATTENDED_AT], true) ||
        !datetime_ok(f[BK_CREATED_AT], rec->lens[BK_CREATED_AT], false) ||
        !datetime_ok(f[BK_CHANGED_AT], rec->lens[BK_CHANGED_AT], false) ||
        !datetime_ok(f[BK_EXPORTED_AT], rec->lens[BK_EXPORTED_AT], false))
        return "a time that is not YYYY-MM-DD HH:MM:SS";
    memcpy(b->attended_at, f[BK_ATTENDED_AT], rec->lens[BK_ATTENDED_AT] + 1);
    memcpy(b->created_at, f[BK_CREATED_AT], 20);
    memcpy(b->changed_at, f[BK_CHANGED_AT], 20);
    if (exported[0] && strcmp(exported, f[BK_EXPORTED_AT]) != 0)
        return "exported_at differs from the file's first row: two exports in one file";
    memcpy(exported, f[BK_EXPORTED_AT], 20);
    return NULL;
}

static int check_header(const char *path, const struct csv_record *rec, struct cn_err *err)
{
    bool same = !rec->problem && rec->n_fields == BK_COLUMNS;
    for (int i = 0; same && i < BK_COLUMNS; i++)
        same = strcmp(rec->fields[i], booking_column_names[i]) == 0;
    if (!same)
        return cn_fail(err, CN_EINPUT,
                       "%s: line %ld: not an export-bookings file (its header is reference,date,"
                       "time,office,reservation_id,booked_by,status,reason,attendance,attended_at,"
                       "created_at,changed_at,exported_at)",
                       path, rec->line);
    return CN_OK;
}

struct loaded {
    struct booking *rows;
    size_t n, cap;
};

static int read_rows(const char *path, FILE *in, struct loaded *l, char exported[24],
                     struct cn_err *err)
{
    struct csv_reader *r = csv_reader_new(in);
    if (!r)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    struct csv_record rec;
    int got, rc = CN_OK;
    if ((got = csv_read(r, &rec)) != 1)
        rc = cn_fail(err, CN_EINPUT, "%s: no header: empty or truncated", path);
    else
        rc = check_header(path, &rec, err);
    while (!rc && (got = csv_read(r, &rec)) == 1) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 256;
            struct booking *g = realloc(l->rows, cap * sizeof *g);
            if (!g) {
                rc = cn_fail(err, CN_EOUTPUT, "out of memory");
                break;
            }
            l->rows = g;
            l->cap = cap;
        }
        const char *why = parse_row(&rec, &l->rows[l->n], exported);
        if (why)
            rc = cn_fail(err, CN_EINPUT, "%s: line %ld: %s", path, rec.line, why);
        else
            l->n++;
    }
    if (!rc && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    csv_reader_free(r);
    return rc;
}

int bookings_in_load(struct store *s, const char *path, struct bookings_in_result *out,
                     struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    char sha[65], last_at[24], last_sha[65];
    bool have_last;
    int rc;
    if ((rc = sha256_file(path, sha, err)))
        return rc;
    FILE *in = fopen(path, "rb");
    if (!in)
        return cn_fail(err, CN_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct loaded l = {0};
    rc = read_rows(path, in, &l, out->exported_at, err);
    fclose(in);
    out->rows = (long)l.n;
    if (!rc)
        rc = store_counter_last_import(s, last_at, last_sha, &have_last, err);
    if (rc)
        goto done;
    if (have_last && strcmp(sha, last_sha) == 0) {
        out->unchanged = true;
        goto done;
    }
    /* A header-only file (no change since) carries no time: nothing to load or to order. */
    if (l.n == 0)
        goto done;
    if (have_last && strcmp(out->exported_at, last_at) < 0) {
        rc = cn_fail(err, CN_EINPUT,
                     "%s: exported at %s UTC, older than the file loaded last (%s UTC): refused",
                     path, out->exported_at, last_at);
        goto done;
    }
    if ((rc = store_begin(s, err)))
        goto done;
    for (size_t i = 0; !rc && i < l.n; i++) {
        bool applied;
        if (!(rc = store_counter_put(s, &l.rows[i], &applied, err)) && applied)
            out->applied++;
    }
    char detail[160];
    snprintf(detail, sizeof detail, "bookings import: %ld rows, %ld applied, exported at %s",
             out->rows, out->applied, out->exported_at);
    if (rc ||
        (rc = store_counter_record_import(s, path, sha, out->exported_at, out->rows, out->applied,
                                          err)) ||
        (rc = store_audit(s, "bookings import", detail, err)) || (rc = store_commit(s, err)))
        store_rollback(s);
done:
    free(l.rows);
    return rc;
}
