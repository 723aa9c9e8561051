/* store_staff: the counter's accounts (KDF hashes only) in the booking store, and its view
 * of the bookings: the day list (no names: those are inside) and attendance marks. Must not
 * decide rules (slots.c does) nor hash or check passwords (secret.c). Sessions, the audit
 * and closures are their own modules, included here for the pages. */
#ifndef CN_STORE_STAFF_H
#define CN_STORE_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "rid.h"
#include "secret.h"
#include "slots.h"
#include "store.h"
#include "store_audit.h"
#include "store_closure.h"
#include "store_staff_session.h"

/* An account's office: a config office id, or STAFF_ALL_OFFICES for every office (the call
 * centre, the supervisor). */
#define STAFF_ALL_OFFICES "*"

struct staff_account {
    char name[STAFF_NAME_MAX];
    char office[32];
    char hash[SECRET_HASH_MAX];
    char created[24], changed[24]; /* UTC, "YYYY-MM-DD HH:MM:SS" */
};

/* Account names: 1-31 of a-z 0-9 . _ - (they go into the audit and by_whom). */
bool staff_name_ok(const char *name);

/* *exists when the name is taken already (nothing written). */
int store_staff_add(struct store *s, const char *name, const char *office, const char *hash,
                    bool *exists, struct cn_err *err);
/* A new hash; the account's sessions end. *found false: no such account. */
int store_staff_passwd(struct store *s, const char *name, const char *hash, bool *found,
                       struct cn_err *err);
/* Removes the account and its sessions. */
int store_staff_remove(struct store *s, const char *name, bool *found, struct cn_err *err);
int store_staff_get(struct store *s, const char *name, struct staff_account *out, bool *found,
                    struct cn_err *err);
/* Accounts by name; fn returning non-zero stops and that value is returned. */
int store_staff_each(struct store *s, int (*fn)(const struct staff_account *a, void *ctx),
                     void *ctx, struct cn_err *err);

/* ---- the day list ---- */

enum attendance { ATTEND_NONE, ATTEND_ARRIVED, ATTEND_DONE, ATTEND_NO_SHOW };
/* "arrived", "done", "no_show" as the column holds them ("" for none). */
const char *attendance_name(enum attendance a);
bool attendance_parse(const char *s, enum attendance *out);

struct day_entry {
    int64_t id;
    char rid[RID_LEN + 1];
    int start_min;
    char by[32];
    enum attendance attendance;
    char attended_at[24];
    /* from the feed: what the counter checks the card against */
    int birth_month, birth_day; /* 0 when the feed has none; no name: daylist, inside */
    int64_t closure_id;         /* a closure hit this booking: staff call the resident; 0 none */
};

/* The office's active bookings on day, by start time. */
int store_staff_day(struct store *s, const char *office, cn_date day,
                    int (*fn)(const struct day_entry *e, void *ctx), void *ctx, struct cn_err *err);
/* Marks an active booking of the office; *done false when there is none with that id. */
int store_staff_mark(struct store *s, int64_t id, const char *office, enum attendance a, bool *done,
                     struct cn_err *err);

#endif
