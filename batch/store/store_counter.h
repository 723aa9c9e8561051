/* store_counter: the night's copy of the counter's bookings, brought in from the booking
 * store's export (bookings import), and the named day list the counter prints inside. Must
 * not be used by the booking service: it joins the registry's names. */
#ifndef CN_STORE_COUNTER_H
#define CN_STORE_COUNTER_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"
#include "store_booking.h"

/* The newest bookings file loaded: its export time (UTC "YYYY-MM-DD HH:MM:SS") and
 * SHA-256; *found false when none was. */
int store_counter_last_import(struct store *s, char exported_at[24], char sha256[65], bool *found,
                              struct cn_err *err);

/* One booking as the export gave it: inserted, or replacing the row of the same id when it
 * is not older (changed_at); *applied says whether anything was written. */
int store_counter_put(struct store *s, const struct booking *b, bool *applied, struct cn_err *err);

/* Records a file loaded (in the caller's transaction, with its rows). */
int store_counter_record_import(struct store *s, const char *file, const char *sha256,
                                const char *exported_at, long rows, long applied,
                                struct cn_err *err);

/* One line of the counter's named list. */
struct counter_entry {
    int64_t id;
    char rid[RID_LEN + 1];
    int start_min;
    char by[32];        /* "web" or the staff account that booked by phone */
    char attendance[8]; /* "" until marked */
    char name[128], kana[128];
    cn_date birth;
};

/* The office's active bookings on day, by time, with the resident's name, kana and birth
 * date from the registry. fn returning non-zero stops and that value is returned. */
int store_counter_day(struct store *s, const char *office, cn_date day,
                      int (*fn)(const struct counter_entry *e, void *ctx), void *ctx,
                      struct cn_err *err);

#endif
