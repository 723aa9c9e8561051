#include "reject_spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int reject_spool_add(struct reject_spool *s, long line, const char *field, const char *reason,
                 struct cn_err *err)
{
    if (!s->f && !(s->f = tmpfile()))
        return cn_fail(err, CN_EOUTPUT, "cannot create a temporary file for rejects: %s",
                       strerror(errno));
    char line_text[24];
    snprintf(line_text, sizeof line_text, "%ld", line);
    const char *row[] = {line_text, field, reason};
    if (csv_write_feed_row(s->f, row, 3, CSV_LF) != 0)
        return cn_fail(err, CN_EOUTPUT, "cannot write the rejects spool: %s", strerror(errno));
    return CN_OK;
}

void reject_spool_replay(struct reject_spool *s,
                     void (*fn)(long line, const char *field, const char *reason, void *ctx),
                     void *ctx)
{
    if (!s->f)
        return;
    rewind(s->f);
    struct csv_reader *r = csv_reader_new(s->f);
    struct csv_record rec;
    while (r && csv_read(r, &rec) == 1 && rec.n_fields == 3)
        fn(atol(rec.fields[0]), rec.fields[1], rec.fields[2], ctx);
    csv_reader_free(r);
}

void reject_spool_free(struct reject_spool *s)
{
    if (s->f)
        fclose(s->f);
    s->f = NULL;
}
