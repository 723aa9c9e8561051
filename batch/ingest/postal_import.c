#include "postal_import.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "csv.h"
#include "postal.h"
#include "sha256.h"
#include "unzip.h"

#define MAX_FILE (256L * 1024 * 1024)
#define KEN_ALL_COLS 15
#define JIGYOSYO_COLS 13
#define MAX_PARTS 64

/* The whole file as UTF-8 text: unzipped when it is a zip, converted from CP932 unless it is
 * already UTF-8 (utf_ken_all.zip). */
struct text {
    char *buf;
    size_t len;
};

static int read_all(const char *path, unsigned char **out, size_t *n, struct cn_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cn_fail(err, CN_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || sb.st_size > MAX_FILE) {
        fclose(f);
        return cn_fail(err, CN_EINPUT, "%s: unreadable or larger than %ld bytes", path, MAX_FILE);
    }
    *n = (size_t)sb.st_size;
    *out = malloc(*n + 1);
    if (!*out) {
        fclose(f);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    size_t got = fread(*out, 1, *n, f);
    fclose(f);
    if (got != *n) {
        free(*out);
        *out = NULL;
        return cn_fail(err, CN_EINPUT, "%s: read error", path);
    }
    return CN_OK;
}

static long line_of(const unsigned char *buf, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        line += buf[i] == '\n';
    return line;
}

/* iconv the whole buffer; on a byte with no conversion, *bad_at is its offset. */
static int convert(const char *from, unsigned char *in, size_t n, struct text *out, size_t *bad_at)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) // NOLINT(performance-no-int-to-ptr): iconv's own failure value
        return -1;
    size_t cap = n * 3 + 16; /* a half-width kana byte becomes three */
    out->buf = malloc(cap + 1);
    if (!out->buf) {
        iconv_close(cd);
        return -1;
    }
    char *src = (char *)in, *dst = out->buf;
    size_t left = n, room = cap;
    size_t rc = iconv(cd, &src, &left, &dst, &room);
    iconv_close(cd);
    if (rc == (size_t)-1 || left > 0) {
        *bad_at = (size_t)(src - (char *)in);
        free(out->buf);
        out->buf = NULL;
        return -1;
    }
    out->len = (size_t)(dst - out->buf);
    out->buf[out->len] = '\0';
    return 0;
}

static int load_text(const char *path, struct postal_source *src, struct text *out,
                     struct cn_err *err)
{
    unsigned char *raw = NULL, *csv = NULL;
    size_t raw_n = 0, csv_n = 0;
    int rc;
    memset(out, 0, sizeof *out);
    snprintf(src->name, sizeof src->name, "%s", path);
    if ((rc = sha256_file(path, src->sha256, err)) || (rc = read_all(path, &raw, &raw_n, err)))
        return rc;
    if (!raw)
        return cn_fail(err, CN_EINPUT, "%s: unreadable", path);
    if (raw_n >= 4 && memcmp(raw, "PK\003\004", 4) == 0) {
        char member[256];
        rc = unzip_member(raw, raw_n, path, ".CSV", &csv, &csv_n, src->date, member, sizeof member,
                          err);
        free(raw);
        if (rc || !csv)
            return rc ? rc : cn_fail(err, CN_EINPUT, "%s: empty zip member", path);
    } else {
        struct stat sb;
        struct tm tm;
        csv = raw;
        csv_n = raw_n;
        if (stat(path, &sb) == 0 && localtime_r(&sb.st_mtime, &tm))
            strftime(src->date, sizeof src->date, "%Y-%m-%d", &tm);
    }
    size_t bad_at = 0, bad_utf8 = 0;
    if (memchr(csv, '\0', csv_n)) {
        rc = cn_fail(err, CN_EINPUT, "%s: holds NUL bytes: UTF-16 or binary, not Japan Post's CSV",
                     path);
    } else if (convert("UTF-8", csv, csv_n, out, &bad_utf8) == 0) {
        rc = CN_OK; /* utf_ken_all: UTF-8, one record per line */
    } else if (convert("CP932", csv, csv_n, out, &bad_at) != 0) {
        rc = cn_fail(err, CN_EINPUT,
                     "%s:%ld: neither CP932 nor UTF-8 (byte %zu has no conversion): a foreign "
                     "encoding or a damaged file",
                     path, line_of(csv, bad_at), bad_at);
    }
    free(csv);
    return rc;
}

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A prefecture's name ends in 都 道 府 or 県: text that decoded to something else was not
 * Japan Post's file, or not in the encoding it claimed. */
static bool is_prefecture(const char *s)
{
    static const char *const ends[] = {"都", "道", "府", "県"};
    size_t n = strlen(s);
    for (size_t i = 0; i < 4; i++) {
        size_t m = strlen(ends[i]);
        if (n > m && strcmp(s + n - m, ends[i]) == 0)
            return true;
    }
    return false;
}

