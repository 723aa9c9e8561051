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

/* Whether key ("rid:...", "ip:...", "staff:...") is locked at now (seconds); *until when it
 * ends: for a page shown before any answer. */
int store_booking_locked(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                         int64_t *until, struct cn_err *err);

/* Counts an attempt for key BEFORE the answer is compared, in one write transaction, so
 * that attempts in parallel cannot all pass a check made before any was counted. Locked at
 * now: *allowed false, nothing counted, *until the lock's end. Otherwise counted (attempts
 * older than window seconds are forgotten first) and *allowed true; the max-th attempt locks
 * the key for lock seconds at once (*until; 0 when not locked). *count: after this one. A
 * right answer then forgets the key or refunds the attempt. */
int store_booking_attempt(struct store_booking *bs, const char *key, int64_t now, int max,
                          int window, int lock, bool *allowed, int *count, int64_t *until,
                          struct cn_err *err);

/* Gives back one counted attempt (a right answer, where only wrong ones should count): the
 * count drops by one, and a lock the count had reached is lifted. */
int store_booking_refund(struct store_booking *bs, const char *key, int max, struct cn_err *err);

/* Locks key until `until`, unless it is locked longer already. */
int store_booking_lock_until(struct store_booking *bs, const char *key, int64_t until,
                             struct cn_err *err);

/* Forgets key's failures (a right answer). */
int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err);

/* Retention: lockouts whose last failure and lock both ended before `before` (seconds). */
int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err);

#endif
