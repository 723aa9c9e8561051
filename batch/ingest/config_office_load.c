/* The <office> part of the config loader: an office's address and phones, its opening
 * calendar (hours, walk-in hours, dated days) and its booking rules, each value checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_load_int.h"

/* "8:30" -> 510 */
static bool parse_hhmm(const char *s, int16_t *out)
{
    int h, m;
    char tail;
    if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 24 || m < 0 || m > 59)
        return false;
    *out = (int16_t)(h * 60 + m);
    return true;
}

/* "mon-fri", "sat,sun", "sat,hol" ("hol": the national holidays). */
static int parse_days(const char *s, uint8_t *mask)
{
    static const char *names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    *mask = 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "hol") == 0) {
            *mask |= (uint8_t)(1u << OFFICECAL_HOLIDAY_BIT);
            continue;
        }
        char *dash = strchr(tok, '-');
        int from = -1, to = -1;
        if (dash)
            *dash = '\0';
        for (int i = 0; i < 7; i++) {
            if (strcmp(tok, names[i]) == 0)
                from = i;
            if (dash && strcmp(dash + 1, names[i]) == 0)
                to = i;
        }
        if (from < 0 || (dash && to < from))
            return -1;
        for (int i = from; i <= (dash ? to : from); i++)
            *mask |= (uint8_t)(1u << i);
    }
    return *mask ? 0 : -1;
}

/* "2,4" -> bits 2 and 4; every number must lie in [lo, hi]. */
static int parse_list(const char *s, int lo, int hi, unsigned *mask)
{
    *mask = 0;
    const char *p = s;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < lo || v > hi)
            return -1;
        *mask |= 1u << v;
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return 0;
}

/* The times of a rule: open/close/lunch, or none when the rule is closed, unconfirmed
 * (the city publishes the days, not the hours) or for some days only. */
static int load_times(struct loader *ld, xmlNodePtr node, struct hours_rule *r)
{
    char buf[64];
    int rc;
    if ((rc = ld_attr_bool(ld, node, "closed", &r->closed)) ||
        (rc = ld_attr_bool(ld, node, "unconfirmed", &r->unconfirmed)) ||
        (rc = ld_attr_bool(ld, node, "some", &r->some)) ||
        (rc = ld_attr(ld, node, "for", buf, sizeof buf, false)))
        return rc;
    if (buf[0] && strcmp(buf, "bookings") != 0 && strcmp(buf, "everyone") != 0)
        return ld_bad(ld, node, "for '%s' must be bookings or everyone", buf);
    r->bookings_only = strcmp(buf, "bookings") == 0;
    if (r->closed || r->unconfirmed || r->some) {
        /* Hours next to "unconfirmed" would be a guess printed as a fact. */
        if (xmlHasProp(node, (const xmlChar *)"open") ||
            xmlHasProp(node, (const xmlChar *)"close") ||
            xmlHasProp(node, (const xmlChar *)"lunch"))
            return ld_bad(ld, node, "%s rule takes no open, close or lunch",
                          r->closed ? "a closed" : "an unconfirmed");
        if (r->closed && (r->unconfirmed || r->some || r->bookings_only))
            return ld_bad(ld, node, "%s",
                          "a closed rule cannot also be unconfirmed or for bookings");
        return CN_OK;
    }
    if ((rc = ld_attr(ld, node, "open", buf, sizeof buf, true)))
        return rc;
    if (!parse_hhmm(buf, &r->open_min))
        return ld_bad(ld, node, "open '%s' is not a time like 8:30", buf);
    if ((rc = ld_attr(ld, node, "close", buf, sizeof buf, true)))
        return rc;
    if (!parse_hhmm(buf, &r->close_min) || r->close_min <= r->open_min)
        return ld_bad(ld, node, "close '%s' is not a time after open", buf);
    if ((rc = ld_attr(ld, node, "lunch", buf, sizeof buf, false)))
        return rc;
    if (buf[0]) {
        char *dash = strchr(buf, '-');
        if (!dash)
            return ld_bad(ld, node, "lunch '%s' is not like 12:00-13:00", buf);
        *dash = '\0';
        if (!parse_hhmm(buf, &r->lunch_start) || !parse_hhmm(dash + 1, &r->lunch_end) ||
            r->lunch_start >= r->lunch_end || r->lunch_start < r->open_min ||
            r->lunch_end > r->close_min)
            return ld_bad(ld, node, "lunch '%s' must lie inside the opening hours", buf);
    }
    return CN_OK;
}

