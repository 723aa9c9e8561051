/* store_reconcile: the inserter's results as the store keeps them: one result per printed
 * letter (batch, sequence), the notice marked mailed or released to be printed again, and
 * the letters still without a result. Must not read the results file or judge its rows
 * (reconcile.c does), nor decide when a letter is due. */
#ifndef CN_STORE_RECONCILE_H
#define CN_STORE_RECONCILE_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "notice.h"
#include "reconcile.h"
#include "store.h"

/* The letter printed as sequence seq of the batch folder named batch. */
struct reconcile_letter {
    int64_t notice_id;
    int file; /* notices-NNN.pdf's NNN */
    enum notice_status status;
    char batch_path[BATCH_PATH_MAX];
    enum followup_kind followup; /* a reminder or 新規発行 letter of the notice's */
};

/* Whether any letter was ever published in (or reconciled for) the batch named batch. */
int store_reconcile_batch_known(struct store *s, const char *batch, bool *known,
                                struct cn_err *err);

/* The result already kept for (batch, seq), if any: its status and file, and the line of
 * the file it came from. */
int store_reconcile_prior(struct store *s, const char *batch, long seq, bool *found,
                          enum inserter_status *status, int *file, struct cn_err *err);

/* The letter that is (batch, seq) now, among published and returned notices. */
int store_reconcile_letter(struct store *s, const char *batch, long seq,
                           struct reconcile_letter *out, bool *found, struct cn_err *err);

/* Keeps the row's result for letter l (source: the results file, line its line). Mailed:
 * the notice's mailed_at. Spoiled or diverted: a published notice goes back to 'issued'
 * (same reservation ID), so the next night prints it again, marked 再発行; a follow-up
 * letter goes back to 'issued' too, printed again by the next night while its notice still
 * needs it. Call inside a
 * transaction: the result and the notice change together. */
int store_reconcile_record(struct store *s, const struct inserter_row *row,
                           const struct reconcile_letter *l, const char *source, long line,
                           struct cn_err *err);

/* Whether the notice's next letter is a reprint after the inserter spoiled or diverted
 * an earlier one. */
int store_reconcile_reissue(struct store *s, int64_t notice_id, bool *reissue, struct cn_err *err);

struct unaccounted {
    char rid[RID_LEN + 1];
    char batch[BATCH_PATH_MAX];
    char file[32];
    long seq;
    char published[20]; /* UTC */
};

/* Letters published at least `days` days ago (and since results were first kept) that no
 * result accounts for, by batch and sequence; fn returning non-zero stops the walk. */
int store_each_unaccounted(struct store *s, int days,
                           int (*fn)(const struct unaccounted *u, void *ctx), void *ctx,
                           struct cn_err *err);

#endif
