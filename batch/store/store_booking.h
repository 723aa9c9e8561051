/* store_booking: the booking store's bookings (taken, changed, cancelled, withdrawn with
 * the feed, exported) and the service's open of the store. Must not decide booking rules
 * (slots.c does) nor touch the night's database: the service never sees it. */
#ifndef CN_STORE_BOOKING_H
#define CN_STORE_BOOKING_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "notice.h"
#include "rid.h"
#include "store.h"
#include "store_feed.h"
#include "store_lockout.h"

struct store_booking;

/* Opens an existing booking store (feed import creates it) on one connection: WAL, a busy
 * timeout so that a feed import only delays a booking. One store per thread. The night's
 * database is refused, naming `feed import`. */
int store_booking_open(const char *path, struct store_booking **out, struct cn_err *err);
void store_booking_close(struct store_booking *bs);
/* The connection, for the other store modules of the service (store_staff.h): their
 * statements run on the same thread's connection. */
struct store *store_booking_db(struct store_booking *bs);

/* Whether the ID opens the booking pages, for the resident and for the call centre alike:
 * the ID is in the latest feed (not withdrawn) and its letter is one a resident holds (a
 * walk-in letter opens them to say where to go). Who is in the feed is notice_feed's rule,
 * inside. */
bool booking_resident_opens(const struct booking_resident *res);

enum booking_status { BOOKING_ACTIVE, BOOKING_CANCELLED };

/* Why a booking was cancelled, as the column and export-bookings write it. */
#define BOOKING_REASON_CANCELLED "cancelled" /* by the resident, on the web or by phone */
#define BOOKING_REASON_CHANGED "changed"     /* replaced by another slot */
#define BOOKING_REASON_WITHDRAWN "withdrawn" /* the ID left the feed: staff call the resident */

struct booking {
    int64_t id; /* the reference residents and the counter quote: booking_ref() */
    char rid[RID_LEN + 1];
    char office[32];
    cn_date day;
    int start_min;
    enum booking_status status;
    char by[32];        /* "web", or the staff account that booked by phone */
    char reason[16];    /* BOOKING_REASON_*, "" while active */
    char attendance[8]; /* "arrived", "done", "no_show" or "" (attendance_name) */
    char attended_at[24], created_at[24], changed_at[24]; /* UTC "YYYY-MM-DD HH:MM:SS" */
};

/* What the pages read of an ID, in one statement: its feed row and its active booking
 * (store_booking_facts; with a stored session, store_session_get). */
struct id_facts {
    bool read;             /* false: not read (the memory jar's sessions), ask the store */
    char rid[RID_LEN + 1]; /* the ID they were read for */
    bool in_feed;          /* res holds its feed row */
    bool has_active;       /* active holds its active booking */
    struct booking_resident res;
    struct booking active;
};
int store_booking_facts(struct store_booking *bs, const char *rid, struct id_facts *out,
                        struct cn_err *err);
struct store_query;
/* For a statement of the store that reads an ID's facts with its own (store_session.c):
 * the columns, from feed joined as f and the active booking as b, and their reader from
 * column `first` (answering the column after them); rid is the ID they were read for. */
#define ID_FACTS_COLS                                                                              \
    FEED_RESIDENT_COLS_AS("f.")                                                                    \
    ", b.id, b.rid, b.office, b.day, b.start, b.status, b.by_whom, "                               \
    "b.reason, b.attendance, b.attended_at, b.created_at, b.changed_at"
#define ID_FACTS_JOIN(rid)                                                                         \
    " LEFT JOIN feed f ON f.rid = " rid " LEFT JOIN bookings b ON b.rid = " rid                    \
    " AND b.status = 'active'"
int store_id_facts_at(struct store_query *q, int first, const char *rid, struct id_facts *out);

/* A booking's id is its number, drawn at random in a take (so that it tells nobody the
 * booking volume), never one given before: 9 digits. Stores from before version 2 hold
 * smaller, sequential ones. */
#define BOOKING_NUMBER_MIN 100000000
#define BOOKING_NUMBER_MAX 999999999
#define BOOKING_NUMBER_DRAWS 8

/* "Y123456789": the reference printed on the confirmation (an old booking's "Y000000123").
 * Room for the 15 characters bookings import accepts. */
#define BOOKING_REF_LEN 16
void booking_ref(int64_t id, char out[BOOKING_REF_LEN]);

enum take_result {
    TAKE_OK,
    TAKE_FULL,        /* the slot's seats were taken first */
    TAKE_HAS_BOOKING, /* the ID already has an active booking (and none was being replaced) */
};

struct take_request {
    const char *rid, *office, *by;
    cn_date day;
    int start_min;
    int seats;           /* the office's seats per slot (the config's); the take applies the
                          * newest seat change for the day itself */
    int64_t replace_id;  /* a change: this active booking of the same ID is cancelled in the
                          * same transaction; 0 for a new booking */
    int slot_min;        /* the slot's length: a closure staff made meanwhile is seen inside
                          * the transaction (TAKE_FULL); 0 skips that check */
    const char *session; /* the token of a stored session (store_session.h) whose row records
                          * the booking (its number, intent booking) in the same transaction;
                          * NULL none. A row not there (a memory session) is no error */
};

/* Takes a seat: counts it in the slot's row of slot_taken against the slot's seats (the
 * newest seat change for the day, else req->seats), checks closures and inserts the booking
 * all or nothing, so two requests for the last seat cannot both get it (one
 * statement on PostgreSQL, one BEGIN IMMEDIATE on SQLite; a change cancels the old booking
 * in the same transaction). */
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

/* ---- across the wall ---- */

/* Every booking changed at or after since (UTC "YYYY-MM-DD HH:MM:SS"; NULL: all), active or
 * not, in the order of their changes: export-bookings' rows. */
int store_booking_each_since(struct store *s, const char *since,
                             int (*fn)(const struct booking *b, void *ctx), void *ctx,
                             struct cn_err *err);

/* In the caller's transaction: the active bookings of IDs the feed withdrew are cancelled
 * (BOOKING_REASON_WITHDRAWN). *cancelled: how many. Then every slot's kept count is counted
 * again from the bookings, takes meanwhile waiting (on PostgreSQL a table lock, which only
 * a transaction holds). */
int store_booking_withdraw(struct store *s, long *cancelled, struct cn_err *err);

/* The bookings on or after `from` cancelled because their ID was withdrawn (office NULL:
 * all): the counter calls these residents. */
int store_booking_each_withdrawn(struct store *s, const char *office, cn_date from,
                                 int (*fn)(const struct booking *b, void *ctx), void *ctx,
                                 struct cn_err *err);

/* Retention: bookings whose day is before `before` are deleted. */
int store_booking_purge(struct store *s, cn_date before, long *deleted, struct cn_err *err);

#endif
