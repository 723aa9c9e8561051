/* ingest: loads resident files (CSV per the input contract, or XML checked against
 * templates/residents.xsd) into the store, one transaction per file, a file identical to
 * the last one loaded skipped.
 * Must not decide who gets a letter, nor keep a file's records in memory all at once. */
#ifndef CN_INGEST_H
#define CN_INGEST_H

#include <stdbool.h>

#include "config.h"
#include "err.h"
#include "individual_number.h" /* individual_number_field_name, for callers */
#include "store.h"

/* One refused record (line > 0) or one refused file (line 0), for internal/rejects.csv.
 * field is a contract column name, or "record" / "file" / "header" when no single field is
 * to blame. The strings live only for the duration of the call. */
struct ingest_reject {
    const char *file;
    long line;
    const char *field;
    const char *reason;
};

typedef void (*ingest_reject_fn)(const struct ingest_reject *rej, void *ctx);

struct ingest_opts {
    const struct config *cfg; /* required: districts and input encoding */
    /* The XML schema; NULL: residents.xsd in the parent of the config's folder (configs
     * live in templates/municipalities/, the schema in templates/). */
    const char *xsd_path;
    ingest_reject_fn on_reject; /* may be NULL */
    void *ctx;
};

/* Counts for report.json; ingest adds to them, so one struct can span several calls. */
struct ingest_stats {
    long files;    /* input files looked at */
    long skipped;  /* identical to the last file loaded (same SHA-256) */
    long refused;  /* refused whole: unreadable, bad header, individual number, bad XML */
    long records;  /* records read from the files that were not skipped or refused */
    long loaded;   /* residents stored */
    long rejected; /* records refused */
};

/* Ingests path: one file, or every *.csv and *.xml of a folder in name order. Returns
 * CN_OK, CN_REJECTS when records were rejected, CN_EINPUT when a file was unreadable or
 * refused (the other files are still loaded; err holds the first such message), or the
 * store's status if the database failed (stops at once). */
int ingest(struct store *s, const struct ingest_opts *opts, const char *path,
           struct ingest_stats *stats, struct cn_err *err);

#endif
