/* returned_import: the post office's undeliverable mail (a CSV with reservation_id or
 * resident_id, reason, date) applied in one transaction: each notice marked returned, its
 * resident held from automatic letters, every row audited. Must not open the database or
 * parse options: the command (cmd_returned.c) does. */
#ifndef CN_RETURNED_IMPORT_H
#define CN_RETURNED_IMPORT_H

#include <stdio.h>

#include "err.h"
#include "store.h"

struct returned_counts {
    long marked;  /* notices marked returned now */
    long already; /* already returned: counted, not changed */
    long refused; /* rows that could not be applied (each logged with its line) */
};

/* Reads in (named path in messages) and applies it. A refused row is logged and counted; the
 * rest goes on. CN_EINPUT for a header that names no ID column, or an unreadable file; on any
 * error nothing of the file is kept. */
int returned_import(struct store *store, const char *path, FILE *in, struct returned_counts *counts,
                    struct cn_err *err);

#endif
