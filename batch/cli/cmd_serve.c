/* certnotice serve: the booking service residents reach from the QR code; and
 * certnotice export-bookings: the counter's list as CSV. Option parsing and start-up only:
 * the pages are book_site.c and staff_site.c, HTTP is http.c. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <errno.h>

#include "atomicfile.h"
#include "book_site.h"
#include "store_booking.h"
#include "store_retention.h"
#include "wallfiles.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "err.h"
#include "http.h"
#include "log.h"
#include "open_db.h"
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
            [SERVE_DB] = {"db", "FILE|URI",
                          BOOKING_STORE_HELP "; feed import fills it, never the night's database"},
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

/* The booking store keeps nothing longer than <booking retention-days> after its day. */
static void purge_daily(struct web_runtime *web, const char *db, int days, cn_date *done_on)
{
    int64_t now;
    struct slot_time at;
    web_runtime_now(web, &now, &at);
    if (*done_on == at.day)
        return;
    struct cn_err err = {0};
    struct store *s = NULL;
    struct retention_counts c;
    if (store_open_existing(db, STORE_BOOKING, false, &s, &err) ||
        store_retention_purge(s, at.day, now, days, &c, &err)) {
        log_error("serve", "retention: %s (tried again in an hour)", err.msg);
    } else {
        *done_on = at.day;
        log_info("serve",
                 "retention %d days: deleted bookings=%ld lockouts=%ld sessions=%ld audit=%ld "
                 "withdrawn_ids=%ld",
                 days, c.bookings, c.lockouts, c.sessions, c.audit, c.feed);
    }
    store_close(s);
}

int cmd_serve(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_serve_usage, argc, argv, &a, &rc))
        return rc;
    const char *config = a.value[SERVE_CONFIG], *listen = a.value[SERVE_LISTEN];
    struct cn_err err = {0};
    struct config cfg;
    rc = config_load(config, &cfg, &err);
    if (rc) {
        log_error("serve", "%s", err.msg);
        return rc;
    }
    const char *db = booking_store_where(a.value[SERVE_DB], &cfg);
    char db_shown[512];
    store_where_shown(db, db_shown, sizeof db_shown);
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
             listen, config, db_shown, pinned >= 0 ? ", clock pinned by --now" : "", limits.threads,
             limits.connections, limits.per_ip, limits.timeout, limits.request_timeout,
             sl->lookups_burst, sl->lookups_per_hour,
             cfg.trusted_proxy[0] ? "; X-Forwarded-For from the trusted proxy" : "");
    /* Retention once a day (and at the start), by the service's own clock. */
    cn_date purged_on = DATE_NONE;
    int sig = -1;
    while (sig < 0) {
        purge_daily(web, db, cfg.retention_days, &purged_on);
        const struct timespec hour = {3600, 0};
        sig = sigtimedwait(&stop, NULL, &hour);
    }
    log_info("serve", "stopping on signal %d", sig);
out:
    http_stop(staff_srv);
    http_stop(srv);
    web_runtime_free(web);
    config_free(&cfg);
    return rc;
}

enum { EXPORT_DB, EXPORT_OFFICE, EXPORT_DATE, EXPORT_SINCE, EXPORT_OUT, EXPORT_CONFIG };

const struct cmd_usage cmd_export_bookings_usage = {
    .name = "export-bookings",
    .summary = "The booking store's bookings as CSV: the counter's active list, or with --since "
               "every booking changed since (the file bookings import takes inside).",
    .opts =
        {
            [EXPORT_DB] = {"db", "FILE|URI", BOOKING_STORE_HELP},
            [EXPORT_OFFICE] = {"office", "ID", "only this office (the config's id)"},
            [EXPORT_DATE] = {"date", "D", "only this day (YYYY-MM-DD)"},
            [EXPORT_SINCE] = {"since", "DATETIME",
                              "every booking, active or not, changed at or after this UTC time "
                              "(YYYY-MM-DD[ HH:MM[:SS]]: the last file's exported_at)"},
            [EXPORT_OUT] = {"out", "FILE", "write here (mode 0600, all or nothing), not stdout"},
            [EXPORT_CONFIG] = {"config", "FILE",
                               "the config whose <booking store> is read when "
                               "--db is not given",
                               "certnotice.xml"},
        },
};

struct export
{
    FILE *out;
    const char *office;
    cn_date day;
    char exported_at[24];
};

