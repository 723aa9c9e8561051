#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Certificates are columns of residents, not a table of their own: a card carries at most
 * one certificate of each kind, and a second table would double ingest's writes for
 * nothing. Dates are ISO text so that IT can read the database with the sqlite3 shell. */
static const char *const migrations[] = {
    /* version 1 */
    "CREATE TABLE residents ("
    "  resident_id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL, name_kana TEXT NOT NULL, birth_date TEXT NOT NULL,"
    "  postal_code TEXT NOT NULL, address TEXT NOT NULL, address2 TEXT NOT NULL,"
    "  district TEXT NOT NULL, card_expiry TEXT NOT NULL,"
    "  sign_cert_expiry TEXT, user_cert_expiry TEXT,"
    "  face_auth INTEGER NOT NULL, adult_ward INTEGER NOT NULL, hold INTEGER NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('active','deceased','moved_out')),"
    "  returned_hold INTEGER NOT NULL DEFAULT 0,"
    "  updated_at TEXT NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE notices ("
    "  id INTEGER PRIMARY KEY,"
    "  resident_id TEXT NOT NULL, cert_expiry TEXT NOT NULL,"
    "  rid TEXT NOT NULL UNIQUE, variant TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('issued','publishing','published','returned','review')),"
    "  batch TEXT, file TEXT, seq INTEGER,"
    "  run_id INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  UNIQUE (resident_id, cert_expiry)"
    ");"
    "CREATE INDEX notices_status ON notices(status);"
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY, run_date TEXT NOT NULL, command TEXT NOT NULL,"
    "  started_at TEXT NOT NULL, finished_at TEXT, exit_code INTEGER, summary TEXT"
    ");"
    "CREATE TABLE input_files ("
    "  sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, loaded INTEGER NOT NULL,"
    "  rejected INTEGER NOT NULL, loaded_at TEXT NOT NULL"
    ");"
    "CREATE TABLE rejects ("
    "  id INTEGER PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL,"
    "  field TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL"
    ");"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL"
    ");",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* Every statement the program runs, prepared once per open: the hot paths (ingest, issue)
 * then cost one bind and one step per row. */
enum stmt {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_INPUT_SEEN,
    S_INPUT_RECORD,
    S_PUT_RESIDENT,
    S_GET_RESIDENT,
    S_EACH_RESIDENT,
    S_PUT_REJECT,
    S_RETURNED_HOLD,
    S_AUDIT,
    S_RUN_BEGIN,
    S_RUN_FINISH,
    S_NOTICE_FIND,
    S_NOTICE_BY_RID,
    S_NOTICE_INSERT,
    S_NOTICE_STATUS,
    S_EACH_NOTICE,
    S_PUBLISHING,
    S_NOTICES_OF_RESIDENT,
    S_RESOLVE_PUBLISHED,
    S_RESOLVE_ISSUED,
    S_ORDER_CLEAR,
    S_ORDER_ADD,
    S_ORDER_EACH,
    S_COUNT
};

#define NOTICE_COLS "id, resident_id, cert_expiry, rid, variant, status, batch, file, seq"
#define RESIDENT_COLS                                                                              \
    "resident_id, name, name_kana, birth_date, postal_code, address, address2, district, "         \
    "card_expiry, sign_cert_expiry, user_cert_expiry, face_auth, adult_ward, hold, status, "       \
    "returned_hold"

static const char *const sql[S_COUNT] = {
    [S_BEGIN] = "SAVEPOINT certnotice",
    [S_COMMIT] = "RELEASE certnotice",
    [S_ROLLBACK] = "ROLLBACK TO certnotice",
    [S_INPUT_SEEN] = "SELECT 1 FROM input_files WHERE sha256 = ?1",
    [S_INPUT_RECORD] = "INSERT INTO input_files (sha256, path, loaded, rejected, loaded_at) "
                       "VALUES (?1, ?2, ?3, ?4, datetime('now'))",
    /* A newer export replaces the record; a new address lifts a returned-mail hold. */
    [S_PUT_RESIDENT] =
        "INSERT INTO residents (" RESIDENT_COLS ", updated_at) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0, ?16) "
        "ON CONFLICT (resident_id) DO UPDATE SET name = excluded.name, "
        "name_kana = excluded.name_kana, birth_date = excluded.birth_date, "
        "postal_code = excluded.postal_code, address = excluded.address, "
        "address2 = excluded.address2, district = excluded.district, "
        "card_expiry = excluded.card_expiry, sign_cert_expiry = excluded.sign_cert_expiry, "
        "user_cert_expiry = excluded.user_cert_expiry, face_auth = excluded.face_auth, "
        "adult_ward = excluded.adult_ward, hold = excluded.hold, status = excluded.status, "
        "returned_hold = CASE WHEN residents.postal_code = excluded.postal_code AND "
        "residents.address = excluded.address AND residents.address2 = excluded.address2 "
        "THEN residents.returned_hold ELSE 0 END, updated_at = excluded.updated_at",
    [S_GET_RESIDENT] = "SELECT " RESIDENT_COLS " FROM residents WHERE resident_id = ?1",
    [S_EACH_RESIDENT] = "SELECT " RESIDENT_COLS " FROM residents ORDER BY resident_id",
    [S_PUT_REJECT] = "INSERT INTO rejects (file, line, field, reason, at) "
                     "VALUES (?1, ?2, ?3, ?4, datetime('now'))",
    [S_RETURNED_HOLD] = "UPDATE residents SET returned_hold = ?2 WHERE resident_id = ?1",
    [S_AUDIT] = "INSERT INTO audit (at, event, detail) VALUES (datetime('now'), ?1, ?2)",
    [S_RUN_BEGIN] = "INSERT INTO runs (run_date, command, started_at) "
                    "VALUES (?1, ?2, datetime('now'))",
    [S_RUN_FINISH] = "UPDATE runs SET finished_at = datetime('now'), exit_code = ?2, "
                     "summary = ?3 WHERE id = ?1",
    [S_NOTICE_FIND] = "SELECT " NOTICE_COLS " FROM notices "
                      "WHERE resident_id = ?1 AND cert_expiry = ?2",
    [S_NOTICE_BY_RID] = "SELECT " NOTICE_COLS " FROM notices WHERE rid = ?1",
    [S_NOTICE_INSERT] = "INSERT INTO notices (resident_id, cert_expiry, rid, variant, status, "
                        "run_id, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, 'issued', ?5, datetime('now'), datetime('now'))",
    [S_NOTICE_STATUS] = "UPDATE notices SET status = ?2, batch = ?3, file = ?4, seq = ?5, "
                        "updated_at = datetime('now') WHERE id = ?1",
    [S_EACH_NOTICE] = "SELECT " NOTICE_COLS " FROM notices ORDER BY rid",
    [S_NOTICES_OF_RESIDENT] = "SELECT " NOTICE_COLS " FROM notices WHERE resident_id = ?1 "
                              "ORDER BY cert_expiry DESC",
    [S_PUBLISHING] = "SELECT DISTINCT batch FROM notices WHERE status = 'publishing' ORDER BY 1",
    [S_RESOLVE_PUBLISHED] = "UPDATE notices SET status = 'published', updated_at = "
                            "datetime('now') WHERE status = 'publishing' AND batch = ?1",
    [S_RESOLVE_ISSUED] = "UPDATE notices SET status = 'issued', batch = NULL, file = NULL, "
                         "seq = NULL, updated_at = datetime('now') "
                         "WHERE status = 'publishing' AND batch = ?1",
    [S_ORDER_CLEAR] = "DELETE FROM temp.print_order",
    [S_ORDER_ADD] = "INSERT INTO temp.print_order (key, resident_id, cert_expiry, held) "
                    "VALUES (?1, ?2, ?3, ?4)",
    /* printjob's order (printjob.h): printable first, then postal code, address and
     * address2 with \x1f between them, resident, expiry. BINARY collation compares bytes
     * as strcmp does, so this is the order the post office gets. */
    [S_ORDER_EACH] = "SELECT o.key FROM temp.print_order o "
                     "JOIN residents r ON r.resident_id = o.resident_id "
                     "ORDER BY o.held, r.postal_code, r.address || char(31) || r.address2, "
                     "o.resident_id, o.cert_expiry",
};

struct store {
    sqlite3 *db;
    time_t stamp_time; /* updated_at for residents, as datetime('now') would write it */
    char stamp[24];
    char path[512];
    sqlite3_stmt *stmt[S_COUNT];
    int depth;      /* savepoints open */
    bool immediate; /* the outermost one sits in a BEGIN IMMEDIATE of ours */
};

static const char *const status_names[] = {"issued", "publishing", "published", "returned",
                                           "review"};

static int db_fail(struct store *s, struct cn_err *err, const char *what)
{
    return cn_fail(err, CN_EOUTPUT, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* Resets after use so that a statement never holds a read transaction open. */
static sqlite3_stmt *stmt(struct store *s, enum stmt which)
{
    sqlite3_stmt *st = s->stmt[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void bind_date(sqlite3_stmt *st, int i, cn_date d)
{
    if (d == DATE_NONE) {
        sqlite3_bind_null(st, i);
        return;
    }
    char iso[11];
    date_format_iso(d, iso);
    sqlite3_bind_text(st, i, iso, 10, SQLITE_TRANSIENT);
}

static cn_date column_date(sqlite3_stmt *st, int i)
{
    cn_date d;
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && date_parse_iso(v, &d) ? d : DATE_NONE;
}

/* What snprintf("%s") would copy, without its cost: eight columns per resident, a million
 * residents a night. */
static void column_copy(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    size_t n = v ? strnlen(v, cap - 1) : 0;
    memcpy(out, v ? v : "", n);
    out[n] = '\0';
}

/* Runs a statement that returns no rows. */
static int exec_step(struct store *s, sqlite3_stmt *st, const char *what, struct cn_err *err)
{
    int rc = sqlite3_step(st);
    int out = rc == SQLITE_DONE ? CN_OK : db_fail(s, err, what);
    sqlite3_reset(st);
    return out;
}

static int migrate(struct store *s, struct cn_err *err)
{
    sqlite3_stmt *st = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "reading the schema version");
    if (sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version > SCHEMA_VERSION)
        return cn_fail(err, CN_EUSAGE,
                       "%s: schema version %d is newer than this certnotice knows (%d)", s->path,
                       version, SCHEMA_VERSION);
    for (; version < SCHEMA_VERSION; version++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
        char *msg = NULL;
        /* Each migration and its version bump commit together or not at all. */
        if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, migrations[version], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, bump, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            int rc = cn_fail(err, CN_EOUTPUT, "%s: migration to version %d: %s", s->path,
                             version + 1, msg ? msg : "failed");
            sqlite3_free(msg);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return CN_OK;
}

int store_open(const char *path, unsigned mode, struct store **out, struct cn_err *err)
{
    *out = NULL;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    int rc = CN_OK;

    /* Create the file ourselves so that it never exists, even for a moment, with wider
     * permissions; SQLite gives its -wal and -shm files the database file's mode. */
    /* No global memory statistics: they take a mutex on every allocation, and a bulk load
     * allocates per row. Fails harmlessly once SQLite is already initialised. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode ? mode : 0600);
    if (fd < 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: cannot open database: %s", path, strerror(errno));
        goto fail;
    }
    close(fd);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = db_fail(s, err, "cannot open database");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* FULL, not NORMAL: the mark that a batch is published must survive a power cut, or
     * the next night would print those letters again. */
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                     "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(s, err, "cannot set up database");
        goto fail;
    }
    if ((rc = migrate(s, err)))
        goto fail;
    /* The night's letters waiting to be sorted: per connection, never in the file. */
    if (sqlite3_exec(s->db,
                     "CREATE TEMP TABLE print_order (key INTEGER PRIMARY KEY, "
                     "resident_id TEXT NOT NULL, cert_expiry INTEGER NOT NULL, "
                     "held INTEGER NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(s, err, "cannot set up database");
        goto fail;
    }
    for (int i = 0; i < S_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL) !=
            SQLITE_OK) {
            rc = db_fail(s, err, "preparing a statement");
            goto fail;
        }
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
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    free(s);
}

/* The outermost transaction takes the write lock at once (BEGIN IMMEDIATE): a deferred one
 * that read first could not upgrade after the booking service wrote in between (WAL gives
 * it SQLITE_BUSY, which no busy timeout waits out), and the night would fail. */
int store_begin(struct store *s, struct cn_err *err)
{
    bool own = s->depth == 0 && sqlite3_get_autocommit(s->db);
    if (own && sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(s, err, "beginning a transaction");
    int rc = exec_step(s, stmt(s, S_BEGIN), "beginning a transaction", err);
    if (rc) {
        if (own)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    if (s->depth++ == 0)
        s->immediate = own;
    return CN_OK;
}

int store_commit(struct store *s, struct cn_err *err)
{
    int rc = exec_step(s, stmt(s, S_COMMIT), "committing", err);
    if (rc == CN_OK && s->depth > 0 && --s->depth == 0 && s->immediate) {
        s->immediate = false;
        if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = db_fail(s, err, "committing");
    }
    return rc;
}

void store_rollback(struct store *s)
{
    /* ROLLBACK TO keeps the savepoint open; RELEASE then ends it, now empty. */
    if (!sqlite3_get_autocommit(s->db) && s->depth > 0) {
        exec_step(s, stmt(s, S_ROLLBACK), "rolling back", NULL);
        exec_step(s, stmt(s, S_COMMIT), "rolling back", NULL);
        if (--s->depth == 0 && s->immediate) {
            s->immediate = false;
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
}

int store_dry_run(struct store *s, struct cn_err *err)
{
    /* An outer transaction that is never committed: sqlite3_close() rolls it back. */
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(s, err, "starting a dry run");
    return CN_OK;
}

int store_publishing_batches(struct store *s, char (*names)[BATCH_PATH_MAX], int cap, int *n,
                             struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_PUBLISHING);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        column_copy(st, 0, names[(*n)++], BATCH_PATH_MAX);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(s, err, "recovery");
}

int store_batch_resolve(struct store *s, const char *batch, bool published, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, published ? S_RESOLVE_PUBLISHED : S_RESOLVE_ISSUED);
    bind_text(st, 1, batch);
    return exec_step(s, st, "recovering a batch", err);
}

int store_input_seen(struct store *s, const char *sha256, bool *seen, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_INPUT_SEEN);
    bind_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    *seen = rc == SQLITE_ROW;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(s, err, "input files");
}

int store_input_record(struct store *s, const char *path, const char *sha256, long loaded,
                       long rejected, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_INPUT_RECORD);
    bind_text(st, 1, sha256);
    bind_text(st, 2, path);
    sqlite3_bind_int64(st, 3, loaded);
    sqlite3_bind_int64(st, 4, rejected);
    return exec_step(s, st, "recording an input file", err);
}

int store_put_resident(struct store *s, const struct resident *r, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_PUT_RESIDENT);
    bind_text(st, 1, r->resident_id);
    bind_text(st, 2, r->name);
    bind_text(st, 3, r->name_kana);
    bind_date(st, 4, r->birth_date);
    bind_text(st, 5, r->postal_code);
    bind_text(st, 6, r->address);
    bind_text(st, 7, r->address2);
    bind_text(st, 8, r->district);
    bind_date(st, 9, r->card_expiry);
    bind_date(st, 10, r->sign_cert_expiry);
    bind_date(st, 11, r->user_cert_expiry);
    sqlite3_bind_int(st, 12, r->face_auth);
    sqlite3_bind_int(st, 13, r->adult_ward);
    sqlite3_bind_int(st, 14, r->hold);
    bind_text(st, 15, record_status_name(r->status));
    /* The clock is read once a second, not once a row: ingest stores a million rows. */
    time_t now = time(NULL);
    if (now != s->stamp_time) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(s->stamp, sizeof s->stamp, "%Y-%m-%d %H:%M:%S", &tm);
        s->stamp_time = now;
    }
    bind_text(st, 16, s->stamp);
    return exec_step(s, st, "storing a resident", err);
}

static void read_resident(sqlite3_stmt *st, struct resident *r)
{
    memset(r, 0, sizeof *r);
    column_copy(st, 0, r->resident_id, sizeof r->resident_id);
    column_copy(st, 1, r->name, sizeof r->name);
    column_copy(st, 2, r->name_kana, sizeof r->name_kana);
    r->birth_date = column_date(st, 3);
    column_copy(st, 4, r->postal_code, sizeof r->postal_code);
    column_copy(st, 5, r->address, sizeof r->address);
    column_copy(st, 6, r->address2, sizeof r->address2);
    column_copy(st, 7, r->district, sizeof r->district);
    r->card_expiry = column_date(st, 8);
    r->sign_cert_expiry = column_date(st, 9);
    r->user_cert_expiry = column_date(st, 10);
    r->face_auth = sqlite3_column_int(st, 11);
    r->adult_ward = sqlite3_column_int(st, 12);
    r->hold = sqlite3_column_int(st, 13);
    const char *status = (const char *)sqlite3_column_text(st, 14);
    r->status = !status || strcmp(status, "active") == 0 ? STATUS_ACTIVE
                : strcmp(status, "deceased") == 0        ? STATUS_DECEASED
                                                         : STATUS_MOVED_OUT;
    r->returned_hold = sqlite3_column_int(st, 15);
}

int store_get_resident(struct store *s, const char *resident_id, struct resident *out, bool *found,
                       struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_GET_RESIDENT);
    bind_text(st, 1, resident_id);
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_resident(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(s, err, "reading a resident");
}

int store_each_resident(struct store *s, int (*fn)(const struct resident *r, void *ctx), void *ctx,
                        struct cn_err *err)
{
    /* Its own statement handle: fn may call other store functions while we iterate. */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql[S_EACH_RESIDENT], -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "listing residents");
    struct resident r;
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_resident(st, &r);
        if ((out = fn(&r, ctx)) != 0)
            break;
    }
    if (out == CN_OK && rc != SQLITE_DONE)
        out = db_fail(s, err, "listing residents");
    sqlite3_finalize(st);
    return out;
}

