#include "renewal.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "grow.h"
#include "log.h"
#include "outcome.h"
#include "store_booking.h"
#include "store_outcome.h"
#include "store_resident.h"

/* The open notices are read first and decided after: the walk's statement is never open
 * while the same notices are written. */
struct work {
    const struct renewal_night *night;
    struct open_notice *open;
    size_t n_open, cap_open;
    struct unsent_followup *unsent;
    size_t n_unsent, cap_unsent;
    struct renewal_counts *counts;
    struct cn_err *err;
    const struct open_notice *current; /* for the cancelled-booking rows */
    enum outcome current_outcome;
};

static int keep_open(const struct open_notice *o, void *ctx)
{
    struct work *w = ctx;
    struct open_notice *a = grow_for_one(w->open, &w->cap_open, w->n_open, sizeof *a, 1024);
    if (!a)
        return cn_fail(w->err, CN_EOUTPUT, "out of memory for %zu notices", w->n_open);
    w->open = a;
    w->open[w->n_open++] = *o;
    return CN_OK;
}

static int keep_unsent(const struct unsent_followup *f, void *ctx)
{
    struct work *w = ctx;
    struct unsent_followup *a =
        grow_for_one(w->unsent, &w->cap_unsent, w->n_unsent, sizeof *a, 256);
    if (!a)
        return cn_fail(w->err, CN_EOUTPUT, "out of memory for %zu follow-ups", w->n_unsent);
    w->unsent = a;
    w->unsent[w->n_unsent++] = *f;
    return CN_OK;
}

static void csv_row(const struct work *w, const struct notice *n, enum outcome o,
                    const struct cancelled_booking *b)
{
    FILE *f = w->night->outcomes_csv;
    if (!f)
        return;
    char expiry[11], on[11], ref[BOOKING_REF_LEN] = "", day[11] = "";
    date_format_iso(n->cert_expiry, expiry);
    date_format_iso(w->night->date, on);
    if (b) {
        booking_ref(b->id, ref);
        date_format_iso(b->day, day);
    }
    const char *row[] = {n->resident_id,     n->rid, expiry,           outcome_name(o), on, ref,
                         b ? b->office : "", day,    b ? b->start : ""};
    csv_write_row(f, row, 9);
}

static int on_cancel(const struct cancelled_booking *b, void *ctx)
{
    struct work *w = ctx;
    char ref[BOOKING_REF_LEN], day[11];
    booking_ref(b->id, ref);
    date_format_iso(b->day, day);
    log_info("renewal", "booking %s (%s %s %s) cancelled: reservation %.4s... %s", ref, b->office,
             day, b->start, w->current->n.rid, outcome_name(w->current_outcome));
    csv_row(w, &w->current->n, w->current_outcome, b);
    w->counts->bookings_cancelled++;
    return CN_OK;
}

/* What the night would decide for E on tonight's record if no letter existed: whether the
 * resident is still one to write to (active, not held, no card renewal, in time). */
static enum due_reason still_due(const struct work *w, const struct resident *res, cn_date expiry)
{
    const struct due_input in = {
        .run_date = w->night->date,
        .lead_days = w->night->cfg->lead_days,
        .expired_letters = w->night->cfg->expired_letters,
        .status = res->status,
        .hold = res->hold,
        .returned = res->returned_hold,
        .card_expiry = res->card_expiry,
        .cert_expiry = expiry,
    };
    return rules_due(&in);
}

/* Issues (or, for one issued before, re-issues) a follow-up and hands it to the run. */
static int follow(struct work *w, const struct resident *res, const struct notice *n,
                  enum followup_kind kind)
{
    const struct renewal_night *night = w->night;
    struct cert_group groups[2];
    const int ng = rules_cert_groups(res, groups);
    const struct cert_group *g = NULL;
    for (int i = 0; i < ng; i++)
        if (groups[i].expiry == n->cert_expiry)
            g = &groups[i];
    const struct district *d = config_district(night->cfg, res->district);
    if (!g || !d)
        return CN_OK; /* nothing left to write about, or nowhere to send them */
    struct variant v = rules_variant(res, g, d->policy, night->date);
    v.reminder = kind == FOLLOWUP_REMINDER;
    char code[VARIANT_CODE_MAX];
    rules_variant_code(&v, code);
    int rc =
        store_followup_add(night->store, n->id, kind, code, night->run_id, night->date, w->err);
    if (!rc)
        rc = night->add(night->ctx, res, g, &v, n, kind);
    if (!rc && kind == FOLLOWUP_REMINDER)
        w->counts->reminders++;
    else if (!rc)
        w->counts->lapse_letters++;
    return rc;
}

static int get_resident(struct work *w, const char *id, struct resident *res, bool *found)
{
    return store_get_resident(w->night->store, id, res, found, w->err);
}

