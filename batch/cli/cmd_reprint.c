/* certnotice reprint: prints a letter again, with the same reservation ID, in a batch of
 * its own (OUT/DATE-reprint), recorded in the audit log (pipeline/reprint.c does it). */
#include <stdio.h>

#include "commands.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "reprint.h"

enum { REPRINT_DB, REPRINT_OUT, REPRINT_CONFIG, REPRINT_DATE };

const struct cmd_usage cmd_reprint_usage = {
    .name = "reprint",
    .operands = "ID...",
    .min_operands = 1,
    .max_operands = -1,
    .summary = "The same letter again, by reservation or resident ID, in OUT/DATE-reprint/.",
    .opts =
        {
            [REPRINT_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [REPRINT_OUT] = {"out", "DIR", "where the batch folder appears", "out"},
            [REPRINT_CONFIG] = {"config", "FILE", "the municipality", "certnotice.xml"},
            [REPRINT_DATE] = {"date", "D",
                              "the letters' date, YYYY-MM-DD (default: today in the config's "
                              "time zone)"},
        },
};

int cmd_reprint(int argc, char **argv)
{
    const struct cmd_usage *u = &cmd_reprint_usage;
    struct opts_result a;
    int rc;
    if (!opts_parse(u, argc, argv, &a, &rc))
        return rc;
    struct reprint_opts o = {.config = a.value[REPRINT_CONFIG],
                             .db = a.value[REPRINT_DB],
                             .out = a.value[REPRINT_OUT],
                             .date = DATE_NONE,
                             .ids = (const char *const *)argv + a.first,
                             .n_ids = argc - a.first};
    if (!opts_date(u, REPRINT_DATE, &a, &o.date))
        return CN_EUSAGE;
    struct cn_err err = {0};
    char batch[REPRINT_BATCH_MAX];
    long letters;
    if ((rc = reprint_letters(&o, batch, &letters, &err)))
        log_error("reprint", "%s", err.msg);
    else
        printf("%s/%s: %ld letters reprinted\n", o.out, batch, letters);
    return rc;
}