int store_put_reject(struct store *s, const char *file, long line, const char *field,
                     const char *reason, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_PUT_REJECT);
    bind_text(st, 1, file);
    sqlite3_bind_int64(st, 2, line);
    bind_text(st, 3, field);
    bind_text(st, 4, reason);
    return exec_step(s, st, "recording a reject", err);
}

int store_set_returned_hold(struct store *s, const char *resident_id, bool hold, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_RETURNED_HOLD);
    bind_text(st, 1, resident_id);
    sqlite3_bind_int(st, 2, hold);
    return exec_step(s, st, "holding a resident", err);
}

int store_audit(struct store *s, const char *event, const char *detail, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_AUDIT);
    bind_text(st, 1, event);
    bind_text(st, 2, detail);
    return exec_step(s, st, "writing the audit log", err);
}

int store_run_begin(struct store *s, cn_date run_date, const char *command, int64_t *run_id,
                    struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_RUN_BEGIN);
    bind_date(st, 1, run_date);
    bind_text(st, 2, command);
    int rc = exec_step(s, st, "recording the run", err);
    *run_id = rc ? 0 : sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_run_finish(struct store *s, int64_t run_id, int exit_code, const char *summary,
                     struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_RUN_FINISH);
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int(st, 2, exit_code);
    bind_text(st, 3, summary);
    return exec_step(s, st, "finishing the run", err);
}

