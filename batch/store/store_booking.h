/* store_booking: the booking service's SQL: bookings, lockouts and the read of what a
 * reservation ID's letter said. Must not decide booking rules (slots.c does) nor migrate
 * the nightly job's tables: it opens a database the night already made. */
#ifndef CN_STORE_BOOKING_H
#define CN_STORE_BOOKING_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "notice.h"
#include "rid.h"
#include "store.h"

struct store_booking;

/* Opens an existing database (the nightly job creates it) on one connection: WAL, a busy
 * timeout so that a night's write only delays a booking, and the booking tables. One
 * store per thread. */
int store_booking_open(const char *path, struct store_booking **out, struct cn_err *err);
void store_booking_close(struct store_booking *bs);
/* The connection, for the other store modules of the service (store_staff.h): their
 * statements run on the same thread's connection. */
struct store *store_booking_db(struct store_booking *bs);

/* What the service knows about a reservation ID: nothing from the letter but what the
 * booking needs (no name, no address). */
struct booking_resident {
    char rid[RID_LEN + 1];
    cn_date cert_expiry;
    cn_date letter_date; /* the date of the run that issued the letter; DATE_NONE if unknown */
    char district[17];
    int birth_month, birth_day;
    bool active;                 /* the resident is still active (not deceased, not moved out) */
    enum notice_booking booking; /* notice_booking() of the letter as stored */
};

int store_booking_resident(struct store_booking *bs, const char *rid, struct booking_resident *out,
                           bool *found, struct cn_err *err);

/* Whether the ID opens the booking pages, for the resident and for the call centre alike:
 * the resident is active and the letter is one a resident holds (a walk-in letter opens
 * them to say where to go; a returned or held one does not). */
bool booking_resident_opens(const struct booking_resident *res);

enum booking_status { BOOKING_ACTIVE, BOOKING_CANCELLED };

struct booking {
    int64_t id; /* the reference residents and the counter quote: booking_ref() */
    char rid[RID_LEN + 1];
    char office[32];
    cn_date day;
    int start_min;
    enum booking_status status;
    char by[32]; /* "web", or the staff account that booked by phone */
};

/* "Y000123": the reference printed on the confirmation. */
#define BOOKING_REF_LEN 16
void booking_ref(int64_t id, char out[BOOKING_REF_LEN]);

/* The ID's active booking, if any (there is at most one). */
int store_booking_active(struct store_booking *bs, const char *rid, struct booking *out,
                         bool *found, struct cn_err *err);

/* Calls fn(day, start_min, taken) for every slot of the office between from and to
 * (inclusive) that has active bookings. */
int store_booking_taken(struct store_booking *bs, const char *office, cn_date from, cn_date to,
                        void (*fn)(cn_date day, int start_min, int taken, void *ctx), void *ctx,
                        struct cn_err *err);

enum take_result {
    TAKE_OK,
    TAKE_FULL,        /* the slot's seats were taken first */
    TAKE_HAS_BOOKING, /* the ID already has an active booking (and none was being replaced) */
};

struct take_request {
    const char *rid, *office, *by;
    cn_date day;
    int start_min;
    int seats;          /* seats in the slot: the last one goes to one request only */
    int64_t replace_id; /* a change: this active booking of the same ID is cancelled in the
                         * same transaction; 0 for a new booking */
    int slot_min;       /* the slot's length: a closure staff made meanwhile is seen inside
                         * the transaction (TAKE_FULL); 0 skips that check */
};

/* Takes a seat in one write transaction (BEGIN IMMEDIATE): counts, checks and inserts
 * together, so two requests for the last seat cannot both get it. */
int store_booking_take(struct store_booking *bs, const struct take_request *req,
                       struct booking *out, enum take_result *result, struct cn_err *err);

/* Cancels the booking if it is the ID's and still active; *done says whether it was. */
int store_booking_cancel(struct store_booking *bs, const char *rid, int64_t id, bool *done,
                         struct cn_err *err);

/* Active bookings in day, time, office order; office and/or day may be NULL/DATE_NONE for
 * all. fn returning non-zero stops and that value is returned. */
int store_booking_each(struct store_booking *bs, const char *office, cn_date day,
                       int (*fn)(const struct booking *b, void *ctx), void *ctx,
                       struct cn_err *err);

/* ---- lockouts: attempts per ID, per account and per client ---- */

/* Whether key ("rid:..." or "ip:...") is locked at now (seconds); *until when it ends. */
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

/* Deletes the lockout rows whose lock and count both ended before `before`: every rotated
 * client address or guessed ID left one. */
int store_booking_sweep_lockouts(struct store_booking *bs, int64_t before, struct cn_err *err);

/* Forgets key's failures (a right answer). */
int store_booking_forget(struct store_booking *bs, const char *key, struct cn_err *err);

#endif
