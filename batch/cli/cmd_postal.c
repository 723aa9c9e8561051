/* `certnotice postal import [--db FILE] KEN_ALL [JIGYOSYO]`: Japan Post's postcode files into
 * the database's dictionary; `postal info` says which files it holds. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "postal_dict.h"
#include "postal_import.h"
#include "store_postal.h"
#include "store.h"

static int import(const char *db, int argc, char **argv)
{
    struct store *s = NULL;
    struct postal_import_result res;
    struct cn_err err = {0};
    int rc = store_open(db, 0, &s, &err);
    if (!rc)
        rc = postal_import(s, argv[0], argc > 1 ? argv[1] : NULL, &res, &err);
    store_close(s);
    if (rc) {
        log_error("postal", "%s; the dictionary was not changed", err.msg);
        return rc;
    }
    log_info("postal",
             "dictionary replaced: KEN_ALL %s of %s (%ld rows, sha256 %s): %ld towns (%ld "
             "narrowed beyond the rules); JIGYOSYO %s%s%s: %ld individual postcodes",
             res.ken_all.name, res.ken_all.date, res.ken_all.rows, res.ken_all.sha256, res.towns,
             res.partial, argc > 1 ? res.jigyosyo.name : "not given", argc > 1 ? " of " : "",
             argc > 1 ? res.jigyosyo.date : "", res.offices);
    return CN_OK;
}

/* The dictionary's age on today, and a warning past the age at which the night warns: IT
 * reads `postal info` when it plans the monthly refresh, not only the night's log. */
static void print_age(const char *ken_all_date, cn_date today)
{
    cn_date made;
    if (!date_parse_iso(ken_all_date, &made))
        return;
    long days = (long)(today - made);
    printf("age\t%ld days\n", days);
    if (days > POSTAL_DICT_STALE_DAYS)
        printf("warning\tolder than %d days: import Japan Post's latest files\n",
               POSTAL_DICT_STALE_DAYS);
}

static int info(const char *db, cn_date today)
{
    struct store *s = NULL;
    struct postal_info in;
    struct cn_err err = {0};
    /* info never makes a database: a mistyped --db is an error, not an empty dictionary */
    int rc = access(db, F_OK) == 0
                 ? store_open(db, 0, &s, &err)
                 : cn_fail(&err, CN_EUSAGE, "%s: cannot open database: %s", db, strerror(errno));
    if (!rc)
        rc = store_postal_info(s, &in, &err);
    store_close(s);
    if (rc) {
        fprintf(stderr, "certnotice postal info: %s\n", err.msg);
        return rc;
    }
    if (!in.present) {
        printf("no postcode dictionary: barcodes follow the rules alone\n");
        return CN_OK;
    }
    printf("KEN_ALL\t%s\t%s\t%s\t%ld rows\n", in.ken_all.date, in.ken_all.name, in.ken_all.sha256,
           in.ken_all.rows);
    if (in.jigyosyo.name[0])
        printf("JIGYOSYO\t%s\t%s\t%s\t%ld rows\n", in.jigyosyo.date, in.jigyosyo.name,
               in.jigyosyo.sha256, in.jigyosyo.rows);
    printf("towns\t%ld\noffices\t%ld\nimported\t%s\n", in.towns, in.offices, in.imported_at);
    print_age(in.ken_all.date, today);
    return CN_OK;
}

enum { PO_DB, PO_DATE };

const struct cmd_usage cmd_postal_usage = {
    .name = "postal",
    .operands = "import KEN_ALL [JIGYOSYO] | info",
    .min_operands = 1,
    .max_operands = 3,
    .summary = "Japan Post's postcode files (ken_all.zip or KEN_ALL.CSV in CP932, utf_ken_all.zip; "
               "jigyosyo.zip) into the database, replacing its dictionary whole; info: which "
               "files it holds.",
    .opts = {[PO_DB] = {"db", "FILE", "the database", "certnotice.db", false},
             [PO_DATE] = {"date", "D",
                          "info: count the dictionary's age to this day (default today)", NULL,
                          false},
             {NULL, NULL, NULL, NULL, false}},
};

int cmd_postal(int argc, char **argv)
{
    struct opts_result o;
    int rc;
    if (!opts_parse(&cmd_postal_usage, argc, argv, &o, &rc))
        return rc;
    const char *sub = argv[o.first];
    int n = argc - o.first - 1;
    if (strcmp(sub, "import") == 0 && n >= 1 && n <= 2)
        return import(o.value[PO_DB], n, argv + o.first + 1);
    cn_date today = clock_today();
    if (!opts_date(&cmd_postal_usage, PO_DATE, &o, &today))
        return CN_EUSAGE;
    if (strcmp(sub, "info") == 0 && n == 0)
        return info(o.value[PO_DB], today);
    fprintf(stderr, "usage: certnotice postal [--db FILE] import KEN_ALL [JIGYOSYO] | info\n");
    return CN_EUSAGE;
}
