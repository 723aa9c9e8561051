#include "printjob.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "fault.h"
#include "log.h"

int printjob_letter_init(struct printjob_letter *l, const struct resident *r,
                         const struct cert_group *g)
{
    memset(l, 0, sizeof *l);
    size_t a = strlen(r->address), b = strlen(r->address2);
    l->sortkey = malloc(a + b + 2);
    if (!l->sortkey)
        return CN_EOUTPUT;
    /* \x1f sorts below every printable byte, so "1-2" comes before "1-2 Building". */
    memcpy(l->sortkey, r->address, a);
    l->sortkey[a] = '\x1f';
    memcpy(l->sortkey + a + 1, r->address2, b + 1);
    memcpy(l->resident_id, r->resident_id, sizeof l->resident_id);
    memcpy(l->postal, r->postal_code, sizeof l->postal);
    memcpy(l->district, r->district, sizeof l->district);
    l->birth_date = r->birth_date;
    l->certs = *g;
    return CN_OK;
}

void printjob_letters_free(struct printjob_letter *letters, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(letters[i].sortkey);
    free(letters);
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
}

static int postal_order(const void *pa, const void *pb)
{
    const struct printjob_letter *a = pa, *b = pb;
    int c;
    if (a->review != b->review)
        return a->review ? 1 : -1;
    if ((c = strcmp(a->postal, b->postal)) != 0)
        return c;
    if ((c = strcmp(a->sortkey, b->sortkey)) != 0)
        return c;
    if ((c = strcmp(a->resident_id, b->resident_id)) != 0)
        return c;
    return (a->certs.expiry > b->certs.expiry) - (a->certs.expiry < b->certs.expiry);
}

void printjob_sort(struct printjob_letter *letters, size_t n, int batch_size)
{
    qsort(letters, n, sizeof *letters, postal_order);
    long seq = 0;
    for (size_t i = 0; i < n; i++) {
        struct printjob_letter *l = &letters[i];
        if (l->review) {
            l->seq = 0;
            l->file_no = 0;
            l->file[0] = '\0';
            continue;
        }
        l->seq = ++seq;
        l->file_no = (int)((seq - 1) / batch_size) + 1;
        snprintf(l->file, sizeof l->file, "notices-%03d.pdf", l->file_no);
    }
}

/* One print file's work. Residents are read on the calling thread (SQLite connections are
 * not shared across threads here); a worker only renders. */
struct file_task {
    const struct printjob *job;
    struct printjob_letter *letters;
    struct resident *residents;
    size_t n;
    char path[1024];
    int pages;
    int rc;
    struct cn_err err;
};

static void *render_task(void *arg)
{
    struct file_task *t = arg;
    const struct printjob *job = t->job;
    struct render_file *f = NULL;
    t->rc = render_file_open(job->setup, &f, &t->err);
    for (size_t i = 0; !t->rc && i < t->n; i++) {
        struct letter view;
        printjob_letter_view(&t->letters[i], &t->residents[i], job->cfg, job->issue_date, &view);
        view.reprint = job->reprint;
        t->rc = render_file_add(f, &view, &t->err);
        fault_point("render");
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
        int rc = store_get_resident(job->store, letters[i].resident_id, &t->residents[i],
                                    &found, err);
        if (rc)
            return rc;
        if (!found)
            return cn_fail(err, CN_EOUTPUT, "resident %s vanished from the database",
                           letters[i].resident_id);
    }
    char relative[64];
    snprintf(relative, sizeof relative, "print/%s", letters[0].file);
    snprintf(t->path, sizeof t->path, "%s", publish_path(job->pub, relative));
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
    const char *path = publish_path(job->pub, relative);
    *out = fopen(path, "w");
    if (!*out)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot write: %s", path, strerror(errno));
    fchmod(fileno(*out), job->cfg->file_mode);
    csv_write_row(*out, head, n);
    return CN_OK;
}

static int close_feed(FILE **f, const char *what, struct cn_err *err)
{
    if (!*f)
        return CN_OK;
    int bad = ferror(*f) | fclose(*f);
    *f = NULL;
    return bad ? cn_fail(err, CN_EOUTPUT, "%s: write failed: %s", what, strerror(errno)) : CN_OK;
}

static void feed_rows(const struct printjob *job, struct feeds *fd, const struct printjob_letter *l)
{
    char expiry[11], start[11], end[11], seq[24], mmdd[5] = "";
    struct window w = rules_window(l->certs.expiry);
    date_format_iso(l->certs.expiry, expiry);
    date_format_iso(w.start, start);
    date_format_iso(w.end, end);
    snprintf(seq, sizeof seq, "%ld", l->seq);
    const char *notice[] = {l->resident_id, l->rid, expiry, l->variant_code, l->file, seq};
    csv_write_row(fd->notices, notice, 6);
    /* Walk-in districts take no bookings: their IDs would only clutter the feed. */
    const struct district *d = config_district(job->cfg, l->district);
    if (d && d->policy == RESV_NONE)
        return;
    if (l->birth_date != DATE_NONE) {
        char birth[11];
        date_format_iso(l->birth_date, birth);
        memcpy(mmdd, birth + 5, 2);
        memcpy(mmdd + 2, birth + 8, 2);
        mmdd[4] = '\0';
    }
    const char *booking[] = {l->rid, start, end, expiry, l->district, mmdd};
    csv_write_row(fd->reservations, booking, 6);
}

