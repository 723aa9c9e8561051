#include "run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "diskroom.h"
#include "custbar.h"
#include "fault.h"
#include "feed_out.h"
#include "ingest.h"
#include "letter.h"
#include "grow.h"
#include "lock.h"
#include "log.h"
#include "night.h"
#include "postal_dict.h"
#include "printjob.h"
#include "publish.h"
#include "render.h"
#include "renewal.h"
#include "rules.h"
#include "stop.h"
#include "store.h"
#include "store_notice.h"
#include "store_outcome.h"
#include "store_reconcile.h"
#include "store_resident.h"
#include "store_run.h"

/* Crash safety rests on three facts. (1) Reservation IDs are committed before anything is
 * rendered, so a rerun prints the same IDs. (2) Notices are marked 'publishing' with their
 * batch name before the batch folder is renamed into place, and 'published' after; a run
 * that dies in between leaves 'publishing' notices, and the next run looks for the folder:
 * there, they were published; absent, they go back to 'issued'. (3) The folder appears
 * only by rename(2), after everything in it is fsynced. So nobody gets two letters, and
 * nobody due is forgotten. */

struct run {
    const struct run_opts *o; /* points at opts */
    struct run_opts opts;     /* the caller's, with the date settled */
    struct night n;           /* config, lock, database, dictionary, templates: night.h */
    struct publish *pub;
    char batch[64];

    struct printjob_letter *letters; /* due tonight, printable or not */
    size_t n_letters, cap_letters;

    FILE *rejects_csv;
    FILE *review_csv;
    FILE *outcomes_csv;
    struct renewal_counts loop; /* what the export says became of earlier letters */
    struct ingest_stats ingest;
    long residents;
    long groups;
    long reasons[DUE_REASON_COUNT];
    long new_ids, kept_ids;
    long review, no_barcode, mismatch;
    struct printjob_totals print;
    int ingest_status;
    struct cn_err select_err; /* why select_resident stopped the scan */
};

static struct timespec clock_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

/* Seconds since *start, which is then reset: each stage's log line says how long it took,
 * so that a slow night can be read off the log (and scripts/bench.sh reads it). */
