/* open_db: a command's database that must exist already (returned, reconcile, report, staff):
 * a mistyped --db must not leave an empty database behind and report that nothing ever
 * happened; and which booking store the outside's commands use. Must not decide anything
 * else about the command. */
#ifndef CN_OPEN_DB_H
#define CN_OPEN_DB_H

#include "config.h"
#include "store.h"

/* Opens (and migrates) db when the file exists; otherwise, or on failure, logs under stage
 * and returns the exit code (CN_EINPUT for a missing file). */
int open_db_existing(const char *stage, const char *db, struct store **store);

/* The booking store of serve, feed import, export-bookings and staff: --db when given (it
 * wins), else the config's <booking store>, else booking.db in the current folder. */
const char *booking_store_where(const char *db_option, const struct config *cfg);

/* --db's line in those commands' --help. */
#define BOOKING_STORE_HELP                                                                         \
    "the booking store: a file or a postgresql:// URI (without it: the config's <booking "         \
    "store>, else booking.db)"

#endif