static void read_notice(sqlite3_stmt *st, struct notice *n)
{
    memset(n, 0, sizeof *n);
    n->id = sqlite3_column_int64(st, 0);
    column_copy(st, 1, n->resident_id, sizeof n->resident_id);
    n->cert_expiry = column_date(st, 2);
    column_copy(st, 3, n->rid, sizeof n->rid);
    column_copy(st, 4, n->variant, sizeof n->variant);
    const char *status = (const char *)sqlite3_column_text(st, 5);
    for (int i = 0; i < (int)(sizeof status_names / sizeof status_names[0]); i++)
        if (status && strcmp(status, status_names[i]) == 0)
            n->status = (enum notice_status)i;
    column_copy(st, 6, n->batch, sizeof n->batch);
    column_copy(st, 7, n->file, sizeof n->file);
    n->seq = (long)sqlite3_column_int64(st, 8);
}

static int notice_query(struct store *s, sqlite3_stmt *st, struct notice *out, bool *found,
                        struct cn_err *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (*found)
        read_notice(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? CN_OK : db_fail(s, err, "reading a notice");
}

int store_notice_find(struct store *s, const char *resident_id, cn_date cert_expiry,
                      struct notice *out, bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_NOTICE_FIND);
    bind_text(st, 1, resident_id);
    bind_date(st, 2, cert_expiry);
    return notice_query(s, st, out, found, err);
}

