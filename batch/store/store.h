/* store: the database core: opening (migrating, or refusing an unknown schema) with the
 * migrations store_schema.c lists, nesting transactions. Must not hold a table's SQL nor
 * name its users: each concept's statements live in its own store_*.c module (store_db.h). */
#ifndef CN_STORE_H
#define CN_STORE_H

#include <stdbool.h>

#include "err.h"
#include "store_where.h"

struct store;

/* Two kinds of database, never one in the other (the 三層 wall): the night's, inside, with
 * the registry's residents and names; and the booking store, outside, with only what
 * booking needs (feed, bookings, lockouts, sessions, staff, audit: no name, kana, address,
 * postcode, full birth date or resident ID). Each has its own migrations and version; the
 * file says which it is, and opening one as the other is refused. */
enum store_kind { STORE_NIGHT, STORE_BOOKING };

/* The night and the CLI: opens (creating with mode, 0600 by default) and migrates the
 * database to the schema this program knows; WAL mode. The connection belongs to the
 * calling thread (no SQLite mutex): hand it to no other thread. */
int store_open(const char *path, unsigned mode, struct store **out, struct cn_err *err);

/* store_open for the booking store (feed import, staff accounts): created with mode and
 * migrated; the night's database is refused, naming `feed import`. */
int store_open_booking(const char *path, unsigned mode, struct store **out, struct cn_err *err);

/* The web service's open, one per thread: an existing database of that kind only, never
 * created and never migrated; a schema version older or newer than this program's is
 * refused. The connection keeps SQLite's own locking, so passing it between threads is
 * safe. */
int store_open_existing(const char *path, enum store_kind kind, bool read_only, struct store **out,
                        struct cn_err *err);
enum store_kind store_kind_of(const struct store *s);

void store_close(struct store *s);

/* From now on the connection's commits return before the server has the commit on disk
 * (PostgreSQL's synchronous_commit off: a server crash may lose the last moments' commits,
 * never half of one), for writes whose loss costs nothing (the residents' sessions). On
 * SQLite nothing changes. */
int store_lazy_commits(struct store *s, struct cn_err *err);

/* The schema version this program creates and expects: the night's, and either kind's. */
int store_schema_version(void);
int store_kind_version(enum store_kind kind);

/* Transactions nest (savepoints): an inner one commits into the outer, which alone reaches
 * the file (and which store_chunk cuts). On a SQLite booking store the outermost one, and a
 * write outside any, first queues behind this process's other writers (store_query.c). */
int store_begin(struct store *s, struct cn_err *err);
/* A transaction for the connection's scratch (temp) tables only: no write lock is taken
 * on the database, so it may last. Ended by store_commit or store_rollback. */
int store_begin_scratch(struct store *s, struct cn_err *err);
/* A write transaction whose commit need not reach the disk before it returns, for rows whose
 * loss in a power cut costs nothing (attempt counters): on SQLite its commit skips the WAL's
 * fsync, which the next ordinary commit makes for both; a crash of the program loses
 * nothing. On PostgreSQL an ordinary one: the server groups commits of many connections into
 * one WAL flush, and a SET would cost a round trip. As store_begin inside a transaction. */
int store_begin_lazy(struct store *s, struct cn_err *err);
int store_commit(struct store *s, struct cn_err *err);
void store_rollback(struct store *s);

/* The longest a write transaction of the night holds the write lock before store_chunk
 * commits it: a small fraction of the 5-second busy timeout, so that a booking written
 * meanwhile waits at most this long. */
#define STORE_CHUNK_MS 200
/* The pause between two chunks, in which a waiting writer takes the lock. */
#define STORE_CHUNK_GAP_MS 5

/* Inside the outermost transaction: once it has been open STORE_CHUNK_MS, commits it and
 * begins a new one. Call it only where what is written so far may stand alone after a
 * crash; within a nested transaction it does nothing (the outer one decides). */
int store_chunk(struct store *s, struct cn_err *err);

/* From now on nothing is kept: the store works on a private copy of the database (a
 * temporary file SQLite deletes when the store closes), so a dry run holds no lock on the
 * real one. Call it outside any transaction. */
int store_dry_run(struct store *s, struct cn_err *err);

/* PRAGMA quick_check: CN_ECORRUPT with the check's first findings if the file is damaged
 * (a damaged page can hide residents from a scan without any error). */
int store_quick_check(struct store *s, struct cn_err *err);

#endif
