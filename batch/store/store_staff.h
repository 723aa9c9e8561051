/* store_staff: the counter's SQL: staff accounts (KDF hashes only), their sessions (token
 * digests only), the audit of staff actions, the day list, attendance marks, closures and
 * seat changes. Must not decide rules (slots.c does) nor hash or check passwords (secret.c). */
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

/* An account's office: a config office id, or STAFF_ALL_OFFICES for every office (the call
 * centre, the supervisor). */
#define STAFF_ALL_OFFICES "*"
#define STAFF_NAME_MAX 32

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

/* ---- sessions ---- */

struct staff_session {
    char digest[SECRET_TOKEN_LEN + 1]; /* secret_token_digest of the cookie's token */
    char csrf[SECRET_TOKEN_LEN + 1];
    char staff[STAFF_NAME_MAX];
    char office[32]; /* the account's office, read with the session */
    int64_t last_seen;
};

int store_staff_session_new(struct store *s, const struct staff_session *ss, struct cn_err *err);
/* The session with this digest if it was seen within idle seconds of now (it is touched);
 * an idle one is deleted and not found. */
int store_staff_session_get(struct store *s, const char *digest, int64_t now, int idle,
                            struct staff_session *out, bool *found, struct cn_err *err);
int store_staff_session_end(struct store *s, const char *digest, struct cn_err *err);

/* ---- audit ---- */

/* One row of the audit table the night's commands write too (store_audit): who, when, from
 * where. who: the staff account (or "cli:USER"); action: a word ("login", "mark", ...); detail:
 * what it touched, never a resident's name (a booking reference or reservation ID is
 * fine); client: the address the request came from ("cli" for the command line). */
int store_staff_audit(struct store *s, const char *who, const char *action, const char *detail,
                      const char *client, struct cn_err *err);

struct audit_row {
    int64_t id;
    char at[24], who[48], action[24], detail[256], client[64];
};
/* The newest `newest` rows of the audit, the night's too (who and client "" for those),
 * newest first. */
int store_staff_each_audit(struct store *s, int newest,
                           int (*fn)(const struct audit_row *a, void *ctx), void *ctx,
                           struct cn_err *err);

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
    /* from the resident's record: what the counter checks the card against */
    char name[128], kana[128];
    cn_date birth;
    int64_t closure_id; /* a closure hit this booking: staff call the resident; 0 none */
};

/* The office's active bookings on day, by start time. */
int store_staff_day(struct store *s, const char *office, cn_date day,
                    int (*fn)(const struct day_entry *e, void *ctx), void *ctx, struct cn_err *err);
/* Marks an active booking of the office; *done false when there is none with that id. */
int store_staff_mark(struct store *s, int64_t id, const char *office, enum attendance a, bool *done,
                     struct cn_err *err);

/* ---- closures and seat changes ---- */

/* Closes [from_min, to_min) of day at office and flags the active bookings whose slot
 * (slot_min long) overlaps it: they stay booked until staff have called them. *hit: how
 * many were flagged. */
int store_staff_close(struct store *s, const char *office, cn_date day, int from_min, int to_min,
                      int slot_min, const char *reason, const char *by, int64_t *id, int *hit,
                      struct cn_err *err);
/* Seats per slot from first to last at office (overrides the config's). */
int store_staff_set_seats(struct store *s, const char *office, cn_date first, cn_date last,
                          int seats, const char *by, struct cn_err *err);
/* The closures and seat changes touching first..last at office, for slots_check_changed. */
int store_staff_changes(struct store *s, const char *office, cn_date first, cn_date last,
                        struct slot_changes *out, struct cn_err *err);

struct closure_row {
    int64_t id;
    char office[32];
    cn_date day;
    int from_min, to_min;
    char reason[256], by[32];
};
/* Closures on or after `from` (all offices when office is NULL), by day. */
int store_staff_each_closure(struct store *s, const char *office, cn_date from,
                             int (*fn)(const struct closure_row *c, void *ctx), void *ctx,
                             struct cn_err *err);

struct hit_row {
    int64_t booking_id, closure_id;
    char rid[RID_LEN + 1];
    char office[32];
    cn_date day;
    int start_min;
    char reason[256];
};
/* The active bookings closures hit on or after `from`: the list staff call through. */
int store_staff_each_hit(struct store *s, const char *office, cn_date from,
                         int (*fn)(const struct hit_row *h, void *ctx), void *ctx,
                         struct cn_err *err);

#endif
