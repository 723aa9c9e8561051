/* store_notice: the notices table: one reservation ID per resident and certificate expiry,
 * the status of its letter, and the batch marks crash recovery reads. Must not decide who
 * is due, what a letter says, or when a batch counts as published (printjob does). */
#ifndef CN_STORE_NOTICE_H
#define CN_STORE_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "notice.h"
#include "store.h"

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
int store_notice_set_status(struct store *s, int64_t notice_id, enum notice_status status,
                            const char *batch, const char *file, long seq, struct cn_err *err);

/* Calls fn for every notice in reservation-ID order (the booking system's full list); fn
 * returning non-zero stops and that value is returned. */
int store_each_notice(struct store *s, int (*fn)(const struct notice *n, void *ctx), void *ctx,
                      struct cn_err *err);

/* What the night's feed needs of a notice: the letter, its night, and of the resident only
 * what the rule and the booking pages read (never the name or the address). */
struct notice_feed_row {
    char rid[RID_LEN + 1];
    cn_date cert_expiry;
    char variant[16];
    enum notice_status status;
    cn_date letter_date;
    char district[17];
    cn_date birth_date;
    bool resident_active, held;
    bool cert_current;    /* the resident's certificates still expire on cert_expiry */
    enum outcome outcome; /* what the night read from the export (store_outcome.h) */
};
/* Every notice in reservation-ID order; fn returning non-zero stops and that value is
 * returned. */
int store_notice_each_feed(struct store *s, int (*fn)(const struct notice_feed_row *n, void *ctx),
                           void *ctx, struct cn_err *err);

/* Crash recovery: batches whose notices were marked 'publishing' when a run died. */
int store_publishing_batches(struct store *s, char (*names)[BATCH_PATH_MAX], int cap, int *n,
                             struct cn_err *err);
/* published: the batch folder is in place, its notices become 'published'; otherwise the
 * rename never happened and they go back to 'issued', to be printed again, same ID. */
int store_batch_resolve(struct store *s, const char *batch, bool published, struct cn_err *err);

/* For the store layer's other readers of notices (store_outcome.c): a row's first six
 * columns, n.id, n.resident_id, n.cert_expiry, n.rid, n.variant, n.status, into *n (zeroed
 * first), and an outcome column (NULL or unknown: OUTCOME_NONE). */
struct sqlite3_stmt;
void store_notice_read_head(struct sqlite3_stmt *st, struct notice *n);
enum outcome store_notice_outcome_column(struct sqlite3_stmt *st, int col);

#endif
