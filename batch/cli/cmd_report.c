/* `certnotice report`: run history and state for IT (runs, notices by status, residents held
 * after returned mail, letters without an inserter result, recent failures, the audit). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "open_db.h"
#include "rid.h"
#include "store.h"
#include "store_feed.h"
#include "store_notice.h"
#include "store_reconcile.h"
#include "store_report.h"
#include "store_returned.h"
#include "store_run.h"
#include "store_staff.h"

enum { REPORT_DB, REPORT_RUNS, REPORT_CONFIG };

const struct cmd_usage cmd_report_usage = {
    .name = "report",
    .summary = "Runs, notice counts, held residents and recent failures, for IT.",
    .opts =
        {
            [REPORT_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [REPORT_RUNS] = {"runs", "N", "how many of the newest runs to list", "10"},
            [REPORT_CONFIG] = {"config", "FILE",
                               "the config whose <batch results-days> says when a letter without "
                               "an inserter result is unaccounted (else 14 days)",
                               NULL},
        },
};

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
        char shown[512];
        store_where_shown(db, shown, sizeof shown); /* a URI's password never printed */
        printf("certnotice report: %s (a booking store)\n\nfeed loaded last:\n", shown);
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
    if (!opts_int(&cmd_report_usage, REPORT_RUNS, &a, 1, 100000, &newest))
        return CN_EUSAGE;
    int runs = (int)newest;
    const char *db = a.value[REPORT_DB];
    struct store *store = NULL;
    struct cn_err err = {0};
    long counts[NOTICE_STATUS_COUNT], held = 0, failed = 0, unaccounted = 0;
    int days;
    if ((rc = results_days(a.value[REPORT_CONFIG], &days)) != CN_OK)
        return rc;
    /* A booking store (outside) has its own, shorter report. */
    if ((rc = store_open_existing(db, STORE_BOOKING, true, &store, &err)) == CN_OK) {
        rc = booking_store_report(store, db, runs);
        store_close(store);
        return rc;
    }
    if (store_uri_is_pg(db)) { /* only a booking store is on PostgreSQL */
        log_error("report", "%s", err.msg);
        return rc;
    }
    err = (struct cn_err){0};
    rc = open_db_existing("report", db, &store);
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
    if ((rc = cmd_takeup_report(store, a.value[REPORT_CONFIG], &err)) != CN_OK)
        goto fail;

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
