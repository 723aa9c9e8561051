/* ingest_int: what ingest.c shares with its CSV and XML readers: the state of one call and
 * of one file, and how a record is taken, rejected or its file refused. Must not be
 * included outside ingest.c, ingest_csv.c and ingest_xml.c. */
#ifndef CN_INGEST_INT_H
#define CN_INGEST_INT_H

#include <stdio.h>

#include <libxml/xmlschemas.h>

#include "cp932.h"
#include "idset.h"
#include "ingest.h"
#include "record.h"
#include "reject_spool.h"

#define INGEST_STAGE "ingest"

/* State of one ingest() call: the schema and converter are built on first need and kept
 * for every file of the call. */
struct ingest_run {
    struct store *s;
    const struct ingest_opts *o;
    xmlSchemaPtr schema;
    struct cp932 *cp932; /* NULL unless the config says cp932 */
    /* With several files: which file (1-based in paths) last stored each resident, so a
     * resident given differently by two files of one night is told (the later one wins). */
    bool across_files;
    struct idset night;
    char **paths;
    long file_no;
};

/* State of one input file, loaded whole or not at all (store_load_*). Rejects go to the
 * store's staging at once (a refused file takes them back) and are spooled for the
 * caller's sink, which only hears of them once the file is committed. */
struct ingest_file {
    struct ingest_run *run;
    const char *path;
    long records, loaded, rejected;
    struct reject_spool spool;
    struct idset ids;
    struct cn_err *err;
};

/* Checks one record's fields (schema_problem: what the XML schema found, or NULL) and
 * stores it or rejects it. */
int ingest_take_record(struct ingest_file *f, long line, const char *const values[F_COUNT],
                       const char *schema_problem);
/* One record refused: to the store now, to the caller's sink once the file is committed. */
int ingest_reject(struct ingest_file *f, long line, const char *field, const char *reason);
/* A whole file refused: told once to the sink (line 0 when no line is to blame) and err;
 * returns CN_EINPUT. */
int ingest_refuse(struct ingest_file *f, long line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int ingest_load_csv(struct ingest_file *f, FILE *in);
int ingest_load_xml(struct ingest_file *f, int fd);
/* Frees what ingest_load_xml built for the call (the schema). */
void ingest_xml_done(struct ingest_run *run);

#endif
