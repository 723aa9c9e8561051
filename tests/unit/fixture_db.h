/* fixture_db: the unit tests' database: a fresh mkdtemp folder (under $TMPDIR, else /tmp)
 * per test or group, removed with everything in it afterwards. Must not seed data: each
 * test builds the rows it asserts on. */
#ifndef CN_FIXTURE_DB_H
#define CN_FIXTURE_DB_H

#include "store.h"

/* The folder and the database path in it ("DIR/cn.db"), valid from fixture_db_setup to
 * fixture_db_teardown. The file itself appears on the first store_open. */
extern char fixture_dir[];
extern char fixture_db_path[];

/* cmocka setup/teardown (per test or per group): 0, or -1 when the folder cannot be made. */
int fixture_db_setup(void **state);
int fixture_db_teardown(void **state);

/* Entries in dir, not counting those whose name starts with '.'; how a test sees that no
 * temporary file was left behind. */
int fixture_files_in(const char *dir);

/* store_open on the fixture's path (mode 0600); fails the test with SQLite's message. */
struct store *fixture_db_open(void);

#endif
