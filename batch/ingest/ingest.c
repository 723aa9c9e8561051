#include "ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtdscan.h"
#include "fault.h"
#include "ingest_int.h"
#include "inputdir.h"
#include "log.h"
#include "sha256.h"
#include "stop.h"
#include "store_input.h"
#include "store_resident.h"

/* ---- records ---- */

static void to_sink(long line, const char *field, const char *reason, void *ctx)
{
    const struct ingest_file *f = ctx;
    struct ingest_reject rej = {f->path, line, field, reason};
    f->run->o->on_reject(&rej, f->run->o->ctx);
}

int ingest_reject(struct ingest_file *f, long line, const char *field, const char *reason)
{
    int rc = store_load_reject(f->run->s, f->path, line, field, reason, f->err);
    if (rc != CN_OK)
        return rc;
    f->rejected++;
    if (!f->run->o->on_reject)
        return CN_OK;
    return reject_spool_add(&f->spool, line, field, reason, f->err);
}

static bool district_known(const char *code, void *ctx)
{
    return config_district(ctx, code) != NULL;
}

/* The resident came in an earlier file of this call too: if the data differ, the later
 * file wins, as it always did, but now with a line naming both files. */
static int note_across_files(struct ingest_file *f, const struct resident *r)
{
    struct ingest_run *run = f->run;
    long earlier = idset_swap(&run->night, r->resident_id, run->file_no);
    if (earlier < 0)
        return cn_fail(f->err, CN_EOUTPUT, "%s: out of memory", f->path);
    if (earlier == 0 || earlier == run->file_no)
        return CN_OK;
    struct resident stored;
    bool found = false;
    int rc = store_get_resident(run->s, r->resident_id, &stored, &found, f->err);
    if (rc == CN_OK && found && !record_same_input(&stored, r))
        log_warn(INGEST_STAGE,
                 "resident %s is in both %s and %s with different data; the later file's "
                 "record is kept",
                 r->resident_id, run->paths[earlier - 1], f->path);
    return rc;
}

int ingest_take_record(struct ingest_file *f, long line, const char *const values[F_COUNT],
                       const char *schema_problem)
{
    struct resident r;
    struct record_problem problem;
    if (stop_requested()) /* the file's transaction is rolled back */
        return stop_fail(f->err, f->path);
    /* The field rules give the clearer reason; the schema catches what they do not see
     * (unknown or repeated elements). */
    if (!record_from_fields(values, district_known, (void *)f->run->o->cfg, &r, &problem))
        return ingest_reject(f, line, record_field_name(problem.field), problem.reason);
    if (schema_problem && schema_problem[0])
        return ingest_reject(f, line, "record", schema_problem);
    /* Two rows for one person in one export: neither can be trusted over the other
     * silently; the first is kept and the clerk told. */
    long first = idset_check(&f->ids, r.resident_id, line);
    if (first < 0)
        return cn_fail(f->err, CN_EOUTPUT, "%s: out of memory", f->path);
    if (first > 0) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "resident_id '%s' already appears on line %ld of this file; that record "
                 "was kept and this one ignored",
                 r.resident_id, first);
        return ingest_reject(f, line, "resident_id", reason);
    }
    int rc = f->run->across_files ? note_across_files(f, &r) : CN_OK;
    if (rc == CN_OK)
        rc = store_load_resident(f->run->s, &r, f->err);
    if (rc == CN_OK)
        f->loaded++;
    return rc;
}

int ingest_refuse(struct ingest_file *f, long line, const char *what, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (f->run->o->on_reject) {
        struct ingest_reject rej = {f->path, line, what, reason};
        f->run->o->on_reject(&rej, f->run->o->ctx);
    }
    if (line > 0)
        return cn_fail(f->err, CN_EINPUT, "%s:%ld: file refused, nothing of it loaded: %s", f->path,
                       line, reason);
    return cn_fail(f->err, CN_EINPUT, "%s: file refused, nothing of it loaded: %s", f->path,
                   reason);
}

/* ---- one file ---- */

/* What the hash saw: the byte count, and (XML) any DTD. */
struct hashed {
    bool is_xml;
    long long bytes;
    struct dtd_scan dtd;
};

static void on_block(const unsigned char *buf, size_t n, void *ctx)
{
    struct hashed *h = ctx;
    h->bytes += (long long)n;
    if (h->is_xml)
        dtd_scan_block(buf, n, &h->dtd);
}

/* The bytes loaded must be the bytes hashed: a file still being written (a transfer that
 * has not finished) would otherwise be recorded under the checksum of a shorter file. */
static bool unchanged(int fd, const struct stat *before, long long hashed, struct stat *now)
{
    return fstat(fd, now) == 0 && now->st_size == before->st_size && now->st_size == hashed &&
           now->st_mtim.tv_sec == before->st_mtim.tv_sec &&
           now->st_mtim.tv_nsec == before->st_mtim.tv_nsec;
}

static int refuse_changed(struct ingest_file *f, long long hashed, const struct stat *now)
{
    return ingest_refuse(f, 0, "file",
                         "the file changed while it was read (%lld bytes when hashed, %lld "
                         "now): it may still be arriving; the next run loads it whole",
                         hashed, (long long)now->st_size);
}

