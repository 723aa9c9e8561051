/* open_db: a command's database that must exist already (returned, reconcile, report, staff):
 * a mistyped --db must not leave an empty database behind and report that nothing ever
 * happened. Must not decide anything else about the command. */
#ifndef CN_OPEN_DB_H
#define CN_OPEN_DB_H

#include "store.h"

/* Opens (and migrates) db when the file exists; otherwise, or on failure, logs under stage
 * and returns the exit code (CN_EINPUT for a missing file). */
int open_db_existing(const char *stage, const char *db, struct store **store);

#endif
