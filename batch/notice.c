#include "notice.h"

#include <string.h>

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
