#include "clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

cn_date clock_today(void)
{
    return clock_today_in(CLOCK_DEFAULT_ZONE);
}

cn_date clock_today_in(const char *zone)
{
    /* localtime_r is the C library's only zone-aware conversion, and it reads TZ: set it
     * for the call and put the caller's back, so log times stay in the host's zone. */
    const char *old = getenv("TZ");
    char saved[256] = "";
    bool had = old != NULL && strlen(old) < sizeof saved;
    if (had)
        memcpy(saved, old, strlen(old) + 1);
    setenv("TZ", zone, 1);
    tzset();
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