int store_notice_by_rid(struct store *s, const char *rid, struct notice *out, bool *found,
                        struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_NOTICE_BY_RID);
    bind_text(st, 1, rid);
    return notice_query(s, st, out, found, err);
}

int store_notices_of_resident(struct store *s, const char *resident_id, struct notice *out, int cap,
                              int *n, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_NOTICES_OF_RESIDENT);
    bind_text(st, 1, resident_id);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n < cap)
            read_notice(st, &out[*n]);
        (*n)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? CN_OK : db_fail(s, err, "reading notices");
}

int store_notice_issue(struct store *s, int64_t run_id, const char *resident_id,
                       cn_date cert_expiry, const char *variant, struct notice *out,
                       struct cn_err *err)
{
    /* With 55 random bits a collision is a one-in-trillions event per ID; the UNIQUE
     * constraint catches it and we draw again rather than trusting the odds. */
    for (int attempt = 0; attempt < 8; attempt++) {
        char rid[RID_LEN + 1];
        int rc = rid_generate(rid, err);
        if (rc)
            return rc;
        sqlite3_stmt *st = stmt(s, S_NOTICE_INSERT);
        bind_text(st, 1, resident_id);
        bind_date(st, 2, cert_expiry);
        bind_text(st, 3, rid);
        bind_text(st, 4, variant);
        sqlite3_bind_int64(st, 5, run_id);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) {
            memset(out, 0, sizeof *out);
            out->id = sqlite3_last_insert_rowid(s->db);
            snprintf(out->resident_id, sizeof out->resident_id, "%s", resident_id);
            out->cert_expiry = cert_expiry;
            memcpy(out->rid, rid, sizeof rid);
            snprintf(out->variant, sizeof out->variant, "%s", variant);
            out->status = NOTICE_ISSUED;
            return CN_OK;
        }
        if (sqlite3_extended_errcode(s->db) != SQLITE_CONSTRAINT_UNIQUE)
            return db_fail(s, err, "issuing a reservation ID");
        /* Two notices for one resident and expiry is the other UNIQUE: not a retry. */
        bool found;
        struct notice existing;
        if (store_notice_find(s, resident_id, cert_expiry, &existing, &found, err))
            return err ? err->status : CN_EOUTPUT;
        if (found)
            return cn_fail(err, CN_EOUTPUT, "a notice for resident %s and %s exists already",
                           resident_id, "this expiry");
    }
    return cn_fail(err, CN_EOUTPUT, "could not draw a unique reservation ID");
}

