/* store_lockout: the booking store's lockouts: birthday attempts per ID and per client, login
 * attempts per staff account and per client. Must not decide how many tries are allowed (the pages
 * do). */
#ifndef CN_STORE_LOCKOUT_H
#define CN_STORE_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct store_booking;

/* Whether key a ("rid:...", "ip:...", "staff:..."), or b (NULL: none), is locked at now
 * (seconds), in one read: *until_a, *until_b the locks' ends, 0 when not locked (until_b
 * may be NULL with b). For a page shown before any answer. */
int store_booking_locked(struct store_booking *bs, const char *a, const char *b, int64_t now,
                         int64_t *until_a, int64_t *until_b, struct cn_err *err);

/* One key's attempt: its limits in, what became of it out. */
struct lockout_try {
    char key[128];
    int max, window, lock; /* attempts, and seconds */
    bool allowed;          /* counted; false: locked, nothing counted */
    int count;             /* attempts in the window, this one included */
    int64_t until;         /* the lock's end: the one that refused, or the one this set; 0 none */
};

/* Counts an attempt on a, and on b (NULL: none), BEFORE the answer is compared, in one
 * statement, so that attempts in parallel cannot all pass a check made before any was
 * counted. A key locked at now: not allowed, nothing counted on it, until the lock's end;
 * the other is counted all the same (the caller refunds it). Otherwise counted (attempts
 * older than window seconds are forgotten first) and allowed; the max-th attempt locks the
 * key for lock seconds at once (until; 0 when not locked). A right answer then settles.
 * Every caller passes its two kinds of key in one order (see sql_lock_attempt). */
int store_booking_attempts(struct store_booking *bs, struct lockout_try *a, struct lockout_try *b,
                           int64_t now, struct cn_err *err);
/* The same for one key. */
int store_booking_attempt(struct store_booking *bs, const char *key, int64_t now, int max,
                          int window, int lock, bool *allowed, int *count, int64_t *until,
                          struct cn_err *err);
/* Gives back one counted attempt (a right answer, where only wrong ones should count): the
 * count drops by one, and a lock the count had reached is lifted. */
int store_booking_refund(struct store_booking *bs, const char *key, int max, struct cn_err *err);

/* Locks key until `until`, unless it is locked longer already. */
int store_booking_lock_until(struct store_booking *bs, const char *key, int64_t until,
                             struct cn_err *err);

/* A right answer, in one statement: forget's failures forgotten (the ID, the account), and
 * refund's attempt given back as store_booking_refund (refund_max its limit). */
int store_booking_settle(struct store_booking *bs, const char *forget, const char *refund,
                         int refund_max, struct cn_err *err);

/* A right answer taken without an attempt counted, in one statement: only while neither key
 * (a, the ID's or account's; b, the client's, or NULL) is locked at now, and then a's
 * failures are forgotten. *until_a, *until_b: the locks that refused it, 0 when not locked
 * (until_b may be NULL with b). It admits the same answers as an attempt then a settle:
 * a right answer after the tries-th failure finds the key locked, one before does not. */
int store_booking_pass(struct store_booking *bs, const char *a, const char *b, int64_t now,
                       int64_t *until_a, int64_t *until_b, struct cn_err *err);

/* store_booking_pass's statement on PostgreSQL, for a statement that adds a write of its own
 * to it (store_session_pass): the CTEs `locked` (the keys ?1 and ?2 locked at ?3, with their
 * ends) and `forgot`, and the select of LOCKOUT_PASS_ENDS, which store_lockout_ends reads. A
 * write added in a CTE of its own takes effect only while NOT EXISTS (SELECT 1 FROM locked). */
#define LOCKOUT_PASS_WITH                                                                          \
    "WITH locked AS (SELECT key, locked_until FROM lockouts WHERE key IN (?1, ?2) "                \
    "AND locked_until > CAST(?3 AS BIGINT)), "                                                     \
    "forgot AS (UPDATE lockouts SET failures = 0, first_at = 0, locked_until = 0 "                 \
    "WHERE key = ?1 AND failures > 0 AND NOT EXISTS (SELECT 1 FROM locked) RETURNING key)"
#define LOCKOUT_PASS_ENDS "SELECT key, locked_until FROM locked"
struct store_query;
/* Binds a, b and now to ?1-?3 of q, a statement whose rows are keys locked at now with their
 * ends (key, locked_until), runs it and answers the ends as store_booking_locked does. */
int store_lockout_ends(struct store_query *q, const char *what, const char *a, const char *b,
                       int64_t now, int64_t *until_a, int64_t *until_b, struct cn_err *err);

/* Retention: lockouts whose last failure and lock both ended before `before` (seconds). */
int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err);

#endif
