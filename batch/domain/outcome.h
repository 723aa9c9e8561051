/* outcome: what became of a letter (renewed, lapsed, withdrawn) as the night reads it from
 * the export, whether a reminder or a 新規発行 letter follows, and the take-up groups. Pure:
 * no I/O, no clock; must not decide who gets the first letter (rules.c does). */
#ifndef CN_OUTCOME_H
#define CN_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "record.h"
#include "rules.h"

enum outcome {
    OUTCOME_NONE,      /* still open: not renewed, not expired, still here */
    OUTCOME_RENEWED,   /* a later expiry for the certificate, or a new card */
    OUTCOME_LAPSED,    /* the expiry passed without a renewal */
    OUTCOME_WITHDRAWN, /* moved out or died before renewing: not a lapse */
};
#define OUTCOME_COUNT (OUTCOME_WITHDRAWN + 1)

/* "renewed", "lapsed", "withdrawn" as the database writes them; "" for none. */
const char *outcome_name(enum outcome o);
/* NULL or "" reads as OUTCOME_NONE; false for any other unknown text. */
bool outcome_parse(const char *name, enum outcome *out);

/* A notice for expiry E and what tonight's export says about its resident. */
struct outcome_input {
    cn_date run_date;
    cn_date cert_expiry; /* E, the notice's */
    bool sign, user;     /* the certificates the letter was about */
    cn_date card_then;   /* the card's expiry when the letter was issued; DATE_NONE: unknown */
    enum resident_status status;
    cn_date sign_now, user_now, card_now; /* tonight's record */
};

/* In this order: renewed (a certificate of the letter now expires after E, or the card
 * after the one the letter went to: a reissued card), withdrawn (deceased or moved out),
 * lapsed (the night is after E), else none. The same expiry again is no renewal. */
enum outcome outcome_decide(const struct outcome_input *in);

/* Whether a notice is owed its one reminder tonight. */
struct reminder_input {
    cn_date run_date;
    int days_before;     /* <reminder days-before-expiry>; 0: reminders off */
    cn_date cert_expiry; /* E */
    cn_date letter_date; /* the night the letter was issued */
    bool letter_sent;    /* published: printed and gone to the post (not returned, not held) */
    enum outcome outcome;
    bool booked;           /* the ID has an active booking */
    bool reminded;         /* a reminder exists already (once per notice) */
    enum due_reason still; /* rules_due on tonight's record for E, as if no letter existed */
};

/* Due from E - days_before until the day before E, so that a night that did not run on
 * the day itself is made up by the next; only for a letter that went out before that day
 * (a letter sent late is its own reminder). */
bool outcome_reminder_due(const struct reminder_input *in);

/* A 新規発行 letter follows a lapse found tonight when the config sends them
 * (expired_letters), the letter had gone out before expiry (a letter sent after it was the
 * 新規発行 letter already) and the resident is still due; not for a
 * lapse found more than OUTCOME_LAPSE_LETTER_DAYS after E (a database from before lapses
 * were recorded would otherwise write to every old expiry at once). */
#define OUTCOME_LAPSE_LETTER_DAYS 28
bool outcome_lapse_letter_due(cn_date run_date, cn_date cert_expiry, cn_date letter_date,
                              bool expired_letters, bool letter_sent, enum due_reason still);

/* One letter that went out, as the take-up report counts it. */
struct takeup_fact {
    cn_date cert_expiry;
    cn_date letter_date; /* the night that issued it */
    enum outcome outcome;
    cn_date outcome_on;
    cn_date reminder_date; /* the night its reminder was published; DATE_NONE: none */
    cn_date booking_day;   /* its first active booking's day; DATE_NONE: none */
};

/* A group's counts. renewed = booked + walk_ins; letters = renewed + lapsed + withdrawn +
 * pending (still open). */
struct takeup_counts {
    long letters, reminders;
    long renewed, renewed_before_expiry, renewed_after_reminder;
    long booked;   /* renewed with a booking on or before the day the renewal was seen */
    long walk_ins; /* renewed without one: a booking cancelled by the renewal is none */
    long lapsed, withdrawn, pending;
};

/* Counts f into c; returns the days from letter to renewal, or -1 when not renewed. */
int outcome_tally(struct takeup_counts *c, const struct takeup_fact *f);

/* The take-up report's age band of a resident born on birth at day: "0-9", "10-19", ...,
 * "80+"; "unknown" without a birth date. */
void outcome_age_band(cn_date birth, cn_date day, char out[16]);

#endif
