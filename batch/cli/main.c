/* certnotice: mails My Number card certificate renewal notices. main() only dispatches to
 * the subcommand named on the command line. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "err.h"
#include "log.h"

/* The command list of the usage comes from each command's own table: it cannot drift. */
static const struct {
    const struct cmd_usage *usage;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {&cmd_run_usage, cmd_run},
    {&cmd_ingest_usage, cmd_ingest},
    {&cmd_window_usage, cmd_window},
    {&cmd_wareki_usage, cmd_wareki},
    {&cmd_holidays_usage, cmd_holidays},
    {&cmd_custbar_usage, cmd_custbar},
    {&cmd_postal_usage, cmd_postal},
    {&cmd_specimen_usage, cmd_specimen},
    {&cmd_rid_usage, cmd_rid},
    {&cmd_export_reservations_usage, cmd_export_reservations},
    {&cmd_reprint_usage, cmd_reprint},
    {&cmd_returned_usage, cmd_returned},
    {&cmd_reconcile_usage, cmd_reconcile},
    {&cmd_report_usage, cmd_report},
    {&cmd_serve_usage, cmd_serve},
    {&cmd_export_bookings_usage, cmd_export_bookings},
    {&cmd_staff_usage, cmd_staff},
    {&cmd_forecast_usage, cmd_forecast},
    {&cmd_feed_usage, cmd_feed},
    {&cmd_bookings_usage, cmd_bookings},
    {&cmd_daylist_usage, cmd_daylist},
    {&cmd_takeup_usage, cmd_takeup},
};

static void usage(FILE *to)
{
    fprintf(to, "usage: certnotice COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fputs("  ", to);
        opts_synopsis(commands[i].usage, to);
    }
    fprintf(to, "\n`certnotice COMMAND --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
    log_init(LOG_INFO);
    if (argc < 2) {
        usage(stderr);
        return CN_EUSAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CN_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].usage->name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "certnotice: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CN_EUSAGE;
}