static int export_row(const struct booking *b, void *ctx)
{
    const struct export *x = ctx;
    if ((x->office && strcmp(b->office, x->office) != 0) ||
        (x->day != DATE_NONE && b->day != x->day))
        return 0;
    char ref[BOOKING_REF_LEN], day[11], start[6];
    booking_ref(b->id, ref);
    date_format_iso(b->day, day);
    slots_format_hhmm(b->start_min, start);
    const char *row[BK_COLUMNS] = {
        [BK_REFERENCE] = ref,
        [BK_DATE] = day,
        [BK_TIME] = start,
        [BK_OFFICE] = b->office,
        [BK_RID] = b->rid,
        [BK_BOOKED_BY] = b->by,
        [BK_STATUS] = b->status == BOOKING_ACTIVE ? "active" : "cancelled",
        [BK_REASON] = b->reason,
        [BK_ATTENDANCE] = b->attendance,
        [BK_ATTENDED_AT] = b->attended_at,
        [BK_CREATED_AT] = b->created_at,
        [BK_CHANGED_AT] = b->changed_at,
        [BK_EXPORTED_AT] = x->exported_at,
    };
    return csv_write_row(x->out, row, BK_COLUMNS) ? CN_EOUTPUT : 0;
}

/* --since as the store's UTC text: a day alone is its midnight. */
static bool parse_since(const char *in, char out[24])
{
    cn_date d;
    char day[11];
    int h = 0, m = 0, sec = 0, n = 0;
    size_t len = strlen(in);
    if (len < 10)
        return false;
    memcpy(day, in, 10);
    day[10] = '\0';
    if (!date_parse_iso(day, &d))
        return false;
    if (len > 10) {
        char sep, tail;
        n = sscanf(in + 10, "%c%2d:%2d:%2d%c", &sep, &h, &m, &sec, &tail);
        if ((sep != ' ' && sep != 'T') || n < 3 || n > 4 || h < 0 || h > 23 || m < 0 || m > 59 ||
            sec < 0 || sec > 59)
            return false;
    }
    snprintf(out, 24, "%s %02d:%02d:%02d", day, h % 100, m % 100, sec % 100);
    return true;
}

int cmd_export_bookings(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_export_bookings_usage, argc, argv, &a, &rc))
        return rc;
    struct export x = {.out = stdout, .office = a.value[EXPORT_OFFICE], .day = DATE_NONE};
    if (!opts_date(&cmd_export_bookings_usage, EXPORT_DATE, &a, &x.day))
        return CN_EUSAGE;
    char since[24];
    if (a.value[EXPORT_SINCE] && !parse_since(a.value[EXPORT_SINCE], since)) {
        fprintf(stderr, "certnotice export-bookings: --since '%s' is not YYYY-MM-DD[ HH:MM[:SS]]\n",
                a.value[EXPORT_SINCE]);
        return CN_EUSAGE;
    }
    const char *db = a.value[EXPORT_DB], *out_path = a.value[EXPORT_OUT];
    struct cn_err err = {0};
    /* Without --db the config names the store; with it, the config is not read at all. */
    struct config cfg = {0};
    if (!db && (rc = config_load(a.value[EXPORT_CONFIG], &cfg, &err))) {
        log_error("export", "%s", err.msg);
        return rc;
    }
    db = booking_store_where(db, &cfg);
    struct store_booking *bs = NULL;
    struct atomicfile file;
    bool file_open = false;
    /* The moment the reading starts: the next --since, so nothing changed during the read is
     * missed (a row may come twice, which bookings import takes as it is). */
    const time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(x.exported_at, sizeof x.exported_at, "%Y-%m-%d %H:%M:%S", &tm);
    rc = store_booking_open(db, &bs, &err);
    if (!rc && out_path && !(rc = atomicfile_open(&file, out_path, 0600, &err))) {
        file_open = true;
        if (!(x.out = atomicfile_stream(&file, &err)))
            rc = CN_EOUTPUT;
    }
    if (!rc) {
        rc = csv_write_row(x.out, booking_column_names, BK_COLUMNS) ? CN_EOUTPUT : CN_OK;
        if (!rc)
            rc = a.value[EXPORT_SINCE]
                     ? store_booking_each_since(store_booking_db(bs), since, export_row, &x, &err)
                     : store_booking_each(bs, x.office, x.day, export_row, &x, &err);
        if (rc == CN_EOUTPUT && !err.msg[0])
            cn_fail(&err, CN_EOUTPUT, "writing the CSV failed: %s", strerror(errno));
    }
    if (!rc && out_path) {
        file_open = false;
        rc = atomicfile_commit(&file, &err);
    } else if (!rc && fflush(stdout) != 0) {
        rc = cn_fail(&err, CN_EOUTPUT, "writing the CSV to standard output failed");
    }
    if (file_open)
        atomicfile_abort(&file);
    if (rc)
        log_error("export", "%s", err.msg);
    else if (out_path)
        log_info("export", "%s: bookings exported at %s UTC", out_path, x.exported_at);
    store_booking_close(bs);
    config_free(&cfg);
    return rc;
}