int store_notice_set_status(struct store *s, int64_t notice_id, enum notice_status status,
                            const char *batch, const char *file, long seq, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_NOTICE_STATUS);
    sqlite3_bind_int64(st, 1, notice_id);
    bind_text(st, 2, status_names[status]);
    if (batch)
        bind_text(st, 3, batch);
    if (file)
        bind_text(st, 4, file);
    if (seq > 0)
        sqlite3_bind_int64(st, 5, seq);
    return exec_step(s, st, "updating a notice", err);
}

int store_each_notice(struct store *s, int (*fn)(const struct notice *n, void *ctx), void *ctx,
                      struct cn_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql[S_EACH_NOTICE], -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "listing notices");
    struct notice n;
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_notice(st, &n);
        if ((out = fn(&n, ctx)) != 0)
            break;
    }
    if (out == CN_OK && rc != SQLITE_DONE)
        out = db_fail(s, err, "listing notices");
    sqlite3_finalize(st);
    return out;
}

int store_order_clear(struct store *s, struct cn_err *err)
{
    return exec_step(s, stmt(s, S_ORDER_CLEAR), "sorting letters", err);
}

int store_order_add(struct store *s, int64_t key, const char *resident_id, cn_date cert_expiry,
                    bool held, struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_ORDER_ADD);
    sqlite3_bind_int64(st, 1, key);
    bind_text(st, 2, resident_id);
    sqlite3_bind_int(st, 3, cert_expiry);
    sqlite3_bind_int(st, 4, held);
    return exec_step(s, st, "sorting letters", err);
}

