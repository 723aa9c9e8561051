#include "printjob.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "csv.h"
#include "fault.h"
#include "log.h"
#include "notice.h"
#include "reader.h"
#include "stop.h"
#include "store_notice.h"
#include "store_order.h"
#include "store_outcome.h"
#include "store_resident.h"

int printjob_letter_init(struct printjob_letter *l, const struct resident *r,
                         const struct cert_group *g)
{
    memset(l, 0, sizeof *l);
    memcpy(l->resident_id, r->resident_id, sizeof l->resident_id);
    l->certs = *g;
    return CN_OK;
}

void printjob_letters_free(struct printjob_letter *letters, size_t n)
{
    (void)n;
    free(letters);
}

void printjob_file_name(int file_no, char out[32])
{
    snprintf(out, 32, "notices-%03d.pdf", file_no);
}

void printjob_letter_view(const struct printjob_letter *l, const struct resident *res,
                          const struct config *cfg, cn_date issue_date, struct letter *out)
{
    memset(out, 0, sizeof *out);
    out->r = res;
    out->district = config_district(cfg, res->district);
    out->certs = l->certs;
    out->window = rules_window(l->certs.expiry);
    out->variant = l->variant;
    memcpy(out->rid, l->rid, sizeof out->rid);
    out->issue_date = issue_date;
    out->seq = l->seq;
    out->file_no = l->file_no;
    out->barcode_from = l->barcode_from;
    out->barcode = l->barcode;
    out->insert_lang = reader_insert_lang(cfg, res->language);
    out->large_print = reader_large_print(cfg, res->birth_date, issue_date);
    out->pages = reader_pages(out->insert_lang != LANG_JA, out->large_print);
}

#define PLACED UINT32_MAX

struct order_ctx {
    uint32_t *order; /* order[k]: the index of the letter that goes k-th */
    size_t n, k;
    struct cn_err *err;
};

static int take_key(int64_t key, void *ctx)
{
    struct order_ctx *o = ctx;
    if (o->k == o->n || key < 0 || (uint64_t)key >= o->n)
        return cn_fail(o->err, CN_EOUTPUT, "sorting letters: key %lld out of range",
                       (long long)key);
    o->order[o->k++] = (uint32_t)key;
    return CN_OK;
}

int printjob_sort(struct store *store, struct printjob_letter *letters, size_t n, int batch_size,
                  struct cn_err *err)
{
    int rc;
    if (n >= PLACED)
        return cn_fail(err, CN_EOUTPUT, "%zu letters are more than one night can sort", n);
    struct order_ctx o = {.order = malloc((n ? n : 1) * sizeof *o.order), .n = n, .err = err};
    if (!o.order)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    /* Only the connection's scratch table is written, in chunks, and the sorted read runs
     * outside any transaction: the night never holds the write lock for a whole sort. */
    if ((rc = store_begin(store, err)))
        goto done;
    rc = store_order_clear(store, err);
    for (size_t i = 0; !rc && i < n; i++) {
        rc = store_order_add(store, (int64_t)i, letters[i].resident_id, letters[i].certs.expiry,
                             letters[i].review, err);
        if (!rc)
            rc = store_chunk(store, err);
    }
    if (rc) {
        store_rollback(store);
        goto done;
    }
    if ((rc = store_commit(store, err)))
        goto done;
    rc = store_order_each(store, take_key, &o, err);
    if (!rc && o.k != n)
        rc = cn_fail(err, CN_EOUTPUT, "sorting letters: %zu of %zu residents are gone", n - o.k, n);
    int cleared = store_order_clear(store, rc ? NULL : err);
    if (rc || (rc = cleared))
        goto done;
    /* letters[k] = old letters[order[k]], in place: each cycle of the permutation is
     * followed once, so a second array of letters is never needed. */
    for (size_t k = 0; k < n; k++) {
        if (o.order[k] == PLACED || o.order[k] == k)
            continue;
        struct printjob_letter first = letters[k];
        size_t j = k;
        for (;;) {
            size_t src = o.order[j];
            o.order[j] = PLACED;
            if (src == k) {
                letters[j] = first;
                break;
            }
            letters[j] = letters[src];
            j = src;
        }
    }
    long seq = 0;
    for (size_t i = 0; i < n; i++) {
        struct printjob_letter *l = &letters[i];
        if (l->review) {
            l->seq = 0;
            l->file_no = 0;
            continue;
        }
        l->seq = ++seq;
        l->file_no = (int)((seq - 1) / batch_size) + 1;
    }
done:
    free(o.order);
    return rc;
}