static double lap(struct timespec *start)
{
    struct timespec now = clock_now();
    double s = (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
    *start = now;
    return s;
}

/* ---- ingest ---- */

static void on_reject(const struct ingest_reject *rej, void *ctx)
{
    struct run *r = ctx;
    if (!r->rejects_csv)
        return;
    char line[24];
    snprintf(line, sizeof line, "%ld", rej->line);
    const char *row[] = {rej->file, line, rej->field, rej->reason};
    csv_write_row(r->rejects_csv, row, 4);
}

static int stage_ingest(struct run *r, struct cn_err *err)
{
    struct ingest_opts opts = {.cfg = &r->n.cfg, .on_reject = on_reject, .ctx = r};
    struct cn_err ierr = {0};
    struct timespec t0 = clock_now();
    int rc = ingest(r->n.store, &opts, r->o->input, &r->ingest, &ierr);
    log_info("ingest",
             "files=%ld skipped=%ld refused=%ld records=%ld loaded=%ld rejected=%ld seconds=%.3f",
             r->ingest.files, r->ingest.skipped, r->ingest.refused, r->ingest.records,
             r->ingest.loaded, r->ingest.rejected, lap(&t0));
    if (rc == CN_EINPUT) {
        /* A refused file costs nothing else: residents already stored still get their
         * letters tonight; the exit code tells IT to look. ingest has logged it; the
         * message goes on to the run's summary. */
        *err = ierr;
        r->ingest_status = CN_EINPUT;
        return CN_OK;
    }
    if (rc == CN_REJECTS) {
        r->ingest_status = CN_REJECTS;
        return CN_OK;
    }
    if (rc) {
        *err = ierr;
        return rc;
    }
    return CN_OK;
}

/* ---- select ---- */

/* known: the letter's notice when an earlier run issued it (its ID is kept), else NULL;
 * followup: the letter follows that notice (renewal.h). */
static int add_letter(struct run *r, const struct resident *res, const struct cert_group *g,
                      const struct variant *v, const struct notice *known,
                      enum followup_kind followup)
{
    struct printjob_letter *letters =
        grow_for_one(r->letters, &r->cap_letters, r->n_letters, sizeof *letters, 1024);
    if (!letters)
        return cn_fail(&r->select_err, CN_EOUTPUT, "out of memory for %zu letters", r->n_letters);
    r->letters = letters;
    struct printjob_letter *l = &r->letters[r->n_letters];
    memset(l, 0, sizeof *l);
    if (printjob_letter_init(l, res, g))
        return cn_fail(&r->select_err, CN_EOUTPUT, "resident %s: cannot keep the letter",
                       res->resident_id);
    l->variant = *v;
    l->followup = followup;
    if (known) {
        l->notice_id = known->id;
        memcpy(l->rid, known->rid, sizeof l->rid);
    }
    r->n_letters++;
    return CN_OK;
}

static int select_resident(const struct resident *res, void *ctx)
{
    struct run *r = ctx;
    if (stop_requested())
        return stop_fail(&r->select_err, "selection");
    struct cert_group groups[2];
    int n = rules_cert_groups(res, groups);
    r->residents++;
    for (int i = 0; i < n; i++) {
        struct due_input in = {
            .run_date = r->o->date,
            .lead_days = r->n.cfg.lead_days,
            .expired_letters = r->n.cfg.expired_letters,
            .status = res->status,
            .hold = res->hold,
            .returned = res->returned_hold,
            .card_expiry = res->card_expiry,
            .cert_expiry = groups[i].expiry,
        };
        enum due_reason why = rules_due(&in);
        r->groups++;
        struct notice n_;
        bool found = false;
        /* Only a letter that would otherwise go out needs the notice lookup: a notice can
         * only exist for an expiry whose window has come, and most residents' has not. */
        if (why == DUE_YES || why == DUE_EXPIRED) {
            if (store_notice_find(r->n.store, res->resident_id, groups[i].expiry, &n_, &found,
                                  &r->select_err))
                return r->select_err.status;
            /* 'issued' or 'review' notices are not sent yet: they are due again, and keep
             * their reservation ID. */
            in.already_sent = found && n_.status != NOTICE_ISSUED && n_.status != NOTICE_REVIEW;
            why = rules_due(&in);
        }
        r->reasons[why]++;
        if (why != DUE_YES)
            continue;
        const struct district *d = config_district(&r->n.cfg, res->district);
        if (!d) {
            /* The district left the config after the record was loaded. */
            r->reasons[DUE_HOLD]++;
            r->reasons[DUE_YES]--;
            log_warn("select", "resident %s: district %s is not in the config; held",
                     res->resident_id, res->district);
            continue;
        }
        const struct variant v = rules_variant(res, &groups[i], d->policy, r->o->date);
        int rc = add_letter(r, res, &groups[i], &v, found ? &n_ : NULL, FOLLOWUP_NONE);
        if (rc)
            return rc;
    }
    return CN_OK;
}

/* ---- renewal: what became of earlier letters, and the letters that follow them ---- */

static int add_followup(void *ctx, const struct resident *res, const struct cert_group *g,
                        const struct variant *v, const struct notice *n, enum followup_kind kind)
{
    return add_letter(ctx, res, g, v, n, kind);
}

static int stage_renewal(struct run *r, struct cn_err *err)
{
    struct timespec t0 = clock_now();
    if (r->pub && !(r->outcomes_csv = publish_open(r->pub, "internal/outcomes.csv", err)))
        return CN_EOUTPUT;
    const struct renewal_night night = {.store = r->n.store,
                                        .cfg = &r->n.cfg,
                                        .date = r->o->date,
                                        .run_id = r->n.run_id,
                                        .outcomes_csv = r->outcomes_csv,
                                        .add = add_followup,
                                        .ctx = r};
    int rc = renewal_run(&night, &r->loop, err);
    if (rc && r->select_err.status) /* add_letter's own message */
        *err = r->select_err;
    if (!rc)
        log_info("renewal", "seconds=%.3f", lap(&t0));
    return rc;
}

/* ---- issue ---- */

static int stage_issue(struct run *r, struct cn_err *err)
{
    int rc;
    struct timespec t0 = clock_now();
    if ((rc = store_begin(r->n.store, err)))
        return rc;
    for (size_t i = 0; i < r->n_letters; i++) {
        struct printjob_letter *l = &r->letters[i];
        if (l->followup != FOLLOWUP_NONE)
            continue; /* the notice's ID, issued long ago; the follow-up is recorded */
        /* Selection looked the notice up already; nothing has changed it since (the run
         * holds the lock), so only letters without one get a new ID. */
        if (stop_requested()) {
            rc = stop_fail(err, "issue (IDs issued so far are kept for the next run)");
            goto fail;
        }
        if (l->notice_id) {
            r->kept_ids++;
            /* Printed again after the inserter spoiled or diverted it: marked 再発行. */
            if ((rc = store_reconcile_reissue(r->n.store, l->notice_id, &l->reprint, err)))
                goto fail;
            continue;
        }
        struct notice n;
        char code[VARIANT_CODE_MAX];
        rules_variant_code(&l->variant, code);
        if ((rc = store_notice_issue(r->n.store, r->n.run_id, l->resident_id, l->certs.expiry, code,
                                     &n, err)))
            goto fail;
        r->new_ids++;
        fault_point("issue");
        l->notice_id = n.id;
        memcpy(l->rid, n.rid, sizeof l->rid);
        /* A chunk of IDs that is committed stands alone: a rerun keeps those IDs and issues
         * the rest (crash-safety fact 1 holds for every chunk). */
        if ((rc = store_chunk(r->n.store, err)))
            goto fail;
    }
    if ((rc = store_commit(r->n.store, err)))
        goto fail;
    log_info("issue", "reservation IDs: %ld new, %ld kept from earlier runs seconds=%.3f",
             r->new_ids, r->kept_ids, lap(&t0));
    return CN_OK;
fail:
    store_rollback(r->n.store);
    return rc;
}

/* ---- check: hold what would print wrong ---- */

/* suggested: the postcode Japan Post's dictionary gives the address's town, or "". */
static void review_row(struct run *r, const struct printjob_letter *l, const char *reason,
                       const char *suggested, const char *action)
{
    if (!r->review_csv)
        return;
    char expiry[11];
    date_format_iso(l->certs.expiry, expiry);
    const char *row[] = {l->resident_id, l->rid, expiry, reason, suggested, action};
    csv_write_row(r->review_csv, row, 6);
}

/* The check is layout work, as costly as a third of the rendering: letters are checked in
 * chunks, their records read on this thread (the store is not shared), the checks spread
 * over the render threads, and the results applied here in letter order, so review.csv and
 * the database come out the same whatever the number of threads. */
#define CHECK_CHUNK 2048

struct check_slot {
    struct resident res;
    bool prints, barcode;
    bool decided; /* by the dictionary, on the run's thread (the store is not shared) */
    struct postal_decision postal;
    char reason[256];
};

struct check_part {
    const struct run *r;
    const struct printjob_letter *letters;
    struct check_slot *slots;
    size_t from, to;
};

static void *check_part(void *arg)
{
    const struct check_part *p = arg;
    for (size_t i = p->from; i < p->to; i++) {
        struct check_slot *c = &p->slots[i];
        struct letter view;
        printjob_letter_view(&p->letters[i], &c->res, &p->r->n.cfg, p->r->o->date, &view);
        c->prints = render_check(p->r->n.setup, &view, c->reason, sizeof c->reason);
        struct custbar cb;
        c->barcode =
            c->prints && (c->decided ? c->postal.barcode
                                     : custbar_encode_parts(c->res.postal_code, c->res.address,
                                                            c->res.address2, &cb));
    }
    return NULL;
}

/* Checks letters[0..n) with up to `jobs` threads into slots[0..n). */
static int check_chunk(const struct run *r, const struct printjob_letter *letters,
                       struct check_slot *slots, size_t n, struct cn_err *err)
{
    enum { MAX_PARTS = 64 };
    int parts = r->o->jobs > 1 ? r->o->jobs : 1;
    if (parts > MAX_PARTS)
        parts = MAX_PARTS;
    struct check_part part[MAX_PARTS] = {{0}};
    pthread_t threads[MAX_PARTS];
    int started = 0;
    for (int k = 0; k < parts; k++)
        part[k] = (struct check_part){r, letters, slots, n * (size_t)k / (size_t)parts,
                                      n * (size_t)(k + 1) / (size_t)parts};
    for (int k = 1; k < parts; k++, started++)
        if (pthread_create(&threads[k], NULL, check_part, &part[k]) != 0)
            break;
    check_part(&part[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(threads[k], NULL);
    if (started < parts - 1)
        return cn_fail(err, CN_EOUTPUT, "cannot start a check thread");
    return CN_OK;
}

static int stage_check(struct run *r, struct cn_err *err)
{
    int rc = CN_OK;
    struct timespec t0 = clock_now();
    struct check_slot *slots = malloc(CHECK_CHUNK * sizeof *slots);
    if (!slots)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    /* The marks of a chunk commit together, and the checking runs between transactions:
     * the write lock is held for the marks alone, never while letters are laid out. A crash
     * or a stop between chunks leaves 'review' notices, which are due again with the same
     * IDs and checked again. */
    for (size_t base = 0; !rc && base < r->n_letters; base += CHECK_CHUNK) {
        if (stop_requested()) {
            rc = stop_fail(err, "check (letters held so far are checked again next run)");
            break;
        }
        struct printjob_letter *chunk = &r->letters[base];
        size_t n = r->n_letters - base < CHECK_CHUNK ? r->n_letters - base : CHECK_CHUNK;
        for (size_t i = 0; !rc && i < n; i++) {
            bool found;
            rc = store_get_resident(r->n.store, chunk[i].resident_id, &slots[i].res, &found, err);
            if (!rc)
                rc = postal_dict_decide(&r->n.dict, slots[i].res.postal_code, slots[i].res.address,
                                        slots[i].res.address2, &slots[i].postal, &slots[i].decided,
                                        err);
        }
        if (rc || (rc = check_chunk(r, chunk, slots, n, err)) ||
            (rc = store_begin(r->n.store, err)))
            break;
        for (size_t i = 0; !rc && i < n; i++) {
            struct printjob_letter *l = &chunk[i];
            const struct postal_decision *d = &slots[i].postal;
            bool mismatch = slots[i].decided && d->verdict == POSTAL_MISMATCH;
            if (slots[i].prints && mismatch) {
                r->mismatch++;
                postal_dict_mismatch_reason(d, slots[i].reason, sizeof slots[i].reason);
                if (!r->n.cfg.mismatch_prints)
                    slots[i].prints = false;
            }
            if (!slots[i].prints) {
                l->review = true;
                r->review++;
                review_row(r, l, slots[i].reason, mismatch ? d->suggested : "", "held");
                rc = l->followup != FOLLOWUP_NONE
                         ? store_followup_set_status(r->n.store, l->notice_id, l->followup,
                                                     NOTICE_REVIEW, NULL, NULL, 0, err)
                         : store_notice_set_status(r->n.store, l->notice_id, NOTICE_REVIEW, NULL,
                                                   NULL, 0, err);
                continue;
            }
            if (slots[i].decided) {
                l->barcode_from = slots[i].barcode && !mismatch ? BARCODE_GIVEN : BARCODE_NONE;
                l->barcode = d->cb;
            }
            if (mismatch) {
                r->no_barcode++;
                review_row(r, l, slots[i].reason, d->suggested, "printed");
            } else if (!slots[i].barcode) {
                r->no_barcode++;
                review_row(
                    r, l,
                    slots[i].decided && d->verdict == POSTAL_REPRESENTATIVE
                        ? "postcode is a municipality's representative code (以下に掲載がない"
                          "場合): printed without customer barcode"
                        : "address number unreadable: printed without customer barcode",
                    "", "printed");
            }
        }
        if (!rc)
            rc = store_commit(r->n.store, err);
        else
            store_rollback(r->n.store);
    }
    free(slots);
    if (rc)
        return rc;
    if (r->review)
        log_warn("check", "%ld letters held for review (internal/review.csv)", r->review);
    if (r->mismatch)
        log_warn("check", "%ld letters whose postcode does not cover their town (%s)", r->mismatch,
                 r->n.cfg.mismatch_prints ? "printed without barcode" : "held for review");
    log_info("check", "letters=%zu review=%ld no_barcode=%ld postcode_mismatch=%ld seconds=%.3f",
             r->n_letters, r->review, r->no_barcode, r->mismatch, lap(&t0));
    return CN_OK;
}

/* ---- publish ---- */

static void write_report(struct run *r, FILE *f)
{
    char date[11];
    date_format_iso(r->o->date, date);
    fprintf(f, "{\n  \"run_date\": \"%s\",\n  \"batch\": \"%s\",\n  \"dry_run\": %s,\n", date,
            r->o->dry_run ? "" : r->batch, r->o->dry_run ? "true" : "false");
    fprintf(f,
            "  \"ingest\": {\"files\": %ld, \"skipped\": %ld, \"refused\": %ld, "
            "\"records\": %ld, \"loaded\": %ld, \"rejected\": %ld},\n",
            r->ingest.files, r->ingest.skipped, r->ingest.refused, r->ingest.records,
            r->ingest.loaded, r->ingest.rejected);
    fprintf(f, "  \"select\": {\"residents\": %ld, \"certificate_groups\": %ld, \"due\": %ld,\n",
            r->residents, r->groups, r->reasons[DUE_YES]);
    fprintf(f, "    \"excluded\": {");
    for (int i = 1; i < DUE_REASON_COUNT; i++)
        fprintf(f, "%s\"%s\": %ld", i > 1 ? ", " : "", rules_reason_name((enum due_reason)i),
                r->reasons[i]);
    fprintf(f, "}},\n");
    fprintf(f, "  \"issue\": {\"new_ids\": %ld, \"kept_ids\": %ld},\n", r->new_ids, r->kept_ids);
    fprintf(f,
            "  \"outcomes\": {\"renewed\": %ld, \"lapsed\": %ld, \"withdrawn\": %ld, "
            "\"bookings_cancelled\": %ld, \"reminders\": %ld, \"lapse_letters\": %ld},\n",
            r->loop.outcome[OUTCOME_RENEWED], r->loop.outcome[OUTCOME_LAPSED],
            r->loop.outcome[OUTCOME_WITHDRAWN], r->loop.bookings_cancelled, r->loop.reminders,
            r->loop.lapse_letters);
    fprintf(f, "  \"check\": {\"review\": %ld, \"no_barcode\": %ld, \"postcode_mismatch\": %ld},\n",
            r->review, r->no_barcode, r->mismatch);
    if (r->n.dict.info.present)
        fprintf(f,
                "  \"postcode_dictionary\": {\"ken_all_date\": \"%s\", \"ken_all_sha256\": \"%s\", "
                "\"jigyosyo_date\": \"%s\", \"age_days\": %ld, \"stale\": %s},\n",
                r->n.dict.info.ken_all.date, r->n.dict.info.ken_all.sha256,
                r->n.dict.info.jigyosyo.date, r->n.dict.age_days,
                r->n.dict.age_days > POSTAL_DICT_STALE_DAYS ? "true" : "false");
    else
        fprintf(f, "  \"postcode_dictionary\": null,\n");
    fprintf(f, "  \"print\": {\"letters\": %ld, \"pages\": %ld, \"files\": %ld}\n}\n",
            r->print.letters, r->print.pages, r->print.files);
}

/* Called by printjob once the letters are rendered: the run's own files join the batch. */
static int before_finish(void *ctx, const struct printjob_totals *totals, struct cn_err *err)
{
    struct run *r = ctx;
    FILE *report = NULL;
    int rc;
    r->print = *totals;
    if ((rc = publish_close(&r->outcomes_csv, "internal/outcomes.csv", err)) ||
        (rc = publish_close(&r->rejects_csv, "internal/rejects.csv", err)) ||
        (rc = publish_close(&r->review_csv, "internal/review.csv", err)))
        return rc;
    /* The booking store's snapshot, after tonight's letters have their IDs. */
    const struct feed_out_info feed = {r->batch, r->o->date, r->n.run_id};
    long feed_rows = 0;
    if ((rc = feed_out_write(r->pub, r->n.store, &r->n.cfg, &feed, &feed_rows, err)))
        return rc;
    log_info("publish", "booking/feed.csv: %ld reservation IDs may book", feed_rows);
    if (!(report = publish_open(r->pub, "internal/report.json", err)))
        return CN_EOUTPUT;
    write_report(r, report);
    return publish_close(&report, "internal/report.json", err);
}

static int stage_publish(struct run *r, struct cn_err *err)
{
    struct printjob job = {
        .cfg = &r->n.cfg,
        .setup = r->n.setup,
        .store = r->n.store,
        .pub = r->pub,
        .issue_date = r->o->date,
        .jobs = r->o->jobs,
    };
    char label[128];
    snprintf(label, sizeof label, "%s (run %lld)", r->batch, (long long)r->n.run_id);
    return printjob_publish(&job, label, r->letters, r->n_letters, before_finish, r, &r->print,
                            err);
}

/* A write that failed on a full disk says so, where, and how much the batch needed (the
 * partial folder is measured before it is removed); other failures keep their message. */
static void explain_full_disk(const struct run *r, struct cn_err *err)
{
    const char *partial = publish_path(r->pub, ".");
    const char *print = partial ? publish_path(r->pub, "print") : NULL;
    long long free_bytes = 0;
    /* The message's ENOSPC too: a failed file is removed at once, freeing some room. */
    bool full = diskroom_full(r->o->out, &free_bytes);
    if (!print || !(full || strstr(err->msg, strerror(ENOSPC))))
        return;
    long pdfs = 0, ignored = 0;
    char print_dir[4096];
    snprintf(print_dir, sizeof print_dir, "%s", print);
    diskroom_tree_bytes(print_dir, ".pdf", &pdfs);
    long long written = diskroom_tree_bytes(publish_path(r->pub, "."), "", &ignored);
    size_t printable = r->n_letters - (size_t)r->review;
    long files_all =
        (long)((printable + (size_t)r->n.cfg.batch_size - 1) / (size_t)r->n.cfg.batch_size);
    char what[512], cause[sizeof err->msg];
    diskroom_explain(r->o->out, free_bytes, written, pdfs, files_all, what, sizeof what);
    memcpy(cause, err->msg, sizeof cause);
    cn_fail(err, CN_EOUTPUT, "%s (%.*s)", what, (int)(sizeof err->msg / 2), cause);
}

/* ---- the whole night ---- */

static int open_everything(struct run *r, struct cn_err *err)
{
    const struct night_opts no = {.command = r->o->dry_run ? "run --dry-run" : "run",
                                  .stage = "run",
                                  .config = r->o->config,
                                  .db = r->o->db,
                                  .out = r->o->out,
                                  .date = r->o->date,
                                  .input = r->o->input,
                                  .dry_run = r->o->dry_run};
    int rc = night_open(&r->n, &no, err);
    r->opts.date = r->n.date;
    if (rc)
        return rc;
    if (r->o->dry_run)
        return CN_OK;
    if (mkdir(r->o->out, 0700) != 0 && errno != EEXIST)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot create: %s", r->o->out, strerror(errno));
    printjob_remove_stale_partials(r->o->out);
    char date[11];
    date_format_iso(r->o->date, date);
    if ((rc = printjob_batch_name(r->o->out, date, r->batch, err)) ||
        (rc = publish_begin(r->o->out, r->batch, r->n.cfg.file_mode, &r->pub, err)))
        return rc;
    if (!(r->rejects_csv = publish_open(r->pub, "internal/rejects.csv", err)) ||
        !(r->review_csv = publish_open(r->pub, "internal/review.csv", err)))
        return CN_EOUTPUT;
    static const char *const rejects_head[] = {"file", "line", "field", "reason"};
    static const char *const review_head[] = {"resident_id", "reservation_id",     "cert_expiry",
                                              "reason",      "suggested_postcode", "action"};
    csv_write_row(r->rejects_csv, rejects_head, 4);
    csv_write_row(r->review_csv, review_head, 6);
    return CN_OK;
}

int run_nightly(const struct run_opts *o, struct cn_err *err)
{
    struct run r = {.opts = *o};
    r.o = &r.opts;
    int rc;

    if ((rc = open_everything(&r, err)))
        goto done;
    if ((rc = stage_ingest(&r, err)))
        goto done;
    fault_point("after_ingest");
    if ((rc = stage_renewal(&r, err)))
        goto done;
    struct timespec t0 = clock_now();
    if ((rc = store_each_resident(r.n.store, select_resident, &r, err))) {
        if (r.select_err.status) /* the callback's own message, not a bare status */
            *err = r.select_err;
        goto done;
    }
    log_info("select", "residents=%ld certificate_groups=%ld due=%ld seconds=%.3f", r.residents,
             r.groups, r.reasons[DUE_YES], lap(&t0));
    if ((rc = stage_issue(&r, err)))
        goto done;
    fault_point("after_issue");
    if ((rc = stage_check(&r, err)))
        goto done;
    lap(&t0);
    if (stop_requested()) {
        rc = stop_fail(err, "sort");
        goto done;
    }
    if ((rc = printjob_sort(r.n.store, r.letters, r.n_letters, r.n.cfg.batch_size, err)))
        goto done;
    log_info("sort", "letters=%zu seconds=%.3f", r.n_letters, lap(&t0));
    if (o->dry_run) {
        r.print.letters = (long)(r.n_letters - (size_t)r.review);
        r.print.pages = 2 * r.print.letters;
        write_report(&r, stdout);
    } else if ((rc = stage_publish(&r, err))) {
        goto done;
    }
    rc = r.ingest_status;

done:
    if (rc == CN_EOUTPUT && r.pub && !publish_committed(r.pub))
        explain_full_disk(&r, err);
    if (r.n.store && r.n.run_id) {
        char summary[1024];
        snprintf(summary, sizeof summary, "letters=%ld review=%ld rejected=%ld%s%s",
                 r.print.letters, r.review, r.ingest.rejected, rc > CN_REJECTS ? " error: " : "",
                 rc > CN_REJECTS ? err->msg : "");
        night_finish(&r.n, rc, summary);
        /* The one line to read in the morning. */
        log_event(rc > CN_REJECTS ? LOG_ERROR : LOG_INFO, "summary",
                  "batch=%s letters=%ld pages=%ld files=%ld review=%ld rejected=%ld "
                  "refused_files=%ld exit=%d",
                  o->dry_run || !r.pub ? "-" : r.batch, r.print.letters, r.print.pages,
                  r.print.files, r.review, r.ingest.rejected, r.ingest.refused, rc);
    }
    if (r.rejects_csv)
        fclose(r.rejects_csv);
    if (r.review_csv)
        fclose(r.review_csv);
    if (r.outcomes_csv)
        fclose(r.outcomes_csv);
    publish_free(r.pub); /* an unpublished batch's partial folder goes with it */
    printjob_letters_free(r.letters, r.n_letters);
    night_close(&r.n);
    return rc;
}