static int finish_task(const struct printjob *job, struct feeds *fd, struct file_task *t,
                       struct printjob_totals *totals, struct cn_err *err)
{
    if (t->rc) {
        *err = t->err;
        return t->rc;
    }
    struct print_file_info info = {0};
    snprintf(info.name, sizeof info.name, "%s", t->letters[0].file);
    info.letters = (long)t->n;
    info.pages = t->pages;
    info.first_seq = t->letters[0].seq;
    info.last_seq = t->letters[t->n - 1].seq;
    memcpy(info.first_postal, t->letters[0].postal, sizeof info.first_postal);
    memcpy(info.last_postal, t->letters[t->n - 1].postal, sizeof info.last_postal);
    int rc = publish_add_print_file(job->pub, &info, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < t->n; i++) {
        publish_count_postal(job->pub, t->letters[i].postal);
        feed_rows(job, fd, &t->letters[i]);
    }
    totals->letters += info.letters;
    totals->pages += info.pages;
    totals->files++;
    log_progress("render", totals->letters, totals->letters);
    return CN_OK;
}

int printjob_render(const struct printjob *job, struct printjob_letter *letters, size_t n,
                    struct printjob_totals *totals, struct cn_err *err)
{
    static const char *const notices_head[] = {"resident_id", "reservation_id", "cert_expiry",
                                               "variant",     "file",           "sequence"};
    static const char *const booking_head[] = {"reservation_id", "window_start", "window_end",
                                               "cert_expiry",    "district",     "birth_mmdd"};
    struct feeds fd = {0};
    int jobs = job->jobs > 0 ? job->jobs : 1;
    struct file_task *tasks = calloc((size_t)jobs, sizeof *tasks);
    pthread_t *threads = calloc((size_t)jobs, sizeof *threads);
    int rc = CN_OK;
    memset(totals, 0, sizeof *totals);
    if (!tasks || !threads) {
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
        goto done;
    }
    if ((rc = open_feed(job, "internal/notices.csv", &fd.notices, notices_head, 6, err)) ||
        (rc = open_feed(job, "booking/reservations.csv", &fd.reservations, booking_head, 6,
                        err)))
        goto done;

    size_t printable = 0;
    while (printable < n && !letters[printable].review)
        printable++;
    size_t next = 0;
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
    }
    log_progress_end();
    rc = close_feed(&fd.notices, "internal/notices.csv", err);
    if (!rc)
        rc = close_feed(&fd.reservations, "booking/reservations.csv", err);
done:
    if (fd.notices)
        fclose(fd.notices);
    if (fd.reservations)
        fclose(fd.reservations);
    free(tasks);
    free(threads);
    return rc;
}

int printjob_recover(struct store *s, const char *out, struct cn_err *err)
{
    char names[64][64];
    int n = 0, rc;
    if ((rc = store_publishing_batches(s, names, 64, &n, err)))
        return rc;
    for (int i = 0; i < n; i++) {
        char path[4200];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", out, names[i]) >= (int)sizeof path)
            return cn_fail(err, CN_EUSAGE, "%s: output path too long", out);
        bool in_place = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        if ((rc = store_batch_resolve(s, names[i], in_place, err)))
            return rc;
        log_warn("recover", "batch %s was interrupted; its letters are %s", names[i],
                 in_place ? "published (the folder is in place)" : "due again, same IDs");
    }
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
        if ((rc = store_notice_set_status(job->store, letters[i].notice_id, NOTICE_PUBLISHING,
                                          batch, letters[i].file, letters[i].seq, err))) {
            store_rollback(job->store);
            return rc;
        }
    }
    return store_commit(job->store, err);
}

int printjob_publish(const struct printjob *job, const char *batch, const char *label,
                     struct printjob_letter *letters, size_t n,
                     int (*before_finish)(void *ctx, const struct printjob_totals *totals,
                                          struct cn_err *err),
                     void *ctx, struct printjob_totals *totals, struct cn_err *err)
{
    int rc;
    if ((rc = printjob_render(job, letters, n, totals, err)))
        return rc;
    fault_point("after_render");
    if (before_finish && (rc = before_finish(ctx, totals, err)))
        return rc;
    if ((rc = publish_finish(job->pub, job->cfg, label, err)))
        return rc;
    fault_point("after_finish");
    if ((rc = mark_publishing(job, batch, letters, n, err)))
        return rc;
    fault_point("after_publishing_mark");
    if ((rc = publish_commit(job->pub, err)))
        return rc; /* the next run finds no folder: the letters go back to 'issued' */
    fault_point("after_rename");
    if ((rc = store_batch_resolve(job->store, batch, true, err)))
        return rc; /* the next run finds the folder and completes the mark */
    fault_point("after_published_mark");
    log_info("publish", "batch %s: %ld letters, %ld pages in %ld files",
             publish_final_dir(job->pub), totals->letters, totals->pages, totals->files);
    return CN_OK;
}