int store_order_each(struct store *s, int (*fn)(int64_t key, void *ctx), void *ctx,
                     struct cn_err *err)
{
    sqlite3_stmt *st = stmt(s, S_ORDER_EACH);
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = fn(sqlite3_column_int64(st, 0), ctx)) != 0)
            break;
    if (out == CN_OK && rc != SQLITE_DONE)
        out = db_fail(s, err, "sorting letters");
    sqlite3_reset(st);
    return out;
}
/* ==== operations: returned mail and the report (cmd_ops.c) ==== */

/* Runs fn over the rows of a statement prepared for this call only (so fn may use other
 * store functions), with an int parameter bound as ?1 when bind1 >= 0. */
static int each_row(struct store *s, const char *query, int bind1, const char *what,
                    int (*row)(sqlite3_stmt *st, void *ctx), void *ctx, struct cn_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, query, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, what);
    if (bind1 >= 0)
        sqlite3_bind_int(st, 1, bind1);
    int rc, out = CN_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if ((out = row(st, ctx)) != 0)
            break;
    if (out == CN_OK && rc != SQLITE_DONE)
        out = db_fail(s, err, what);
    sqlite3_finalize(st);
    return out;
}

int store_notice_latest_mailed(struct store *s, const char *resident_id, struct notice *out,
                               bool *found, struct cn_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT " NOTICE_COLS " FROM notices WHERE resident_id = ?1 AND "
                           "status IN ('published', 'returned') "
                           "ORDER BY cert_expiry DESC, id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "finding a resident's notice");
    bind_text(st, 1, resident_id);
    int rc = notice_query(s, st, out, found, err);
    sqlite3_finalize(st);
    return rc;
}

