/* `certnotice ingest`: validates and loads resident files into the database without running
 * the rest of the night; the rejects are printed as CSV (file,line,field,reason). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "csv.h"
#include "err.h"
#include "ingest.h"
#include "log.h"
#include "store.h"

#define USAGE "usage: certnotice ingest [--db FILE] [--config FILE] [--rejects FILE] FILE..."

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

/* Rejects quote personal data: a file for them gets the configured mode, never wider. */
static FILE *open_private(const char *path, unsigned mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}

int cmd_ingest(int argc, char **argv)
{
    const char *db = "certnotice.db";
    const char *config_path = "certnotice.xml";
    const char *rejects_path = NULL;
    struct config cfg;
    struct store *store = NULL;
    struct cn_err err = {0};
    struct sink sink = {stdout, false};
    bool cfg_loaded = false;
    int rc = CN_OK, i;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "--db") == 0)
            slot = &db;
        else if (strcmp(argv[i], "--config") == 0)
            slot = &config_path;
        else if (strcmp(argv[i], "--rejects") == 0)
            slot = &rejects_path;
        else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (!slot || i + 1 >= argc) {
            fprintf(stderr, "certnotice ingest: %s '%s'\n%s\n",
                    slot ? "missing value for" : "unknown option", argv[i], USAGE);
            return CN_EUSAGE;
        }
        *slot = argv[++i];
    }
    if (i >= argc) {
        fprintf(stderr, "certnotice ingest: no input file\n%s\n", USAGE);
        return CN_EUSAGE;
    }

    rc = config_load(config_path, &cfg, &err);
    if (rc != CN_OK) {
        log_error("ingest", "%s", err.msg);
        return CN_EUSAGE;
    }
    cfg_loaded = true;
    if (rejects_path && !(sink.out = open_private(rejects_path, cfg.file_mode))) {
        log_error("ingest", "%s: cannot write: %s", rejects_path, strerror(errno));
        rc = CN_EOUTPUT;
        goto done;
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
    if (sink.out && sink.out != stdout)
        fclose(sink.out);
    store_close(store);
    if (cfg_loaded)
        config_free(&cfg);
    return rc;
}
