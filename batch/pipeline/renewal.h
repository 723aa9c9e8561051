/* renewal: the night's loop back from the export: marks each sent letter renewed, lapsed or
 * withdrawn, cancels the bookings a renewal or a withdrawal leaves behind, and hands the
 * run the letters that follow (reminders, 新規発行). Must not decide the rules (outcome.c)
 * nor render: the run prints what it is handed in the night's batch. */
#ifndef CN_RENEWAL_H
#define CN_RENEWAL_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "date.h"
#include "err.h"
#include "notice.h"
#include "record.h"
#include "rules.h"
#include "store.h"

struct renewal_counts {
    long outcome[OUTCOME_COUNT]; /* found tonight, by outcome */
    long bookings_cancelled;
    long reminders, lapse_letters; /* follow-up letters handed to the run */
};

/* A follow-up letter for the run: the notice it follows (its ID), the resident's record,
 * the certificates and the variant the letter shows. */
typedef int (*renewal_letter_fn)(void *ctx, const struct resident *res, const struct cert_group *g,
                                 const struct variant *v, const struct notice *n,
                                 enum followup_kind kind);

struct renewal_night {
    struct store *store;
    const struct config *cfg;
    cn_date date;
    int64_t run_id;
    FILE *outcomes_csv; /* internal/outcomes.csv, header written here; NULL: none (dry run) */
    renewal_letter_fn add;
    void *ctx;
};

/* Call after ingest, before selection. Every change is written in chunked transactions: a
 * crash leaves outcomes that stand alone, and follow-ups 'issued' that the next night
 * prints (or drops, when the notice no longer needs them). */
int renewal_run(const struct renewal_night *night, struct renewal_counts *out, struct cn_err *err);

#endif
