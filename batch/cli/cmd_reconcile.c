/* `certnotice reconcile FILE`: the inserter's results, under the nightly run's lock and as a
 * run of its own in `report` (inserter_import.c applies the file; refused rows go to stdout
 * as CSV). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "commands.h"
#include "err.h"
#include "inserter_import.h"
#include "lock.h"
#include "log.h"
#include "open_db.h"
#include "store.h"
#include "store_run.h"

enum { RECONCILE_DB };

const struct cmd_usage cmd_reconcile_usage = {
    .name = "reconcile",
    .operands = "FILE",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "Read the inserter's results (file,sequence,status,time): mailed letters are "
               "marked, spoiled and diverted ones printed again the next night; rejected rows "
               "go to stdout as CSV.",
    .opts = {[RECONCILE_DB] = {"db", "FILE", "the database", "certnotice.db"}},
};

int cmd_reconcile(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_reconcile_usage, argc, argv, &a, &rc))
        return rc;
    const char *db = a.value[RECONCILE_DB], *path = argv[a.first];
    struct store *store = NULL;
    struct cn_err err = {0};
    struct run_lock *lock = NULL;
    int64_t run_id = 0;
    char summary[1024] = "";
    FILE *in = fopen(path, "rb");
    if (!in) {
        log_error("reconcile", "%s: cannot read: %s", path, strerror(errno));
        return CN_EINPUT;
    }
    if ((rc = open_db_existing("reconcile", db, &store)) != CN_OK)
        goto done;
    /* Not while a night runs: it reads the notices this changes. */
    if ((rc = lock_acquire(db, 0, &lock, &err)) != CN_OK) {
        log_error("reconcile", "%s", err.msg);
        goto done;
    }
    struct inserter_counts n;
    if ((rc = store_run_begin(store, clock_today(), "reconcile", &run_id, &err)) != CN_OK)
        goto fail;
    if ((rc = inserter_import(store, path, in, stdout, &n, &err)) != CN_OK) {
        log_error("reconcile", "%s", err.msg);
        log_error("reconcile", "nothing kept from %s", path);
        snprintf(summary, sizeof summary, "error: %.900s", err.msg);
        goto done;
    }
    snprintf(summary, sizeof summary,
             "batch=%s mailed=%ld spoiled=%ld diverted=%ld unchanged=%ld rejected=%ld",
             n.batch[0] ? n.batch : "-", n.counts[INSERTER_MAILED], n.counts[INSERTER_SPOILED],
             n.counts[INSERTER_DIVERTED], n.unchanged, n.rejected);
    log_info("reconcile", "%s: %s", path, summary);
    rc = n.rejected ? CN_REJECTS : CN_OK;
    goto done;
fail:
    log_error("reconcile", "%s", err.msg);
    snprintf(summary, sizeof summary, "error: %.900s", err.msg);
done:
    if (store && run_id)
        store_run_finish(store, run_id, rc, summary, NULL);
    store_close(store);
    lock_release(lock);
    fclose(in);
    return rc;
}
