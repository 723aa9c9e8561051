/* store: the SQLite state that must survive a crash: residents, notices and their
 * reservation IDs, runs, loaded input files, rejects, audit. Must not build SQL from data:
 * every statement is prepared with bound parameters. */
#ifndef CN_STORE_H
#define CN_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "record.h"
#include "rid.h"

struct store;

/* Opens (creating with mode, 0600 by default) and migrates the database; WAL mode. */
int store_open(const char *path, unsigned mode, struct store **out, struct cn_err *err);
void store_close(struct store *s);

/* Transactions nest (savepoints), so that ingest's per-file transaction can sit inside a
 * dry run's outer one. */
int store_begin(struct store *s, struct cn_err *err);
int store_commit(struct store *s, struct cn_err *err);
void store_rollback(struct store *s);

/* From now on nothing is kept: everything is rolled back when the store closes. */
int store_dry_run(struct store *s, struct cn_err *err);

/* PRAGMA quick_check: CN_ECORRUPT with the check's first findings if the file is damaged
 * (a damaged page can hide residents from a scan without any error). */
int store_quick_check(struct store *s, struct cn_err *err);

/* ---- input files and residents (ingest) ---- */
int store_input_seen(struct store *s, const char *sha256, bool *seen, struct cn_err *err);
int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err);
/* Inserts the resident or replaces the stored one (a newer export wins). */
int store_put_resident(struct store *s, const struct resident *r, struct cn_err *err);
int store_get_resident(struct store *s, const char *resident_id, struct resident *out, bool *found,
                       struct cn_err *err);
int store_put_reject(struct store *s, const char *file, long line, const char *field,
                     const char *reason, struct cn_err *err);

/* Calls fn for every resident, in resident_id order; fn returning non-zero stops and that
 * value is returned. */
int store_each_resident(struct store *s, int (*fn)(const struct resident *r, void *ctx), void *ctx,
                        struct cn_err *err);

/* Holds the resident from automatic letters (returned mail); a newer record with another
 * address lifts the hold. */
int store_set_returned_hold(struct store *s, const char *resident_id, bool hold,
                            struct cn_err *err);

/* ---- audit: who did what, for the municipality's record ---- */
int store_audit(struct store *s, const char *event, const char *detail, struct cn_err *err);

/* ---- runs ---- */
int store_run_begin(struct store *s, cn_date run_date, const char *command, int64_t *run_id,
                    struct cn_err *err);
int store_run_finish(struct store *s, int64_t run_id, int exit_code, const char *summary,
                     struct cn_err *err);

/* ---- notices: one per resident per certificate expiry ---- */
enum notice_status {
    NOTICE_ISSUED,     /* reservation ID given, not yet in a published batch */
    NOTICE_PUBLISHING, /* in a batch being renamed into place (crash recovery decides) */
    NOTICE_PUBLISHED,
    NOTICE_RETURNED, /* came back undeliverable */
    NOTICE_REVIEW    /* held for a person to check; not printed */
};

/* A batch is recorded by the absolute path of its folder, so that crash recovery finds it
 * even when the next run is given another --out. */
#define BATCH_PATH_MAX 512

struct notice {
    int64_t id;
    char resident_id[RESIDENT_ID_MAX + 1];
    cn_date cert_expiry;
    char rid[RID_LEN + 1];
    char variant[16];
    enum notice_status status;
    char batch[BATCH_PATH_MAX];
    char file[32];
    long seq;
};

int store_notice_find(struct store *s, const char *resident_id, cn_date cert_expiry,
                      struct notice *out, bool *found, struct cn_err *err);
int store_notice_by_rid(struct store *s, const char *rid, struct notice *out, bool *found,
                        struct cn_err *err);
/* The resident's notices, newest expiry first; *n is the total, at most cap are filled. */
int store_notices_of_resident(struct store *s, const char *resident_id, struct notice *out, int cap,
                              int *n, struct cn_err *err);
/* Creates the notice with a fresh reservation ID (retrying on the rare collision). */
int store_notice_issue(struct store *s, int64_t run_id, const char *resident_id,
                       cn_date cert_expiry, const char *variant, struct notice *out,
                       struct cn_err *err);
/* Calls fn for every notice in reservation-ID order (the booking system's full list). */
/* Crash recovery: batches whose notices were marked 'publishing' when a run died. */
int store_publishing_batches(struct store *s, char (*names)[BATCH_PATH_MAX], int cap, int *n,
                             struct cn_err *err);
/* published: the batch folder is in place, its notices become 'published'; otherwise the
 * rename never happened and they go back to 'issued', to be printed again, same ID. */
int store_batch_resolve(struct store *s, const char *batch, bool published, struct cn_err *err);

int store_each_notice(struct store *s, int (*fn)(const struct notice *n, void *ctx), void *ctx,
                      struct cn_err *err);
int store_notice_set_status(struct store *s, int64_t notice_id, enum notice_status status,
                            const char *batch, const char *file, long seq, struct cn_err *err);

/* ---- the night's letters in print order (printjob.h says which order) ----
 * Sorting a million letters in memory would need their addresses in memory; SQLite sorts
 * them from the residents table within bounded memory instead. A key is the caller's
 * index of the letter. */
int store_order_clear(struct store *s, struct cn_err *err);
int store_order_add(struct store *s, int64_t key, const char *resident_id, cn_date cert_expiry,
                    bool held, struct cn_err *err);
/* Calls fn with each key in print order; a letter whose resident is gone is left out. */
int store_order_each(struct store *s, int (*fn)(int64_t key, void *ctx), void *ctx,
                     struct cn_err *err);
/* ==== operations: returned mail and the report (cmd_ops.c). Read-only views, plus the
 * lookup `returned` needs; each prepares its own statement so this block stays apart. ==== */

/* The resident's most recent notice that went out in the post (published or already
 * returned), by certificate expiry: the letter a returned envelope most likely held. */
int store_notice_latest_mailed(struct store *s, const char *resident_id, struct notice *out,
                               bool *found, struct cn_err *err);

struct run_info {
    int64_t id;
    cn_date run_date;
    char command[32];
    char started[20];  /* "YYYY-MM-DD HH:MM:SS" UTC */
    char finished[20]; /* "" when the run never finished (it died, or is still running) */
    int exit_code;     /* -1 when not finished */
    char summary[256];
};

/* Calls fn for the newest `limit` runs, newest first; failed_only: only runs that exited 2
 * or more or never finished. fn returning non-zero stops and that value is returned. */
int store_each_run(struct store *s, int limit, bool failed_only,
                   int (*fn)(const struct run_info *r, void *ctx), void *ctx, struct cn_err *err);

/* counts[status]: how many notices are in each status. */
int store_notice_counts(struct store *s, long counts[NOTICE_REVIEW + 1], struct cn_err *err);

struct returned_hold {
    char resident_id[RESIDENT_ID_MAX + 1];
    char district[17];
    char rid[RID_LEN + 1]; /* the returned notice; "" if none is marked returned */
    char since[20];        /* when it was marked returned, UTC; "" if none */
};

/* Calls fn for every resident held after returned mail, in resident_id order. */
int store_each_returned_hold(struct store *s, int (*fn)(const struct returned_hold *h, void *ctx),
                             void *ctx, struct cn_err *err);

#endif
