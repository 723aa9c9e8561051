/* store_outcome: closing the loop in the night's database: what became of each letter
 * (renewed, lapsed, withdrawn), the letters that follow a notice (reminder, 新規発行), the
 * bookings a renewal cancels, and the take-up report's read. Must not decide any of it
 * (outcome.c does) nor print anything. */
#ifndef CN_STORE_OUTCOME_H
#define CN_STORE_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "notice.h"
#include "outcome.h"
#include "store.h"

/* A notice whose letter went out (published or returned) and whose outcome is still open. */
struct open_notice {
    struct notice n;
    cn_date card_then; /* the card's expiry when it was issued (DATE_NONE: before that was kept) */
    cn_date letter_date; /* the night that issued it */
    bool booked;         /* an active booking of its ID */
    bool reminded;       /* a reminder exists (sent or on its way) */
};

/* fn for every open notice; fn returning non-zero stops and that value is returned. */
int store_outcome_open(struct store *s, int (*fn)(const struct open_notice *o, void *ctx),
                       void *ctx, struct cn_err *err);

int store_outcome_set(struct store *s, int64_t notice_id, enum outcome o, cn_date on,
                      struct cn_err *err);

/* A booking cancelled because of an outcome, for the night's list. */
struct cancelled_booking {
    int64_t id;
    char office[32];
    cn_date day;
    char start[6];
};

/* Cancels the ID's active bookings after day with reason ("renewed", "withdrawn"),
 * calling fn for each before it is cancelled. A booking on the night's own day stays: the
 * export of that day shows the renewal it was for. */
int store_outcome_cancel_bookings(struct store *s, const char *rid, cn_date day, const char *reason,
                                  int (*fn)(const struct cancelled_booking *b, void *ctx),
                                  void *ctx, struct cn_err *err);

/* ---- the letters that follow a notice ---- */

/* Records kind for the notice as 'issued' tonight (at most one of each kind per notice). */
int store_followup_add(struct store *s, int64_t notice_id, enum followup_kind kind,
                       const char *variant, int64_t run_id, cn_date run_date, struct cn_err *err);
/* Its print status, as store_notice_set_status for the notice's own letter. */
int store_followup_set_status(struct store *s, int64_t notice_id, enum followup_kind kind,
                              enum notice_status status, const char *batch, const char *file,
                              long seq, struct cn_err *err);
/* Forgets a follow-up never printed (issued or held): its notice no longer needs it. */
int store_followup_drop(struct store *s, int64_t notice_id, enum followup_kind kind,
                        struct cn_err *err);

/* A follow-up issued by an earlier night and not printed yet (a crash, a letter held). */
struct unsent_followup {
    struct notice n; /* the notice it follows, outcome included */
    enum followup_kind kind;
};
int store_followup_unsent(struct store *s, int (*fn)(const struct unsent_followup *f, void *ctx),
                          void *ctx, struct cn_err *err);

/* ---- take-up ---- */

/* One letter that went out, with what became of it. */
struct takeup_row {
    char district[17];
    cn_date birth_date;
    struct takeup_fact f;
};

int store_takeup_each(struct store *s, int (*fn)(const struct takeup_row *r, void *ctx), void *ctx,
                      struct cn_err *err);

#endif
