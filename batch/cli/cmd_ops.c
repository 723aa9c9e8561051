/* `certnotice returned` (undeliverable mail: the notice is marked returned and the resident
 * held from automatic letters), `certnotice reconcile` (the inserter's results: mailed,
 * spoiled, diverted) and `certnotice report` (run history and state for IT). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "csv.h"
#include "date.h"
#include "err.h"
#include "fault.h"
#include "lock.h"
#include "log.h"
#include "reconcile.h"
#include "rid.h"
#include "store.h"
#include "store_notice.h"
#include "store_reconcile.h"
#include "store_feed.h"
#include "store_staff.h"
#include "store_report.h"
#include "store_resident.h"
#include "store_returned.h"
#include "store_run.h"

enum { OPS_DB, OPS_RUNS, OPS_CONFIG };

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
            [OPS_CONFIG] = {"config", "FILE",
                            "the config whose <batch results-days> says when a letter without "
                            "an inserter result is unaccounted (else 14 days)",
                            NULL},
        },
};

const struct cmd_usage cmd_reconcile_usage = {
    .name = "reconcile",
    .operands = "FILE",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "Read the inserter's results (file,sequence,status,time): mailed letters are "
               "marked, spoiled and diverted ones printed again the next night; rejected rows "
               "go to stdout as CSV.",
    .opts = {[OPS_DB] = {"db", "FILE", "the database", "certnotice.db"}},
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

/* A CSV file's header, then each record, through the command's own functions; a read
 * error or a file without a header fails the import. */
static int import_csv(const char *path, FILE *in,
                      int (*header)(void *ctx, const struct csv_record *rec, struct cn_err *err),
                      int (*row)(void *ctx, const struct csv_record *rec, struct cn_err *err),
                      void *ctx, struct cn_err *err)
{
    struct csv_reader *reader = csv_reader_new(in);
    if (!reader)
        return cn_fail(err, CN_EINPUT, "%s: out of memory", path);
    struct csv_record rec;
    int rc = CN_OK, got = csv_read(reader, &rec);
    if (got == 0)
        rc = cn_fail(err, CN_EINPUT, "%s: empty file, no header", path);
    else if (got > 0)
        rc = header(ctx, &rec, err);
    while (rc == CN_OK && got > 0 && (got = csv_read(reader, &rec)) > 0)
        rc = row(ctx, &rec, err);
    if (rc == CN_OK && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: %s", path, strerror(errno));
    csv_reader_free(reader);
    return rc;
}

static int returned_header(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return read_header(ctx, rec, err);
}

static int returned_row(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return apply_row(ctx, rec, err);
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
    if ((rc = import_csv(run.path, in, returned_header, returned_row, &run, &err)) != CN_OK)
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

/* ---- reconcile ---- */

struct reconcile_run {
    struct store *store;
    const char *path;
    int col[RC_COLS];
    char batch[SHEETMARK_BATCH_MAX + 1]; /* the batch this file reconciles: its first row's */
    bool batch_known;
    long counts[INSERTER_STATUS_COUNT], unchanged, rejected;
};

/* A row that cannot be applied: a CSV line on stdout (the same columns as a night's
 * internal/rejects.csv), the rest of the file goes on. */
static void reject(struct reconcile_run *run, long line, const char *field_name, const char *why)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", line);
    const char *row[] = {run->path, num, field_name, why};
    csv_write_row(stdout, row, 4);
    run->rejected++;
}

static int reconcile_header(struct reconcile_run *run, const struct csv_record *rec,
                            struct cn_err *err)
{
    if (rec->problem)
        return cn_fail(err, CN_EINPUT, "%s:%ld: header: %s", run->path, rec->line, rec->problem);
    for (int c = 0; c < RC_COLS; c++) {
        run->col[c] = -1;
        for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++) {
            char name[32];
            field(rec, i, name, sizeof name);
            if (strcmp(name, reconcile_col_names[c]) == 0)
                run->col[c] = i;
        }
        if (run->col[c] < 0)
            return cn_fail(err, CN_EINPUT,
                           "%s:%ld: header: no column %s (file,sequence,status,time)", run->path,
                           rec->line, reconcile_col_names[c]);
    }
    return CN_OK;
}

/* The file is about one batch, named by its first row: a row naming another batch is the
 * vendor's mix-up, not a letter of this job. */
static int same_batch(struct reconcile_run *run, const struct inserter_row *row, long line,
                      bool *ok, struct cn_err *err)
{
    *ok = false;
    if (!run->batch[0]) {
        snprintf(run->batch, sizeof run->batch, "%s", row->batch);
        int rc = store_reconcile_batch_known(run->store, row->batch, &run->batch_known, err);
        if (rc)
            return rc;
    }
    char why[160];
    if (strcmp(row->batch, run->batch) != 0) {
        snprintf(why, sizeof why, "a letter of batch %s: this file reconciles batch %s", row->batch,
                 run->batch);
        reject(run, line, "file", why);
    } else if (!run->batch_known) {
        snprintf(why, sizeof why, "no batch %s was ever published", row->batch);
        reject(run, line, "file", why);
    } else {
        *ok = true;
    }
    return CN_OK;
}

