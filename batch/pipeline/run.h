/* run: the nightly job: recover, ingest, select, issue, check, render, publish, in that
 * order, keeping what must survive a crash in the store. Must not parse the command line. */
#ifndef CN_RUN_H
#define CN_RUN_H

#include <stdbool.h>

#include "date.h"
#include "err.h"

struct run_opts {
    cn_date date;      /* DATE_NONE: today in the config's time zone */
    const char *input; /* a folder or a file */
    const char *db;
    const char *out;
    const char *config;
    bool dry_run;
    int jobs; /* print files rendered in parallel */
};

/* Returns the process exit code (err.h): CN_OK, CN_REJECTS when records were rejected but
 * the batch was published, or an error status with err filled in. */
int run_nightly(const struct run_opts *o, struct cn_err *err);

#endif
