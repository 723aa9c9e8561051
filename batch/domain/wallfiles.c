#include "wallfiles.h"

#include <string.h>

const char *const feed_column_names[FEED_COLUMNS] = {
    [FEED_RID] = "reservation_id",      [FEED_WINDOW_START] = "window_start",
    [FEED_WINDOW_END] = "window_end",   [FEED_CERT_EXPIRY] = "cert_expiry",
    [FEED_DISTRICT] = "district",       [FEED_BIRTH_MMDD] = "birth_mmdd",
    [FEED_LETTER_DATE] = "letter_date", [FEED_POLICY] = "policy",
};

const char *const booking_column_names[BK_COLUMNS] = {
    [BK_REFERENCE] = "reference",
    [BK_DATE] = "date",
    [BK_TIME] = "time",
    [BK_OFFICE] = "office",
    [BK_RID] = "reservation_id",
    [BK_BOOKED_BY] = "booked_by",
    [BK_STATUS] = "status",
    [BK_REASON] = "reason",
    [BK_ATTENDANCE] = "attendance",
    [BK_ATTENDED_AT] = "attended_at",
    [BK_CREATED_AT] = "created_at",
    [BK_CHANGED_AT] = "changed_at",
    [BK_EXPORTED_AT] = "exported_at",
};

bool wallfiles_personal_column(const char *name)
{
    static const char *const personal[] = {
        "name",     "name_kana",  "kana",        "address",           "address2",  "postal_code",
        "postcode", "birth_date", "resident_id", "individual_number", "my_number",
    };
    for (size_t i = 0; i < sizeof personal / sizeof personal[0]; i++)
        if (strcmp(name, personal[i]) == 0)
            return true;
    return false;
}