static int load_hours(struct loader *ld, xmlNodePtr node, struct hours_rule *r)
{
    char buf[64];
    int rc;
    memset(r, 0, sizeof *r);
    r->lunch_start = r->lunch_end = -1;
    if ((rc = ld_attr(ld, node, "days", buf, sizeof buf, true)))
        return rc;
    if (parse_days(buf, &r->weekdays))
        return ld_bad(ld, node, "days '%s' is not like mon-fri, sat,sun or sat,hol", buf);
    if ((rc = ld_attr(ld, node, "nth", buf, sizeof buf, false)))
        return rc;
    unsigned mask;
    if (buf[0] && parse_list(buf, 1, 5, &mask))
        return ld_bad(ld, node, "nth '%s' must list numbers 1-5", buf);
    r->nth = buf[0] ? (uint8_t)mask : 0;
    if ((rc = ld_attr(ld, node, "months", buf, sizeof buf, false)))
        return rc;
    if (buf[0] && parse_list(buf, 1, 12, &mask))
        return ld_bad(ld, node, "months '%s' must list numbers 1-12", buf);
    r->months = buf[0] ? (uint16_t)mask : 0;
    if ((rc = ld_attr_bool(ld, node, "on-holiday", &r->open_on_holiday)))
        return rc;
    return load_times(ld, node, r);
}

/* <date on="2027-01-10" open="9:00" close="17:00" for="bookings"/> or closed="true". */
static int load_date(struct loader *ld, xmlNodePtr node, const struct office_calendar *cal,
                     struct date_rule *dr)
{
    char buf[16];
    int rc;
    memset(dr, 0, sizeof *dr);
    dr->hours.lunch_start = dr->hours.lunch_end = -1;
    if ((rc = ld_attr(ld, node, "on", buf, sizeof buf, true)))
        return rc;
    if (!date_parse_iso(buf, &dr->date))
        return ld_bad(ld, node, "on '%s' is not a date like 2027-01-10", buf);
    for (int i = 0; i < cal->n_dates; i++)
        if (cal->dates[i].date == dr->date)
            return ld_bad(ld, node, "date %s appears twice", buf);
    if (xmlHasProp(node, (const xmlChar *)"some"))
        return ld_bad(ld, node, "%s", "a dated rule names its day: 'some' does not apply");
    return load_times(ld, node, &dr->hours);
}

/* <booking slot="30" seats="2" horizon="40" cutoff="17:00" | cutoff-business-days="2"
 *  opens="window|letter" after-expiry="true"/>: the office takes bookings. */