struct ken_state {
    struct store *s;
    struct postal_import_result *res;
    struct postal_town base;
    char town[4096]; /* the record's town field, joined over split lines */
    long line;       /* where the record began */
    bool open;
    char building_town[256];
    char building_city[128];
};

static int put_record(struct ken_state *k, const char *path, struct cn_err *err)
{
    char norm[4096];
    struct postal_town parts[MAX_PARTS];
    if (postal_normalize(k->town, norm, sizeof norm) < 0)
        return cn_fail(err, CN_EINPUT, "%s:%ld: field 9 (town): unreadable text", path, k->line);
    static const char except[] = "（次のビルを除く）";
    size_t n = strlen(norm), e = strlen(except);
    if (strcmp(k->building_city, k->base.city) != 0)
        k->building_town[0] = '\0';
    int got = postal_parse_town(&k->base, norm, k->building_town, parts, MAX_PARTS);
    if (n > e && strcmp(norm + n - e, except) == 0) {
        snprintf(k->building_town, sizeof k->building_town, "%.*s", (int)(n - e), norm);
        snprintf(k->building_city, sizeof k->building_city, "%s", k->base.city);
    }
    if (got == 0) {
        /* kept as the town before its parenthesis, to be applied by a person */
        parts[0] = k->base;
        char *paren = strstr(norm, "（");
        snprintf(parts[0].town, sizeof parts[0].town, "%.*s",
                 paren ? (int)(paren - norm) : (int)strlen(norm), norm);
        parts[0].kind = POSTAL_TOWN;
        parts[0].unit = POSTAL_UNIT_NONE;
        parts[0].ranges[0] = parts[0].names[0] = parts[0].building[0] = '\0';
        parts[0].floor = POSTAL_FLOOR_NONE;
        parts[0].partial = true;
        got = 1;
    }
    int rc = CN_OK;
    for (int i = 0; i < got && !rc; i++) {
        k->res->partial += parts[i].partial;
        rc = store_postal_put_town(k->s, &parts[i], err);
        k->res->towns++;
    }
    return rc;
}

/* What both of Japan Post's files share: a CSV of a fixed width whose every row names a
 * 7-digit postcode and a prefecture. A file that fails these is not the file it claims to
 * be (wrong encoding, truncated, swapped); the row function sees only rows that pass. */
struct file_shape {
    const char *name; /* KEN_ALL or JIGYOSYO, for the messages */
    int cols;
    int postcode_col; /* 0-based */
    int pref_col;
};

typedef int (*row_fn)(void *ctx, const char *path, const struct csv_record *rec,
                      struct cn_err *err);

