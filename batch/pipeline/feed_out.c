#include "feed_out.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "jsonflat.h"
#include "notice.h"
#include "rules.h"
#include "sha256.h"
#include "slots.h"
#include "store_notice.h"
#include "wallfiles.h"

struct feed_ctx {
    const struct config *cfg;
    cn_date today;
    FILE *out;
    long rows;
    struct cn_err err;
};

/* The last day any of the district's offices lets this letter book (the booking pages'
 * own slots_allowed): the window's end, or open-ended after expiry. */
static cn_date last_day(const struct config *cfg, const char *district, struct window w,
                        cn_date letter_date)
{
    const struct district *d = config_district(cfg, district);
    cn_date last = w.end;
    const struct slot_resident res = {w.start, w.end, letter_date};
    for (int i = 0; d && i < d->n_offices; i++) {
        const struct office *o = &cfg->offices[d->offices[i]];
        if (!o->booking.enabled)
            continue;
        const struct date_range r = slots_allowed(&o->booking, &res);
        if (r.last > last)
            last = r.last;
    }
    return last;
}

static int feed_row(const struct notice_feed_row *n, void *vctx)
{
    struct feed_ctx *ctx = vctx;
    const struct window w = rules_window(n->cert_expiry);
    const struct notice_subject subject = {
        .status = n->status,
        .variant = n->variant,
        .outcome = n->outcome,
        .resident_active = n->resident_active,
        .held = n->held,
        .cert_current = n->cert_current,
        .last_day = last_day(ctx->cfg, n->district, w, n->letter_date),
    };
    const enum notice_booking b = notice_feed(&subject, ctx->today);
    if (b == NOTICE_BOOK_NONE)
        return CN_OK;
    char start[11], end[11], expiry[11], letter[11] = "", mmdd[8] = "";
    date_format_iso(w.start, start);
    date_format_iso(w.end, end);
    date_format_iso(n->cert_expiry, expiry);
    if (n->letter_date != DATE_NONE)
        date_format_iso(n->letter_date, letter);
    if (n->birth_date != DATE_NONE) {
        int y, m, d;
        date_to_ymd(n->birth_date, &y, &m, &d);
        snprintf(mmdd, sizeof mmdd, "%02d%02d", m % 100, d % 100);
    }
    const char *row[FEED_COLUMNS] = {
        [FEED_RID] = n->rid,
        [FEED_WINDOW_START] = start,
        [FEED_WINDOW_END] = end,
        [FEED_CERT_EXPIRY] = expiry,
        [FEED_DISTRICT] = n->district,
        [FEED_BIRTH_MMDD] = mmdd,
        [FEED_LETTER_DATE] = letter,
        [FEED_POLICY] = b == NOTICE_BOOK_WALK_IN ? "walk_in" : "book",
    };
    if (csv_write_feed_row(ctx->out, row, FEED_COLUMNS, CSV_CRLF) != 0)
        return cn_fail(&ctx->err, CN_EOUTPUT, "booking/feed.csv: cannot write: %s",
                       strerror(errno));
    ctx->rows++;
    return CN_OK;
}

int feed_out_write(struct publish *pub, struct store *s, const struct config *cfg,
                   const struct feed_out_info *info, long *rows, struct cn_err *err)
{
    struct feed_ctx ctx = {.cfg = cfg, .today = info->today};
    *rows = 0;
    if (!(ctx.out = publish_open(pub, "booking/feed.csv", err)))
        return CN_EOUTPUT;
    csv_write_feed_row(ctx.out, feed_column_names, FEED_COLUMNS, CSV_CRLF);
    int rc = store_notice_each_feed(s, feed_row, &ctx, err);
    if (rc && ctx.err.status)
        *err = ctx.err;
    if (rc) {
        fclose(ctx.out);
        return rc;
    }
    if ((rc = publish_close(&ctx.out, "booking/feed.csv", err)))
        return rc;
    /* The checksum of the bytes as they lie in the batch, read back. */
    char sha[65];
    if ((rc = sha256_file(publish_path(pub, "booking/feed.csv"), sha, err)))
        return rc;
    FILE *json = publish_open(pub, "booking/feed.json", err);
    if (!json)
        return CN_EOUTPUT;
    char day[11];
    date_format_iso(info->today, day);
    fprintf(json, "{\n  \"format\": \"%s\",\n  \"municipality\": ", FEED_FORMAT);
    jsonflat_put_string(json, cfg->municipality);
    fprintf(json, ",\n  \"batch\": ");
    jsonflat_put_string(json, info->batch);
    fprintf(json,
            ",\n  \"batch_date\": \"%s\",\n  \"run\": %lld,\n  \"rows\": %ld,\n"
            "  \"sha256\": \"%s\"\n}\n",
            day, (long long)info->run, ctx.rows, sha);
    *rows = ctx.rows;
    return publish_close(&json, "booking/feed.json", err);
}
