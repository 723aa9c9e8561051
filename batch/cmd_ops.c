/* `certnotice returned` (undeliverable mail: the notice is marked returned and the resident
 * held from automatic letters) and `certnotice report` (run history and state for IT). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "csv.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "rid.h"
#include "store.h"
#include "store_notice.h"
#include "store_report.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

enum { OPS_DB, OPS_RUNS };

const struct cmd_usage cmd_returned_usage = {
    .name = "returned",
    .operands = "FILE",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "Import a CSV of undeliverable mail: those notices are returned, their residents "
               "held.",
    .opts = {[OPS_DB] = {"db", "FILE", "the database", "certnotice.db"}},
};

const struct cmd_usage cmd_report_usage = {
    .name = "report",
    .summary = "Runs, notice counts, held residents and recent failures, for IT.",
    .opts =
        {
            [OPS_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [OPS_RUNS] = {"runs", "N", "how many of the newest runs to list", "10"},
        },
};

/* Opens an existing database only: a mistyped --db must not leave an empty database behind
 * and report that nothing ever happened. */
static int open_existing(const char *stage, const char *db, struct store **store)
{
    struct cn_err err = {0};
    if (access(db, F_OK) != 0) {
        log_error(stage, "%s: no database: %s", db, strerror(errno));
        return CN_EINPUT;
    }
    int rc = store_open(db, 0, store, &err);
    if (rc != CN_OK)
        log_error(stage, "%s", err.msg);
    return rc;
}

/* ---- returned ---- */

enum { COL_RID, COL_RESIDENT, COL_REASON, COL_DATE, N_COLS };
static const char *const col_names[N_COLS] = {"reservation_id", "resident_id", "reason", "date"};

struct returned_run {
    struct store *store;
    const char *path;
    int col[N_COLS]; /* field index of each column, -1 when the file has none */
    long marked, already, refused;
};

/* A field with surrounding blanks removed, or "" when the record has no such column; a
 * field holding a NUL byte is refused by the caller. */
static const char *field(const struct csv_record *rec, int col, char *buf, size_t cap)
{
    buf[0] = '\0'; /* an absent column reads as empty */
    if (col < 0 || col >= rec->n_fields || col >= CSV_MAX_FIELDS)
        return "";
    const char *v = rec->fields[col];
    size_t n = rec->lens[col];
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    snprintf(buf, cap, "%.*s", (int)n, v);
    return buf;
}

static bool has_nul(const struct csv_record *rec)
{
    for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++)
        if (strlen(rec->fields[i]) != rec->lens[i])
            return true;
    return false;
}

static int read_header(struct returned_run *run, const struct csv_record *rec, struct cn_err *err)
{
    for (int c = 0; c < N_COLS; c++)
        run->col[c] = -1;
    if (rec->problem)
        return cn_fail(err, CN_EINPUT, "%s:%ld: header: %s", run->path, rec->line, rec->problem);
    for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++) {
        char name[64];
        field(rec, i, name, sizeof name);
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
    run->refused++;
}

/* Finds the notice a row names. found false: refused already, with the reason. */
static int find_notice(struct returned_run *run, const struct csv_record *rec, struct notice *n,
                       bool *found, struct cn_err *err)
{
    char rid_typed[64], resident_id[64], rid[RID_LEN + 1];
    field(rec, run->col[COL_RID], rid_typed, sizeof rid_typed);
    field(rec, run->col[COL_RESIDENT], resident_id, sizeof resident_id);
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
    if (has_nul(rec)) {
        refuse(run, rec->line, "a field holds a NUL byte", "");
        return CN_OK;
    }
    char reason[256], date_text[32];
    field(rec, run->col[COL_REASON], reason, sizeof reason);
    field(rec, run->col[COL_DATE], date_text, sizeof date_text);
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
        run->already++;
    } else {
        rc = store_notice_set_status(run->store, n.id, NOTICE_RETURNED, n.batch[0] ? n.batch : NULL,
                                     n.file[0] ? n.file : NULL, n.seq, err);
        if (rc != CN_OK)
            return rc;
        run->marked++;
    }
    if ((rc = store_set_returned_hold(run->store, n.resident_id, true, err)) != CN_OK)
        return rc;
    /* The reason and date are the post office's words: kept for the clerk, not parsed. */
    char detail[640];
    snprintf(detail, sizeof detail, "rid=%s resident_id=%s date=%s reason=%s source=%s:%ld", n.rid,
             n.resident_id, date_text, reason, run->path, rec->line);
    return store_audit(run->store, "returned", detail, err);
}