static int reconcile_row(struct reconcile_run *run, const struct csv_record *rec,
                         struct cn_err *err)
{
    if (rec->problem) {
        reject(run, rec->line, "record", rec->problem);
        return CN_OK;
    }
    if (has_nul(rec)) {
        reject(run, rec->line, "record", "a field holds a NUL byte");
        return CN_OK;
    }
    const char *fields[RC_COLS];
    for (int c = 0; c < RC_COLS; c++)
        fields[c] = run->col[c] < rec->n_fields && run->col[c] < CSV_MAX_FIELDS
                        ? rec->fields[run->col[c]]
                        : NULL;
    struct inserter_row row;
    int bad;
    char why[200];
    if (!reconcile_parse_row(fields, &row, &bad, why, sizeof why)) {
        reject(run, rec->line, reconcile_col_names[bad], why);
        return CN_OK;
    }
    bool ok, found;
    int rc;
    if ((rc = same_batch(run, &row, rec->line, &ok, err)) || !ok)
        return rc;
    enum inserter_status prior;
    int prior_file;
    if ((rc = store_reconcile_prior(run->store, row.batch, row.seq, &found, &prior, &prior_file,
                                    err)))
        return rc;
    if (found && prior_file != row.file) {
        snprintf(why, sizeof why, "letter %06ld is in notices-%03d.pdf, not notices-%03d.pdf",
                 row.seq, prior_file, row.file);
        reject(run, rec->line, "file", why);
        return CN_OK;
    }
    if (found) {
        /* The same file read again, or a row repeated: nothing changes. */
        if (prior == row.status) {
            run->unchanged++;
            return CN_OK;
        }
        snprintf(why, sizeof why, "letter %06ld already has the result %s", row.seq,
                 inserter_status_name(prior));
        reject(run, rec->line, "status", why);
        return CN_OK;
    }
    struct reconcile_letter l;
    if ((rc = store_reconcile_letter(run->store, row.batch, row.seq, &l, &found, err)))
        return rc;
    if (!found) {
        snprintf(why, sizeof why, "batch %s has no letter %06ld", row.batch, row.seq);
        reject(run, rec->line, "sequence", why);
        return CN_OK;
    }
    if (l.file != row.file) {
        snprintf(why, sizeof why, "letter %06ld is in notices-%03d.pdf, not notices-%03d.pdf",
                 row.seq, l.file, row.file);
        reject(run, rec->line, "file", why);
        return CN_OK;
    }
    if ((rc = store_reconcile_record(run->store, &row, &l, run->path, rec->line, err)))
        return rc;
    run->counts[row.status]++;
    fault_point("reconcile_row");
    return CN_OK;
}

static int results_header(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    int rc = reconcile_header(ctx, rec, err);
    if (rc == CN_OK) {
        static const char *const head[] = {"file", "line", "field", "reason"};
        csv_write_row(stdout, head, 4);
    }
    return rc;
}

static int results_row(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return reconcile_row(ctx, rec, err);
}

int cmd_reconcile(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_reconcile_usage, argc, argv, &a, &rc))
        return rc;
    const char *db = a.value[OPS_DB];
    struct reconcile_run run = {.path = argv[a.first]};
    struct cn_err err = {0};
    struct run_lock *lock = NULL;
    int64_t run_id = 0;
    bool in_tx = false;
    char summary[1024] = "";
    FILE *in = fopen(run.path, "rb");
    if (!in) {
        log_error("reconcile", "%s: cannot read: %s", run.path, strerror(errno));
        return CN_EINPUT;
    }
    if ((rc = open_existing("reconcile", db, &run.store)) != CN_OK)
        goto done;
    /* Not while a night runs: it reads the notices this changes. */
    if ((rc = lock_acquire(db, 0, &lock, &err)) != CN_OK) {
        log_error("reconcile", "%s", err.msg);
        goto done;
    }
    if ((rc = store_run_begin(run.store, clock_today(), "reconcile", &run_id, &err)) != CN_OK)
        goto fail;
    /* One transaction: a crash or an error keeps nothing of the file, and a repeat finds
     * every row it kept already (same result: unchanged), so nothing is marked twice. */
    if ((rc = store_begin(run.store, &err)) != CN_OK)
        goto fail;
    in_tx = true;
    if ((rc = import_csv(run.path, in, results_header, results_row, &run, &err)) != CN_OK)
        goto fail;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        rc = cn_fail(&err, CN_EOUTPUT, "cannot write the rejected rows: %s", strerror(errno));
        goto fail;
    }
    snprintf(summary, sizeof summary,
             "batch=%s mailed=%ld spoiled=%ld diverted=%ld unchanged=%ld rejected=%ld",
             run.batch[0] ? run.batch : "-", run.counts[INSERTER_MAILED],
             run.counts[INSERTER_SPOILED], run.counts[INSERTER_DIVERTED], run.unchanged,
             run.rejected);
    fault_point("reconcile_commit");
    if ((rc = store_commit(run.store, &err)) != CN_OK)
        goto fail;
    log_info("reconcile", "%s: %s", run.path, summary);
    rc = run.rejected ? CN_REJECTS : CN_OK;
    goto done;
