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

/* SQLite: the night's database (inside). Ascending versions. */
extern const struct store_migration store_migrations[];
extern const size_t store_n_migrations;

/* SQLite: the booking store (outside), numbered on its own. */
extern const struct store_migration store_booking_migrations[];
extern const size_t store_n_booking_migrations;

/* PostgreSQL: the booking store, under the same version numbers as its SQLite list. */
extern const struct store_migration store_pg_migrations[];
extern const size_t store_n_pg_migrations;

#endif
