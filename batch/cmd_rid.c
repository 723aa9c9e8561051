/* `rid check ID`: tells a clerk on the phone whether what a resident reads out is a
 * reservation ID. `export-reservations`: the booking system's full list of valid IDs with
 * their windows, and nothing about the person beyond district and birthday (MMDD), which
 * the booking form asks to confirm identity. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "csv.h"
#include "date.h"
#include "err.h"
#include "log.h"
#include "rid.h"
#include "rules.h"
#include "store.h"
#include "store_notice.h"
#include "store_resident.h"

#define DEFAULT_DB "certnotice.db"

int cmd_rid(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: certnotice rid check ID\n");
        return CN_EUSAGE;
    }
    char normalized[RID_LEN + 1];
    if (!rid_check(argv[2], normalized)) {
        /* Exit 1, not 2: the command worked, the ID did not. */
        fprintf(stderr, "certnotice rid: \"%s\" is not a valid reservation ID\n", argv[2]);
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

/* Only IDs a resident may hold in hand: a returned letter never arrived, a letter under
 * review was never printed. PUBLISHING is a batch being renamed into place; either way
 * crash recovery ends it as issued or published, so its ID is valid. */
static const char *booking_status(enum notice_status status)
{
    switch (status) {
    case NOTICE_ISSUED:
    case NOTICE_PUBLISHING:
        return "issued";
    case NOTICE_PUBLISHED:
        return "published";
    case NOTICE_RETURNED:
    case NOTICE_REVIEW:
        break;
    }
    return NULL;
}

/* A walk-in district's letter says where to go instead of how to book, so the booking
 * system has nothing to do with its ID (the nightly feed leaves it out too). The variant
 * stored with the notice is what the letter said, whatever the config says today. An
 * unreadable variant keeps the ID: a spare row harms less than a resident turned away. */
static bool bookable(const struct notice *n)
{
    struct variant v;
    return !rules_variant_parse(n->variant, &v) || v.policy != RESV_NONE;
}

static int export_row(const struct notice *n, void *vctx)
{
    struct export_ctx *ctx = vctx;
    const char *status = booking_status(n->status);
    if (!status || !bookable(n))
        return CN_OK;
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
    if (csv_write_row(ctx->out, row, 7) != 0)
        return cn_fail(&ctx->err, CN_EOUTPUT, "reservations: cannot write: %s", strerror(errno));
    ctx->rows++;
    return CN_OK;
}

/* The file holds birthdays: it appears complete or not at all, and only for its owner. */
static int open_output(const char *path, char **tmp_path, FILE **out, struct cn_err *err)
{
    size_t n = strlen(path) + sizeof ".XXXXXX";
    char *tmp = malloc(n);
    if (!tmp)
        return cn_fail(err, CN_EOUTPUT, "%s: out of memory", path);
    snprintf(tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        int rc = cn_fail(err, CN_EOUTPUT, "%s: cannot create: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    *out = fdopen(fd, "w");
    if (!*out) {
        int rc = cn_fail(err, CN_EOUTPUT, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return rc;
    }
    *tmp_path = tmp;
    return CN_OK;
}

static int fsync_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int close_output(FILE *f, const char *tmp_path, const char *path, struct cn_err *err)
{
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        int rc = cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", tmp_path, strerror(errno));
        fclose(f);
        return rc;
    }
    if (fclose(f) != 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", tmp_path, strerror(errno));
    if (rename(tmp_path, path) != 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot rename to %s: %s", tmp_path, path,
                       strerror(errno));
    if (fsync_parent(path) != 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot sync its folder: %s", path, strerror(errno));
    return CN_OK;
}

int cmd_export_reservations(int argc, char **argv)
{
    const char *db = DEFAULT_DB, *out_path = NULL;
    struct cn_err err = {0};
    struct store *store = NULL;
    struct export_ctx ctx = {0};
    char *tmp_path = NULL;
    int rc = CN_OK;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out_path = argv[++i];
        } else {
            fprintf(stderr, "usage: certnotice export-reservations [--db FILE] [--out FILE]\n");
            return CN_EUSAGE;
        }
    }
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
    if (out_path && (rc = open_output(out_path, &tmp_path, &ctx.out, &err)) != CN_OK)
        goto done;
    static const char *const head[] = {"reservation_id", "window_start", "window_end",
                                       "cert_expiry",    "district",     "birth_mmdd",
                                       "status"};
    if (csv_write_row(ctx.out, head, 7) != 0) {
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
        FILE *f = ctx.out;
        ctx.out = NULL;
        if ((rc = close_output(f, tmp_path, out_path, &err)) != CN_OK)
            goto done;
        free(tmp_path);
        tmp_path = NULL;
    } else if (fflush(stdout) != 0) {
        rc = cn_fail(&err, CN_EOUTPUT, "stdout: cannot write: %s", strerror(errno));
        goto done;
    }
    log_info("export", "%ld reservation IDs written to %s", ctx.rows,
             out_path ? out_path : "stdout");
done:
    if (tmp_path) {
        if (ctx.out && ctx.out != stdout)
            fclose(ctx.out);
        unlink(tmp_path);
        free(tmp_path);
    }
    if (store)
        store_close(store);
    if (rc != CN_OK)
        log_error("export", "%s", err.msg);
    return rc;
}
