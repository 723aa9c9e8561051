/* certnotice: mails My Number card certificate renewal notices. main() only dispatches to
 * the subcommand named on the command line. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "err.h"
#include "log.h"

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
} commands[] = {
    {"run", cmd_run,
     "run [--date D] [--input DIR] [--db FILE] [--out DIR] [--config FILE] [--dry-run] [--jobs N]"},
    {"ingest", cmd_ingest, "ingest [--db FILE] [--config FILE] FILE..."},
    {"window", cmd_window, "window EXPIRY"},
    {"wareki", cmd_wareki, "wareki DATE"},
    {"holidays", cmd_holidays, "holidays YEAR"},
    {"custbar", cmd_custbar, "custbar [--db FILE] POSTCODE ADDRESS | custbar [--db FILE] -"},
    {"postal", cmd_postal,
     "postal import [--db FILE] KEN_ALL [JIGYOSYO] | postal info [--db FILE]"},
    {"specimen", cmd_specimen, "specimen [--config FILE] --out FILE"},
    {"rid", cmd_rid, "rid check ID"},
    {"export-reservations", cmd_export_reservations,
     "export-reservations [--db FILE] [--out FILE]"},
    {"reprint", cmd_reprint, "reprint [--db FILE] [--out DIR] [--config FILE] ID..."},
    {"returned", cmd_returned, "returned [--db FILE] FILE"},
    {"report", cmd_report, "report [--db FILE] [--runs N]"},
};

static int usage(FILE *to)
{
    fprintf(to, "usage: certnotice COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(to, "  %s\n", commands[i].usage);
    return CN_EUSAGE;
}

int main(int argc, char **argv)
{
    log_init(LOG_INFO);
    if (argc < 2)
        return usage(stderr);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CN_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "certnotice: unknown command '%s'\n", argv[1]);
    return usage(stderr);
}
