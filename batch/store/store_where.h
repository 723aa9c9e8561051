/* store_where: what names a booking store (--db, <booking store>): a SQLite file or a libpq
 * URI; telling them apart, checking one, and showing one without its password. Must not open
 * or create anything. */
#ifndef CN_STORE_WHERE_H
#define CN_STORE_WHERE_H

#include <stdbool.h>
#include <stddef.h>

/* Where names a PostgreSQL database (a libpq URI: postgresql:// or postgres://), the booking
 * store of a service of several nodes; anything else is a SQLite file. */
bool store_uri_is_pg(const char *where);

/* Where as a log line or an error may show it: a URI's password (user:PASSWORD@ and a
 * password= parameter) as "***"; a file path unchanged. */
void store_where_shown(const char *where, char *out, size_t cap);

/* NULL when where can name a booking store: a file path, or a postgresql:// URI libpq can
 * read; otherwise what is wrong, a constant text that never quotes the value (libpq's own
 * messages may quote the password). */
const char *store_where_problem(const char *where);

#endif
