/* certnotice bookings import: the inside's side of the way back: the outside's
 * export-bookings file into the night's database. Option parsing and the report only:
 * bookings_in.c loads. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bookings_in.h"
#include "commands.h"
#include "err.h"
#include "log.h"
#include "store.h"

enum { BOOKINGS_DB };

const struct cmd_usage cmd_bookings_usage = {
    .name = "bookings",
    .operands = "import FILE",
    .min_operands = 2,
    .max_operands = 2,
    .summary = "Load the booking store's export-bookings CSV (carried in through the transfer) "
               "into the night's database: bookings, changes, cancellations, attendance.",
    .opts = {[BOOKINGS_DB] = {"db", "FILE", "the night's database", "certnotice.db"}},
};

int cmd_bookings(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_bookings_usage, argc, argv, &a, &rc))
        return rc;
    if (strcmp(argv[a.first], "import") != 0) {
        fprintf(stderr, "certnotice bookings: unknown subcommand '%s'\n", argv[a.first]);
        opts_synopsis(&cmd_bookings_usage, stderr);
        return CN_EUSAGE;
    }
    const char *db = a.value[BOOKINGS_DB], *file = argv[a.first + 1];
    struct cn_err err = {0};
    struct store *s = NULL;
    struct bookings_in_result r = {0};
    struct stat st;
    /* store_open would create an empty night database and load into it, silently. */
    if (stat(db, &st) != 0)
        rc = cn_fail(&err, CN_EINPUT, "%s: no such database: give the night's (--db)", db);
    else if (!(rc = store_open(db, 0, &s, &err)))
        rc = bookings_in_load(s, file, &r, &err);
    if (rc)
        log_error("bookings", "%s; nothing was changed", err.msg);
    else if (r.unchanged)
        log_info("bookings", "%s: loaded already: unchanged", file);
    else
        log_info("bookings", "%s: %ld bookings (exported %s UTC), %ld changed the night's copy",
                 file, r.rows, r.exported_at[0] ? r.exported_at : "-", r.applied);
    store_close(s);
    return rc;
}