/* One print file's work. Residents are read on the calling thread (SQLite connections are
 * not shared across threads here); a worker only renders. */
struct file_task {
    const struct printjob *job;
    struct printjob_letter *letters;
    struct resident *residents;
    size_t n;
    char path[PATH_MAX];
    int pages;
    int rc;
    struct cn_err err;
};

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void *render_task(void *arg)
{
    struct file_task *t = arg;
    const struct printjob *job = t->job;
    struct render_file *f = NULL;
    const char *dir = publish_final_dir(job->pub), *slash = strrchr(dir, '/');
    t->rc = render_file_open(job->setup, &f, &t->err);
    for (size_t i = 0; !t->rc && i < t->n; i++) {
        struct letter view;
        printjob_letter_view(&t->letters[i], &t->residents[i], job->cfg, job->issue_date, &view);
        view.reprint = job->reprint || t->letters[i].reprint;
        view.batch = slash ? slash + 1 : dir;
        t->rc = render_file_add(f, &view, &t->err);
        fault_point("render");
        if (!t->rc && stop_requested())
            t->rc = stop_fail(&t->err, "render (the partial batch folder is removed)");
    }
    if (!t->rc)
        t->rc = render_file_save(f, t->path, job->cfg->file_mode, &t->pages, &t->err);
    render_file_free(f);
    return NULL;
}

static int prepare_task(const struct printjob *job, struct printjob_letter *letters, size_t n,
                        struct file_task *t, struct cn_err *err)
{
    t->job = job;
    t->letters = letters;
    t->n = n;
    t->rc = CN_OK;
    t->pages = 0;
    t->residents = malloc(n * sizeof *t->residents);
    if (!t->residents)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    for (size_t i = 0; i < n; i++) {
        bool found;
        int rc =
            store_get_resident(job->store, letters[i].resident_id, &t->residents[i], &found, err);
        if (rc)
            return rc;
        if (!found)
            return cn_fail(err, CN_EOUTPUT, "resident %s vanished from the database",
                           letters[i].resident_id);
    }
    char file[32], relative[64];
    printjob_file_name(letters[0].file_no, file);
    snprintf(relative, sizeof relative, "print/%s", file);
    /* Never a cut path: libharu would write the file somewhere else. */
    const char *path = publish_path(job->pub, relative);
    if (!path || (size_t)snprintf(t->path, sizeof t->path, "%s", path) >= sizeof t->path)
        return cn_fail(err, CN_EOUTPUT, "%s/%s: path too long", publish_final_dir(job->pub),
                       relative);
    return CN_OK;
}

/* The per-letter feeds: the municipality's record and the booking system's list. */
struct feeds {
    FILE *notices;
    FILE *reservations;
};

static int open_feed(const struct printjob *job, const char *relative, FILE **out,
                     const char *const *head, int n, struct cn_err *err)
{
    if (!(*out = publish_open(job->pub, relative, err)))
        return CN_EOUTPUT;
    csv_write_row(*out, head, n);
    return CN_OK;
}

