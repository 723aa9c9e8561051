/* store_lockout: the booking store's lockouts: wrong birthdays per ID and per client, wrong
 * passwords per staff account. Must not decide how many tries are allowed (the pages do). */
#ifndef CN_STORE_LOCKOUT_H
#define CN_STORE_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct store_booking;

/* Whether key ("rid:...", "ip:...", "staff:...") is locked at now (seconds); *until when it
 * ends. */
int store_booking_locked(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                         int64_t *until, struct cn_err *err);

/* Counts a failure for key: failures older than window seconds are forgotten; reaching max
 * locks the key for lock seconds. *failures is the count after this one (max when it
 * locked), *until the end of the lock (0 when not locked). */
int store_booking_fail(struct store_booking *bs, const char *key, int64_t now, int max, int window,
                       int lock, int *failures, int64_t *until, struct cn_err *err);

/* Forgets key's failures (a right answer). */
int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err);

/* Retention: lockouts whose last failure and lock both ended before `before` (seconds). */
int store_lockout_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err);

#endif
