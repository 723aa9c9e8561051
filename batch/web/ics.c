#include "ics.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct out {
    char *p;
    size_t cap, len;
    size_t col; /* octets on the current line */
    bool full;
};

static void put_byte(struct out *o, char c)
{
    if (o->len + 1 >= o->cap) {
        o->full = true;
        return;
    }
    o->p[o->len++] = c;
}

static void end_line(struct out *o)
{
    put_byte(o, '\r');
    put_byte(o, '\n');
    o->col = 0;
}

/* Appends content, folding before any character that would pass 75 octets (RFC 5545
 * 3.1): a fold is CRLF and one space, and never falls inside a UTF-8 sequence. */
static void put_folded(struct out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        const unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + len > n)
            len = n - i;
        if (o->col + len > 75) {
            end_line(o);
            put_byte(o, ' ');
            o->col = 1;
        }
        for (size_t k = 0; k < len; k++)
            put_byte(o, s[i + k]);
        o->col += len;
        i += len;
    }
}

static void put_str(struct out *o, const char *s)
{
    put_folded(o, s, strlen(s));
}

/* TEXT value escaping (3.3.11): backslash, semicolon, comma, newline. Plain runs go to
 * put_folded whole, so that folding sees complete characters. */
static void put_text(struct out *o, const char *s)
{
    const char *run = s;
    for (; s && *s; s++) {
        const char *rep = *s == '\\'   ? "\\\\"
                          : *s == ';'  ? "\\;"
                          : *s == ','  ? "\\,"
                          : *s == '\n' ? "\\n"
                          : *s == '\r' ? ""
                                       : NULL;
        if (!rep)
            continue;
        put_folded(o, run, (size_t)(s - run));
        put_folded(o, rep, strlen(rep));
        run = s + 1;
    }
    if (run)
        put_folded(o, run, strlen(run));
}

static void put_prop(struct out *o, const char *name, const char *text)
{
    put_str(o, name);
    put_str(o, ":");
    put_text(o, text);
    end_line(o);
}

/* A UTC date-time, "NAME:YYYYMMDDTHHMMSSZ". */
static void put_time(struct out *o, const char *name, int64_t utc)
{
    const int64_t d = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
    const int64_t rem = utc - d * 86400;
    int y, m, dd;
    date_to_ymd((cn_date)d, &y, &m, &dd);
    char buf[64];
    snprintf(buf, sizeof buf, "%s:%04d%02d%02dT%02d%02d%02dZ", name, y, m, dd, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    put_str(o, buf);
    end_line(o);
}

/* Japan's local time as UTC: the office is in Japan whatever zone the phone is set to. */
static void put_local(struct out *o, const char *name, cn_date day, int min)
{
    put_time(o, name, (int64_t)day * 86400 + (int64_t)min * 60 - (int64_t)9 * 3600);
}

size_t ics_write(const struct ics_event *e, char *out, size_t cap)
{
    struct out o = {out, cap, 0, 0, false};
    if (cap == 0)
        return 0;
    put_str(&o, "BEGIN:VCALENDAR");
    end_line(&o);
    put_str(&o, "VERSION:2.0");
    end_line(&o);
    put_str(&o, "PRODID:-//certnotice//booking//JA");
    end_line(&o);
    put_str(&o, "CALSCALE:GREGORIAN");
    end_line(&o);
    put_str(&o, "METHOD:PUBLISH");
    end_line(&o);
    put_str(&o, "BEGIN:VEVENT");
    end_line(&o);
    put_prop(&o, "UID", e->uid);
    put_time(&o, "DTSTAMP", e->stamp);
    put_local(&o, "DTSTART", e->day, e->start_min);
    put_local(&o, "DTEND", e->day, e->end_min);
    put_prop(&o, "SUMMARY", e->summary);
    put_prop(&o, "LOCATION", e->location);
    put_prop(&o, "DESCRIPTION", e->description);
    put_str(&o, "END:VEVENT");
    end_line(&o);
    put_str(&o, "END:VCALENDAR");
    end_line(&o);
    if (o.full)
        return 0;
    out[o.len] = '\0';
    return o.len;
}
