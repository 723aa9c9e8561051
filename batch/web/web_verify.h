/* web_verify: proving who is asking, for residents and the counter alike: the one parser
 * of the numbers people type, the birthday check, the lockout keys and their counting.
 * Must not draw a page or hold SQL (store_booking.c does the counting, in one transaction). */
#ifndef CN_WEB_VERIFY_H
#define CN_WEB_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store_booking.h"

/* How many failures lock a key, counted over how long, and for how long it stays locked. */
struct verify_limit {
    int tries;
    int window; /* seconds: older failures are forgotten */
    int lock;   /* seconds */
};

/* 5 wrong birthdays lock an ID for 30 minutes; a client address gets more tries (a family
 * shares one) before it is locked too. */
#define VERIFY_ID_TRIES 5
#define VERIFY_CLIENT_TRIES 20
#define VERIFY_LOCK_SECONDS (30 * 60)
/* Failed logins before an account is locked, and for how long; a client address trying
 * many accounts is locked too. */
#define VERIFY_STAFF_TRIES 5
#define VERIFY_STAFF_CLIENT_TRIES 20
#define VERIFY_STAFF_LOCK_SECONDS (15 * 60)

extern const struct verify_limit verify_id_limit;           /* "rid:" */
extern const struct verify_limit verify_client_limit;       /* "ip:" */
extern const struct verify_limit verify_staff_limit;        /* "staff:" */
extern const struct verify_limit verify_staff_client_limit; /* "staffip:" */

/* A small number as people type it: ASCII or full-width digits (a Japanese keyboard gives
 * those), spaces ignored. -1 when empty, not digits, or more than max_digits digits. */
int verify_small_number(const char *s, int max_digits);

/* Whether month and day (as typed) are the resident's birthday. */
bool verify_birthday(const struct booking_resident *res, const char *month, const char *day);

/* Lockout keys: kind ("rid", "ip", "staff", "staffip") and what it counts. */
#define VERIFY_KEY_MAX 96
void verify_key(const char *kind, const char *value, char out[VERIFY_KEY_MAX]);

/* Whether key is locked at now; *until when it ends (0 when not locked). */
int verify_locked(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                  int64_t *until, struct cn_err *err);
/* Counts one failure for key; *failures after it, *until the lock's end when it locked. */
int verify_fail(struct store_booking *bs, const char *key, const struct verify_limit *lim,
                int64_t now, int *failures, int64_t *until, struct cn_err *err);
/* Forgets key's failures: the answer was right. */
int verify_forget(struct store_booking *bs, const char *key, struct cn_err *err);

#endif
