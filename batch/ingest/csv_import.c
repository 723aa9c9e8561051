#include "csv_import.h"

#include <errno.h>
#include <string.h>

int csv_import(const char *path, FILE *in, csv_import_fn header, csv_import_fn row, void *ctx,
               struct cn_err *err)
{
    struct csv_reader *reader = csv_reader_new(in);
    if (!reader)
        return cn_fail(err, CN_EINPUT, "%s: out of memory", path);
    struct csv_record rec;
    int rc = CN_OK, got = csv_read(reader, &rec);
    if (got == 0)
        rc = cn_fail(err, CN_EINPUT, "%s: empty file, no header", path);
    else if (got > 0)
        rc = header(ctx, &rec, err);
    while (rc == CN_OK && got > 0 && (got = csv_read(reader, &rec)) > 0)
        rc = row(ctx, &rec, err);
    if (rc == CN_OK && got < 0)
        rc = cn_fail(err, CN_EINPUT, "%s: %s", path, strerror(errno));
    csv_reader_free(reader);
    return rc;
}

const char *csv_import_field(const struct csv_record *rec, int col, char *buf, size_t cap)
{
    buf[0] = '\0'; /* an absent column reads as empty */
    if (col < 0 || col >= rec->n_fields || col >= CSV_MAX_FIELDS)
        return buf;
    const char *v = rec->fields[col];
    size_t n = rec->lens[col];
    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    snprintf(buf, cap, "%.*s", (int)n, v);
    return buf;
}

bool csv_import_has_nul(const struct csv_record *rec)
{
    for (int i = 0; i < rec->n_fields && i < CSV_MAX_FIELDS; i++)
        if (strlen(rec->fields[i]) != rec->lens[i])
            return true;
    return false;
}
