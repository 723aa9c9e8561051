/* wallfiles: the contracts of the files that cross the wall between the night (inside) and
 * the booking store (outside): feed.csv and feed.json outward, export-bookings' CSV back.
 * Must not read or write files: it names their columns and keys, which both sides share. */
#ifndef CN_WALLFILES_H
#define CN_WALLFILES_H

#include <stdbool.h>

/* feed.json's "format": a reader refuses any other. */
#define FEED_FORMAT "certnotice-feed/1"

/* feed.csv's columns, in this order. Nothing about the person beyond the district and the
 * birth month-day (the pages' second factor); policy is the letter's: "book" or "walk_in". */
enum feed_column {
    FEED_RID,
    FEED_WINDOW_START,
    FEED_WINDOW_END,
    FEED_CERT_EXPIRY,
    FEED_DISTRICT,
    FEED_BIRTH_MMDD,
    FEED_LETTER_DATE,
    FEED_POLICY,
    FEED_COLUMNS
};
extern const char *const feed_column_names[FEED_COLUMNS];

/* A column no file crossing outward may carry (a name, kana, address, postcode, full birth
 * date or resident ID, under the names the input and the night's files give them). */
bool wallfiles_personal_column(const char *name);

/* export-bookings' columns, in this order; the first six are the counter's list as it was
 * before the wall (reference, date, time, office, reservation_id, booked_by). */
enum booking_column {
    BK_REFERENCE,
    BK_DATE,
    BK_TIME,
    BK_OFFICE,
    BK_RID,
    BK_BOOKED_BY,
    BK_STATUS,
    BK_REASON,
    BK_ATTENDANCE,
    BK_ATTENDED_AT,
    BK_CREATED_AT,
    BK_CHANGED_AT,
    BK_EXPORTED_AT,
    BK_COLUMNS
};
extern const char *const booking_column_names[BK_COLUMNS];

#endif
