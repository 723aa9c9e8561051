/* store_run: the history of runs (each command that changes the state) and the audit log
 * of who did what, for IT and the municipality's record. Must not hold letters or notices. */
#ifndef CN_STORE_RUN_H
#define CN_STORE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"

int store_run_begin(struct store *s, cn_date run_date, const char *command, int64_t *run_id,
                    struct cn_err *err);
int store_run_finish(struct store *s, int64_t run_id, int exit_code, const char *summary,
                     struct cn_err *err);

struct run_info {
    int64_t id;
    cn_date run_date;
    char command[32];
    char started[20];  /* "YYYY-MM-DD HH:MM:SS" UTC */
    char finished[20]; /* "" when the run never finished (it died, or is still running) */
    int exit_code;     /* -1 when not finished */
    char summary[256];
};

/* Calls fn for the newest `limit` runs, newest first; failed_only: only runs that exited 2
 * or more or never finished. fn returning non-zero stops and that value is returned. */
int store_each_run(struct store *s, int limit, bool failed_only,
                   int (*fn)(const struct run_info *r, void *ctx), void *ctx, struct cn_err *err);

int store_audit(struct store *s, const char *event, const char *detail, struct cn_err *err);

#endif
