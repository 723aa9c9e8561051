#include "notice.h"

#include <string.h>

#include "rules.h"

static const char *const names[NOTICE_STATUS_COUNT] = {
    [NOTICE_ISSUED] = "issued",       [NOTICE_PUBLISHING] = "publishing",
    [NOTICE_PUBLISHED] = "published", [NOTICE_RETURNED] = "returned",
    [NOTICE_REVIEW] = "review",
};

const char *notice_status_name(enum notice_status status)
{
    return (unsigned)status < NOTICE_STATUS_COUNT ? names[status] : "unknown";
}

bool notice_status_parse(const char *name, enum notice_status *out)
{
    for (int i = 0; name && i < NOTICE_STATUS_COUNT; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (enum notice_status)i;
            return true;
        }
    return false;
}

const char *followup_kind_name(enum followup_kind k)
{
    return k == FOLLOWUP_REMINDER ? "reminder" : k == FOLLOWUP_LAPSE ? "lapse" : "";
}

enum notice_booking notice_booking(enum notice_status status, enum outcome outcome,
                                   const char *variant)
{
    if (outcome == OUTCOME_RENEWED || outcome == OUTCOME_WITHDRAWN)
        return NOTICE_BOOK_NONE;
    /* PUBLISHING is a batch being renamed into place; either way crash recovery ends it as
     * issued or published, so its ID is valid. */
    switch (status) {
    case NOTICE_ISSUED:
    case NOTICE_PUBLISHING:
    case NOTICE_PUBLISHED:
        break;
    case NOTICE_RETURNED:
    case NOTICE_REVIEW:
    default:
        return NOTICE_BOOK_NONE;
    }
    struct variant v;
    if (variant && rules_variant_parse(variant, &v) && v.policy == RESV_NONE)
        return NOTICE_BOOK_WALK_IN;
    return NOTICE_BOOK_YES;
}

enum notice_booking notice_feed(const struct notice_subject *n, cn_date today)
{
    if (!n->resident_active || n->held || !n->cert_current || n->last_day < today)
        return NOTICE_BOOK_NONE;
    return notice_booking(n->status, n->outcome, n->variant);
}
