#include "rules.h"

#include <string.h>

struct window rules_window(cn_date expiry)
{
    struct window w = {date_add_months_clamped(expiry, -3) + 1, expiry};
    return w;
}

const char *rules_reason_name(enum due_reason r)
{
    static const char *const names[DUE_REASON_COUNT] = {
        [DUE_YES] = "due",
        [DUE_DECEASED] = "deceased",
        [DUE_MOVED_OUT] = "moved_out",
        [DUE_HOLD] = "hold",
        [DUE_RETURNED] = "returned",
        [DUE_CARD_RENEWAL] = "card_renewal",
        [DUE_NOT_YET] = "not_yet_due",
        [DUE_EXPIRED] = "expired",
        [DUE_ALREADY_SENT] = "already_sent",
    };
    return (unsigned)r < DUE_REASON_COUNT ? names[r] : "unknown";
}

/* The first reason that applies wins, in this order: deceased, moved_out, hold, returned,
 * card_renewal, already_sent, not_yet_due, expired. Facts about the person come first
 * (a deceased resident is never counted as "not yet due"), then what a letter could not
 * fix (the card's own renewal), then what we already did, and timing last, so the report
 * says why a resident will never get this letter before it says "not tonight". */
enum due_reason rules_due(const struct due_input *in)
{
    if (in->status == STATUS_DECEASED)
        return DUE_DECEASED;
    if (in->status == STATUS_MOVED_OUT)
        return DUE_MOVED_OUT;
    if (in->hold)
        return DUE_HOLD;
    if (in->returned)
        return DUE_RETURNED;
    /* No certificate, nothing to announce; callers pass only existing ones. */
    if (in->cert_expiry == DATE_NONE)
        return DUE_NOT_YET;
    /* A card expiring on the certificate's day or within three months after it renews
     * both at once at the counter. */
    if (in->card_expiry == DATE_NONE ||
        in->card_expiry < date_add_months_clamped(in->cert_expiry, 3))
        return DUE_CARD_RENEWAL;
    if (in->already_sent)
        return DUE_ALREADY_SENT;
    struct window w = rules_window(in->cert_expiry);
    if (in->run_date < w.start - in->lead_days)
        return DUE_NOT_YET;
    if (in->run_date > w.end && !in->expired_letters)
        return DUE_EXPIRED;
    return DUE_YES;
}

int rules_cert_groups(const struct resident *r, struct cert_group out[2])
{
    const cn_date s = r->sign_cert_expiry, u = r->user_cert_expiry;
    if (s == DATE_NONE && u == DATE_NONE)
        return 0;
    if (s == DATE_NONE || u == DATE_NONE || s == u) {
        out[0].expiry = s == DATE_NONE ? u : s;
        out[0].sign = s != DATE_NONE;
        out[0].user = u != DATE_NONE;
        return 1;
    }
    const bool sign_first = s < u;
    out[0] = (struct cert_group){sign_first ? s : u, sign_first, !sign_first};
    out[1] = (struct cert_group){sign_first ? u : s, !sign_first, sign_first};
    return 2;
}

struct variant rules_variant(const struct resident *r, const struct cert_group *g,
                             enum resv_policy policy, cn_date run_date)
{
    struct variant v = {0};
    v.face_auth = r->face_auth;
    v.adult_ward = r->adult_ward;
    /* An adult ward cannot hold a signing certificate, so the letter never asks for one;
     * whatever the group was, the ward's letter is about the user certificate. */
    v.sign = g->sign && !r->adult_ward;
    v.user = g->user || (g->sign && r->adult_ward);
    v.expired = run_date > g->expiry;
    v.policy = policy;
    return v;
}

static const char policy_letters[] = {
    [RESV_REQUIRED] = 'R', [RESV_OPTIONAL] = 'O', [RESV_NONE] = 'N'};

/* Layout: certificates (S, U or SU), '-', policy letter, then optionally '-' and the flags
 * in the fixed order F (face-auth), W (adult ward), X (expired), M (reminder: its own code
 * on the sheet mark, so the vendor's manifest and the inserter count reminders apart). One spelling
 * per variant, so parse(code(v)) == v and code(parse(c)) == c. */
void rules_variant_code(const struct variant *v, char out[VARIANT_CODE_MAX])
{
    size_t n = 0;
    if (v->sign)
        out[n++] = 'S';
    if (v->user)
        out[n++] = 'U';
    out[n++] = '-';
    out[n++] = (unsigned)v->policy <= RESV_NONE ? policy_letters[v->policy] : '?';
    if (v->face_auth || v->adult_ward || v->expired || v->reminder) {
        out[n++] = '-';
        if (v->face_auth)
            out[n++] = 'F';
        if (v->adult_ward)
            out[n++] = 'W';
        if (v->expired)
            out[n++] = 'X';
        if (v->reminder)
            out[n++] = 'M';
    }
    out[n] = '\0';
}

bool rules_variant_parse(const char *code, struct variant *out)
{
    struct variant v = {0};
    const char *p = code;
    if (!p)
        return false;
    if (*p == 'S') {
        v.sign = true;
        p++;
    }
    if (*p == 'U') {
        v.user = true;
        p++;
    }
    if ((!v.sign && !v.user) || *p++ != '-')
        return false;
    if (*p == 'R')
        v.policy = RESV_REQUIRED;
    else if (*p == 'O')
        v.policy = RESV_OPTIONAL;
    else if (*p == 'N')
        v.policy = RESV_NONE;
    else
        return false;
    p++;
    if (*p == '-') {
        p++;
        if (*p == 'F') {
            v.face_auth = true;
            p++;
        }
        if (*p == 'W') {
            v.adult_ward = true;
            p++;
        }
        if (*p == 'X') {
            v.expired = true;
            p++;
        }
        if (*p == 'M') {
            v.reminder = true;
            p++;
        }
        if (!v.face_auth && !v.adult_ward && !v.expired && !v.reminder)
            return false;
    }
    if (*p != '\0')
        return false;
    *out = v;
    return true;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

bool rules_returned_hold_kept(bool held, const struct mail_address *before,
                              const struct mail_address *after)
{
    return held && same_text(before->postal_code, after->postal_code) &&
           same_text(before->address, after->address) &&
           same_text(before->address2, after->address2);
}
