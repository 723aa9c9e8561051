#include "reconcile.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "date.h"

const char *const reconcile_col_names[RC_COLS] = {"file", "sequence", "status", "time"};

static const char *const status_names[INSERTER_STATUS_COUNT] = {"mailed", "spoiled", "diverted"};

const char *inserter_status_name(enum inserter_status s)
{
    return (unsigned)s < INSERTER_STATUS_COUNT ? status_names[s] : "?";
}

/* The field without surrounding blanks, into buf; false if it does not fit. */
static bool trimmed(const char *v, char *buf, size_t cap)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n >= cap)
        return false;
    memcpy(buf, v, n);
    buf[n] = '\0';
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static bool parse_file(const char *v, struct inserter_row *out, char *reason, size_t cap)
{
    const char *slash = strrchr(v, '/');
    if (!slash) {
        snprintf(reason, cap, "'%s' is not BATCH/notices-NNN.pdf", v);
        return false;
    }
    size_t blen = (size_t)(slash - v);
    if (blen == 0 || blen > SHEETMARK_BATCH_MAX) {
        snprintf(reason, cap, "'%s': no batch folder name before the /", v);
        return false;
    }
    memcpy(out->batch, v, blen);
    out->batch[blen] = '\0';
    if (!sheetmark_batch_ok(out->batch)) {
        snprintf(reason, cap, "batch '%s' is not a batch folder name", out->batch);
        return false;
    }
    const char *name = slash + 1;
    size_t n = strlen(name);
    /* notices-NNN.pdf, as printjob names them: three digits, or more past 999. */
    if (n < 15 || n > 16 || strncmp(name, "notices-", 8) != 0 ||
        strcmp(name + n - 4, ".pdf") != 0 || !all_digits(name + 8, n - 12)) {
        snprintf(reason, cap, "'%s' is not a print file name (notices-NNN.pdf)", name);
        return false;
    }
    int file = 0;
    for (size_t i = 8; i < n - 4; i++)
        file = file * 10 + (name[i] - '0');
    if (file < 1) {
        snprintf(reason, cap, "'%s': print files count from notices-001.pdf", name);
        return false;
    }
    out->file = file;
    return true;
}

static bool parse_seq(const char *v, struct inserter_row *out, char *reason, size_t cap)
{
    size_t n = strlen(v);
    long seq = 0;
    if (!all_digits(v, n) || n > 9) {
        snprintf(reason, cap, "'%s' is not a sequence number", v);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        seq = seq * 10 + (v[i] - '0');
    if (seq < 1 || seq > 9999999) {
        snprintf(reason, cap, "%ld is outside 1-9999999", seq);
        return false;
    }
    out->seq = seq;
    return true;
}

static bool parse_status(const char *v, struct inserter_row *out, char *reason, size_t cap)
{
    for (int i = 0; i < INSERTER_STATUS_COUNT; i++)
        if (strcasecmp(v, status_names[i]) == 0) {
            out->status = (enum inserter_status)i;
            return true;
        }
    snprintf(reason, cap, "'%s' is none of mailed, spoiled, diverted", v);
    return false;
}

/* Two digits at s into *v, at most max. */
static bool two(const char *s, int max, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return *v <= max;
}

static bool parse_time(const char *v, struct inserter_row *out, char *reason, size_t cap)
{
    char day[11];
    cn_date d;
    int hh, mm, ss = 0;
    size_t n = strlen(v);
    bool ok = (n == 16 || n == 19) && (v[10] == ' ' || v[10] == 'T' || v[10] == 't') &&
              v[13] == ':' && two(v + 11, 23, &hh) && two(v + 14, 59, &mm) &&
              (n == 16 || (v[16] == ':' && two(v + 17, 59, &ss)));
    if (ok) {
        memcpy(day, v, 10);
        day[10] = '\0';
        ok = date_parse_iso(day, &d);
    }
    if (!ok) {
        snprintf(reason, cap, "'%s' is not YYYY-MM-DD HH:MM[:SS]", v);
        return false;
    }
    snprintf(out->time, sizeof out->time, "%s %02d:%02d:%02d", day, hh, mm, ss);
    return true;
}

bool reconcile_parse_row(const char *const fields[RC_COLS], struct inserter_row *out, int *bad_col,
                         char *reason, size_t cap)
{
    memset(out, 0, sizeof *out);
    for (int c = 0; c < RC_COLS; c++) {
        char v[128];
        bool ok;
        *bad_col = c;
        if (!fields[c] || !trimmed(fields[c], v, sizeof v)) {
            snprintf(reason, cap, "%s", fields[c] ? "too long" : "missing");
            return false;
        }
        if (!v[0]) {
            snprintf(reason, cap, "empty");
            return false;
        }
        switch (c) {
        case RC_FILE:
            ok = parse_file(v, out, reason, cap);
            break;
        case RC_SEQUENCE:
            ok = parse_seq(v, out, reason, cap);
            break;
        case RC_STATUS:
            ok = parse_status(v, out, reason, cap);
            break;
        default:
            ok = parse_time(v, out, reason, cap);
            break;
        }
        if (!ok)
            return false;
    }
    return true;
}
