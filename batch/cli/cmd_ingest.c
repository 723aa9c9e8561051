/* `certnotice ingest`: validates and loads resident files into the database without running
 * the rest of the night; the rejects are printed as CSV (file,line,field,reason). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "commands.h"
#include "config.h"
#include "config_load.h"
#include "csv.h"
#include "err.h"
#include "ingest.h"
#include "log.h"
#include "store.h"

enum { INGEST_DB, INGEST_CONFIG, INGEST_REJECTS };

const struct cmd_usage cmd_ingest_usage = {
    .name = "ingest",
    .operands = "FILE...",
    .min_operands = 1,
    .max_operands = -1,
    .summary = "Validate and load resident files only; the rejects are printed as CSV.",
    .opts =
        {
            [INGEST_DB] = {"db", "FILE", "the database", "certnotice.db"},
            [INGEST_CONFIG] = {"config", "FILE", "the municipality", "certnotice.xml"},
            [INGEST_REJECTS] = {"rejects", "FILE", "write the rejects here, not stdout"},
        },
};

struct sink {
    FILE *out;
    bool header_written;
};

static void write_reject(const struct ingest_reject *rej, void *ctx)
{
    struct sink *sink = ctx;
    if (!sink->header_written) {
        const char *header[] = {"file", "line", "field", "reason"};
        csv_write_row(sink->out, header, 4);
        sink->header_written = true;
    }
    char line[24];
    snprintf(line, sizeof line, "%ld", rej->line);
    const char *row[] = {rej->file, line, rej->field, rej->reason};
    csv_write_row(sink->out, row, 4);
}

int cmd_ingest(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_ingest_usage, argc, argv, &a, &rc))
        return rc;
    const char *db = a.value[INGEST_DB];
    const char *config_path = a.value[INGEST_CONFIG];
    const char *rejects_path = a.value[INGEST_REJECTS];
    struct config cfg;
    struct store *store = NULL;
    struct cn_err err = {0};
    struct sink sink = {stdout, false};
    bool cfg_loaded = false;
    /* Rejects quote personal data: their file gets the configured mode, never wider, and
     * appears whole (what this command found), never half written. */
    struct atomicfile rejects;
    bool rejects_open = false;
    int i = a.first;

    rc = config_load(config_path, &cfg, &err);
    if (rc != CN_OK) {
        log_error("ingest", "%s", err.msg);
        return CN_EUSAGE;
    }
    cfg_loaded = true;
    if (rejects_path) {
        if (atomicfile_open(&rejects, rejects_path, cfg.file_mode, &err) != CN_OK) {
            log_error("ingest", "%s", err.msg);
            rc = CN_EOUTPUT;
            goto done;
        }
        rejects_open = true;
        if (!(sink.out = atomicfile_stream(&rejects, &err))) {
            log_error("ingest", "%s", err.msg);
            rc = CN_EOUTPUT;
            goto done;
        }
    }
    rc = store_open(db, cfg.file_mode, &store, &err);
    if (rc != CN_OK) {
        log_error("ingest", "%s", err.msg);
        goto done;
    }

    struct ingest_opts opts = {.cfg = &cfg, .on_reject = write_reject, .ctx = &sink};
    struct ingest_stats stats = {0};
    for (; i < argc; i++) {
        int frc = ingest(store, &opts, argv[i], &stats, &err);
        if (frc != CN_OK && frc != CN_REJECTS && frc != CN_EINPUT) {
            log_error("ingest", "%s", err.msg);
            rc = frc;
            goto done;
        }
        if (frc > rc)
            rc = frc;
    }
    log_info("ingest", "files=%ld skipped=%ld refused=%ld records=%ld loaded=%ld rejected=%ld",
             stats.files, stats.skipped, stats.refused, stats.records, stats.loaded,
             stats.rejected);
done:
    if (sink.out && (fflush(sink.out) != 0 || ferror(sink.out))) {
        log_error("ingest", "cannot write the rejects: %s", strerror(errno));
        rc = CN_EOUTPUT;
    }
    if (rejects_open && rc != CN_EOUTPUT) {
        if (atomicfile_commit(&rejects, &err) != CN_OK) {
            log_error("ingest", "%s", err.msg);
            rc = CN_EOUTPUT;
        }
    } else if (rejects_open) {
        atomicfile_abort(&rejects);
    }
    store_close(store);
    if (cfg_loaded)
        config_free(&cfg);
    return rc;
}
