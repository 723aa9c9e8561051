#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* getopt_long returns val; values above any character keep '?' and ':' unambiguous. */
#define OPT_VAL(i) (0x100 + (i))
#define OPT_HELP 0x1ff

static int count_opts(const struct cmd_usage *u)
{
    int n = 0;
    while (n < OPTS_MAX && u->opts[n].name)
        n++;
    return n;
}

void opts_synopsis(const struct cmd_usage *u, FILE *to)
{
    fputs(u->name, to);
    for (int i = 0; i < count_opts(u); i++) {
        const struct opt_spec *o = &u->opts[i];
        fprintf(to, " %s--%s%s%s%s", o->required ? "" : "[", o->name, o->arg ? " " : "",
                o->arg ? o->arg : "", o->required ? "" : "]");
    }
    if (u->operands)
        fprintf(to, " %s", u->operands);
    fputc('\n', to);
}

static void print_help(const struct cmd_usage *u, FILE *to)
{
    fputs("usage: certnotice ", to);
    opts_synopsis(u, to);
    fprintf(to, "%s\n", u->summary);
    fputc('\n', to);
    int n = count_opts(u);
    for (int i = 0; i < n; i++) {
        const struct opt_spec *o = &u->opts[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(to, "  %-20s %s", left, o->help);
        if (o->def)
            fprintf(to, " (default: %s)", o->def);
        fputc('\n', to);
    }
    fprintf(to, "  %-20s %s\n", "--help", "this text");
}

static bool mistake(const struct cmd_usage *u, int *exit_code, const char *what, const char *word)
{
    fprintf(stderr, "certnotice %s: %s '%s'\n", u->name, what, word);
    print_help(u, stderr);
    *exit_code = CN_EUSAGE;
    return false;
}

bool opts_parse(const struct cmd_usage *u, int argc, char **argv, struct opts_result *r,
                int *exit_code)
{
    struct option longopts[OPTS_MAX + 2];
    int n = count_opts(u);
    for (int i = 0; i < n; i++)
        longopts[i] = (struct option){
            u->opts[i].name, u->opts[i].arg ? required_argument : no_argument, NULL, OPT_VAL(i)};
    longopts[n] = (struct option){"help", no_argument, NULL, OPT_HELP};
    longopts[n + 1] = (struct option){NULL, 0, NULL, 0};
    memset(r, 0, sizeof *r);
    for (int i = 0; i < n; i++)
        r->value[i] = u->opts[i].def;
    *exit_code = CN_OK;
    /* 0, not 1: glibc then starts afresh, whatever an earlier parse left behind. */
    optind = 0;
    opterr = 0;
    int c;
    /* The leading ':' tells a missing value (':') from an unknown option ('?'). */
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c == OPT_HELP) {
            print_help(u, stdout);
            return false;
        }
        if (c >= OPT_VAL(0) && c < OPT_VAL(n)) {
            r->value[c - OPT_VAL(0)] = optarg ? optarg : "";
            continue;
        }
        char word[80];
        if (optopt >= OPT_VAL(0) && optopt < OPT_VAL(n))
            snprintf(word, sizeof word, "--%s", u->opts[optopt - OPT_VAL(0)].name);
        else if (optopt > 0 && optopt < 0x100)
            snprintf(word, sizeof word, "-%c", optopt);
        else /* an unknown long option: getopt has moved past it */
            snprintf(word, sizeof word, "%s",
                     optind > 0 && optind <= argc ? argv[optind - 1] : "?");
        return mistake(u, exit_code, c == ':' ? "missing value for" : "unknown option", word);
    }
    r->first = optind;
    for (int i = 0; i < n; i++)
        if (u->opts[i].required && !r->value[i]) {
            char word[80];
            snprintf(word, sizeof word, "--%s", u->opts[i].name);
            return mistake(u, exit_code, "missing", word);
        }
    int operands = argc - optind;
    if (operands < u->min_operands)
        return mistake(u, exit_code, "missing", u->operands ? u->operands : "operand");
    if (u->max_operands >= 0 && operands > u->max_operands)
        return mistake(u, exit_code, "unexpected argument", argv[optind + u->max_operands]);
    return true;
}

bool opts_date(const struct cmd_usage *u, int opt, const struct opts_result *r, cn_date *out)
{
    const char *v = r->value[opt];
    if (!v || date_parse_iso(v, out))
        return true;
    fprintf(stderr, "certnotice %s: --%s '%s' %s\n", u->name, u->opts[opt].name, v,
            date_problem_iso(v));
    return false;
}

bool opts_int(const struct cmd_usage *u, int opt, const struct opts_result *r, long lo, long hi,
              long *out)
{
    const char *v = r->value[opt];
    if (!v)
        return true;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno == 0 && end != v && *end == '\0' && n >= lo && n <= hi) {
        *out = n;
        return true;
    }
    fprintf(stderr, "certnotice %s: --%s '%s' is not a number from %ld to %ld\n", u->name,
            u->opts[opt].name, v, lo, hi);
    return false;
}
