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

static int parse_date_arg(int argc, char **argv, cn_date *out)
{
    if (argc != 2) {
        fprintf(stderr, "usage: certnotice %s YYYY-MM-DD\n", argv[0]);
        return CN_EUSAGE;
    }
    if (!date_parse_iso(argv[1], out)) {
        fprintf(stderr, "certnotice %s: '%s' is not a valid date (YYYY-MM-DD, years 1800-2999)\n",
                argv[0], argv[1]);
        return CN_EUSAGE;
    }
    return CN_OK;
}

int cmd_window(int argc, char **argv)
{
    cn_date expiry;
    int rc = parse_date_arg(argc, argv, &expiry);
    if (rc != CN_OK)
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
    int rc = parse_date_arg(argc, argv, &day);
    if (rc != CN_OK)
        return rc;
    char text[JCAL_WAREKI_MAX];
    if (jcal_wareki(day, text, sizeof text) == 0) {
        fprintf(stderr, "certnotice %s: %s is before 1873-01-01, which has no era date here\n",
                argv[0], argv[1]);
        return CN_EUSAGE;
    }
    printf("%s\n", text);
    return CN_OK;
}

int cmd_holidays(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: certnotice %s YEAR\n", argv[0]);
        return CN_EUSAGE;
    }
    char *end;
    errno = 0;
    long year = strtol(argv[1], &end, 10);
    if (errno || end == argv[1] || *end || year < JCAL_FIRST_YEAR || year > JCAL_LAST_YEAR) {
        fprintf(stderr, "certnotice %s: '%s' is not a year from %d to %d\n", argv[0], argv[1],
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
