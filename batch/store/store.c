#include "store_db.h"
#include "store_int.h"
#include "store_schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What tells the two kinds of database apart in the file itself (PRAGMA application_id): a
 * booking store is 'CNBK'; the night's database keeps SQLite's 0, as it always had. */
#define BOOKING_STORE_APP_ID 0x434E424B

struct kind {
    const struct store_migration *migrations;
    const size_t *n;
    int app_id;
};

static const struct kind kinds[] = {
    [STORE_NIGHT] = {store_migrations, &store_n_migrations, 0},
    [STORE_BOOKING] = {store_booking_migrations, &store_n_booking_migrations, BOOKING_STORE_APP_ID},
};

int store_schema_version(void)
{
    return store_kind_version(STORE_NIGHT);
}

int store_kind_version(enum store_kind kind)
{
    return kinds[kind].migrations[*kinds[kind].n - 1].version;
}

enum store_kind store_kind_of(const struct store *s)
{
    return s->kind;
}

int store_fail(struct store *s, struct cn_err *err, const char *what)
{
    return cn_fail(err, CN_EOUTPUT, "%s: %s: %s", s->path, what,
                   s->pg ? PQerrorMessage(s->pg) : sqlite3_errmsg(s->db));
}

int64_t store_last_id(struct store *s)
{
    return sqlite3_last_insert_rowid(s->db);
}

int store_row_int64(sqlite3_stmt *st, void *ctx)
{
    *(int64_t *)ctx = sqlite3_column_int64(st, 0);
    return 0;
}

int store_changes(struct store *s)
{
    return sqlite3_changes(s->db);
}

bool store_unique_violation(struct store *s)
{
    if (s->pg)
        return strcmp(s->sqlstate, "23505") == 0;
    return sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE;
}

void store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

void store_bind_date(sqlite3_stmt *st, int i, cn_date d)
{
    if (d == DATE_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char iso[11];
    date_format_iso(d, iso);
    sqlite3_bind_text(st, i, iso, 10, SQLITE_TRANSIENT);
}

cn_date store_column_date(sqlite3_stmt *st, int i)
{
    cn_date d;
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && date_parse_iso(v, &d) ? d : DATE_NONE;
}

/* What snprintf("%s") would copy, without its cost: eight columns per resident, a million
 * residents a night. */
void store_column_copy(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    size_t n = v ? strnlen(v, cap - 1) : 0;
    memcpy(out, v ? v : "", n);
    out[n] = '\0';
}

const char *store_now(struct store *s)
{
    /* The clock is read once a second, not once a row: ingest stores a million rows. */
    time_t now = time(NULL);
    if (now != s->now || !s->now_text[0]) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(s->now_text, sizeof s->now_text, "%Y-%m-%d %H:%M:%S", &tm);
        s->now = now;
    }
    return s->now_text;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct cn_err *err)
{
    if (s->pg) {
        cn_fail(err, CN_EOUTPUT, "%s: a statement of the night's database on PostgreSQL: %.60s",
                s->path, sql);
        return NULL;
    }
    struct cached *c = store_cache_slot(s, sql);
    if (!c) {
        cn_fail(err, CN_EOUTPUT, "out of memory");
        return NULL;
    }
    sqlite3_stmt *st = c->st;
    if (st) {
        /* A walk in progress would be cut short by the reset below. */
        if (sqlite3_stmt_busy(st)) {
            cn_fail(err, CN_EOUTPUT, "%s: statement re-entered while its rows are read: %.60s",
                    s->path, sql);
            return NULL;
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        store_fail(s, err, "preparing a statement");
        sqlite3_finalize(st);
        return NULL;
    }
    *c = (struct cached){sql, st, NULL};
    s->cache_used++;
    return st;
}

int store_exec(struct store *s, sqlite3_stmt *st, const char *what, struct cn_err *err)
{
    if (!st)
        return err ? err->status : CN_EOUTPUT;
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? CN_OK : store_fail(s, err, what);
    sqlite3_reset(st);
    return out;
}

int store_rows(struct store *s, sqlite3_stmt *st, const char *what, store_row_fn row, void *ctx,
               struct cn_err *err)
{
    if (!st)
        return err ? err->status : CN_EOUTPUT;
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = row(st, ctx)) != 0)
            break;
    if (out == CN_OK && rc != SQLITE_DONE)
        out = store_fail(s, err, what);
    sqlite3_reset(st);
    return out == STORE_STOP ? CN_OK : out;
}

