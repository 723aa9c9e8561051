/* certnotice run: option parsing for the nightly job; the job itself is run.c. */
#include <stdio.h>
#include <unistd.h>

#include "commands.h"
#include "err.h"
#include "log.h"
#include "run.h"

enum { RUN_DATE, RUN_INPUT, RUN_DB, RUN_OUT, RUN_CONFIG, RUN_DRY_RUN, RUN_JOBS };

const struct cmd_usage cmd_run_usage = {
    .name = "run",
    .summary = "The nightly job: ingest, issue reservation IDs, render and publish the batch.",
    .opts =
        {
            [RUN_DATE] = {"date", "D", "the night's date, YYYY-MM-DD (default: today)"},
            [RUN_INPUT] = {"input", "DIR|FILE", "resident files to load", "input"},
            [RUN_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [RUN_OUT] = {"out", "DIR", "where the batch folder appears", "out"},
            [RUN_CONFIG] = {"config", "FILE", "the municipality", "certnotice.xml"},
            [RUN_DRY_RUN] = {"dry-run", NULL, "decide and check, publish nothing"},
            [RUN_JOBS] = {"jobs", "N", "print files rendered at once, 1-64 (default: cores)"},
        },
};

int cmd_run(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_run_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long jobs = cores < 1 ? 1 : cores > 64 ? 64 : cores;
    struct run_opts o = {
        .date = DATE_NONE, /* run_nightly takes today in the config's time zone */
        .input = a.value[RUN_INPUT],
        .db = a.value[RUN_DB],
        .out = a.value[RUN_OUT],
        .config = a.value[RUN_CONFIG],
        .dry_run = a.value[RUN_DRY_RUN] != NULL,
    };
    if (!opts_date(u, RUN_DATE, &a, &o.date) || !opts_int(u, RUN_JOBS, &a, 1, 64, &jobs))
        return CN_EUSAGE;
    o.jobs = (int)jobs;
    struct cn_err err = {0};
    rc = run_nightly(&o, &err);
    if (rc > CN_REJECTS)
        log_error("run", "%s", err.msg);
    log_info("run", "finished with exit code %d", rc);
    return rc;
}
