/* The CSV half of ingest: the header mapped to contract columns, then one record a row. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp932.h"
#include "csv.h"
#include "individual_number.h"
#include "ingest_int.h"
#include "log.h"

/* Field text as UTF-8: the field itself, or its conversion in arena. NULL and a reject
 * reason when it cannot be used. */
static const char *field_text(struct ingest_run *run, const struct csv_record *rec, int i,
                              char **arena, size_t *room, const char *name, char *reason,
                              size_t reason_cap)
{
    if (strlen(rec->fields[i]) != rec->lens[i]) {
        snprintf(reason, reason_cap,
                 "%s contains a NUL byte; the file may be UTF-16 or binary, not text", name);
        return NULL;
    }
    if (!run->cp932)
        return rec->fields[i];
    size_t bad_at;
    char *out = *arena;
    if (!cp932_to_utf8(run->cp932, rec->fields[i], rec->lens[i], out, *room, &bad_at)) {
        snprintf(reason, reason_cap,
                 "%s has bytes that are not CP932 text (0x%02X at byte %zu); fix the "
                 "character in the source system",
                 name, (unsigned char)rec->fields[i][bad_at], bad_at + 1);
        return NULL;
    }
    size_t used = strlen(out) + 1;
    *arena += used;
    *room -= used;
    return out;
}

static void normalize_header(const char *in, char *out, size_t cap)
{
    while (*in == ' ')
        in++;
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        out[n++] = (*in >= 'A' && *in <= 'Z') ? (char)(*in - 'A' + 'a') : *in;
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

int ingest_load_csv(struct ingest_file *f, FILE *in)
{
    struct ingest_run *run = f->run;
    int rc = CN_OK;
    struct csv_reader *r = csv_reader_new(in);
    /* Converted text of one record: CP932 grows at most threefold (half-width kana). */
    size_t arena_cap = 3 * CSV_MAX_RECORD + CSV_MAX_FIELDS;
    char *arena = malloc(arena_cap);
    struct csv_record rec;
    int col[F_COUNT];
    if (!r || !arena) {
        rc = cn_fail(f->err, CN_EOUTPUT, "%s: out of memory", f->path);
        goto done;
    }
    int got = csv_read(r, &rec);
    if (got < 0) {
        rc = cn_fail(f->err, CN_EINPUT, "%s: cannot read: %s", f->path, strerror(errno));
        goto done;
    }
    if (got == 0) {
        rc = ingest_refuse(f, 0, "header",
                           "the file is empty; a header row naming the columns is "
                           "required");
        goto done;
    }
    if (rec.problem) {
        rc = ingest_refuse(f, rec.line, "header", "the header row is broken: %s", rec.problem);
        goto done;
    }
    if (rec.n_fields > CSV_MAX_FIELDS) {
        rc = ingest_refuse(f, rec.line, "header", "the header has %d columns; at most %d are read",
                           rec.n_fields, CSV_MAX_FIELDS);
        goto done;
    }
    int n_columns = rec.n_fields;
    for (int i = 0; i < F_COUNT; i++)
        col[i] = -1;
    for (int i = 0; i < n_columns; i++) {
        char reason[256], name[256];
        char *a = arena;
        size_t room = arena_cap;
        const char *text = field_text(run, &rec, i, &a, &room, "the header", reason, sizeof reason);
        if (!text) {
            rc = ingest_refuse(f, rec.line, "header", "%s", reason);
            goto done;
        }
        normalize_header(text, name, sizeof name);
        if (individual_number_field_name(name)) {
            rc = ingest_refuse(f, rec.line, "header",
                               "column %d ('%s') carries the individual number (マイナンバー), "
                               "which must never be sent to this system",
                               i + 1, name);
            goto done;
        }
        int fld = record_field_by_name(name);
        if (fld < 0) {
            log_warn(INGEST_STAGE, "%s: column %d ('%s') is not a contract column; ignored",
                     f->path, i + 1, name);
            continue;
        }
        if (col[fld] >= 0) {
            rc = ingest_refuse(f, rec.line, "header",
                               "column '%s' appears twice (columns %d and %d)", name, col[fld] + 1,
                               i + 1);
            goto done;
        }
        col[fld] = i;
    }
    char missing[512] = "";
    for (int fld = 0; fld < F_COUNT; fld++)
        if (col[fld] < 0 && record_field_required((enum field)fld)) {
            size_t n = strlen(missing);
            snprintf(missing + n, sizeof missing - n, "%s%s", n ? ", " : "",
                     record_field_name((enum field)fld));
        }
    if (missing[0]) {
        rc = ingest_refuse(f, rec.line, "header", "the header lacks required columns: %s", missing);
        goto done;
    }

    while ((got = csv_read(r, &rec)) == 1) {
        f->records++;
        char reason[256];
        if (rec.problem) {
            rc = ingest_reject(f, rec.line, "record", rec.problem);
        } else if (rec.n_fields != n_columns) {
            snprintf(reason, sizeof reason,
                     "the record has %d fields but the header has %d columns; check for a "
                     "missing or extra comma",
                     rec.n_fields, n_columns);
            rc = ingest_reject(f, rec.line, "record", reason);
        } else {
            const char *values[F_COUNT] = {0};
            char *a = arena;
            size_t room = arena_cap;
            int bad = -1;
            for (int fld = 0; fld < F_COUNT && bad < 0; fld++) {
                if (col[fld] < 0)
                    continue;
                values[fld] = field_text(run, &rec, col[fld], &a, &room,
                                         record_field_name((enum field)fld), reason, sizeof reason);
                if (!values[fld])
                    bad = fld;
            }
            if (bad >= 0)
                rc = ingest_reject(f, rec.line, record_field_name((enum field)bad), reason);
            else
                rc = ingest_take_record(f, rec.line, values, NULL);
        }
        if (rc != CN_OK)
            goto done;
    }
    if (got < 0)
        rc = cn_fail(f->err, CN_EINPUT, "%s: cannot read: %s", f->path, strerror(errno));
done:
    free(arena);
    csv_reader_free(r);
    return rc;
}
