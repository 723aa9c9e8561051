/* rules: the renewal window, whether a letter is due (with the reason when not), how a
 * resident's certificates group into letters, and the letter's variant. Pure: no I/O. */
#ifndef CN_RULES_H
#define CN_RULES_H

#include <stdbool.h>

#include "config.h"
#include "date.h"
#include "record.h"

struct window {
    cn_date start; /* the day after the date three months before expiry */
    cn_date end;   /* the expiry date */
};

struct window rules_window(cn_date expiry);

/* Why a certificate gets a letter tonight or not; every value but DUE_YES is an exclusion
 * counted under its name in report.json. */
enum due_reason {
    DUE_YES,
    DUE_DECEASED,
    DUE_MOVED_OUT,
    DUE_HOLD,         /* 送付保留 */
    DUE_RETURNED,     /* an earlier letter came back undeliverable */
    DUE_CARD_RENEWAL, /* the card expires within three months of the certificate */
    DUE_NOT_YET,      /* before window start - lead_days */
    DUE_EXPIRED,      /* after expiry and the config sends no 新規発行 letters */
    DUE_ALREADY_SENT, /* a letter for this resident and expiry exists */
    DUE_REASON_COUNT
};

const char *rules_reason_name(enum due_reason r); /* "card_renewal", "not_yet_due", ... */

struct due_input {
    cn_date run_date;
    int lead_days;
    bool expired_letters;
    enum resident_status status;
    bool hold;
    bool returned; /* held after returned mail */
    cn_date card_expiry;
    cn_date cert_expiry;
    bool already_sent;
};

enum due_reason rules_due(const struct due_input *in);

/* Where a letter is sent. */
struct mail_address {
    const char *postal_code, *address, *address2;
};

/* Whether a returned-mail hold (DUE_RETURNED) survives a newer record of the resident: it
 * does while the address is the one the letter came back from; any change of postcode,
 * address or building lifts it, so the next night writes to the new address. */
bool rules_returned_hold_kept(bool held, const struct mail_address *before,
                              const struct mail_address *after);

/* One letter's worth of certificates: signing and user certificates expiring on the same
 * day share a letter; on different days they get one letter each. */
struct cert_group {
    cn_date expiry;
    bool sign;
    bool user;
};

/* Fills out[0..1] in expiry order and returns how many groups (0-2). An adult ward's or
 * face-auth card's signing certificate, if the data carries one, still counts: the data
 * decides what exists, the variant decides what the letter asks for. */
int rules_cert_groups(const struct resident *r, struct cert_group out[2]);

struct variant {
    bool sign;       /* the letter covers the signing certificate */
    bool user;       /* ... and/or the user certificate */
    bool face_auth;  /* no PIN boxes: the form says so instead */
    bool adult_ward; /* no signing certificate; the guardian's path */
    bool expired;    /* 新規発行 guidance */
    enum resv_policy policy;
    bool reminder; /* the one reminder before expiry: same ID, a headline with the date */
};

#define VARIANT_CODE_MAX 16

struct variant rules_variant(const struct resident *r, const struct cert_group *g,
                             enum resv_policy policy, cn_date run_date);

/* A stable short code ("SU-R", "U-N-F", "S-O-X", "SU-R-M" for a reminder) stored with the notice,
 * used to group pages that share a static part, and printed in the margin. */
void rules_variant_code(const struct variant *v, char out[VARIANT_CODE_MAX]);
bool rules_variant_parse(const char *code, struct variant *out);

#endif