static void feed_rows(struct feeds *fd, const struct printjob_letter *l, const struct resident *res)
{
    char expiry[11], start[11], end[11], seq[24], mmdd[5] = "", file[32], code[VARIANT_CODE_MAX];
    struct window w = rules_window(l->certs.expiry);
    date_format_iso(l->certs.expiry, expiry);
    date_format_iso(w.start, start);
    date_format_iso(w.end, end);
    snprintf(seq, sizeof seq, "%ld", l->seq);
    printjob_file_name(l->file_no, file);
    rules_variant_code(&l->variant, code);
    const char *notice[] = {l->resident_id, l->rid, expiry, code, file, seq};
    csv_write_row(fd->notices, notice, 6);
    /* A follow-up's ID went to the booking system with the notice's own letter. */
    if (l->followup != FOLLOWUP_NONE)
        return;
    /* These letters are this batch's, on their way to published. */
    if (notice_booking(NOTICE_PUBLISHING, OUTCOME_NONE, code) != NOTICE_BOOK_YES)
        return;
    if (res->birth_date != DATE_NONE) {
        char birth[11];
        date_format_iso(res->birth_date, birth);
        memcpy(mmdd, birth + 5, 2);
        memcpy(mmdd + 2, birth + 8, 2);
        mmdd[4] = '\0';
    }
    const char *booking[] = {l->rid, start, end, expiry, res->district, mmdd};
    csv_write_feed_row(fd->reservations, booking, 6, CSV_CRLF);
}

static int finish_task(const struct printjob *job, struct feeds *fd, struct file_task *t,
                       struct printjob_totals *totals, struct cn_err *err)
{
    if (t->rc) {
        *err = t->err;
        return t->rc;
    }
    struct print_file_info info = {0};
    char file[32];
    printjob_file_name(t->letters[0].file_no, file);
    snprintf(info.name, sizeof info.name, "%s", file);
    info.letters = (long)t->n;
    info.pages = t->pages;
    info.first_seq = t->letters[0].seq;
    info.last_seq = t->letters[t->n - 1].seq;
    memcpy(info.first_postal, t->residents[0].postal_code, sizeof info.first_postal);
    memcpy(info.last_postal, t->residents[t->n - 1].postal_code, sizeof info.last_postal);
    int rc = publish_add_print_file(job->pub, &info, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->n; i++) {
        publish_count_postal(job->pub, t->residents[i].postal_code);
        feed_rows(fd, &t->letters[i], &t->residents[i]);
    }
    totals->letters += info.letters;
    totals->pages += info.pages;
    totals->files++;
    return CN_OK;
}

/* The control sheet tells the vendor what the camera reads and where (README "Sheet
 * marks"), from the templates themselves so that it cannot disagree with the pages. */
static void note_sheet_marks(const struct printjob *job)
{
    static const char *const side_name[] = {"表面", "裏面"};
    char line[160];
    int k = 0;
    publish_note_sheet_mark(job->pub, k++,
                            "内容: BATCH|FILE|SEQUENCE|PAGE|PAGES|CHECK（ASCII、例 "
                            "2026-12-01|3|001204|2|2|2）");
    publish_note_sheet_mark(job->pub, k++,
                            "CHECK: 前5項目の文字コードに重み1,3,7を左から繰り返し掛けた和の"
                            "10の剰余（1桁）");
    for (int side = 0; side < 2; side++) {
        double x, y, w;
        if (!render_sheet_mark_place(job->setup, side, &x, &y, &w))
            continue;
        snprintf(
            line, sizeof line,
            "%s: 用紙左上から右 %.1f mm・下 %.1f mm の位置に %.1f mm 角（余白1モジュール込み）",
            side_name[side], x, y, w);
        publish_note_sheet_mark(job->pub, k++, line);
    }
}

int printjob_render(const struct printjob *job, struct printjob_letter *letters, size_t n,
                    struct printjob_totals *totals, struct cn_err *err)
{
    static const char *const notices_head[] = {"resident_id", "reservation_id", "cert_expiry",
                                               "variant",     "file",           "sequence"};
    static const char *const booking_head[] = {"reservation_id", "window_start", "window_end",
                                               "cert_expiry",    "district",     "birth_mmdd"};
    struct feeds fd = {0};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int jobs = job->jobs > 0 ? job->jobs : 1;
    struct file_task *tasks = calloc((size_t)jobs, sizeof *tasks);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    int rc = CN_OK;
    memset(totals, 0, sizeof *totals);
    if (!tasks || !threads) {
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
        goto done;
    }
    note_sheet_marks(job);
    if ((rc = open_feed(job, "internal/notices.csv", &fd.notices, notices_head, 6, err)) ||
        (rc = open_feed(job, "booking/reservations.csv", &fd.reservations, booking_head, 6, err)))
        goto done;

