#include "inserter_import.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "fault.h"
#include "store_reconcile.h"

struct reconcile_run {
    struct store *store;
    const char *path;
    FILE *rejects;
    int col[RC_COLS];
    bool batch_known;
    struct inserter_counts *c;
};

/* A row that cannot be applied: a CSV line on stdout (the same columns as a night's
 * internal/rejects.csv), the rest of the file goes on. */
static void reject(struct reconcile_run *run, long line, const char *field_name, const char *why)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", line);
    const char *row[] = {run->path, num, field_name, why};
    csv_write_row(run->rejects, row, 4);
    run->c->rejected++;
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
            csv_import_field(rec, i, name, sizeof name);
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
    if (!run->c->batch[0]) {
        snprintf(run->c->batch, sizeof run->c->batch, "%s", row->batch);
        int rc = store_reconcile_batch_known(run->store, row->batch, &run->batch_known, err);
        if (rc)
            return rc;
    }
    char why[160];
    if (strcmp(row->batch, run->c->batch) != 0) {
        snprintf(why, sizeof why, "a letter of batch %s: this file reconciles batch %s", row->batch,
                 run->c->batch);
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
    if (csv_import_has_nul(rec)) {
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
            run->c->unchanged++;
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
    run->c->counts[row.status]++;
    fault_point("reconcile_row");
    return CN_OK;
}

static int results_header(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    int rc = reconcile_header(ctx, rec, err);
    if (rc == CN_OK) {
        static const char *const head[] = {"file", "line", "field", "reason"};
        csv_write_row(((struct reconcile_run *)ctx)->rejects, head, 4);
    }
    return rc;
}

static int results_row(void *ctx, const struct csv_record *rec, struct cn_err *err)
{
    return reconcile_row(ctx, rec, err);
}

int inserter_import(struct store *store, const char *path, FILE *in, FILE *rejects,
                    struct inserter_counts *counts, struct cn_err *err)
{
    *counts = (struct inserter_counts){0};
    struct reconcile_run run = {.store = store, .path = path, .rejects = rejects, .c = counts};
    /* One transaction: a crash or an error keeps nothing of the file, and a repeat finds
     * every row it kept already (same result: unchanged), so nothing is marked twice. */
    int rc = store_begin(store, err);
    if (rc != CN_OK)
        return rc;
    if ((rc = csv_import(path, in, results_header, results_row, &run, err)) == CN_OK &&
        (fflush(rejects) != 0 || ferror(rejects)))
        rc = cn_fail(err, CN_EOUTPUT, "cannot write the rejected rows: %s", strerror(errno));
    if (rc == CN_OK) {
        fault_point("reconcile_commit");
        rc = store_commit(store, err);
    }
    if (rc != CN_OK)
        store_rollback(store);
    return rc;
}
