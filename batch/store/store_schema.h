/* store_schema: the list of every store module's migrations, in the order databases have run
 * them, for SQLite and for PostgreSQL, so that the store core runs them without naming the
 * modules. Must not hold SQL itself (each module defines its own) nor run anything. */
#ifndef CN_STORE_SCHEMA_H
#define CN_STORE_SCHEMA_H

#include <stddef.h>

struct store_migration {
    int version;        /* lines with the same version run in one transaction */
    const char *module; /* named in errors */
    const char *sql;
};

/* SQLite: every table (the night's and the booking store's). Ascending versions. */
extern const struct store_migration store_migrations[];
extern const size_t store_n_migrations;

/* PostgreSQL: the booking store's tables only, under the same version numbers; a version with
 * no line here holds only the night's tables, which never live on PostgreSQL. */
extern const struct store_migration store_pg_migrations[];
extern const size_t store_n_pg_migrations;

#endif
