#include "store_retention.h"

#include <string.h>

#include "store_audit.h"
#include "store_booking.h"
#include "store_feed.h"
#include "store_lockout.h"
#include "store_staff_session.h"

int store_retention_purge(struct store *s, cn_date today, int64_t now, int days,
                          struct retention_counts *out, struct cn_err *err)
{
    memset(out, 0, sizeof *out);
    const cn_date before = today - days;
    const int64_t before_s = now - (int64_t)days * 86400;
    int rc = store_begin(s, err);
    if (rc)
        return rc;
    /* Bookings first: the feed's withdrawn rows go once no booking refers to them. */
    if ((rc = store_booking_purge(s, before, &out->bookings, err)) ||
        (rc = store_lockout_purge(s, before_s, &out->lockouts, err)) ||
        (rc = store_staff_session_purge(s, before_s, &out->sessions, err)) ||
        (rc = store_audit_purge(s, before, &out->audit, err)) ||
        (rc = store_feed_purge(s, &out->feed, err)) || (rc = store_commit(s, err))) {
        store_rollback(s);
        return rc;
    }
    return CN_OK;
}
