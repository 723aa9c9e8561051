#include "night.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "config_load.h"
#include "log.h"
#include "printjob.h"
#include "stop.h"
#include "store_run.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int night_open(struct night *n, const struct night_opts *o, struct cn_err *err)
{
    int rc;
    /* First: a stop from here on rolls back the stage in hand instead of killing the
     * process between two writes. */
    stop_install();
    n->date = o->date;
    if ((rc = config_load(o->config, &n->cfg, err)))
        return rc;
    /* No --date: today where the municipality is, never the host's zone. */
    if (n->date == DATE_NONE)
        n->date = clock_today_in(n->cfg.time_zone);
    if ((rc = lock_acquire(o->db, n->cfg.file_mode, &n->lock, err)) ||
        (rc = store_open(o->db, n->cfg.file_mode, &n->store, err)))
        return rc;
    /* Before anything reads or writes: a damaged page can hide residents from the scan
     * without an error, and their letters would silently not go out. */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = store_quick_check(n->store, err)))
        return rc;
    log_info(o->stage, "database integrity check ok seconds=%.3f", seconds_since(&t0));
    if (o->dry_run && (rc = store_dry_run(n->store, err)))
        return rc;
    char day[11];
    date_format_iso(n->date, day);
    if ((rc = store_run_begin(n->store, n->date, o->command, &n->run_id, err)))
        return rc;
    log_info(o->stage, "run %lld for %s: config %s, database %s", (long long)n->run_id, day,
             o->config, o->db);
    /* No input at all is not a quiet night but a drop folder that is not there (a failed
     * mount, a typo): publishing a batch without tonight's files would hide that. An empty
     * folder is a quiet night. */
    struct stat in;
    if (o->input && stat(o->input, &in) != 0)
        return cn_fail(err, CN_EINPUT,
                       "input %s: %s; nothing published (check --input and the drop folder)",
                       o->input, strerror(errno));
    if ((rc = printjob_recover(n->store, o->out, err)) ||
        (rc = postal_dict_open(&n->dict, n->store, o->db, n->date, err)))
        return rc;
    if (stop_requested())
        return stop_fail(err, "start (recovery done)");
    /* Templates and fonts are checked before anything is loaded or issued. */
    return render_setup_load(&n->cfg, &n->setup, err);
}

void night_finish(struct night *n, int rc, const char *summary)
{
    if (n->store && n->run_id)
        store_run_finish(n->store, n->run_id, rc, summary, NULL);
}

void night_close(struct night *n)
{
    render_setup_free(n->setup);
    postal_dict_close(&n->dict);
    store_close(n->store);
    lock_release(n->lock);
    config_free(&n->cfg);
    memset(n, 0, sizeof *n);
}
