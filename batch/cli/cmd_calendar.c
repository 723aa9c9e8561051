/* The calendar commands: window EXPIRY, wareki DATE, holidays YEAR. Thin wrappers over
 * rules_window, jcal_wareki and jcal_holidays for clerks and tests. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "date.h"
#include "err.h"
#include "jcal.h"
#include "rules.h"

const struct cmd_usage cmd_window_usage = {
    .name = "window",
    .operands = "EXPIRY",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "START END of the renewal window of a certificate expiring on EXPIRY (YYYY-MM-DD).",
};

const struct cmd_usage cmd_wareki_usage = {
    .name = "wareki",
    .operands = "DATE",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "DATE (YYYY-MM-DD) in the Japanese era, as the letters print it.",
};

const struct cmd_usage cmd_holidays_usage = {
    .name = "holidays",
    .operands = "YEAR",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "YYYY-MM-DD and name of each national holiday of YEAR.",
};

/* The one operand, after the options (argv[1] without any; "--" may precede it). */
static const char *operand(const struct cmd_usage *u, int argc, char **argv, int *rc)
{
    struct opts_result a;
    return opts_parse(u, argc, argv, &a, rc) ? argv[a.first] : NULL;
}

/* True with *out set: go on. False: stop with the exit code *rc (0 after --help). */
static bool parse_date_arg(const struct cmd_usage *u, int argc, char **argv, cn_date *out, int *rc)
{
    const char *arg = operand(u, argc, argv, rc);
    if (!arg)
        return false;
    if (!date_parse_iso(arg, out)) {
        fprintf(stderr, "certnotice %s: '%s' is not a valid date (YYYY-MM-DD, years 1800-2999)\n",
                u->name, arg);
        *rc = CN_EUSAGE;
        return false;
    }
    return true;
}

int cmd_window(int argc, char **argv)
{
    cn_date expiry;
    int rc;
    if (!parse_date_arg(&cmd_window_usage, argc, argv, &expiry, &rc))
        return rc;
    struct window w = rules_window(expiry);
    char start[11], end[11];
    date_format_iso(w.start, start);
    date_format_iso(w.end, end);
    printf("%s %s\n", start, end);
    return CN_OK;
}

int cmd_wareki(int argc, char **argv)
{
    cn_date day;
    int rc;
    if (!parse_date_arg(&cmd_wareki_usage, argc, argv, &day, &rc))
        return rc;
    char text[JCAL_WAREKI_MAX];
    if (jcal_wareki(day, text, sizeof text) == 0) {
        char iso[11];
        date_format_iso(day, iso);
        fprintf(stderr, "certnotice wareki: %s is before 1873-01-01, which has no era date here\n",
                iso);
        return CN_EUSAGE;
    }
    printf("%s\n", text);
    return CN_OK;
}

int cmd_holidays(int argc, char **argv)
{
    int rc;
    const char *arg = operand(&cmd_holidays_usage, argc, argv, &rc);
    if (!arg)
        return rc;
    char *end;
    errno = 0;
    long year = strtol(arg, &end, 10);
    if (errno || end == arg || *end || year < JCAL_FIRST_YEAR || year > JCAL_LAST_YEAR) {
        fprintf(stderr, "certnotice holidays: '%s' is not a year from %d to %d\n", arg,
                JCAL_FIRST_YEAR, JCAL_LAST_YEAR);
        return CN_EUSAGE;
    }
    struct jcal_holiday list[JCAL_MAX_HOLIDAYS];
    int n = jcal_holidays((int)year, list, JCAL_MAX_HOLIDAYS);
    for (int i = 0; i < n && i < JCAL_MAX_HOLIDAYS; i++) {
        char iso[11];
        date_format_iso(list[i].date, iso);
        printf("%s %s\n", iso, list[i].name);
    }
    return CN_OK;
}