fail:
    log_error("reconcile", "%s", err.msg);
    if (in_tx) {
        store_rollback(run.store);
        log_error("reconcile", "nothing kept from %s", run.path);
    }
    snprintf(summary, sizeof summary, "error: %.900s", err.msg);
done:
    if (run.store && run_id)
        store_run_finish(run.store, run_id, rc, summary, NULL);
    store_close(run.store);
    lock_release(lock);
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

static int print_unaccounted(const struct unaccounted *u, void *ctx)
{
    long *n = ctx;
    char rid[RID_DISPLAY_LEN + 1];
    rid_display(u->rid, rid);
    const char *slash = strrchr(u->batch, '/');
    printf("  %-20s %-16s %06ld  %-14s  %s\n", slash ? slash + 1 : u->batch, u->file, u->seq, rid,
           u->published);
    (*n)++;
    return 0;
}

/* The config's results-days, or its default without --config. */
static int results_days(const char *config, int *days)
{
    *days = CONFIG_RESULTS_DAYS;
    if (!config)
        return CN_OK;
    struct config cfg;
    struct cn_err err = {0};
    int rc = config_load(config, &cfg, &err);
    if (rc != CN_OK) {
        log_error("report", "%s", err.msg);
        return rc;
    }
    *days = cfg.results_days;
    config_free(&cfg);
    return CN_OK;
}

static int print_audit(const struct audit_row *r, void *ctx)
{
    (void)ctx;
    printf("  %-19s  %-16s %-15s %-16s %s\n", r->at, r->who[0] ? r->who : "-", r->action,
           r->client[0] ? r->client : "-", r->detail);
    return 0;
}

static void run_header(void)
{
    printf("  %-5s %-10s  %-10s %-19s  %-19s  %-10s %s\n", "id", "date", "command", "started (UTC)",
           "finished (UTC)", "exit", "summary");
}

/* The outside's report: the feed loaded last and the staff's audit. */
static int booking_store_report(struct store *s, const char *db, int runs)
{
    struct cn_err err = {0};
    struct feed_batch last;
    bool found;
    int rc = store_feed_last(s, &last, &found, &err);
    if (!rc) {
        printf("certnotice report: %s (a booking store)\n\nfeed loaded last:\n", db);
        if (found)
            printf("  batch %s run %lld of %s: %ld IDs, loaded %s UTC, SHA-256 %.16s...\n",
                   last.batch, (long long)last.run, last.municipality, last.rows, last.loaded_at,
                   last.sha256);
        else
            printf("  none (certnotice feed import)\n");
        printf("\naudit (newest %d: staff actions, account changes, feed imports):\n", runs);
        printf("  %-19s  %-16s %-15s %-16s %s\n", "at (UTC)", "who", "action", "from", "detail");
        rc = store_staff_each_audit(s, runs, print_audit, NULL, &err);
    }
    if (!rc && (fflush(stdout) != 0 || ferror(stdout)))
        rc = cn_fail(&err, CN_EOUTPUT, "cannot write the report: %s", strerror(errno));
    if (rc)
        log_error("report", "%s", err.msg);
    return rc;
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
    long counts[NOTICE_STATUS_COUNT], held = 0, failed = 0, unaccounted = 0;
    int days;
    if ((rc = results_days(a.value[OPS_CONFIG], &days)) != CN_OK)
        return rc;
    /* A booking store (outside) has its own, shorter report. */
    if (store_open_existing(db, STORE_BOOKING, true, &store, &err) == CN_OK) {
        rc = booking_store_report(store, db, runs);
        store_close(store);
        return rc;
    }
    err = (struct cn_err){0};
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

    printf("\nletters without an inserter result %d days or more after publishing "
           "(certnotice reconcile):\n",
           days);
    printf("  %-20s %-16s %-6s  %-14s  %s\n", "batch", "file", "seq", "reservation_id",
           "published (UTC)");
    if ((rc = store_each_unaccounted(store, days, print_unaccounted, &unaccounted, &err)) != CN_OK)
        goto fail;
    printf("  unaccounted %ld\n", unaccounted);

    if ((rc = store_each_run(store, runs, true, count_run, &failed, &err)) != CN_OK)
        goto fail;
    printf("\nrecent failures (exit 2 or more, or unfinished):%s\n", failed ? "" : " none");
    if (failed) {
        run_header();
        if ((rc = store_each_run(store, runs, true, print_run, NULL, &err)) != CN_OK)
            goto fail;
    }
    printf("\naudit (newest %d: staff actions, account changes, reprints):\n", runs);
    printf("  %-19s  %-16s %-15s %-16s %s\n", "at (UTC)", "who", "action", "from", "detail");
    if ((rc = store_staff_each_audit(store, runs, print_audit, NULL, &err)) != CN_OK)
        goto fail;
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
