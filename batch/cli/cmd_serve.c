/* certnotice serve: the booking service residents reach from the QR code; and
 * certnotice export-bookings: the counter's list as CSV. Option parsing and start-up only:
 * the pages are book_site.c and staff_site.c, HTTP is http.c. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "book_site.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "options.h"
#include "slots.h"
#include "staff_site.h"
#include "store_booking.h"
#include "web_runtime.h"

enum { SERVE_CONFIG, SERVE_DB, SERVE_LISTEN, SERVE_NOW, SERVE_STAFF_LISTEN };

const struct cmd_usage cmd_serve_usage = {
    .name = "serve",
    .summary = "The booking service residents reach from the QR code (behind a TLS proxy).",
    .opts =
        {
            [SERVE_CONFIG] = {"config", "FILE", "the municipality's config", "certnotice.xml"},
            [SERVE_DB] = {"db", "FILE", "the nightly job's database", "certnotice.db"},
            [SERVE_LISTEN] = {"listen", "ADDR:PORT", "where to listen", "127.0.0.1:8080"},
            [SERVE_NOW] = {"now", "DATETIME",
                           "pin the clock (local YYYY-MM-DDTHH:MM) for rehearsals and tests"},
            [SERVE_STAFF_LISTEN] = {"staff-listen", "ADDR:PORT",
                                    "serve the counter's pages (/staff) here only (the office "
                                    "LAN); without it they are on --listen"},
        },
};

/* "2027-01-12T09:30", "2027-01-12 09:30" or with ":SS": local time, as --date is. */
static bool parse_now(const char *s, int64_t *out)
{
    char day[11];
    int h, m, sec = 0;
    char sep, tail;
    cn_date d;
    if (strlen(s) < 16)
        return false;
    memcpy(day, s, 10);
    day[10] = '\0';
    const int n = sscanf(s + 10, "%c%2d:%2d:%2d%c", &sep, &h, &m, &sec, &tail);
    if (!date_parse_iso(day, &d) || (sep != 'T' && sep != ' ') || n < 3 || n > 4 || h < 0 ||
        h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return false;
    int y, mo, dd;
    date_to_ymd(d, &y, &mo, &dd);
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mo - 1,
                    .tm_mday = dd,
                    .tm_hour = h,
                    .tm_min = m,
                    .tm_sec = sec,
                    .tm_isdst = -1};
    const time_t t = mktime(&tm);
    if (t == (time_t)-1)
        return false;
    *out = (int64_t)t;
    return true;
}