/* Step 1: the outcomes of the letters still open, and the bookings they cancel. */
static int decide(struct work *w, enum outcome *decided)
{
    const struct renewal_night *night = w->night;
    int rc = CN_OK;
    for (size_t i = 0; !rc && i < w->n_open; i++) {
        struct open_notice *o = &w->open[i];
        struct resident res;
        bool found;
        decided[i] = OUTCOME_NONE;
        if ((rc = get_resident(w, o->n.resident_id, &res, &found)) || !found)
            continue;
        struct variant v = {0};
        const bool known = rules_variant_parse(o->n.variant, &v);
        const struct outcome_input in = {
            .run_date = night->date,
            .cert_expiry = o->n.cert_expiry,
            .sign = known && v.sign,
            .user = known && v.user && !v.adult_ward,
            .card_then = o->card_then,
            .status = res.status,
            .sign_now = res.sign_cert_expiry,
            .user_now = res.user_cert_expiry,
            .card_now = res.card_expiry,
        };
        const enum outcome oc = outcome_decide(&in);
        if (oc == OUTCOME_NONE)
            continue;
        decided[i] = oc;
        w->counts->outcome[oc]++;
        if ((rc = store_outcome_set(night->store, o->n.id, oc, night->date, w->err)))
            break;
        o->n.outcome = oc;
        w->current = o;
        w->current_outcome = oc;
        const long before = w->counts->bookings_cancelled;
        /* A renewed or withdrawn ID books nothing from tonight (notice_booking): the
         * seat it holds goes back to the others. */
        if (oc != OUTCOME_LAPSED &&
            (rc = store_outcome_cancel_bookings(night->store, o->n.rid, night->date,
                                                outcome_name(oc), on_cancel, w, w->err)))
            break;
        if (w->counts->bookings_cancelled == before)
            csv_row(w, &o->n, oc, NULL);
        rc = store_chunk(night->store, w->err);
    }
    return rc;
}

/* Step 2: follow-ups an earlier night issued and never printed: printed tonight if the
 * notice still needs them, else forgotten. */
static int resend(struct work *w)
{
    int rc = CN_OK;
    for (size_t i = 0; !rc && i < w->n_unsent; i++) {
        const struct unsent_followup *f = &w->unsent[i];
        struct resident res;
        bool found;
        if ((rc = get_resident(w, f->n.resident_id, &res, &found)))
            break;
        enum outcome now = f->n.outcome;
        for (size_t k = 0; k < w->n_open; k++)
            if (w->open[k].n.id == f->n.id)
                now = w->open[k].n.outcome;
        const bool still = found && still_due(w, &res, f->n.cert_expiry) == DUE_YES;
        const bool wanted = still && (f->kind == FOLLOWUP_REMINDER
                                          ? now == OUTCOME_NONE && w->night->date < f->n.cert_expiry
                                          : now == OUTCOME_LAPSED);
        rc = wanted ? follow(w, &res, &f->n, f->kind)
                    : store_followup_drop(w->night->store, f->n.id, f->kind, w->err);
    }
    return rc;
}

/* Step 3: tonight's new follow-ups: reminders to the open, 新規発行 letters to the lapsed. */
static int remind(struct work *w, const enum outcome *decided)
{
    const struct renewal_night *night = w->night;
    int rc = CN_OK;
    for (size_t i = 0; !rc && i < w->n_open; i++) {
        const struct open_notice *o = &w->open[i];
        const bool sent = o->n.status == NOTICE_PUBLISHED;
        if (decided[i] == OUTCOME_LAPSED || decided[i] == OUTCOME_NONE) {
            struct resident res;
            bool found;
            if ((rc = get_resident(w, o->n.resident_id, &res, &found)) || !found)
                continue;
            const enum due_reason still = still_due(w, &res, o->n.cert_expiry);
            const struct reminder_input in = {
                .run_date = night->date,
                .days_before = night->cfg->reminder_days,
                .cert_expiry = o->n.cert_expiry,
                .letter_date = o->letter_date,
                .letter_sent = sent,
                .outcome = decided[i],
                .booked = o->booked,
                .reminded = o->reminded,
                .still = still,
            };
            if (decided[i] == OUTCOME_NONE && outcome_reminder_due(&in))
                rc = follow(w, &res, &o->n, FOLLOWUP_REMINDER);
            else if (decided[i] == OUTCOME_LAPSED &&
                     outcome_lapse_letter_due(night->date, o->n.cert_expiry, o->letter_date,
                                              night->cfg->expired_letters, sent, still))
                rc = follow(w, &res, &o->n, FOLLOWUP_LAPSE);
        }
        if (!rc)
            rc = store_chunk(night->store, w->err);
    }
    return rc;
}

int renewal_run(const struct renewal_night *night, struct renewal_counts *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    struct work w = {.night = night, .counts = out, .err = err};
    static const char *const head[] = {"resident_id",    "reservation_id", "cert_expiry",
                                       "outcome",        "outcome_on",     "booking_cancelled",
                                       "booking_office", "booking_day",    "booking_start"};
    if (night->outcomes_csv)
        csv_write_row(night->outcomes_csv, head, 9);
    int rc = store_outcome_open(night->store, keep_open, &w, err);
    if (!rc)
        rc = store_followup_unsent(night->store, keep_unsent, &w, err);
    enum outcome *decided = NULL;
    if (!rc && !(decided = calloc(w.n_open ? w.n_open : 1, sizeof *decided)))
        rc = cn_fail(err, CN_EOUTPUT, "out of memory");
    /* decided is tested again for the analyser, which cannot see cn_fail return non-zero */
    if (!rc && decided && !(rc = store_begin(night->store, err))) {
        if ((rc = decide(&w, decided)) || (rc = resend(&w)) || (rc = remind(&w, decided)))
            store_rollback(night->store);
        else
            rc = store_commit(night->store, err);
    }
    free(decided);
    free(w.open);
    free(w.unsent);
    if (!rc)
        log_info("renewal",
                 "renewed=%ld lapsed=%ld withdrawn=%ld bookings_cancelled=%ld reminders=%ld "
                 "lapse_letters=%ld",
                 out->outcome[OUTCOME_RENEWED], out->outcome[OUTCOME_LAPSED],
                 out->outcome[OUTCOME_WITHDRAWN], out->bookings_cancelled, out->reminders,
                 out->lapse_letters);
    return rc;
}
