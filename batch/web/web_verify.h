/* web_verify: proving who is asking, for residents and the counter alike: the one parser
 * of the numbers people type, the birthday check, the lockout keys and their counting.
 * Must not draw a page or hold SQL (store_booking.c does the counting, in one transaction). */
#ifndef CN_WEB_VERIFY_H
#define CN_WEB_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "session.h"
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
#define VERIFY_LOCK_SECONDS (30L * 60)
/* A second ID lock within a day locks the ID until the next day. */
#define VERIFY_DAY (24L * 60 * 60)
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

/* Lockout keys: kind ("rid", "staff") and what it counts. */
#define VERIFY_KEY_MAX 96
void verify_key(const char *kind, const char *value, char out[VERIFY_KEY_MAX]);
/* A per-client key ("ip", "staffip"): an IPv6 client counts by its /64, as the ID-lookup
 * limiter counts it (ratelimit_client_key), so rotating the low 64 bits is not a new
 * client and leaves no new row. */
void verify_client_key(const char *kind, const char *client, char out[VERIFY_KEY_MAX]);

/* Whether key a, or b (NULL: none), is locked at now, in one read: *until_a, *until_b
 * when their locks end, 0 when not locked (until_b may be NULL with b). For a page shown
 * before any answer; an answer goes through verify_attempt(s). */
int verify_locked(struct store_booking *bs, const char *a, const char *b, int64_t now,
                  int64_t *until_a, int64_t *until_b, struct cn_err *err);
/* One attempt on one key, counted BEFORE the answer is compared (one write transaction per
 * key): requests in parallel get at most tries comparisons between them. */
struct verify_try {
    char key[VERIFY_KEY_MAX];
    const struct verify_limit *lim;
    bool allowed; /* false: the key was locked, nothing counted, the answer must not be looked at */
    int count;    /* attempts in the window, this one included */
    int64_t until; /* the lock's end: the one that refused, or the one this attempt set; 0 none */
};
int verify_attempt(struct store_booking *bs, struct verify_try *t, int64_t now, struct cn_err *err);
/* Attempts on two keys in one statement (the ID's or account's, then the client's: always
 * in that order): each is allowed or not as verify_attempt says; one refused leaves the
 * other counted, for the caller to refund. */
int verify_attempts(struct store_booking *bs, struct verify_try *a, struct verify_try *b,
                    int64_t now, struct cn_err *err);
/* A right answer, taken without an attempt counted, in one statement: only while neither id
 * (the ID's or account's key) nor ip (the client's) is locked, and id's count then starts
 * again (store_booking_pass). Each try's allowed says whether its key let it through, and
 * until when a refusing lock lasts. A wrong answer goes through verify_attempts before it
 * is told: the two together admit what counting every answer first would.
 * When both let it through, the session s of jar is rotated (session_pass_rotate: a stored
 * one in the same statement). */
int verify_pass(struct store_booking *bs, struct verify_try *id, struct verify_try *ip, int64_t now,
                struct session_jar *jar, struct session *s, struct cn_err *err);
/* The answer was right, in one statement: forget's count starts again (the ID, the
 * account), and the client's attempt t, which was no guess, is given back. */
int verify_settle(struct store_booking *bs, const char *forget, const struct verify_try *t,
                  struct cn_err *err);
/* The answer was right, or never compared: the attempt is given back (a client, or a step of
 * a phone booking that checks the birthday again), lifting the lock it may have set. */
int verify_refund(struct store_booking *bs, const struct verify_try *t, struct cn_err *err);

/* A wrong birthday just locked the ID (t: its attempt): the second such lock within a day
 * locks the ID until the next day (local midnight after tomorrow begins), t->until then
 * being that moment. */
int verify_escalate(struct store_booking *bs, const char *rid, struct verify_try *t, int64_t now,
                    struct cn_err *err);
/* Whether a lock ending at until is the escalated one (longer than a plain lock). */
bool verify_until_tomorrow(int64_t until, int64_t now);

#endif
