#include "outcome.h"

#include <stdio.h>
#include <string.h>

static const char *const names[OUTCOME_COUNT] = {
    [OUTCOME_NONE] = "",
    [OUTCOME_RENEWED] = "renewed",
    [OUTCOME_LAPSED] = "lapsed",
    [OUTCOME_WITHDRAWN] = "withdrawn",
};

const char *outcome_name(enum outcome o)
{
    return (unsigned)o < OUTCOME_COUNT ? names[o] : "";
}

bool outcome_parse(const char *name, enum outcome *out)
{
    if (!name || !name[0]) {
        *out = OUTCOME_NONE;
        return true;
    }
    for (int i = 1; i < OUTCOME_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum outcome)i;
            return true;
        }
    return false;
}

static bool later(cn_date now, cn_date then)
{
    return now != DATE_NONE && then != DATE_NONE && now > then;
}

enum outcome outcome_decide(const struct outcome_input *in)
{
    /* A letter whose certificates are unknown is taken as about both: a renewal renews
     * both at the counter. */
    const bool any = !in->sign && !in->user;
    const bool cert_renewed = ((in->sign || any) && later(in->sign_now, in->cert_expiry)) ||
                              ((in->user || any) && later(in->user_now, in->cert_expiry));
    /* A new card carries new certificates, or none if the resident declined them: either
     * way the old expiry no longer stands. */
    if (cert_renewed || later(in->card_now, in->card_then))
        return OUTCOME_RENEWED;
    if (in->status == STATUS_DECEASED || in->status == STATUS_MOVED_OUT)
        return OUTCOME_WITHDRAWN;
    if (in->cert_expiry != DATE_NONE && in->run_date > in->cert_expiry)
        return OUTCOME_LAPSED;
    return OUTCOME_NONE;
}

bool outcome_reminder_due(const struct reminder_input *in)
{
    if (in->days_before <= 0 || in->cert_expiry == DATE_NONE)
        return false;
    const cn_date day = in->cert_expiry - in->days_before;
    return in->letter_sent && in->outcome == OUTCOME_NONE && !in->booked && !in->reminded &&
           in->still == DUE_YES && in->run_date >= day && in->run_date < in->cert_expiry &&
           in->letter_date != DATE_NONE && in->letter_date < day;
}

bool outcome_lapse_letter_due(cn_date run_date, cn_date cert_expiry, cn_date letter_date,
                              bool expired_letters, bool letter_sent, enum due_reason still)
{
    return expired_letters && letter_sent && still == DUE_YES && run_date > cert_expiry &&
           letter_date != DATE_NONE && letter_date <= cert_expiry &&
           run_date - cert_expiry <= OUTCOME_LAPSE_LETTER_DAYS;
}

void outcome_age_band(cn_date birth, cn_date day, char out[16])
{
    if (birth == DATE_NONE || day == DATE_NONE || day < birth) {
        snprintf(out, 16, "unknown");
        return;
    }
    int by, bm, bd, y, m, d;
    date_to_ymd(birth, &by, &bm, &bd);
    date_to_ymd(day, &y, &m, &d);
    const int age = y - by - (m < bm || (m == bm && d < bd));
    const unsigned band = (unsigned)(age / 10 * 10) % 100u; /* 0..70 here: age < 80 */
    if (age >= 80)
        snprintf(out, 16, "80+");
    else
        snprintf(out, 16, "%u-%u", band, band + 9);
}

int outcome_tally(struct takeup_counts *c, const struct takeup_fact *f)
{
    c->letters++;
    c->reminders += f->reminder_date != DATE_NONE;
    switch (f->outcome) {
    case OUTCOME_RENEWED:
        break;
    case OUTCOME_LAPSED:
        c->lapsed++;
        return -1;
    case OUTCOME_WITHDRAWN:
        c->withdrawn++;
        return -1;
    case OUTCOME_NONE:
    default:
        c->pending++;
        return -1;
    }
    c->renewed++;
    c->renewed_before_expiry += f->outcome_on <= f->cert_expiry;
    /* The reminder went on a night before the one that saw the renewal. */
    c->renewed_after_reminder += f->reminder_date != DATE_NONE && f->reminder_date < f->outcome_on;
    if (f->booking_day != DATE_NONE && f->booking_day <= f->outcome_on)
        c->booked++;
    else
        c->walk_ins++;
    return f->letter_date != DATE_NONE && f->outcome_on >= f->letter_date
               ? (int)(f->outcome_on - f->letter_date)
               : -1;
}
