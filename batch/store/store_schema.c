/* The migrations, listed here so that the store core (store.c, store_pg.c) never names the
 * modules that use it. How to add a line: store_db.h. */
#include "store_schema.h"

/* Every module's schema, in the order databases have run it: (version, module, SQL defined
 * in that module). Lines with the same version run in one transaction; version 1 is the
 * schema from before the split, cut by module. */
#define STORE_MIGRATIONS(X)                                                                        \
    X(1, residents, store_resident_schema_1)                                                       \
    X(1, notices, store_notice_schema_1)                                                           \
    X(1, runs, store_run_schema_1)                                                                 \
    X(1, input, store_input_schema_1)                                                              \
    X(2, input, store_input_schema_2)                                                              \
    X(3, postal, store_postal_schema_3)                                                            \
    X(4, booking, store_booking_schema_4)                                                          \
    X(5, reconcile, store_reconcile_schema_5)                                                      \
    X(6, booking, store_booking_schema_6)                                                          \
    X(7, staff, store_staff_schema_7)                                                              \
    X(8, postal, store_postal_schema_8)                                                            \
    X(9, session, store_session_schema_9)                                                          \
    X(10, residents, store_resident_schema_10)                                                     \
    X(11, counter, store_counter_schema_11)                                                        \
    X(12, outcome, store_outcome_schema_12)

/* The booking store's schema (the outside: no names, see store.h), numbered on its own
 * from 1: it never holds the night's tables, nor the night the booking store's. The same
 * rules as above apply to its lines. */
#define BOOKING_STORE_MIGRATIONS(X)                                                                \
    X(1, feed, store_feed_schema_1)                                                                \
    X(1, bookings, store_booking_schema_1)                                                         \
    X(1, lockouts, store_lockout_schema_1)                                                         \
    X(1, sessions, store_session_schema_9)                                                         \
    X(1, staff, store_staff_schema_1)                                                              \
    X(1, staff_sessions, store_staff_session_schema_1)                                             \
    X(1, audit, store_audit_schema_1)                                                              \
    X(1, closures, store_closure_schema_1)                                                         \
    X(2, bookings, store_booking_schema_2)                                                         \
    X(3, staff_sessions, store_staff_session_schema_3)                                             \
    X(4, bookings, store_slot_taken_schema_4)

/* The booking store's schema on PostgreSQL, under the same version numbers as SQLite's
 * BOOKING_STORE_MIGRATIONS (version, module, SQL defined in that module). Add a line when a
 * booking-store module adds a SQLite line; never edit one that is in main. */
#define STORE_PG_MIGRATIONS(X)                                                                     \
    X(1, feed, store_feed_schema_1_pg)                                                             \
    X(1, bookings, store_booking_schema_1_pg)                                                      \
    X(1, lockouts, store_lockout_schema_1_pg)                                                      \
    X(1, sessions, store_session_schema_9)                                                         \
    X(1, staff, store_staff_schema_1_pg)                                                           \
    X(1, staff_sessions, store_staff_session_schema_1_pg)                                          \
    X(1, audit, store_audit_schema_1_pg)                                                           \
    X(1, closures, store_closure_schema_1_pg)                                                      \
    X(2, bookings, store_booking_schema_2_pg)                                                      \
    X(3, staff_sessions, store_staff_session_schema_3_pg)                                          \
    X(4, bookings, store_slot_taken_schema_4_pg)

#define DECLARE_SCHEMA(version, module, sql) extern const char(sql)[];
STORE_MIGRATIONS(DECLARE_SCHEMA)
BOOKING_STORE_MIGRATIONS(DECLARE_SCHEMA)
STORE_PG_MIGRATIONS(DECLARE_SCHEMA)
#undef DECLARE_SCHEMA

#define MIGRATION_ENTRY(version, module, sql) {version, #module, sql},
const struct store_migration store_migrations[] = {STORE_MIGRATIONS(MIGRATION_ENTRY)};
const size_t store_n_migrations = sizeof store_migrations / sizeof store_migrations[0];
const struct store_migration store_booking_migrations[] = {
    BOOKING_STORE_MIGRATIONS(MIGRATION_ENTRY)};
const size_t store_n_booking_migrations =
    sizeof store_booking_migrations / sizeof store_booking_migrations[0];
const struct store_migration store_pg_migrations[] = {STORE_PG_MIGRATIONS(MIGRATION_ENTRY)};
const size_t store_n_pg_migrations = sizeof store_pg_migrations / sizeof store_pg_migrations[0];
#undef MIGRATION_ENTRY