int cmd_serve(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_serve_usage, argc, argv, &a, &rc))
        return rc;
    const char *config = a.value[SERVE_CONFIG], *db = a.value[SERVE_DB],
               *listen = a.value[SERVE_LISTEN];
    struct cn_err err = {0};
    struct config cfg;
    rc = config_load(config, &cfg, &err);
    if (rc) {
        log_error("serve", "%s", err.msg);
        return rc;
    }
    /* "Today" on every page (and --now) is the municipality's, whatever the host's zone;
     * set before any thread starts. */
    setenv("TZ", cfg.time_zone, 1);
    tzset();
    int64_t pinned = -1;
    if (a.value[SERVE_NOW] && !parse_now(a.value[SERVE_NOW], &pinned)) {
        fprintf(stderr,
                "certnotice serve: --now '%s' is not a local date and time "
                "(YYYY-MM-DDTHH:MM)\n",
                a.value[SERVE_NOW]);
        config_free(&cfg);
        return CN_EUSAGE;
    }
    /* The signals that stop the service are taken by sigwait below; blocked before any
     * thread starts, so that every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    const struct http_limits limits = http_limits_of(&cfg.serve_limits, cfg.trusted_proxy);
    const struct serve_limits *sl = &cfg.serve_limits;
    const char *staff_listen = a.value[SERVE_STAFF_LISTEN];
    struct web_runtime *web = NULL;
    struct http_server *srv = NULL, *staff_srv = NULL;
    /* The counter's pages go before the residents' catch-all; with --staff-listen they are
     * on that listener only, and /staff on the public one is the residents' 404. */
    struct http_route routes[] = {
        {"/staff", staff_handle, NULL}, {"/", book_handle, NULL}, {NULL, NULL, NULL}};
    struct http_route staff_routes[] = {{"/", staff_handle, NULL}, {NULL, NULL, NULL}};
    if (!(rc = web_runtime_new(&cfg, db, pinned, (int)limits.threads * 2, &web, &err)))
        routes[0].ctx = staff_routes[0].ctx = routes[1].ctx = web;
    struct http_route *public_routes = staff_listen ? routes + 1 : routes;
    if (rc || (rc = http_start(listen, &limits, http_dispatch, public_routes, book_error_page, web,
                               &srv, &err))) {
        log_error("serve", "%s", err.msg);
        goto out;
    }
    if (staff_listen) {
        /* the same limits and trusted proxy: behind the proxy, the LAN's clerks are told
         * apart by X-Forwarded-For too (the per-client lockout, the audit's client) */
        if ((rc = http_start(staff_listen, &limits, http_dispatch, staff_routes, book_error_page,
                             web, &staff_srv, &err))) {
            log_error("serve", "--staff-listen: %s", err.msg);
            goto out;
        }
        log_info("serve", "counter pages on %s only", staff_listen);
    }
    log_info("serve",
             "listening on %s (config %s, database %s%s); %u threads, %u connections, "
             "%u per address, %u s idle, %u s per request; %d ID lookups per address, %d "
             "more per hour%s",
             listen, config, db, pinned >= 0 ? ", clock pinned by --now" : "", limits.threads,
             limits.connections, limits.per_ip, limits.timeout, limits.request_timeout,
             sl->lookups_burst, sl->lookups_per_hour,
             cfg.trusted_proxy[0] ? "; X-Forwarded-For from the trusted proxy" : "");
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("serve", "stopping on signal %d", sig);
out:
    http_stop(staff_srv);
    http_stop(srv);
    web_runtime_free(web);
    config_free(&cfg);
    return rc;
}

enum { EXPORT_DB, EXPORT_OFFICE, EXPORT_DATE };

const struct cmd_usage cmd_export_bookings_usage = {
    .name = "export-bookings",
    .summary = "The counter's list of active bookings as CSV on standard output.",
    .opts =
        {
            [EXPORT_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [EXPORT_OFFICE] = {"office", "ID", "only this office (the config's id)"},
            [EXPORT_DATE] = {"date", "D", "only this day (YYYY-MM-DD)"},
        },
};

static int export_row(const struct booking *b, void *ctx)
{
    FILE *out = ctx;
    char ref[BOOKING_REF_LEN], day[11], start[6];
    booking_ref(b->id, ref);
    date_format_iso(b->day, day);
    slots_format_hhmm(b->start_min, start);
    const char *row[] = {ref, day, start, b->office, b->rid, b->by};
    return csv_write_row(out, row, 6) ? CN_EOUTPUT : 0;
}

int cmd_export_bookings(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_export_bookings_usage, argc, argv, &a, &rc))
        return rc;
    cn_date day = DATE_NONE;
    if (!opts_date(&cmd_export_bookings_usage, EXPORT_DATE, &a, &day))
        return CN_EUSAGE;
    const char *db = a.value[EXPORT_DB], *office = a.value[EXPORT_OFFICE];
    struct cn_err err = {0};
    struct store_booking *bs = NULL;
    rc = store_booking_open(db, &bs, &err);
    if (!rc) {
        static const char *const header[] = {"reference", "date",           "time",
                                             "office",    "reservation_id", "booked_by"};
        rc = csv_write_row(stdout, header, 6) ? CN_EOUTPUT : CN_OK;
        if (!rc)
            rc = store_booking_each(bs, office, day, export_row, stdout, &err);
        if (!rc && fflush(stdout) != 0)
            rc = cn_fail(&err, CN_EOUTPUT, "writing the CSV to standard output failed");
        if (rc == CN_EOUTPUT && !err.msg[0])
            cn_fail(&err, CN_EOUTPUT, "writing the CSV to standard output failed");
    }
    if (rc)
        log_error("export", "%s", err.msg);
    store_booking_close(bs);
    return rc;
}