static int load_booking(struct loader *ld, xmlNodePtr node, struct booking_rules *b)
{
    char buf[16];
    int rc;
    *b = slots_default_rules();
    if ((rc = ld_attr_int(ld, node, "slot", 5, 240, &b->slot_min)) ||
        (rc = ld_attr_int(ld, node, "seats", 1, 100, &b->seats)) ||
        (rc = ld_attr_int(ld, node, "horizon", 1, 366, &b->horizon_days)) ||
        (rc = ld_attr_bool(ld, node, "after-expiry", &b->after_expiry)) ||
        (rc = ld_attr(ld, node, "cutoff", buf, sizeof buf, false)))
        return rc;
    if (buf[0]) {
        int16_t min;
        if (!parse_hhmm(buf, &min) || min > 24 * 60)
            return ld_bad(ld, node, "cutoff '%s' is not a time like 17:00", buf);
        b->cutoff_min = min;
    }
    if ((rc = ld_attr_int(ld, node, "cutoff-business-days", 0, 30, &b->cutoff_days)))
        return rc;
    if (b->cutoff_days > 0) {
        if (buf[0])
            return ld_bad(ld, node, "give either cutoff or cutoff-business-days, not both");
        b->cutoff = CUTOFF_BUSINESS_DAYS;
    }
    if ((rc = ld_attr(ld, node, "opens", buf, sizeof buf, false)))
        return rc;
    if (strcmp(buf, "letter") == 0)
        b->opens_on_letter = true;
    else if (buf[0] && strcmp(buf, "window") != 0)
        return ld_bad(ld, node, "opens '%s' must be window or letter", buf);
    return CN_OK;
}

int ld_office(struct loader *ld, xmlNodePtr node, struct office *o)
{
    int rc;
    struct office_calendar *cal = &o->calendar;
    if ((rc = ld_attr(ld, node, "id", o->id, sizeof o->id, true)) ||
        (rc = ld_attr(ld, node, "name", o->name, sizeof o->name, true)) ||
        (rc = ld_attr(ld, node, "address", o->address, sizeof o->address, false)) ||
        (rc = ld_attr(ld, node, "phone", o->phone, sizeof o->phone, false)) ||
        (rc = ld_attr(ld, node, "note", o->note, sizeof o->note, false)))
        return rc;
    cal->yearend_closed = true;
    cal->takes_walkins = true;
    if ((rc = ld_attr_bool(ld, node, "yearend-closed", &cal->yearend_closed)) ||
        (rc = ld_attr_bool(ld, node, "walk-ins", &cal->takes_walkins)))
        return rc;
    for (xmlNodePtr h = node->children; h; h = h->next) {
        if (ld_named(h, "hours")) {
            if (cal->n_rules == OFFICECAL_MAX_RULES)
                return ld_bad(ld, h, "more than %d hours rules", OFFICECAL_MAX_RULES);
            if ((rc = load_hours(ld, h, &cal->rules[cal->n_rules++])))
                return rc;
        } else if (ld_named(h, "walk-in")) {
            if (cal->n_walkin == OFFICECAL_MAX_WALKIN)
                return ld_bad(ld, h, "more than %d walk-in rules", OFFICECAL_MAX_WALKIN);
            struct hours_rule *w = &cal->walkin[cal->n_walkin++];
            if ((rc = load_hours(ld, h, w)))
                return rc;
            if (w->bookings_only || w->some)
                return ld_bad(ld, h, "%s",
                              "a walk-in rule cannot be for bookings or for some days");
        } else if (ld_named(h, "date")) {
            if (cal->n_dates == OFFICECAL_MAX_DATES)
                return ld_bad(ld, h, "more than %d dated rules", OFFICECAL_MAX_DATES);
            if ((rc = load_date(ld, h, cal, &cal->dates[cal->n_dates])))
                return rc;
            cal->n_dates++;
        }
    }
    if (cal->n_rules == 0)
        return ld_bad(ld, node, "office '%s' has no <hours>", o->id);
    /* An office books when it has booking settings: one fact, one place. */
    xmlNodePtr booking = ld_child(node, "booking");
    if (booking && (rc = load_booking(ld, booking, &o->booking)))
        return rc;
    cal->takes_bookings = o->booking.enabled;
    if (!cal->takes_bookings && !cal->takes_walkins)
        return ld_bad(ld, node, "office '%s' takes neither bookings nor walk-ins", o->id);
    if (cal->n_walkin > 0 && (!cal->takes_bookings || !cal->takes_walkins))
        return ld_bad(ld, node, "office '%s': <walk-in> hours need <booking> and walk-ins=\"true\"",
                      o->id);
    config_format_office_contact(o, o->contact, sizeof o->contact);
    return CN_OK;
}
