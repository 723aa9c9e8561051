/* certnotice run: option parsing for the nightly job; the job itself is run.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "err.h"
#include "log.h"
#include "run.h"

/* Today in local time: the municipality's night, not UTC's. */
cn_date cmd_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"date", required_argument, NULL, 'd'},   {"input", required_argument, NULL, 'i'},
        {"db", required_argument, NULL, 'b'},     {"out", required_argument, NULL, 'o'},
        {"config", required_argument, NULL, 'c'}, {"dry-run", no_argument, NULL, 'n'},
        {"jobs", required_argument, NULL, 'j'},   {NULL, 0, NULL, 0},
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct run_opts o = {
        .date = cmd_today(),
        .input = "input",
        .db = "certnotice.db",
        .out = "out",
        .config = "certnotice.xml",
        .jobs = cores > 0 ? (int)cores : 1,
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!date_parse_iso(optarg, &o.date)) {
                fprintf(stderr, "certnotice run: --date '%s' is not a date (YYYY-MM-DD)\n", optarg);
                return CN_EUSAGE;
            }
            break;
        case 'i':
            o.input = optarg;
            break;
        case 'b':
            o.db = optarg;
            break;
        case 'o':
            o.out = optarg;
            break;
        case 'c':
            o.config = optarg;
            break;
        case 'n':
            o.dry_run = true;
            break;
        case 'j':
            o.jobs = atoi(optarg);
            if (o.jobs < 1 || o.jobs > 64) {
                fprintf(stderr, "certnotice run: --jobs must be 1-64\n");
                return CN_EUSAGE;
            }
            break;
        default:
            fprintf(stderr, "usage: certnotice run [--date D] [--input DIR] [--db FILE] "
                            "[--out DIR] [--config FILE] [--dry-run] [--jobs N]\n");
            return CN_EUSAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "certnotice run: unexpected argument '%s'\n", argv[optind]);
        return CN_EUSAGE;
    }
    struct cn_err err = {0};
    int rc = run_nightly(&o, &err);
    if (rc > CN_REJECTS)
        log_error("run", "%s", err.msg);
    log_info("run", "finished with exit code %d", rc);
    return rc;
}
