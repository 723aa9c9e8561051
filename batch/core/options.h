/* options: a command's arguments parsed by getopt_long from one table that is also its usage
 * (--help, main's command list). Must not know what an option means, nor exit the process. */
#ifndef CN_OPTIONS_H
#define CN_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "date.h"

#define OPTS_MAX 16

struct opt_spec {
    const char *name; /* long name without "--" */
    const char *arg;  /* the value's placeholder ("FILE"), NULL for a flag */
    const char *help; /* one line for --help */
    const char *def;  /* the value when absent, shown by --help; NULL for none */
    bool required;    /* the command cannot run without it */
};

/* One per command. opts is indexed by the command's own enum and ends with a NULL name. */
struct cmd_usage {
    const char *name;               /* "run" */
    const char *operands;           /* "ID...", NULL for none */
    int min_operands, max_operands; /* max -1: any number */
    const char *summary;            /* one line for --help */
    struct opt_spec opts[OPTS_MAX];
};

/* What the arguments said: value[i] is the last value given to opts[i] ("" for a flag), its
 * def when absent; operands are argv[first..argc-1]. */
struct opts_result {
    const char *value[OPTS_MAX];
    int first;
};

/* Parses argv (argv[0] is the command's name). True: run the command. False: --help was
 * printed to stdout (*exit_code 0) or a mistake and the usage to stderr (*exit_code 2). */
bool opts_parse(const struct cmd_usage *u, int argc, char **argv, struct opts_result *r,
                int *exit_code);

/* "run [--date D] [--dry-run] ID...": the one-line synopsis main's usage lists. */
void opts_synopsis(const struct cmd_usage *u, FILE *to);

/* A value that must be a date (YYYY-MM-DD) or a whole number in [lo, hi]; absent (NULL)
 * leaves *out as it is. False: a message naming the command and option is on stderr. */
bool opts_date(const struct cmd_usage *u, int opt, const struct opts_result *r, cn_date *out);
bool opts_int(const struct cmd_usage *u, int opt, const struct opts_result *r, long lo, long hi,
              long *out);

#endif