    size_t printable = 0;
    while (printable < n && !letters[printable].review)
        printable++;
    size_t next = 0;
    log_progress("render", 0, (long)printable); /* the clock of the rate starts here */
    while (next < printable) {
        /* Up to `jobs` files at once; each file is rendered wholly by one thread, so the
         * bytes of every file are the same whatever the number of threads. */
        int started = 0;
        for (; started < jobs && next < printable; started++) {
            size_t end = next;
            while (end < printable && letters[end].file_no == letters[next].file_no)
                end++;
            if ((rc = prepare_task(job, letters + next, end - next, &tasks[started], err)))
                goto join;
            next = end;
        }
    join:;
        int spawned = 0;
        if (!rc) {
            for (int i = 1; i < started; i++, spawned++)
                if (pthread_create(&threads[i], NULL, render_task, &tasks[i]) != 0)
                    break;
            if (started > 0)
                render_task(&tasks[0]);
        }
        for (int i = 1; i <= spawned; i++)
            pthread_join(threads[i], NULL);
        if (!rc && spawned < started - 1)
            rc = cn_fail(err, CN_EOUTPUT, "cannot start a render thread");
        /* Over every slot: a task whose preparation failed holds residents too. */
        for (int i = 0; i < jobs; i++) {
            if (!rc && i < started)
                rc = finish_task(job, &fd, &tasks[i], totals, err);
            free(tasks[i].residents);
            tasks[i].residents = NULL;
        }
        if (rc)
            goto done;
        log_progress("render", totals->letters, (long)printable);
    }
    log_progress_end();
    rc = publish_close(&fd.notices, "internal/notices.csv", err);
    if (!rc)
        rc = publish_close(&fd.reservations, "booking/reservations.csv", err);
    if (!rc)
        log_info("render", "letters=%ld pages=%ld files=%ld jobs=%d seconds=%.3f", totals->letters,
                 totals->pages, totals->files, jobs, seconds_since(&t0));
done:
    if (fd.notices)
        fclose(fd.notices);
    if (fd.reservations)
        fclose(fd.reservations);
    free(tasks);
    free(threads);
    return rc;
}

/* Where a batch left 'publishing' stands. Its partial folder, OUT/.NAME.partial, is the
 * evidence: it disappears only by the rename that publishes the batch, or by a cleanup
 * that first puts the notices back to 'issued' (printjob_publish, the stale sweep after
 * this recovery). The batch folder itself is no evidence: IT moves published folders to
 * the vendor, and a folder that is not there may well have been published. */
enum batch_fate { FATE_UNPUBLISHED, FATE_IN_PLACE, FATE_MOVED, FATE_OUT_GONE };

static int batch_fate(const char *batch, const char *out, enum batch_fate *fate, struct cn_err *err)
{
    char path[PATH_MAX], partial[PATH_MAX];
    struct stat st;
    /* Batches are recorded by absolute path; a bare name is from before that. */
    int len = batch[0] == '/' ? snprintf(path, sizeof path, "%s", batch)
                              : snprintf(path, sizeof path, "%s/%s", out, batch);
    if (len < 0 || len >= (int)sizeof path)
        return cn_fail(err, CN_EUSAGE, "%s: batch path too long", batch);
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path) : 0;
    const char *name = slash ? slash + 1 : path;
    len = snprintf(partial, sizeof partial, "%.*s%s.%s.partial", dir_len, path, slash ? "/" : "",
                   name);
    if (len < 0 || len >= (int)sizeof partial)
        return cn_fail(err, CN_EUSAGE, "%s: batch path too long", batch);
    if (lstat(partial, &st) == 0)
        *fate = FATE_UNPUBLISHED;
    else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        *fate = FATE_IN_PLACE;
    else {
        partial[dir_len] = '\0'; /* the output folder the batch was published into */
        *fate = dir_len == 0 || stat(partial, &st) == 0 ? FATE_MOVED : FATE_OUT_GONE;
    }
    return CN_OK;
}