static int read_rows(const struct file_shape *shape, const char *path, const struct text *t,
                     row_fn row, void *ctx, long *rows, struct cn_err *err)
{
    FILE *f = fmemopen(t->buf, t->len, "r");
    if (!f)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot read text: %s", path, strerror(errno));
    struct csv_reader *r = csv_reader_new(f);
    struct csv_record rec;
    int rc = CN_OK, got = 0;
    *rows = 0;
    while (!rc && r && (got = csv_read(r, &rec)) == 1) {
        ++*rows;
        if (rec.problem)
            rc = cn_fail(err, CN_EINPUT, "%s:%ld: %s", path, rec.line, rec.problem);
        else if (rec.n_fields != shape->cols)
            rc = cn_fail(err, CN_EINPUT,
                         "%s:%ld: %d fields, %s has %d (missing columns, truncated, or not %s)",
                         path, rec.line, rec.n_fields, shape->name, shape->cols, shape->name);
        else if (!all_digits(rec.fields[shape->postcode_col], 7))
            rc = cn_fail(err, CN_EINPUT, "%s:%ld: field %d (postcode) '%s' is not 7 digits", path,
                         rec.line, shape->postcode_col + 1, rec.fields[shape->postcode_col]);
        else if (!is_prefecture(rec.fields[shape->pref_col]))
            rc = cn_fail(err, CN_EINPUT,
                         "%s:%ld: field %d (prefecture) is not a prefecture's name: wrong "
                         "encoding or not %s",
                         path, rec.line, shape->pref_col + 1, shape->name);
        else
            rc = row(ctx, path, &rec, err);
    }
    if (!r)
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
    else if (!rc && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: read error", path);
    else if (!rc && *rows == 0)
        rc = cn_fail(err, CN_EINPUT, "%s: no records", path);
    csv_reader_free(r);
    fclose(f);
    return rc;
}

static int ken_all_row(void *ctx, const char *path, const struct csv_record *rec,
                       struct cn_err *err)
{
    struct ken_state *k = ctx;
    int rc = CN_OK;
    if (!rec->fields[7][0] || !rec->fields[8][0]) {
        rc = cn_fail(err, CN_EINPUT, "%s:%ld: field %d is empty", path, rec->line,
                     rec->fields[7][0] ? 9 : 8);
    } else if (k->open && strcmp(k->base.postcode, rec->fields[2]) == 0) {
        size_t len = strlen(k->town);
        if (len + rec->lens[8] >= sizeof k->town)
            rc = cn_fail(err, CN_EINPUT, "%s:%ld: a town split over too many lines", path, k->line);
        else
            memcpy(k->town + len, rec->fields[8], rec->lens[8] + 1);
    } else if (k->open) {
        rc = cn_fail(err, CN_EINPUT, "%s:%ld: field 9 (town): its 「（」 is never closed", path,
                     k->line);
    } else {
        memset(&k->base, 0, sizeof k->base);
        snprintf(k->base.postcode, sizeof k->base.postcode, "%s", rec->fields[2]);
        if (postal_normalize(rec->fields[6], k->base.pref, sizeof k->base.pref) < 0 ||
            postal_normalize(rec->fields[7], k->base.city, sizeof k->base.city) < 0)
            rc = cn_fail(err, CN_EINPUT, "%s:%ld: field 7 or 8 is too long", path, rec->line);
        snprintf(k->town, sizeof k->town, "%s", rec->fields[8]);
        k->line = rec->line;
    }
    if (!rc) {
        k->open = postal_field_open(k->town);
        if (!k->open)
            rc = put_record(k, path, err);
    }
    return rc;
}

static int import_ken_all(struct ken_state *k, const char *path, const struct text *t,
                          struct cn_err *err)
{
    static const struct file_shape shape = {"KEN_ALL", KEN_ALL_COLS, 2, 6};
    int rc = read_rows(&shape, path, t, ken_all_row, k, &k->res->ken_all.rows, err);
    if (!rc && k->open)
        rc = cn_fail(err, CN_EINPUT, "%s:%ld: the last record is cut off (truncated file)", path,
                     k->line);
    return rc;
}

struct jigyosyo_state {
    struct store *s;
    struct postal_import_result *res;
};

static int jigyosyo_row(void *ctx, const char *path, const struct csv_record *rec,
                        struct cn_err *err)
{
    struct jigyosyo_state *j = ctx;
    if (strcmp(rec->fields[10], "0") != 0 && strcmp(rec->fields[10], "1") != 0)
        return cn_fail(err, CN_EINPUT, "%s:%ld: field 11 (type) '%s' is not 0 or 1", path,
                       rec->line, rec->fields[10]);
    struct postal_office o = {.kind = rec->fields[10][0] - '0'};
    snprintf(o.postcode, sizeof o.postcode, "%s", rec->fields[7]);
    if (postal_normalize(rec->fields[3], o.pref, sizeof o.pref) < 0 ||
        postal_normalize(rec->fields[4], o.city, sizeof o.city) < 0 ||
        postal_normalize(rec->fields[5], o.town, sizeof o.town) < 0)
        return cn_fail(err, CN_EINPUT, "%s:%ld: field 4, 5 or 6 is too long", path, rec->line);
    int rc = store_postal_put_office(j->s, &o, err);
    if (!rc)
        j->res->offices++;
    return rc;
}

static int import_jigyosyo(struct store *s, const char *path, const struct text *t,
                           struct postal_import_result *res, struct cn_err *err)
{
    static const struct file_shape shape = {"JIGYOSYO", JIGYOSYO_COLS, 7, 3};
    struct jigyosyo_state j = {s, res};
    return read_rows(&shape, path, t, jigyosyo_row, &j, &res->jigyosyo.rows, err);
}

int postal_import(struct store *s, const char *ken_all, const char *jigyosyo,
                  struct postal_import_result *res, struct cn_err *err)
{
    memset(res, 0, sizeof *res);
    struct text ken = {0}, jig = {0};
    struct ken_state *k = calloc(1, sizeof *k);
    int rc;
    if (!k)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    k->s = s;
    k->res = res;
    /* both files read and decoded before the transaction: a bad second file costs nothing */
    if ((rc = load_text(ken_all, &res->ken_all, &ken, err)) ||
        (jigyosyo && (rc = load_text(jigyosyo, &res->jigyosyo, &jig, err))) ||
        (rc = store_postal_import_begin(s, err)))
        goto out;
    if ((rc = import_ken_all(k, ken_all, &ken, err)) ||
        (jigyosyo && (rc = import_jigyosyo(s, jigyosyo, &jig, res, err)))) {
        store_postal_import_abort(s);
        goto out;
    }
    rc = store_postal_import_commit(s, &res->ken_all, jigyosyo ? &res->jigyosyo : NULL, res->towns,
                                    res->offices, err);
out:
    free(ken.buf);
    free(jig.buf);
    free(k);
    return rc;
}
