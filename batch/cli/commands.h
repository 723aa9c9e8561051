/* commands: the subcommands main() dispatches to, one file each (cmd_*.c). Each parses its
 * own options and returns an exit code from err.h; none calls exit(). */
#ifndef CN_COMMANDS_H
#define CN_COMMANDS_H

#include "options.h"

/* Each command's usage table (options.h): what it accepts, what --help and main print. */
extern const struct cmd_usage cmd_run_usage, cmd_ingest_usage, cmd_window_usage, cmd_wareki_usage,
    cmd_holidays_usage, cmd_custbar_usage, cmd_specimen_usage, cmd_rid_usage,
    cmd_export_reservations_usage, cmd_reprint_usage, cmd_returned_usage, cmd_report_usage,
    cmd_serve_usage, cmd_export_bookings_usage, cmd_postal_usage, cmd_reconcile_usage,
    cmd_staff_usage, cmd_forecast_usage, cmd_feed_usage, cmd_bookings_usage, cmd_daylist_usage,
    cmd_takeup_usage;

int cmd_run(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_window(int argc, char **argv);
int cmd_wareki(int argc, char **argv);
int cmd_holidays(int argc, char **argv);
int cmd_custbar(int argc, char **argv);
int cmd_postal(int argc, char **argv);
int cmd_specimen(int argc, char **argv);
int cmd_rid(int argc, char **argv);
int cmd_export_reservations(int argc, char **argv);
int cmd_reprint(int argc, char **argv);
int cmd_returned(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_export_bookings(int argc, char **argv);
int cmd_staff(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_bookings(int argc, char **argv);
int cmd_daylist(int argc, char **argv);
int cmd_takeup(int argc, char **argv);

/* report's section on take-up (cmd_takeup.c): by district; config NULL shows codes. */
struct store;
struct cn_err;
int cmd_takeup_report(struct store *store, const char *config, struct cn_err *err);

#endif
