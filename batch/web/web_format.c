#include "web_format.h"

#include <stdio.h>

#include "jcal.h"

void web_fmt_day(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d年%d月%d日（%s）", y, m, dd, jcal_weekday_kanji(d));
}

void web_fmt_day_short(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d月%d日（%s）", m, dd, jcal_weekday_kanji(d));
}

void web_fmt_slot(int start, int len, char *out, size_t cap)
{
    const int end = start + len;
    snprintf(out, cap, "%d:%02d〜%d:%02d", start / 60, start % 60, end / 60, end % 60);
}

void web_mask_rid(const char *rid, char out[16])
{
    snprintf(out, 16, "%.4s********", rid && rid[0] ? rid : "----");
}
