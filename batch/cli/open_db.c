#include "open_db.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "log.h"

int open_db_existing(const char *stage, const char *db, struct store **store)
{
    struct cn_err err = {0};
    *store = NULL;
    if (access(db, F_OK) != 0) {
        log_error(stage, "%s: no database: %s", db, strerror(errno));
        return CN_EINPUT;
    }
    int rc = store_open(db, 0, store, &err);
    if (rc != CN_OK)
        log_error(stage, "%s", err.msg);
    return rc;
}

const char *booking_store_where(const char *db_option, const struct config *cfg)
{
    if (db_option)
        return db_option;
    return cfg && cfg->booking_store[0] ? cfg->booking_store : "booking.db";
}
