/* night: what every command that prints letters opens and closes alike (run, reprint): the
 * config, the run lock, the database after its integrity check, the stop handler, the run's
 * row in `report`, recovery of an interrupted publish, the postcode dictionary and the
 * checked templates and fonts. Must not decide who gets a letter nor render one. */
#ifndef CN_NIGHT_H
#define CN_NIGHT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "date.h"
#include "err.h"
#include "lock.h"
#include "postal_dict.h"
#include "render.h"
#include "store.h"

struct night_opts {
    const char *command; /* the run's name in `report`: "run", "run --dry-run", "reprint" */
    const char *stage;   /* the log's stage= for what night_open says: "run", "reprint" */
    const char *config, *db, *out;
    cn_date date;      /* DATE_NONE: today in the config's time zone */
    const char *input; /* must exist (a missing drop folder is no quiet night); NULL: none */
    bool dry_run;      /* work on a private copy of the database */
};

struct night {
    struct config cfg;
    struct store *store;
    struct run_lock *lock;
    struct postal_dict dict; /* no store: no dictionary, the rules alone */
    struct render_setup *setup;
    cn_date date;   /* settled: never DATE_NONE once opened */
    int64_t run_id; /* 0 until the run's row exists */
};

/* Opens everything, in this order: the stop handler (SIGTERM and SIGINT from now on stop at
 * safe points), the config, the date, the lock, the database and its PRAGMA quick_check (a
 * damaged database stops here: CN_ECORRUPT), the dry run's copy, the run's row, the input's
 * existence, recovery of an interrupted publish, the postcode dictionary, a stop asked
 * meanwhile (CN_ESTOPPED), the templates and fonts. On failure err says why; close the night
 * all the same. n must be zeroed. */
int night_open(struct night *n, const struct night_opts *o, struct cn_err *err);

/* Records the run's end (exit code and summary) in its row, once it has one. */
void night_finish(struct night *n, int rc, const char *summary);

/* Frees and releases everything night_open opened, the lock last; n is left zeroed. */
void night_close(struct night *n);

#endif
