/* commands: the subcommands main() dispatches to, one file each (cmd_*.c). Each parses its
 * own options and returns an exit code from err.h; none calls exit(). */
#ifndef CN_COMMANDS_H
#define CN_COMMANDS_H

#include "date.h"

/* Today's date in local time, the default --date of the commands that print. */
cn_date cmd_today(void);

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

#endif
