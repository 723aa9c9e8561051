/* `certnotice returned FILE`: undeliverable mail; the notice is marked returned and the
 * resident held from automatic letters (returned_import.c applies the file). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "err.h"
#include "log.h"
#include "open_db.h"
#include "returned_import.h"
#include "store.h"

enum { RETURNED_DB };

const struct cmd_usage cmd_returned_usage = {
    .name = "returned",
    .operands = "FILE",
    .min_operands = 1,
    .max_operands = 1,
    .summary = "Import a CSV of undeliverable mail: those notices are returned, their residents "
               "held.",
    .opts = {[RETURNED_DB] = {"db", "FILE", "the database", "certnotice.db"}},
};

int cmd_returned(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_returned_usage, argc, argv, &a, &rc))
        return rc;
    const char *path = argv[a.first];
    struct store *store = NULL;
    struct cn_err err = {0};
    FILE *in = fopen(path, "rb");
    if (!in) {
        log_error("returned", "%s: cannot read: %s", path, strerror(errno));
        return CN_EINPUT;
    }
    if ((rc = open_db_existing("returned", a.value[RETURNED_DB], &store)) == CN_OK) {
        struct returned_counts n;
        if ((rc = returned_import(store, path, in, &n, &err)) == CN_OK) {
            log_info("returned", "marked=%ld already=%ld refused=%ld", n.marked, n.already,
                     n.refused);
            rc = n.refused ? CN_REJECTS : CN_OK;
        } else {
            log_error("returned", "%s", err.msg);
            log_error("returned", "nothing imported from %s", path);
        }
    }
    store_close(store);
    fclose(in);
    return rc;
}