int store_row(struct store *s, sqlite3_stmt *st, const char *what, store_row_fn row, void *ctx,
              bool *found, struct cn_err *err)
{
    *found = false;
    if (!st)
        return err ? err->status : CN_EOUTPUT;
    int rc = sqlite3_step(st), out = CN_OK;
    if (rc == SQLITE_ROW) {
        *found = true;
        out = row(st, ctx);
    } else if (rc != SQLITE_DONE) {
        out = store_fail(s, err, what);
    }
    sqlite3_reset(st);
    return out;
}

static int exec_sql(struct store *s, const char *sql, const char *what, struct cn_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return CN_OK;
    int rc =
        cn_fail(err, CN_EOUTPUT, "%s: %s: %s", s->path, what, msg ? msg : sqlite3_errmsg(s->db));
    sqlite3_free(msg);
    return rc;
}

static int read_pragma(struct store *s, const char *sql, int *value, struct cn_err *err);

static int read_version(struct store *s, int *version, struct cn_err *err)
{
    return read_pragma(s, "PRAGMA user_version", version, err);
}

static int read_pragma(struct store *s, const char *sql, int *value, struct cn_err *err)
{
    sqlite3_stmt *st = NULL;
    *value = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, err, "reading the schema version");
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? CN_OK : store_fail(s, err, "reading the schema version");
}

/* Whether the file is of the kind asked for. A file with no schema yet is of any kind (it
 * becomes the one migrated into it). The night's database is refused as a booking store by
 * name: the service must never sit on the registry's data. */
static int kind_matches(struct store *s, int version, struct cn_err *err)
{
    int app_id;
    int rc = read_pragma(s, "PRAGMA application_id", &app_id, err);
    if (rc || (version == 0 && app_id == 0))
        return rc;
    if (app_id == kinds[s->kind].app_id)
        return CN_OK;
    if (s->kind == STORE_BOOKING)
        return cn_fail(err, CN_EUSAGE,
                       "%s is the night's database (residents, names, addresses), not a booking "
                       "store: the booking service keeps its own store, which `certnotice feed "
                       "--db BOOKING.db import OUT/DATE/booking` fills from the night's "
                       "booking/feed.csv",
                       s->path);
    return cn_fail(err, CN_EUSAGE,
                   "%s is a booking store (the outside's), not the night's database: give the "
                   "night's database (certnotice.db)",
                   s->path);
}

static int version_known(struct store *s, int version, struct cn_err *err)
{
    int rc = kind_matches(s, version, err);
    if (rc)
        return rc;
    if (version > store_kind_version(s->kind))
        return cn_fail(err, CN_EUSAGE,
                       "%s: schema version %d is newer than this certnotice knows (%d)", s->path,
                       version, store_kind_version(s->kind));
    return CN_OK;
}

