#include "returned_import.h"

#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "date.h"
#include "log.h"
#include "rid.h"
#include "store_notice.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

enum { COL_RID, COL_RESIDENT, COL_REASON, COL_DATE, N_COLS };
static const char *const col_names[N_COLS] = {"reservation_id", "resident_id", "reason", "date"};

struct returned_run {
    struct store *store;
    const char *path;
    int col[N_COLS]; /* field index of each column, -1 when the file has none */
    struct returned_counts *counts;
};

static int read_header(struct returned_run *run, const struct csv_record *rec, struct cn_err *err)
{
    for (int c = 0; c < N_COLS; c++)
        run->col[c] = -1;
    if (rec->problem)
        return cn_fail(err, CN_EINPUT, "%s:%ld: header: %s", run->path, rec->line, rec->problem);
    for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++) {
        char name[64];
        csv_import_field(rec, i, name, sizeof name);
        for (int c = 0; c < N_COLS; c++) {
            if (strcmp(name, col_names[c]) != 0)
                continue;
            if (run->col[c] >= 0)
                return cn_fail(err, CN_EINPUT, "%s:%ld: header: column %s appears twice", run->path,
                               rec->line, name);
            run->col[c] = i;
        }
    }
    if (run->col[COL_RID] < 0 && run->col[COL_RESIDENT] < 0)
        return cn_fail(err, CN_EINPUT,
                       "%s:%ld: header: needs a reservation_id or a resident_id column", run->path,
                       rec->line);
    return CN_OK;
}

/* A line that cannot be applied: reported with its place, counted, the rest goes on. */
static void refuse(struct returned_run *run, long line, const char *what, const char *id)
{
    log_warn("returned", "%s:%ld: %s%s%s", run->path, line, what, id[0] ? ": " : "", id);
    run->counts->refused++;
}

/* Finds the notice a row names. found false: refused already, with the reason. */
static int find_notice(struct returned_run *run, const struct csv_record *rec, struct notice *n,
                       bool *found, struct cn_err *err)
{
    char rid_typed[64], resident_id[64], rid[RID_LEN + 1];
    csv_import_field(rec, run->col[COL_RID], rid_typed, sizeof rid_typed);
    csv_import_field(rec, run->col[COL_RESIDENT], resident_id, sizeof resident_id);
    *found = false;

    if (rid_typed[0]) {
        if (!rid_check(rid_typed, rid)) {
            refuse(run, rec->line, "not a reservation ID (the check symbol does not match)",
                   rid_typed);
            return CN_OK;
        }
        int rc = store_notice_by_rid(run->store, rid, n, found, err);
        if (rc == CN_OK && !*found)
            refuse(run, rec->line, "unknown reservation ID", rid_typed);
        return rc;
    }
    if (!resident_id[0]) {
        refuse(run, rec->line, "neither a reservation_id nor a resident_id", "");
        return CN_OK;
    }
    struct resident r;
    bool known;
    int rc = store_get_resident(run->store, resident_id, &r, &known, err);
    if (rc != CN_OK)
        return rc;
    if (!known) {
        refuse(run, rec->line, "unknown resident_id", resident_id);
        return CN_OK;
    }
    rc = store_notice_latest_mailed(run->store, resident_id, n, found, err);
    if (rc == CN_OK && !*found)
        refuse(run, rec->line, "no notice was mailed to resident", resident_id);
    return rc;
}

static int apply_row(struct returned_run *run, const struct csv_record *rec, struct cn_err *err)
{
    if (rec->problem) {
        refuse(run, rec->line, rec->problem, "");
        return CN_OK;
    }
    if (csv_import_has_nul(rec)) {
        refuse(run, rec->line, "a field holds a NUL byte", "");
        return CN_OK;
    }
    char reason[256], date_text[32];
    csv_import_field(rec, run->col[COL_REASON], reason, sizeof reason);
    csv_import_field(rec, run->col[COL_DATE], date_text, sizeof date_text);
    cn_date date;
    if (date_text[0] && !date_parse_iso(date_text, &date)) {
        refuse(run, rec->line, "date is not YYYY-MM-DD", date_text);
        return CN_OK;
    }

    struct notice n;
    bool found;
    int rc = find_notice(run, rec, &n, &found, err);
    if (rc != CN_OK || !found)
        return rc;
    if (n.status != NOTICE_PUBLISHED && n.status != NOTICE_RETURNED) {
        refuse(run, rec->line, "that notice was never mailed (not in a published batch)", n.rid);
        return CN_OK;
    }
    if (n.status == NOTICE_RETURNED) {
        run->counts->already++;
    } else {
        rc = store_notice_set_status(run->store, n.id, NOTICE_RETURNED, n.batch[0] ? n.batch : NULL,
                                     n.file[0] ? n.file : NULL, n.seq, err);
        if (rc != CN_OK)
            return rc;
        run->counts->marked++;
    }
    if ((rc = store_set_returned_hold(run->store, n.resident_id, true, err)) != CN_OK)
        return rc;
    /* The reason and date are the post office's words: kept for the clerk, not parsed. */
    char detail[640];
    snprintf(detail, sizeof detail, "rid=%s resident_id=%s date=%s reason=%s source=%s:%ld", n.rid,
             n.resident_id, date_text, reason, run->path, rec->line);
    return store_audit(run->store, "returned", detail, err);
}

static int returned_header(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return read_header(ctx, rec, err);
}

static int returned_row(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return apply_row(ctx, rec, err);
}

int returned_import(struct store *store, const char *path, FILE *in, struct returned_counts *counts,
                    struct cn_err *err)
{
    struct returned_run run = {.store = store, .path = path, .counts = counts};
    *counts = (struct returned_counts){0};
    /* One transaction: a crash or a database error leaves no half-imported file, and the
     * import can simply be repeated (a notice already returned is counted, not changed). */
    int rc = store_begin(store, err);
    if (rc != CN_OK)
        return rc;
    char summary[160];
    if ((rc = csv_import(path, in, returned_header, returned_row, &run, err)) == CN_OK) {
        snprintf(summary, sizeof summary, "file=%s marked=%ld already=%ld refused=%ld", path,
                 counts->marked, counts->already, counts->refused);
        if ((rc = store_audit(store, "returned-import", summary, err)) == CN_OK)
            rc = store_commit(store, err);
    }
    if (rc != CN_OK)
        store_rollback(store);
    return rc;
}