int printjob_recover(struct store *s, const char *out, struct cn_err *err)
{
    static char names[64][BATCH_PATH_MAX];
    int n, rc;
    /* Each round resolves every batch it lists, so the next lists only what is left. */
    do {
        if ((rc = store_publishing_batches(s, names, 64, &n, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            enum batch_fate fate = FATE_UNPUBLISHED;
            if ((rc = batch_fate(names[i], out, &fate, err)) ||
                (rc = store_batch_resolve(s, names[i], fate != FATE_UNPUBLISHED, err)))
                return rc;
            static const char *const said[] = {
                [FATE_UNPUBLISHED] = "due again, same IDs (its partial folder is still there: "
                                     "it was never published)",
                [FATE_IN_PLACE] = "published (the folder is in place)",
                [FATE_MOVED] = "published (no partial folder is left, so it was renamed into "
                               "place; the folder has been moved away since)",
                [FATE_OUT_GONE] = "taken as published: its output folder is gone, partial "
                                  "folder and all; if the batch never reached the vendor, "
                                  "reprint its letters",
            };
            if (fate == FATE_OUT_GONE)
                log_error("recover", "batch %s was interrupted; its letters are %s", names[i],
                          said[fate]);
            else
                log_warn("recover", "batch %s was interrupted; its letters are %s", names[i],
                         said[fate]);
        }
    } while (n > 0);
    return CN_OK;
}

void printjob_remove_stale_partials(const char *out)
{
    static const char suffix[] = ".partial";
    const size_t suffix_len = sizeof suffix - 1;
    char names[64][64];
    int n = 0;
    DIR *dir = opendir(out);
    if (!dir)
        return; /* nothing to sweep; the run reports an unusable out when it writes there */
    struct dirent *e;
    while (n < 64 && (e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' && len > suffix_len + 1 && len - suffix_len - 1 < 64 &&
            strcmp(e->d_name + len - suffix_len, suffix) == 0) {
            memcpy(names[n], e->d_name + 1, len - suffix_len - 1);
            names[n++][len - suffix_len - 1] = '\0';
        }
    }
    closedir(dir);
    /* Beginning a batch of the same name removes its stale partial folder, and abandoning
     * it removes the fresh one: publish alone knows how a partial folder is laid out. */
    for (int i = 0; i < n; i++) {
        struct publish *pub = NULL;
        struct cn_err err = {0};
        if (publish_begin(out, names[i], 0600, &pub, &err) != CN_OK) {
            log_warn("recover", "partial folder of batch %s not removed: %s", names[i], err.msg);
            continue;
        }
        publish_free(pub);
        log_warn("recover", "removed the partial folder of interrupted batch %s", names[i]);
    }
}

int printjob_batch_name(const char *out, const char *base, char name[64], struct cn_err *err)
{
    for (int i = 1; i < 1000; i++) {
        if (i == 1)
            snprintf(name, 64, "%s", base);
        else
            snprintf(name, 64, "%s-%d", base, i);
        char path[4200];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", out, name) >= (int)sizeof path)
            return cn_fail(err, CN_EUSAGE, "%s: output path too long", out);
        if (stat(path, &st) != 0)
            return CN_OK;
    }
    return cn_fail(err, CN_EOUTPUT, "%s: 999 batches named %s already", out, base);
}

static int mark_publishing(const struct printjob *job, const char *batch,
                           const struct printjob_letter *letters, size_t n, struct cn_err *err)
{
    int rc;
    if ((rc = store_begin(job->store, err)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (letters[i].review)
            continue;
        char file[32];
        printjob_file_name(letters[i].file_no, file);
        /* Chunks keep the protocol: until the rename, recovery sends any 'publishing'
         * notice back to 'issued', whether its chunk was the last or not. */
        const struct printjob_letter *l = &letters[i];
        if ((rc = l->followup != FOLLOWUP_NONE
                      ? store_followup_set_status(job->store, l->notice_id, l->followup,
                                                  NOTICE_PUBLISHING, batch, file, l->seq, err)
                      : store_notice_set_status(job->store, l->notice_id, NOTICE_PUBLISHING, batch,
                                                file, l->seq, err)) ||
            (rc = store_chunk(job->store, err))) {
            store_rollback(job->store);
            return rc;
        }
    }
    return store_commit(job->store, err);
}

/* OUT/NAME with OUT made absolute: the batch's name in the store, valid whatever folder
 * the next run starts in or names as --out. */
static int absolute_batch_path(const char *final_dir, char where[BATCH_PATH_MAX],
                               struct cn_err *err)
{
    char parent[PATH_MAX], resolved[PATH_MAX];
    const char *slash = strrchr(final_dir, '/');
    const char *name = slash ? slash + 1 : final_dir;
    if (slash)
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - final_dir), final_dir);
    else
        snprintf(parent, sizeof parent, ".");
    if (!realpath(parent[0] ? parent : "/", resolved))
        return cn_fail(err, CN_EOUTPUT, "%s: %s", parent, strerror(errno));
    if (snprintf(where, BATCH_PATH_MAX, "%s/%s", strcmp(resolved, "/") ? resolved : "", name) >=
        BATCH_PATH_MAX)
        return cn_fail(err, CN_EOUTPUT, "%s: output path too long", resolved);
    return CN_OK;
}

int printjob_publish(const struct printjob *job, const char *label, struct printjob_letter *letters,
                     size_t n,
                     int (*before_finish)(void *ctx, const struct printjob_totals *totals,
                                          struct cn_err *err),
                     void *ctx, struct printjob_totals *totals, struct cn_err *err)
{
    int rc;
    char where[BATCH_PATH_MAX];
    if ((rc = absolute_batch_path(publish_final_dir(job->pub), where, err)))
        return rc;
    if ((rc = printjob_render(job, letters, n, totals, err)))
        return rc;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fault_point("after_render");
    if (before_finish && (rc = before_finish(ctx, totals, err)))
        return rc;
    if ((rc = publish_finish(job->pub, job->cfg, label, err)))
        return rc;
    fault_point("after_finish");
    /* The last point to stop: once the letters are marked, the batch is published. */
    if (stop_requested())
        return stop_fail(err, "publish (the batch was complete but is not published)");
    if ((rc = mark_publishing(job, where, letters, n, err)))
        return rc;
    fault_point("after_publishing_mark");
    if ((rc = publish_commit(job->pub, err))) {
        if (publish_committed(job->pub))
            return rc; /* renamed: the next run finds no partial folder, so 'published' */
        /* Not renamed: the letters go back to 'issued' before the partial folder (the
         * evidence that they were never published) is removed; if that fails, the folder
         * stays and the next run's recovery decides from it. */
        struct cn_err undo = {0};
        if (store_batch_resolve(job->store, where, false, &undo) != CN_OK) {
            publish_keep_partial(job->pub);
            log_error("publish", "%s", undo.msg);
        }
        return rc;
    }
    fault_point("after_rename");
    if ((rc = store_batch_resolve(job->store, where, true, err)))
        return rc; /* the next run finds the folder and completes the mark */
    fault_point("after_published_mark");
    log_info("publish", "batch %s: %ld letters, %ld pages in %ld files seconds=%.3f",
             publish_final_dir(job->pub), totals->letters, totals->pages, totals->files,
             seconds_since(&t0));
    return CN_OK;
}