static int migrate(struct store *s, struct cn_err *err)
{
    int version, rc;
    const struct kind *k = &kinds[s->kind];
    /* Most opens find the schema current: only a read, no write lock taken. */
    if ((rc = read_version(s, &version, err)) || (rc = version_known(s, version, err)))
        return rc;
    if (version == store_kind_version(s->kind))
        return CN_OK;
    /* All pending lines commit with their version or not at all; the version is read again
     * under the write lock, since another process may have migrated meanwhile. */
    if ((rc = exec_sql(s, "BEGIN IMMEDIATE", "migrating", err)))
        return rc;
    if ((rc = read_version(s, &version, err)) || (rc = version_known(s, version, err)))
        goto fail;
    if (version == 0 && k->app_id) {
        char mark[64];
        snprintf(mark, sizeof mark, "PRAGMA application_id = %d", k->app_id);
        if ((rc = exec_sql(s, mark, "migrating", err)))
            goto fail;
    }
    for (size_t i = 0; i < *k->n; i++) {
        const struct store_migration *m = &k->migrations[i];
        if (m->version <= version)
            continue;
        if ((rc = exec_sql(s, m->sql, m->module, err))) {
            cn_wrap(err, "migration to version %d", m->version);
            goto fail;
        }
        if (i + 1 == *k->n || k->migrations[i + 1].version != m->version) {
            char bump[64];
            snprintf(bump, sizeof bump, "PRAGMA user_version = %d", m->version);
            if ((rc = exec_sql(s, bump, "migrating", err)))
                goto fail;
        }
    }
    if ((rc = exec_sql(s, "COMMIT", "migrating", err)))
        goto fail;
    return CN_OK;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* SQLite's own busy handler sleeps longer the longer it waits (up to 100 ms a time), and
 * misses the short gaps between the night's chunks; this one looks every 2 ms. */
static int busy_wait(void *ctx, int count)
{
    (void)ctx;
    enum { POLL_MS = 2, TIMEOUT_MS = 5000 };
    if (count * POLL_MS >= TIMEOUT_MS)
        return 0;
    struct timespec poll = {0, POLL_MS * 1000000L};
    nanosleep(&poll, NULL);
    return 1;
}

/* What every connection of ours has: the busy wait and the SQL functions of the rules. */
static int setup_connection(struct store *s, sqlite3 *db, struct cn_err *err)
{
    sqlite3_busy_handler(db, busy_wait, NULL);
#define REGISTER_FUNCTION(name, nargs, fn)                                                         \
    if (sqlite3_create_function_v2(db, #name, nargs,                                               \
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, NULL,   \
                                   fn, NULL, NULL, NULL) != SQLITE_OK)                             \
        return cn_fail(err, CN_EOUTPUT, "%s: cannot register " #name ": %s", s->path,              \
                       sqlite3_errmsg(db));
    STORE_FUNCTIONS(REGISTER_FUNCTION)
#undef REGISTER_FUNCTION
    return CN_OK;
}

static struct store *new_store(struct cn_err *err)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s || store_cache_grow(s) != 0) {
        free(s);
        cn_fail(err, CN_EOUTPUT, "out of memory");
        return NULL;
    }
    return s;
}

/* The same opening for the night's commands and the web service: PostgreSQL has no night
 * that would migrate it first, so both migrate it (store_pg.c says how safely). */
static int open_pg(const char *uri, enum store_kind kind, struct store **out, struct cn_err *err)
{
    /* The registry's data never leaves its SQLite file inside: a server is a booking store. */
    if (kind != STORE_BOOKING)
        return cn_fail(err, CN_EUSAGE,
                       "the night's database is a SQLite file inside; a PostgreSQL server can "
                       "only be a booking store");
    struct store *s = new_store(err);
    if (!s)
        return CN_EOUTPUT;
    s->kind = STORE_BOOKING;
    int rc = store_pg_open(uri, true, s, err);
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return CN_OK;
}