static int ingest_file(struct ingest_run *run, const char *path, struct ingest_stats *st,
                       struct cn_err *err)
{
    struct ingest_file f = {.run = run, .path = path, .err = err};
    bool in_tx = false;
    FILE *in = NULL;
    char sha[65];
    struct stat before, now;
    int rc;
    st->files++;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &before) != 0) {
        rc = ingest_refuse(&f, 0, "file", "cannot open: %s", strerror(errno));
        goto done;
    }
    struct hashed h = {.is_xml = inputdir_is_xml(path)};
    /* Hashed and then parsed through the same descriptor: the bytes recorded as loaded are
     * the bytes that were read, even if another file is moved into its place meanwhile. */
    rc = sha256_fd(fd, path, sha, on_block, &h, err);
    if (rc != CN_OK) {
        char cause[sizeof err->msg];
        memcpy(cause, err->msg, sizeof cause);
        rc = ingest_refuse(&f, 0, "file", "%s", cause);
        goto done;
    }
    fault_point("ingest_hashed");
    if (h.dtd.found) {
        rc = ingest_refuse(&f, 0, "file", "%s", DTD_REFUSAL);
        goto done;
    }
    bool last = false;
    rc = store_input_is_last(run->s, sha, &last, err);
    if (rc != CN_OK)
        goto done;
    if (last) {
        st->skipped++;
        log_info(INGEST_STAGE, "%s: the same as the last file loaded (sha256 %.12s...); skipped",
                 path, sha);
        goto done;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        rc = ingest_refuse(&f, 0, "file", "cannot rewind: %s", strerror(errno));
        goto done;
    }
    rc = store_load_begin(run->s, err);
    if (rc != CN_OK)
        goto done;
    in_tx = true;
    if (h.is_xml) {
        rc = ingest_load_xml(&f, fd);
    } else {
        in = fdopen(fd, "rb");
        if (!in) {
            rc = cn_fail(err, CN_EOUTPUT, "%s: fdopen: %s", path, strerror(errno));
            goto done;
        }
        fd = -1;
        rc = ingest_load_csv(&f, in);
    }
    if (rc == CN_OK && !unchanged(in ? fileno(in) : fd, &before, h.bytes, &now))
        rc = refuse_changed(&f, h.bytes, &now);
    if (rc != CN_OK)
        goto done;
    in_tx = false;
    rc = store_load_commit(run->s, path, sha, f.loaded, f.rejected, err);
    if (rc != CN_OK)
        goto done;
    st->records += f.records;
    st->loaded += f.loaded;
    st->rejected += f.rejected;
    if (run->o->on_reject)
        reject_spool_replay(&f.spool, to_sink, &f);
    log_info(INGEST_STAGE, "%s: %ld records, %ld loaded, %ld rejected", path, f.records, f.loaded,
             f.rejected);
    rc = f.rejected ? CN_REJECTS : CN_OK;
done:
    if (in_tx)
        store_load_discard(run->s);
    if (rc == CN_EINPUT) {
        st->refused++;
        log_error(INGEST_STAGE, "%s", err->msg);
    }
    idset_free(&f.ids);
    reject_spool_free(&f.spool);
    if (in)
        fclose(in);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* ---- the call ---- */

int ingest(struct store *s, const struct ingest_opts *opts, const char *path,
           struct ingest_stats *stats, struct cn_err *err)
{
    struct ingest_run run = {.s = s, .o = opts};
    struct cn_err file_err;
    int rc = CN_OK;
    char **names = NULL;
    size_t n = 0;
    if (opts->cfg && opts->cfg->input_encoding == ENC_CP932 &&
        (rc = cp932_open(&run.cp932, err)) != CN_OK)
        return rc;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = inputdir_list(path, &names, &n, err);
        if (rc != CN_OK)
            goto done;
        if (n == 0)
            log_info(INGEST_STAGE, "%s: no *.csv or *.xml files", path);
    } else {
        names = malloc(sizeof *names);
        if (!names || !(names[0] = strdup(path))) {
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            goto done;
        }
        n = 1;
    }
    run.across_files = n > 1;
    run.paths = names;
    bool refused = false;
    long rejected_before = stats->rejected;
    for (size_t i = 0; i < n; i++) {
        cn_err_clear(&file_err);
        run.file_no = (long)i + 1;
        int frc = ingest_file(&run, names[i], stats, &file_err);
        if (frc == CN_EINPUT) {
            if (!refused && err)
                *err = file_err;
            refused = true;
        } else if (frc != CN_OK && frc != CN_REJECTS) {
            if (err)
                *err = file_err;
            rc = frc;
            goto done;
        }
    }
    if (refused)
        rc = CN_EINPUT;
    else if (stats->rejected > rejected_before)
        rc = cn_fail(err, CN_REJECTS, "%ld records rejected", stats->rejected - rejected_before);
done:
    inputdir_free(names, n);
    idset_free(&run.night);
    ingest_xml_done(&run);
    cp932_close(run.cp932);
    return rc;
}