struct run_rows {
    int (*fn)(const struct run_info *r, void *ctx);
    void *ctx;
};

static int run_row(sqlite3_stmt *st, void *ctx)
{
    const struct run_rows *rr = ctx;
    struct run_info r;
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(st, 0);
    r.run_date = column_date(st, 1);
    column_copy(st, 2, r.command, sizeof r.command);
    column_copy(st, 3, r.started, sizeof r.started);
    column_copy(st, 4, r.finished, sizeof r.finished);
    r.exit_code = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
    column_copy(st, 6, r.summary, sizeof r.summary);
    return rr->fn(&r, rr->ctx);
}

int store_each_run(struct store *s, int limit, bool failed_only,
                   int (*fn)(const struct run_info *r, void *ctx), void *ctx, struct cn_err *err)
{
    struct run_rows rr = {fn, ctx};
    return each_row(s,
                    failed_only ? "SELECT id, run_date, command, started_at, finished_at, "
                                  "exit_code, summary FROM runs "
                                  "WHERE finished_at IS NULL OR exit_code >= 2 "
                                  "ORDER BY id DESC LIMIT ?1"
                                : "SELECT id, run_date, command, started_at, finished_at, "
                                  "exit_code, summary FROM runs ORDER BY id DESC LIMIT ?1",
                    limit < 0 ? 0 : limit, "listing runs", run_row, &rr, err);
}

static int count_row(sqlite3_stmt *st, void *ctx)
{
    long *counts = ctx;
    const char *status = (const char *)sqlite3_column_text(st, 0);
    for (int i = 0; i <= NOTICE_REVIEW; i++)
        if (status && strcmp(status, status_names[i]) == 0)
            counts[i] = (long)sqlite3_column_int64(st, 1);
    return 0;
}

int store_notice_counts(struct store *s, long counts[NOTICE_REVIEW + 1], struct cn_err *err)
{
    for (int i = 0; i <= NOTICE_REVIEW; i++)
        counts[i] = 0;
    return each_row(s, "SELECT status, count(*) FROM notices GROUP BY status", -1,
                    "counting notices", count_row, counts, err);
}

struct hold_rows {
    int (*fn)(const struct returned_hold *h, void *ctx);
    void *ctx;
};

static int hold_row(sqlite3_stmt *st, void *ctx)
{
    const struct hold_rows *hr = ctx;
    struct returned_hold h;
    memset(&h, 0, sizeof h);
    column_copy(st, 0, h.resident_id, sizeof h.resident_id);
    column_copy(st, 1, h.district, sizeof h.district);
    column_copy(st, 2, h.rid, sizeof h.rid);
    column_copy(st, 3, h.since, sizeof h.since);
    return hr->fn(&h, hr->ctx);
}

int store_each_returned_hold(struct store *s, int (*fn)(const struct returned_hold *h, void *ctx),
                             void *ctx, struct cn_err *err)
{
    struct hold_rows hr = {fn, ctx};
    /* The latest returned notice of each held resident, if any is marked. */
    return each_row(s,
                    "SELECT r.resident_id, r.district, n.rid, n.updated_at FROM residents r "
                    "LEFT JOIN notices n ON n.id = (SELECT id FROM notices "
                    "  WHERE resident_id = r.resident_id AND status = 'returned' "
                    "  ORDER BY updated_at DESC, id DESC LIMIT 1) "
                    "WHERE r.returned_hold = 1 ORDER BY r.resident_id",
                    -1, "listing held residents", hold_row, &hr, err);
}
