/* `rid check ID`: tells a clerk on the phone whether what a resident reads out is a
 * reservation ID. `export-reservations`: the booking system's full list of valid IDs with
 * their windows, and nothing about the person beyond district and birthday (MMDD), which
 * the booking form asks to confirm identity. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomicfile.h"
#include "commands.h"
#include "csv.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "notice.h"
#include "rid.h"
#include "rules.h"
#include "store.h"
#include "store_notice.h"
#include "store_resident.h"

const struct cmd_usage cmd_rid_usage = {
    .name = "rid",
    .operands = "check ID",
    .min_operands = 2,
    .max_operands = 2,
    .summary = "Is ID a valid reservation ID (exit 0, printed as a letter shows it) or a typo "
               "(exit 1)?",
};

int cmd_rid(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_rid_usage, argc, argv, &a, &rc))
        return rc;
    if (strcmp(argv[a.first], "check") != 0) {
        fprintf(stderr, "certnotice rid: unknown subcommand '%s'\n", argv[a.first]);
        opts_synopsis(&cmd_rid_usage, stderr);
        return CN_EUSAGE;
    }
    const char *id = argv[a.first + 1];
    char normalized[RID_LEN + 1];
    if (!rid_check(id, normalized)) {
        /* Exit 1, not 2: the command worked, the ID did not. */
        fprintf(stderr, "certnotice rid: \"%s\" is not a valid reservation ID\n", id);
        return 1;
    }
    char shown[RID_DISPLAY_LEN + 1];
    rid_display(normalized, shown);
    printf("%s\n", shown);
    return CN_OK;
}

struct export_ctx {
    struct store *store;
    FILE *out;
    long rows;
    struct cn_err err;
};

/* The export's status column: PUBLISHING is a batch being renamed into place, which crash
 * recovery ends as issued or published; it is not published yet. */
static const char *export_status(enum notice_status status)
{
    return status == NOTICE_PUBLISHED ? "published" : "issued";
}

static int export_row(const struct notice *n, void *vctx)
{
    struct export_ctx *ctx = vctx;
    if (notice_booking(n->status, n->outcome, n->variant) != NOTICE_BOOK_YES)
        return CN_OK;
    const char *status = export_status(n->status);
    struct resident r;
    bool found = false;
    int rc = store_get_resident(ctx->store, n->resident_id, &r, &found, &ctx->err);
    if (rc != CN_OK)
        return rc;
    if (!found)
        return cn_fail(&ctx->err, CN_EINPUT,
                       "notice %lld (reservation %s) refers to a resident not in the database",
                       (long long)n->id, n->rid);
    struct window w = rules_window(n->cert_expiry);
    char start[11], end[11], expiry[11], mmdd[8] = "";
    date_format_iso(w.start, start);
    date_format_iso(w.end, end);
    date_format_iso(n->cert_expiry, expiry);
    if (r.birth_date != DATE_NONE) {
        int y, m, d;
        date_to_ymd(r.birth_date, &y, &m, &d);
        snprintf(mmdd, sizeof mmdd, "%02d%02d", m, d);
    }
    const char *row[] = {n->rid, start, end, expiry, r.district, mmdd, status};
    if (csv_write_feed_row(ctx->out, row, 7, CSV_CRLF) != 0)
        return cn_fail(&ctx->err, CN_EOUTPUT, "reservations: cannot write: %s", strerror(errno));
    ctx->rows++;
    return CN_OK;
}

enum { EXPORT_DB, EXPORT_OUT };

const struct cmd_usage cmd_export_reservations_usage = {
    .name = "export-reservations",
    .summary = "The booking system's full list of valid reservation IDs, as CSV.",
    .opts =
        {
            [EXPORT_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [EXPORT_OUT] = {"out", "FILE", "write here (mode 0600, all or nothing), not stdout"},
        },
};

int cmd_export_reservations(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_export_reservations_usage, argc, argv, &a, &rc))
        return rc;
    const char *db = a.value[EXPORT_DB], *out_path = a.value[EXPORT_OUT];
    struct cn_err err = {0};
    struct store *store = NULL;
    struct export_ctx ctx = {0};
    /* The file holds birthdays: it appears complete or not at all, and only for its owner. */
    struct atomicfile file;
    bool file_open = false;
    struct stat st;
    /* store_open would create an empty database and export nothing, silently. */
    if (stat(db, &st) != 0) {
        rc = cn_fail(&err, CN_EINPUT, "%s: cannot open database: %s", db, strerror(errno));
        goto done;
    }
    if ((rc = store_open(db, 0600, &store, &err)) != CN_OK)
        goto done;
    ctx.store = store;
    ctx.out = stdout;
    if (out_path) {
        if ((rc = atomicfile_open(&file, out_path, 0600, &err)) != CN_OK)
            goto done;
        file_open = true;
        if (!(ctx.out = atomicfile_stream(&file, &err))) {
            rc = CN_EOUTPUT;
            goto done;
        }
    }
    static const char *const head[] = {"reservation_id", "window_start", "window_end",
                                       "cert_expiry",    "district",     "birth_mmdd",
                                       "status"};
    if (csv_write_feed_row(ctx.out, head, 7, CSV_CRLF) != 0) {
        rc = cn_fail(&err, CN_EOUTPUT, "reservations: cannot write: %s", strerror(errno));
        goto done;
    }
    rc = store_each_notice(store, export_row, &ctx, &err);
    if (rc != CN_OK) {
        if (ctx.err.status != CN_OK)
            err = ctx.err;
        goto done;
    }
    if (out_path) {
        file_open = false;
        if ((rc = atomicfile_commit(&file, &err)) != CN_OK)
            goto done;
    } else if (fflush(stdout) != 0) {
        rc = cn_fail(&err, CN_EOUTPUT, "stdout: cannot write: %s", strerror(errno));
        goto done;
    }
    log_info("export", "%ld reservation IDs written to %s", ctx.rows,
             out_path ? out_path : "stdout");
done:
    if (file_open)
        atomicfile_abort(&file);
    if (store)
        store_close(store);
    if (rc != CN_OK)
        log_error("export", "%s", err.msg);
    return rc;
}