static int import_returned(struct returned_run *run, FILE *in, struct cn_err *err)
{
    struct csv_reader *reader = csv_reader_new(in);
    if (!reader)
        return cn_fail(err, CN_EINPUT, "%s: out of memory", run->path);
    struct csv_record rec;
    int rc = CN_OK, got = csv_read(reader, &rec);
    if (got == 0)
        rc = cn_fail(err, CN_EINPUT, "%s: empty file, no header", run->path);
    else if (got > 0)
        rc = read_header(run, &rec, err);
    while (rc == CN_OK && got > 0 && (got = csv_read(reader, &rec)) > 0)
        rc = apply_row(run, &rec, err);
    if (rc == CN_OK && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: %s", run->path, strerror(errno));
    csv_reader_free(reader);
    return rc;
}

int cmd_returned(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_returned_usage, argc, argv, &a, &rc))
        return rc;
    const char *db = a.value[OPS_DB];
    struct returned_run run = {.path = argv[a.first]};
    struct cn_err err = {0};
    bool in_tx = false;
    FILE *in = fopen(run.path, "rb");
    if (!in) {
        log_error("returned", "%s: cannot read: %s", run.path, strerror(errno));
        return CN_EINPUT;
    }
    rc = open_existing("returned", db, &run.store);
    if (rc != CN_OK)
        goto done;
    /* One transaction: a crash or a database error leaves no half-imported file, and the
     * import can simply be repeated (a notice already returned is counted, not changed). */
    if ((rc = store_begin(run.store, &err)) != CN_OK)
        goto fail;
    in_tx = true;
    if ((rc = import_returned(&run, in, &err)) != CN_OK)
        goto fail;
    char summary[160];
    snprintf(summary, sizeof summary, "file=%s marked=%ld already=%ld refused=%ld", run.path,
             run.marked, run.already, run.refused);
    if ((rc = store_audit(run.store, "returned-import", summary, &err)) != CN_OK ||
        (rc = store_commit(run.store, &err)) != CN_OK)
        goto fail;
    log_info("returned", "marked=%ld already=%ld refused=%ld", run.marked, run.already,
             run.refused);
    rc = run.refused ? CN_REJECTS : CN_OK;
    goto done;
fail:
    log_error("returned", "%s", err.msg);
    if (in_tx) {
        store_rollback(run.store);
        log_error("returned", "nothing imported from %s", run.path);
    }
done:
    store_close(run.store);
    fclose(in);
    return rc;
}

/* ---- report ---- */

static int print_run(const struct run_info *r, void *ctx)
{
    (void)ctx;
    char date[11] = "";
    if (r->run_date != DATE_NONE)
        date_format_iso(r->run_date, date);
    char code[24];
    if (r->exit_code < 0)
        snprintf(code, sizeof code, "unfinished");
    else
        snprintf(code, sizeof code, "%d", r->exit_code);
    printf("  %-5lld %-10s  %-10s %-19s  %-19s  %-10s %s\n", (long long)r->id, date, r->command,
           r->started, r->finished[0] ? r->finished : "-", code, r->summary);
    return 0;
}

static int print_hold(const struct returned_hold *h, void *ctx)
{
    long *n = ctx;
    char rid[RID_DISPLAY_LEN + 1] = "-";
    if (h->rid[0])
        rid_display(h->rid, rid);
    printf("  %-20s %-8s %-14s  %s\n", h->resident_id, h->district, rid,
           h->since[0] ? h->since : "-");
    (*n)++;
    return 0;
}

static int count_run(const struct run_info *r, void *ctx)
{
    (void)r;
    (*(long *)ctx)++;
    return 0;
}

static void run_header(void)
{
    printf("  %-5s %-10s  %-10s %-19s  %-19s  %-10s %s\n", "id", "date", "command", "started (UTC)",
           "finished (UTC)", "exit", "summary");
}

int cmd_report(int argc, char **argv)
{
    struct opts_result a;
    long newest = 10;
    int rc;
    if (!opts_parse(&cmd_report_usage, argc, argv, &a, &rc))
        return rc;
    if (!opts_int(&cmd_report_usage, OPS_RUNS, &a, 1, 100000, &newest))
        return CN_EUSAGE;
    int runs = (int)newest;
    const char *db = a.value[OPS_DB];
    struct store *store = NULL;
    struct cn_err err = {0};
    long counts[NOTICE_STATUS_COUNT], held = 0, failed = 0;
    rc = open_existing("report", db, &store);
    if (rc != CN_OK)
        return rc;

    printf("certnotice report: %s\n\nruns (newest %d):\n", db, runs);
    run_header();
    if ((rc = store_each_run(store, runs, false, print_run, NULL, &err)) != CN_OK)
        goto fail;

    if ((rc = store_notice_counts(store, counts, &err)) != CN_OK)
        goto fail;
    printf("\nnotices by status:\n");
    for (int i = 0; i < NOTICE_STATUS_COUNT; i++)
        printf("  %-11s %ld\n", notice_status_name((enum notice_status)i), counts[i]);

    printf("\nresidents held after returned mail (a new address lifts the hold):\n");
    printf("  %-20s %-8s %-14s  %s\n", "resident_id", "district", "reservation_id",
           "returned (UTC)");
    if ((rc = store_each_returned_hold(store, print_hold, &held, &err)) != CN_OK)
        goto fail;
    printf("  total %ld\n", held);

    if ((rc = store_each_run(store, runs, true, count_run, &failed, &err)) != CN_OK)
        goto fail;
    printf("\nrecent failures (exit 2 or more, or unfinished):%s\n", failed ? "" : " none");
    if (failed) {
        run_header();
        if ((rc = store_each_run(store, runs, true, print_run, NULL, &err)) != CN_OK)
            goto fail;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        rc = cn_fail(&err, CN_EOUTPUT, "cannot write the report: %s", strerror(errno));
        goto fail;
    }
    store_close(store);
    return CN_OK;
fail:
    log_error("report", "%s", err.msg);
    store_close(store);
    return rc;
}
