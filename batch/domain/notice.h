/* notice: one letter's record as the store keeps it (one per resident per certificate
 * expiry), the names of its statuses, and whether its reservation ID can be booked.
 * Must not touch the database or decide who is due. */
#ifndef CN_NOTICE_H
#define CN_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "outcome.h"
#include "record.h"
#include "rid.h"

enum notice_status {
    NOTICE_ISSUED,     /* reservation ID given, not yet in a published batch */
    NOTICE_PUBLISHING, /* in a batch being renamed into place (crash recovery decides) */
    NOTICE_PUBLISHED,
    NOTICE_RETURNED, /* came back undeliverable */
    NOTICE_REVIEW    /* held for a person to check; not printed */
};
#define NOTICE_STATUS_COUNT (NOTICE_REVIEW + 1)

/* The status as the database and the report write it: "issued", "publishing", ... */
const char *notice_status_name(enum notice_status status);
/* false if name is none of them. */
bool notice_status_parse(const char *name, enum notice_status *out);

/* What the booking side may do with a notice's reservation ID. The one rule for the nightly
 * feed (booking/reservations.csv), export-reservations and the booking service. */
enum notice_booking {
    NOTICE_BOOK_NONE,    /* not an ID a resident holds: the letter came back or was never
                          * printed (under review) */
    NOTICE_BOOK_WALK_IN, /* a walk-in district's letter: it says where to go instead of how
                          * to book, so the booking system has nothing to do with the ID */
    NOTICE_BOOK_YES,
};

/* variant is the code stored with the notice (rules_variant_code): what the letter said,
 * whatever the config says today. An unreadable variant keeps the ID bookable: a spare row
 * harms less than a resident turned away. outcome is what became of the letter: a renewed
 * or withdrawn resident's ID books nothing (it leaves the feed); a lapsed one still may,
 * as the office's after-expiry rule allows (新規発行). */
enum notice_booking notice_booking(enum notice_status status, enum outcome outcome,
                                   const char *variant);

/* The letters that may follow a notice, each at most once, with the notice's ID. */
enum followup_kind {
    FOLLOWUP_NONE,     /* the notice's own letter */
    FOLLOWUP_REMINDER, /* before expiry, to whom has neither renewed nor booked */
    FOLLOWUP_LAPSE,    /* 新規発行 guidance after a lapse, when the config sends them */
};
/* "reminder", "lapse" as the database writes them. */
const char *followup_kind_name(enum followup_kind k);

/* Whether a letter's reservation ID may still book, as the night decides each night for
 * the feed (booking/feed.csv): the one rule for who may book; the booking store outside
 * only carries its answer. A renewal seen in a later export joins here as one more field. */
struct notice_subject {
    enum notice_status status; /* returned mail, or held for review (never printed) */
    const char *variant;       /* the letter's code, as notice_booking reads it */
    bool resident_active;      /* not deceased, not moved out */
    bool held;                 /* on hold (送付保留), or held after returned mail */
    enum outcome outcome;      /* renewed or withdrawn: the ID leaves the snapshot */
    bool cert_current;         /* the registry still gives the letter's expiry: a later one
                                * means the certificate was renewed */
    cn_date last_day;          /* the last day the letter's offices let it book (slots_allowed
                                * over the district's offices; DATE_MAX_OPEN: after expiry
                                * too) */
};

/* NOTICE_BOOK_NONE: the ID is not in tonight's snapshot (it is withdrawn outside);
 * otherwise what the booking pages do with it. */
enum notice_booking notice_feed(const struct notice_subject *n, cn_date today);

/* A batch is recorded by the absolute path of its folder, so that crash recovery finds it
 * even when the next run is given another --out. */
#define BATCH_PATH_MAX 512

struct notice {
    int64_t id;
    char resident_id[RESIDENT_ID_MAX + 1];
    cn_date cert_expiry;
    char rid[RID_LEN + 1];
    char variant[16];
    enum notice_status status;
    char batch[BATCH_PATH_MAX];
    char file[32];
    long seq;
    enum outcome outcome;
    cn_date outcome_on; /* the night that found it */
};

#endif
