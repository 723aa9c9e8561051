#include "feed_in.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "jsonflat.h"
#include "rid.h"
#include "sha256.h"
#include "store_audit.h"
#include "store_booking.h"
#include "wallfiles.h"

/* A feed of a million IDs is about 90 MB; anything far larger is not a feed. */
#define FEED_MAX_BYTES (512L * 1024 * 1024)
#define FEED_JSON_MAX 65536

struct bytes {
    char *data;
    size_t len, cap;
    bool too_big;
};

static void take_block(const unsigned char *buf, size_t n, void *ctx)
{
    struct bytes *b = ctx;
    if (b->too_big || b->len + n > (size_t)FEED_MAX_BYTES) {
        b->too_big = true;
        return;
    }
    if (!b->data || b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->too_big = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, buf, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* The whole file and the SHA-256 of exactly those bytes (a file changing meanwhile cannot
 * pass a checksum it was not read with). */
static int read_all(const char *path, struct bytes *b, char sha[65], struct cn_err *err)
{
    memset(b, 0, sizeof *b);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cn_fail(err, CN_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int rc = CN_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = cn_fail(err, CN_EINPUT, "%s: not a regular file", path);
    else if ((rc = sha256_fd(fd, path, sha, take_block, b, err)) == CN_OK && b->too_big)
        rc = cn_fail(err, CN_EINPUT, "%s: larger than %ld MB: not a feed", path,
                     FEED_MAX_BYTES / (1024L * 1024));
    close(fd);
    if (rc == CN_OK && !b->data)
        take_block((const unsigned char *)"", 0, b); /* an empty file: an empty string */
    if (rc == CN_OK && !b->data)
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
    return rc;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* DIR, DIR/feed.json or DIR/feed.csv: the two files side by side. */
static int find_files(const char *path, struct feed_in_result *out, struct cn_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cn_fail(err, CN_EINPUT, "%s: %s", path, strerror(errno));
    char dir[512];
    if (S_ISDIR(st.st_mode)) {
        snprintf(dir, sizeof dir, "%s", path);
    } else if (ends_with(path, ".json") || ends_with(path, ".csv")) {
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof dir, ".");
    } else {
        return cn_fail(err, CN_EUSAGE,
                       "%s: give the night's booking/ folder, its feed.json or "
                       "its feed.csv",
                       path);
    }
    if ((size_t)snprintf(out->json, sizeof out->json, "%s/feed.json", dir) >= sizeof out->json ||
        (size_t)snprintf(out->csv, sizeof out->csv, "%s/feed.csv", dir) >= sizeof out->csv)
        return cn_fail(err, CN_EUSAGE, "%s: path too long", path);
    return CN_OK;
}

static bool is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

/* feed.json: every key this program writes, of its kind, and no other. */
static int read_json(const char *path, struct feed_batch *b, struct cn_err *err)
{
    struct bytes raw;
    char sha[65];
    int rc = read_all(path, &raw, sha, err);
    if (rc)
        return rc;
    struct jsonflat j;
    const char *why;
    size_t at;
    if (raw.len > FEED_JSON_MAX || !jsonflat_parse(raw.data, raw.len, &j, &why, &at)) {
        rc = raw.len > FEED_JSON_MAX
                 ? cn_fail(err, CN_EINPUT, "%s: too large for a feed.json", path)
                 : cn_fail(err, CN_EINPUT,
                           "%s: not a feed.json (byte %zu: %s): truncated or "
                           "damaged",
                           path, at, why);
        free(raw.data);
        return rc;
    }
    free(raw.data);
    static const struct {
        const char *key;
        bool is_string;
    } want[] = {{"format", true}, {"municipality", true}, {"batch", true}, {"batch_date", true},
                {"run", false},   {"rows", false},        {"sha256", true}};
    const size_t n_want = sizeof want / sizeof want[0];
    for (int i = 0; i < j.n; i++) {
        size_t k = 0;
        while (k < n_want && strcmp(want[k].key, j.item[i].key) != 0)
            k++;
        if (k == n_want)
            return cn_fail(err, CN_EINPUT, "%s: unknown key \"%s\": not a feed this program wrote",
                           path, j.item[i].key);
    }
    for (size_t k = 0; k < n_want; k++) {
        bool is_string = false;
        const char *v = jsonflat_get(&j, want[k].key, &is_string);
        if (!v || is_string != want[k].is_string)
            return cn_fail(err, CN_EINPUT, "%s: \"%s\" %s: truncated or damaged", path, want[k].key,
                           v ? "of the wrong kind" : "missing");
    }
    const char *format = jsonflat_get(&j, "format", NULL);
    if (strcmp(format, FEED_FORMAT) != 0)
        return cn_fail(err, CN_EINPUT, "%s: format \"%s\", this program reads \"%s\"", path, format,
                       FEED_FORMAT);
    snprintf(b->municipality, sizeof b->municipality, "%s", jsonflat_get(&j, "municipality", NULL));
    snprintf(b->batch, sizeof b->batch, "%s", jsonflat_get(&j, "batch", NULL));
    snprintf(b->sha256, sizeof b->sha256, "%s", jsonflat_get(&j, "sha256", NULL));
    b->run = strtoll(jsonflat_get(&j, "run", NULL), NULL, 10);
    b->rows = strtol(jsonflat_get(&j, "rows", NULL), NULL, 10);
    if (!date_parse_iso(jsonflat_get(&j, "batch_date", NULL), &b->batch_date) || b->run < 1 ||
        b->rows < 0 || !is_hex64(jsonflat_get(&j, "sha256", NULL)) || !b->batch[0] ||
        !b->municipality[0])
        return cn_fail(err, CN_EINPUT,
                       "%s: a batch_date, run, rows or sha256 that no night writes: damaged", path);
    return CN_OK;
}

/* Older: an earlier night, or an earlier run of the same night. */
static int batch_cmp(const struct feed_batch *a, const struct feed_batch *b)
{
    if (a->batch_date != b->batch_date)
        return a->batch_date < b->batch_date ? -1 : 1;
    return a->run < b->run ? -1 : a->run > b->run ? 1 : 0;
}

static bool field_date(const struct csv_record *rec, int i, cn_date *out, bool empty_ok)
{
    if (empty_ok && rec->lens[i] == 0) {
        *out = DATE_NONE;
        return true;
    }
    return rec->lens[i] == 10 && date_parse_iso(rec->fields[i], out);
}

static bool district_ok(const char *s, size_t len)
{
    if (len < 1 || len > 16)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static bool mmdd_ok(const char *s, size_t len)
{
    if (len == 0)
        return true;
    if (len != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    const int m = (s[0] - '0') * 10 + (s[1] - '0'), d = (s[2] - '0') * 10 + (s[3] - '0');
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* One row into r; NULL, or what is wrong with it. */
static const char *parse_row(const struct csv_record *rec, struct feed_row *r)
{
    memset(r, 0, sizeof *r);
    if (rec->problem)
        return rec->problem;
    if (rec->n_fields != FEED_COLUMNS)
        return "a row with another number of fields than the header";
    for (int i = 0; i < FEED_COLUMNS; i++)
        if (strlen(rec->fields[i]) != rec->lens[i])
            return "a NUL byte in a field";
    char rid[RID_LEN + 1];
    if (!rid_check(rec->fields[FEED_RID], rid) || strcmp(rid, rec->fields[FEED_RID]) != 0)
        return "reservation_id is not a reservation ID as the night writes it";
    memcpy(r->rid, rid, sizeof r->rid);
    if (!field_date(rec, FEED_WINDOW_START, &r->window_start, false) ||
        !field_date(rec, FEED_WINDOW_END, &r->window_end, false) ||
        !field_date(rec, FEED_CERT_EXPIRY, &r->cert_expiry, false) ||
        !field_date(rec, FEED_LETTER_DATE, &r->letter_date, true) ||
        r->window_start > r->window_end)
        return "a date that is not YYYY-MM-DD, or a window that ends before it starts";
    if (!district_ok(rec->fields[FEED_DISTRICT], rec->lens[FEED_DISTRICT]))
        return "district is not a district code";
    memcpy(r->district, rec->fields[FEED_DISTRICT], rec->lens[FEED_DISTRICT] + 1);
    if (!mmdd_ok(rec->fields[FEED_BIRTH_MMDD], rec->lens[FEED_BIRTH_MMDD]))
        return "birth_mmdd is not MMDD (a month and day, never a year)";
    memcpy(r->birth_mmdd, rec->fields[FEED_BIRTH_MMDD], rec->lens[FEED_BIRTH_MMDD] + 1);
    if (!feed_booking_parse(rec->fields[FEED_POLICY], &r->booking))
        return "policy is neither book nor walk_in";
    return NULL;
}

static int check_header(const char *path, const struct csv_record *rec, struct cn_err *err)
{
    if (rec->problem)
        return cn_fail(err, CN_EINPUT, "%s: line %ld: %s", path, rec->line, rec->problem);
    /* A personal column is named as such, whatever else is wrong. */
    for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++)
        if (wallfiles_personal_column(rec->fields[i]))
            return cn_fail(err, CN_EINPUT,
                           "%s: column \"%s\" is personal data, which never crosses to the "
                           "booking store: refused",
                           path, rec->fields[i]);
    bool same = rec->n_fields == FEED_COLUMNS;
    for (int i = 0; same && i < FEED_COLUMNS; i++)
        same = strcmp(rec->fields[i], feed_column_names[i]) == 0;
    if (!same)
        return cn_fail(err, CN_EINPUT,
                       "%s: the header is not feed.csv's (reservation_id,window_start,window_end,"
                       "cert_expiry,district,birth_mmdd,letter_date,policy)",
                       path);
    return CN_OK;
}

/* Every row checked and staged; nothing in the store itself changes here. */
static int stage_rows(struct store *s, const char *path, const struct bytes *csv, long want_rows,
                      struct cn_err *err)
{
    FILE *in = fmemopen(csv->data, csv->len, "r");
    if (!in)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot read: %s", path, strerror(errno));
    struct csv_reader *r = csv_reader_new(in);
    struct csv_record rec;
    long rows = 0;
    int got, rc = r ? CN_OK : cn_fail(err, CN_EOUTPUT, "out of memory");
    if (!rc && (got = csv_read(r, &rec)) != 1)
        rc = cn_fail(err, CN_EINPUT, "%s: no header: empty or truncated", path);
    if (!rc)
        rc = check_header(path, &rec, err);
    if (!rc)
        rc = store_feed_stage_begin(s, err);
    bool staging = rc == CN_OK;
    while (!rc && (got = csv_read(r, &rec)) == 1) {
        struct feed_row row;
        const char *why = parse_row(&rec, &row);
        bool duplicate = false;
        if (why)
            rc = cn_fail(err, CN_EINPUT, "%s: line %ld: %s", path, rec.line, why);
        else if (!(rc = store_feed_stage_row(s, &row, &duplicate, err)) && duplicate)
            rc = cn_fail(err, CN_EINPUT, "%s: line %ld: reservation ID %.4s... given twice", path,
                         rec.line, row.rid);
        rows++;
    }
    if (!rc && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    if (!rc && rows != want_rows)
        rc = cn_fail(err, CN_EINPUT, "%s: %ld rows, feed.json says %ld: truncated", path, rows,
                     want_rows);
    if (staging)
        rc = rc ? (store_feed_stage_drop(s), rc) : store_feed_stage_end(s, err);
    csv_reader_free(r);
    fclose(in);
    return rc;
}

int feed_in_load(struct store *s, const struct feed_in_opts *o, struct feed_in_result *out,
                 struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    struct feed_batch *b = &out->batch;
    struct feed_batch last;
    bool have_last;
    int rc;
    if ((rc = find_files(o->path, out, err)) || (rc = read_json(out->json, b, err)))
        return rc;
    if (strcmp(b->municipality, o->municipality) != 0)
        return cn_fail(err, CN_EINPUT,
                       "%s: the feed of %s, this service is %s's (--config): refused", out->json,
                       b->municipality, o->municipality);
    if ((rc = store_feed_last(s, &last, &have_last, err)))
        return rc;
    if (have_last && strcmp(last.municipality, b->municipality) != 0)
        return cn_fail(err, CN_EINPUT, "%s: the feed of %s, this store holds %s's: refused",
                       out->json, b->municipality, last.municipality);
    if (have_last && batch_cmp(b, &last) < 0)
        return cn_fail(err, CN_EINPUT,
                       "%s: batch %s (run %lld) is older than the one loaded, %s (run %lld): "
                       "refused",
                       out->json, b->batch, (long long)b->run, last.batch, (long long)last.run);
    if (have_last && batch_cmp(b, &last) == 0) {
        if (strcmp(b->sha256, last.sha256) != 0)
            return cn_fail(err, CN_EINPUT,
                           "%s: batch %s (run %lld) was loaded already with other contents "
                           "(SHA-256 %.12s..., now %.12s...): refused",
                           out->json, b->batch, (long long)b->run, last.sha256, b->sha256);
    }
    struct bytes csv;
    char sha[65];
    if ((rc = read_all(out->csv, &csv, sha, err)))
        return rc;
    if (strcmp(sha, b->sha256) != 0) {
        free(csv.data);
        return cn_fail(err, CN_EINPUT,
                       "%s: SHA-256 %.12s... is not feed.json's %.12s...: the file is truncated, "
                       "damaged or changed: refused",
                       out->csv, sha, b->sha256);
    }
    if (have_last && batch_cmp(b, &last) == 0) {
        free(csv.data);
        out->unchanged = true; /* the same bytes again: nothing to do */
        return CN_OK;
    }
    rc = stage_rows(s, out->csv, &csv, b->rows, err);
    free(csv.data);
    if (rc)
        return rc;
    /* One transaction: the snapshot, the withdrawals, their bookings cancelled, retention,
     * and the audit, or none of it. */
    if ((rc = store_begin(s, err)))
        goto drop;
    char detail[256];
    if ((rc = store_feed_apply(s, b, &out->counts, err)) ||
        (rc = store_booking_withdraw(s, &out->cancelled, err)) ||
        (rc = store_retention_purge(s, o->today, o->now, o->retention_days, &out->purged, err)))
        goto rollback;
    snprintf(detail, sizeof detail,
             "batch %s run %lld rows %ld changed %ld withdrawn %ld "
             "cancelled %ld",
             b->batch, (long long)b->run, b->rows, out->counts.upserted, out->counts.withdrawn,
             out->cancelled);
    if ((rc = store_staff_audit(s, "cli", "feed import", detail, "cli", err)) ||
        (rc = store_commit(s, err)))
        goto rollback;
    store_feed_stage_drop(s);
    return CN_OK;
rollback:
    store_rollback(s);
drop:
    store_feed_stage_drop(s);
    return rc;
}
