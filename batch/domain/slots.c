#include "slots.h"

#include "jcal.h"

struct booking_rules slots_default_rules(void)
{
    struct booking_rules r = {0};
    r.enabled = true;
    r.slot_min = 30;
    r.seats = 1;
    r.horizon_days = 40;
    r.cutoff = CUTOFF_DAY_BEFORE;
    r.cutoff_min = 17 * 60;
    return r;
}

struct date_range slots_allowed(const struct booking_rules *r, const struct slot_resident *res)
{
    struct date_range d;
    /* A letter goes out before the window opens; renewing early only shortens the new
     * certificate, so an office may let people book from the day the letter arrives. */
    d.first =
        r->opens_on_letter && res->letter_date != DATE_NONE ? res->letter_date : res->window_start;
    d.last = r->after_expiry ? DATE_MAX_OPEN : res->window_end;
    return d;
}

bool slots_business_day(cn_date day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    const int wd = date_weekday(day);
    if (wd == 0 || wd == 6 || jcal_is_holiday(day))
        return false;
    return !((m == 12 && d >= 29) || (m == 1 && d <= 3));
}

cn_date slots_horizon_last(const struct office_calendar *cal, const struct booking_rules *r,
                           cn_date today)
{
    for (cn_date d = today + r->horizon_days; d > today; d--)
        if (officecal_day(cal, d).open)
            return d;
    return DATE_NONE;
}

bool slots_before_cutoff(const struct booking_rules *r, struct slot_time start,
                         struct slot_time now)
{
    if (r->cutoff == CUTOFF_BUSINESS_DAYS) {
        /* The last day to book is the N-th business day before the slot's day. */
        cn_date last = start.day;
        for (int n = 0; n < r->cutoff_days;)
            if (slots_business_day(--last))
                n++;
        return now.day <= last;
    }
    const cn_date last = start.day - 1;
    return now.day < last || (now.day == last && now.min < r->cutoff_min);
}

int slots_of_day(const struct office_calendar *cal, const struct booking_rules *r, cn_date day,
                 int *starts, int cap)
{
    const struct day_hours h = officecal_day(cal, day);
    if (!h.open || r->slot_min <= 0)
        return 0;
    int n = 0;
    for (int s = h.open_min; s + r->slot_min <= h.close_min;) {
        if (h.lunch_start >= 0 && s < h.lunch_end && s + r->slot_min > h.lunch_start) {
            s = h.lunch_end;
            continue;
        }
        if (n < cap)
            starts[n] = s;
        n++;
        s += r->slot_min;
    }
    return n < cap ? n : cap;
}

bool slots_closed(const struct booking_rules *r, const struct slot_changes *c, cn_date day,
                  int start_min)
{
    for (int i = 0; c && i < c->n_closures; i++)
        if (c->closure[i].day == day && start_min < c->closure[i].to_min &&
            start_min + r->slot_min > c->closure[i].from_min)
            return true;
    return false;
}

int slots_seats(const struct booking_rules *r, const struct slot_changes *c, cn_date day,
                int start_min)
{
    if (slots_closed(r, c, day, start_min))
        return 0;
    for (int i = 0; c && i < c->n_seats; i++)
        if (c->seats[i].first <= day && day <= c->seats[i].last)
            return c->seats[i].seats;
    return r->seats;
}

enum slot_verdict slots_check(const struct office_calendar *cal, const struct booking_rules *r,
                              const struct slot_resident *res, struct slot_time now,
                              struct slot_time start, int taken)
{
    return slots_check_changed(cal, r, NULL, res, now, start, taken);
}

enum slot_verdict slots_day_verdict(const struct office_calendar *cal,
                                    const struct booking_rules *r, const struct slot_resident *res,
                                    struct slot_time now, cn_date day)
{
    if (!r->enabled)
        return SLOT_NO_BOOKING;
    const struct date_range allowed = slots_allowed(r, res);
    if (day < allowed.first || day > allowed.last)
        return SLOT_NOT_ALLOWED;
    if (!slots_before_cutoff(r, (struct slot_time){day, 0}, now))
        return SLOT_CUTOFF;
    const cn_date horizon = slots_horizon_last(cal, r, now.day);
    if (horizon == DATE_NONE || day > horizon)
        return SLOT_HORIZON;
    return SLOT_OK;
}

enum slot_verdict slots_start_verdict(const struct booking_rules *r, const struct slot_changes *c,
                                      cn_date day, int start_min, int taken)
{
    if (slots_closed(r, c, day, start_min))
        return SLOT_CLOSED;
    return taken >= slots_seats(r, c, day, start_min) ? SLOT_FULL : SLOT_OK;
}

enum slot_verdict slots_check_changed(const struct office_calendar *cal,
                                      const struct booking_rules *r, const struct slot_changes *c,
                                      const struct slot_resident *res, struct slot_time now,
                                      struct slot_time start, int taken)
{
    const enum slot_verdict day = slots_day_verdict(cal, r, res, now, start.day);
    if (day != SLOT_OK)
        return day;
    int starts[64];
    const int n = slots_of_day(cal, r, start.day, starts, 64);
    bool found = false;
    for (int i = 0; i < n && !found; i++)
        found = starts[i] == start.min;
    if (!found)
        return SLOT_CLOSED;
    return slots_start_verdict(r, c, start.day, start.min, taken);
}

bool slots_parse_hhmm(const char *s, int *min)
{
    if (!s || s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' || s[2] != ':' || s[3] < '0' ||
        s[3] > '5' || s[4] < '0' || s[4] > '9' || s[5])
        return false;
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    if (h > 23)
        return false;
    *min = h * 60 + (s[3] - '0') * 10 + (s[4] - '0');
    return true;
}

void slots_format_hhmm(int min, char out[6])
{
    const unsigned m = min < 0 ? 0u : (unsigned)min % (24 * 60);
    out[0] = (char)('0' + m / 600);
    out[1] = (char)('0' + m / 60 % 10);
    out[2] = ':';
    out[3] = (char)('0' + m % 60 / 10);
    out[4] = (char)('0' + m % 10);
    out[5] = '\0';
}
