/* store_feed: the booking store's copy of the night's feed (which reservation IDs may book,
 * with only what booking needs) and the batches loaded into it. Must not read or check the
 * files (feed_in.c does), decide who may book (notice.c does), nor hold the night's tables. */
#ifndef CN_STORE_FEED_H
#define CN_STORE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "notice.h"
#include "rid.h"
#include "store.h"

/* One night's feed as feed.json describes it. */
struct feed_batch {
    char municipality[64];
    char batch[48]; /* the batch folder's name: 2026-12-01, 2026-12-01-2 */
    cn_date batch_date;
    int64_t run; /* the night's run number */
    long rows;
    char sha256[65]; /* of feed.csv */
    char loaded_at[24];
};

/* One row of feed.csv: nothing about the person but the district and the birth month-day
 * (the second factor the pages ask for). */
struct feed_row {
    char rid[RID_LEN + 1];
    cn_date window_start, window_end, cert_expiry;
    cn_date letter_date; /* the night that issued the letter */
    char district[17];
    char birth_mmdd[8];          /* MMDD */
    enum notice_booking booking; /* the letter's: NOTICE_BOOK_YES or NOTICE_BOOK_WALK_IN */
};

/* "book" or "walk_in", as feed.csv's policy column and the store write it. */
const char *feed_booking_name(enum notice_booking b);
bool feed_booking_parse(const char *s, enum notice_booking *out);

/* The newest batch loaded (*found false: none yet). */
int store_feed_last(struct store *s, struct feed_batch *out, bool *found, struct cn_err *err);

/* Loading a snapshot: stage its rows on the connection's scratch table (no write lock, so
 * the service goes on booking meanwhile), then apply them in the caller's transaction. */
int store_feed_stage_begin(struct store *s, struct cn_err *err);
/* *duplicate: the ID was staged already (nothing written). */
int store_feed_stage_row(struct store *s, const struct feed_row *r, bool *duplicate,
                         struct cn_err *err);
int store_feed_stage_end(struct store *s, struct cn_err *err);
/* Drops what was staged (a refusal, an error). */
void store_feed_stage_drop(struct store *s);

struct feed_counts {
    long upserted;  /* rows added or changed (a withdrawn ID back in the snapshot too) */
    long withdrawn; /* IDs that left the snapshot tonight */
};

/* In the caller's transaction: the staged snapshot becomes the feed (rows added or
 * updated, IDs not in it withdrawn), and the batch is recorded. */
int store_feed_apply(struct store *s, const struct feed_batch *b, struct feed_counts *out,
                     struct cn_err *err);

/* What the service knows about a reservation ID. */
struct booking_resident {
    char rid[RID_LEN + 1];
    cn_date cert_expiry;
    cn_date letter_date; /* the date of the night that issued the letter; DATE_NONE if unknown */
    char district[17];
    int birth_month, birth_day;
    bool active;                 /* in the latest snapshot: not withdrawn */
    enum notice_booking booking; /* the letter's notice_booking() as the feed gave it */
};

/* A feed row's columns, for the statements of the store that read the row with others
 * (store_booking.c's ID_FACTS_COLS): FEED_RESIDENT_COLS_AS("f.") selects them from feed
 * joined as f. */
#define FEED_RESIDENT_COLS_AS(t)                                                                   \
    t "rid, " t "cert_expiry, " t "letter_date, " t "district, " t "birth_mmdd, " t "policy, " t   \
      "withdrawn_at"
struct store_query;
/* Reads those columns of the row being read, from column `first`. */
void store_feed_resident_at(struct store_query *q, int first, struct booking_resident *out);

/* Retention: withdrawn rows that no booking refers to any more are deleted. */
int store_feed_purge(struct store *s, long *deleted, struct cn_err *err);

#endif
