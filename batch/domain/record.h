/* record: one resident as the input contract (docs/contracts.md, "Input") defines it, and the validation of
 * raw field text into that record. Must not read files or touch the database. */
#ifndef CN_RECORD_H
#define CN_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* Limits in characters (code points); buffers hold up to 4 UTF-8 bytes each. A longer
 * field is a reject, never a truncation: a cut address would send a letter astray. */
#define RESIDENT_ID_MAX 20
#define NAME_MAX_CHARS 40
#define KANA_MAX_CHARS 60
#define ADDRESS_MAX_CHARS 80
#define ADDRESS2_MAX_CHARS 60
#define DISTRICT_MAX 16
/* A language tag (BCP 47 is at most 35 in practice; lang.h reads it). */
#define LANGUAGE_MAX 35

enum resident_status { STATUS_ACTIVE, STATUS_DECEASED, STATUS_MOVED_OUT };

struct resident {
    char resident_id[RESIDENT_ID_MAX + 1];
    char name[NAME_MAX_CHARS * 4 + 1];
    char name_kana[KANA_MAX_CHARS * 4 + 1];
    cn_date birth_date;
    char postal_code[8]; /* seven digits, no hyphen */
    char address[ADDRESS_MAX_CHARS * 4 + 1];
    char address2[ADDRESS2_MAX_CHARS * 4 + 1];
    char district[DISTRICT_MAX + 1];
    cn_date card_expiry;
    cn_date sign_cert_expiry; /* DATE_NONE: no signing certificate */
    cn_date user_cert_expiry; /* DATE_NONE: no user certificate */
    bool face_auth;
    bool adult_ward;
    bool hold;
    enum resident_status status;
    /* The language the resident reads (ISO code from the registry's nationality or the
     * resident's request); "" for Japanese. Decides the letter's insert (reader.h). */
    char language[LANGUAGE_MAX + 1];
    /* State, not input: an earlier letter came back undeliverable, so no automatic letter
     * until a newer record brings a new address. */
    bool returned_hold;
};

/* The input columns, in the contract's order; an input file may order them freely. */
enum field {
    F_RESIDENT_ID,
    F_NAME,
    F_NAME_KANA,
    F_BIRTH_DATE,
    F_POSTAL_CODE,
    F_ADDRESS,
    F_ADDRESS2,
    F_DISTRICT,
    F_CARD_EXPIRY,
    F_SIGN_CERT_EXPIRY,
    F_USER_CERT_EXPIRY,
    F_FACE_AUTH,
    F_ADULT_WARD,
    F_STATUS,
    F_HOLD,
    F_LANGUAGE,
    F_COUNT
};

const char *record_field_name(enum field f);
/* -1 if name is not a contract column. */
int record_field_by_name(const char *name);
bool record_field_required(enum field f);

const char *record_status_name(enum resident_status s);

/* The one postcode normaliser: "NNN-NNNN" or "NNNNNNN" (half-width digits) into seven digits
 * and a NUL; false (out "") for anything else. */
bool record_postal_code(const char *in, char out[8]);

/* Why a record was refused: which field and a sentence a clerk can act on. */
struct record_problem {
    enum field field;
    char reason[160];
};

/* Checks and converts one record's field texts (values[f] may be NULL for an absent
 * optional column). district_known is asked whether a district code exists in the config.
 * Returns true and fills out, or false and fills problem with the first failing field. */
bool record_from_fields(const char *const values[F_COUNT],
                        bool (*district_known)(const char *code, void *ctx), void *ctx,
                        struct resident *out, struct record_problem *problem);

/* True if a and b carry the same input fields (state such as returned_hold aside). */
bool record_same_input(const struct resident *a, const struct resident *b);

#endif