static int connect_db(const char *path, enum store_kind kind, int flags, struct store **out,
                      struct cn_err *err)
{
    *out = NULL;
    struct store *s = new_store(err);
    if (!s)
        return CN_EOUTPUT;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->kind = kind;
    /* No global memory statistics: they take a mutex on every allocation, and a bulk load
     * allocates per row. Fails harmlessly once SQLite is already initialised. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        store_fail(s, err, "cannot open database");
        store_close(s);
        return CN_EOUTPUT;
    }
    if (setup_connection(s, s->db, err)) {
        store_close(s);
        return CN_EOUTPUT;
    }
    *out = s;
    return CN_OK;
}

static int open_kind(const char *path, enum store_kind kind, unsigned mode, struct store **out,
                     struct cn_err *err)
{
    struct store *s = NULL;
    int rc;
    *out = NULL;
    if (store_uri_is_pg(path))
        return open_pg(path, kind, out, err);
    /* Create the file ourselves so that it never exists, even for a moment, with wider
     * permissions; SQLite gives its -wal and -shm files the database file's mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode ? mode : 0600);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot open database: %s", path, strerror(errno));
    close(fd);
    /* NOMUTEX: the night and the CLI use a connection on the thread that opened it only
     * (printjob and the check read residents on the calling thread for this reason). */
    if ((rc = connect_db(path, kind, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &s, err)))
        return rc;
    /* FULL, not NORMAL: the mark that a batch is published must survive a power cut, or
     * the next night would print those letters again. */
    if ((rc = exec_sql(s,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                       "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                       "cannot set up database", err)) ||
        (rc = migrate(s, err))) {
        store_close(s);
        return rc;
    }
    *out = s;
    return CN_OK;
}

int store_open(const char *path, unsigned mode, struct store **out, struct cn_err *err)
{
    return open_kind(path, STORE_NIGHT, mode, out, err);
}

int store_open_booking(const char *path, unsigned mode, struct store **out, struct cn_err *err)
{
    return open_kind(path, STORE_BOOKING, mode, out, err);
}

int store_open_existing(const char *path, enum store_kind kind, bool read_only, struct store **out,
                        struct cn_err *err)
{
    struct store *s = NULL;
    int rc, version;
    *out = NULL;
    if (store_uri_is_pg(path))
        return open_pg(path, kind, out, err);
    struct stat st;
    /* SQLite would report a missing file only as "unable to open". */
    if (stat(path, &st) != 0)
        return cn_fail(err, CN_EINPUT, "%s: no database: %s", path, strerror(errno));
    if ((rc = connect_db(path, kind,
                         (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                             SQLITE_OPEN_FULLMUTEX,
                         &s, err)))
        return rc;
    /* The night's open turned WAL on for good; readers then never block its writer. */
    if ((rc = exec_sql(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                       "cannot set up database", err)) ||
        (rc = read_version(s, &version, err)))
        goto fail;
    if ((rc = kind_matches(s, version, err)))
        goto fail;
    if (version != store_kind_version(kind)) {
        rc = cn_fail(err, CN_EUSAGE, "%s: schema version %d, this program knows %d: %s", path,
                     version, store_kind_version(kind),
                     version > store_kind_version(kind) ? "this program is older than the database"
                     : kind == STORE_BOOKING
                         ? "load a night's feed into it first (certnotice feed import), which "
                           "creates and migrates it"
                         : "run the nightly job or a certnotice command on it first to migrate");
        goto fail;
    }
    *out = s;
    return CN_OK;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->cache)
        store_cache_clear(s);
    free(s->cache);
    sqlite3_close(s->db);
    store_pg_close(s);
    free(s);
}

static const char sql_begin[] = "SAVEPOINT certnotice";
static const char sql_release[] = "RELEASE certnotice";
static const char sql_rollback[] = "ROLLBACK TO certnotice";

/* The outermost transaction takes the write lock at once (BEGIN IMMEDIATE): a deferred one
 * that read first could not upgrade after the booking service wrote in between (WAL gives
 * it SQLITE_BUSY, which no busy timeout waits out), and the night would fail. */
static int begin(struct store *s, bool immediate, struct cn_err *err)
{
    bool own = immediate && s->depth == 0 && sqlite3_get_autocommit(s->db);
    if (own)
        store_writers_take(s); /* this process's writers queue before SQLite's lock */
    int rc = CN_OK;
    if (own && sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        rc = store_fail(s, err, "beginning a transaction");
    else if ((rc = store_exec(s, store_stmt(s, sql_begin, err), "beginning a transaction", err)) &&
             own)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc) {
        if (own)
            store_writers_give(s);
        return rc;
    }
    if (s->depth++ == 0) {
        s->immediate = own;
        clock_gettime(CLOCK_MONOTONIC_COARSE, &s->began);
    }
    return CN_OK;
}

int store_begin(struct store *s, struct cn_err *err)
{
    return s->pg ? store_pg_begin(s, err) : begin(s, true, err);
}

int store_begin_lazy(struct store *s, struct cn_err *err)
{
    if (s->pg || s->depth > 0)
        return store_begin(s, err);
    /* Set outside the transaction, read by its commit; FULL again when it ends (tx_ended). */
    if (sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, err, "beginning a transaction");
    int rc = begin(s, true, err);
    if (rc == CN_OK)
        s->lazy_tx = true;
    else
        sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    return rc;
}

/* After a commit or rollback: once the outermost transaction ended (or SQLite ended it on
 * an error), the next writer of the process may go, and every other commit on the
 * connection waits for the disk again. */
static void tx_ended(struct store *s)
{
    if (s->depth == 0 || sqlite3_get_autocommit(s->db))
        store_writers_give(s);
    if (s->depth == 0 && s->lazy_tx) {
        s->lazy_tx = false;
        sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    }
}

/* A SAVEPOINT outside a transaction begins a deferred one, which locks only what it writes. */
int store_begin_scratch(struct store *s, struct cn_err *err)
{
    return s->pg ? store_pg_begin(s, err) : begin(s, false, err);
}

int store_commit(struct store *s, struct cn_err *err)
{
    if (s->pg)
        return store_pg_commit(s, err);
    int rc = store_exec(s, store_stmt(s, sql_release, err), "committing", err);
    if (rc == CN_OK && s->depth > 0 && --s->depth == 0 && s->immediate) {
        s->immediate = false;
        if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = store_fail(s, err, "committing");
    }
    tx_ended(s);
    return rc;
}

void store_rollback(struct store *s)
{
    if (s->pg) {
        store_pg_rollback(s);
        return;
    }
    /* ROLLBACK TO keeps the savepoint open; RELEASE then ends it, now empty. */
    if (!sqlite3_get_autocommit(s->db) && s->depth > 0) {
        store_exec(s, store_stmt(s, sql_rollback, NULL), "rolling back", NULL);
        store_exec(s, store_stmt(s, sql_release, NULL), "rolling back", NULL);
        if (--s->depth == 0 && s->immediate) {
            s->immediate = false;
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    tx_ended(s);
}

int store_chunk(struct store *s, struct cn_err *err)
{
    if (s->depth != 1)
        return CN_OK;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    long ms =
        (long)(now.tv_sec - s->began.tv_sec) * 1000 + (now.tv_nsec - s->began.tv_nsec) / 1000000;
    if (ms < STORE_CHUNK_MS)
        return CN_OK;
    int rc = store_commit(s, err);
    if (rc)
        return rc;
    /* A writer that waited is polling (busy_wait); the gap lets it in before we lock again. */
    struct timespec gap = {0, STORE_CHUNK_GAP_MS * 1000000L};
    nanosleep(&gap, NULL);
    return store_begin(s, err);
}

int store_quick_check(struct store *s, struct cn_err *err)
{
    if (s->pg)
        return CN_OK; /* the server checks its own pages (data checksums, amcheck) */
    sqlite3_stmt *st = NULL;
    /* At most a few findings: the message is for a person deciding to restore a backup. */
    if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(3)", -1, &st, NULL) != SQLITE_OK)
        return cn_fail(err, CN_ECORRUPT, "%s: the integrity check cannot run: %s", s->path,
                       sqlite3_errmsg(s->db));
    char found[512] = "";
    size_t len = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *row = (const char *)sqlite3_column_text(st, 0);
        if (row && strcmp(row, "ok") != 0 && len < sizeof found)
            len += (size_t)snprintf(found + len, sizeof found - len, "%s%s", len ? "; " : "", row);
    }
    if (rc != SQLITE_DONE && !found[0])
        snprintf(found, sizeof found, "%s", sqlite3_errmsg(s->db));
    sqlite3_finalize(st);
    if (found[0])
        return cn_fail(err, CN_ECORRUPT,
                       "%s failed its integrity check (PRAGMA quick_check: %s); nothing was "
                       "loaded or published: restore the database from its backup",
                       s->path, found);
    return CN_OK;
}

int store_dry_run(struct store *s, struct cn_err *err)
{
    /* Not one transaction held all night (its write lock would stall every booking from
     * ingest to the end), but a private copy: SQLite's temporary database ("" - deleted
     * when closed, never visible by name), copied in one read, which in WAL mode waits for
     * no writer and holds none up. The night then runs on the copy, chunks and all. */
    if (s->pg)
        return cn_fail(err, CN_EUSAGE, "%s: a dry run needs the night's SQLite database", s->path);
    if (s->depth > 0)
        return cn_fail(err, CN_EOUTPUT, "%s: a dry run must start outside a transaction", s->path);
    sqlite3 *copy = NULL;
    int rc = CN_OK;
    if (sqlite3_open_v2("", &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot open a copy for the dry run: %s", s->path,
                     copy ? sqlite3_errmsg(copy) : "out of memory");
        goto fail;
    }
    sqlite3_backup *b = sqlite3_backup_init(copy, "main", s->db, "main");
    const int step = b ? sqlite3_backup_step(b, -1) : SQLITE_ERROR;
    if (!b || sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot copy the database for the dry run: %s", s->path,
                     sqlite3_errmsg(copy));
        goto fail;
    }
    /* Nothing of the copy needs to survive a crash: it is thrown away either way. */
    if (sqlite3_exec(copy, "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF;", NULL, NULL,
                     NULL) != SQLITE_OK ||
        (rc = setup_connection(s, copy, err)) != CN_OK) {
        if (!rc)
            rc = cn_fail(err, CN_EOUTPUT, "%s: cannot set up the dry run's copy: %s", s->path,
                         sqlite3_errmsg(copy));
        goto fail;
    }
    /* The cached statements belong to the database's connection. */
    store_cache_clear(s);
    sqlite3_close(s->db);
    s->db = copy;
    return CN_OK;
fail:
    sqlite3_close(copy);
    return rc;
}
