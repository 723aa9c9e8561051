#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "log.h"
#include "secret.h"
#include "store_lockout.h"
#include "store_session.h"

/* Sessions sit in an open-addressing table by their token's hash: a lookup reads at most
 * PROBE slots, not the whole jar (a full jar of 20,000 scanned on every request was the
 * booking service's limit under load). A new session takes the first free slot near its
 * home, or the least recently seen one there: an approximate LRU, exact for a jar of at
 * most PROBE. */
#define PROBE 16

/* Stored sessions (session_jar_stored) borrow a connection of the jar's own for each call:
 * the pages' signatures stay those of the memory jar, and a page holding its connection in
 * a transaction never waits on its own session write. */
#define STORED_POOL 16

struct session_jar {
    pthread_mutex_t lock;
    struct session *s;
    int cap, idle, probe;
    /* stored: the booking store's URI, idle connections, the last sweep of idle rows */
    char db[512];
    struct store *conns[STORED_POOL];
    int n_conns;
    int64_t swept;
};

int session_jar_stored(const char *db, int idle, struct session_jar **out, struct cn_err *err)
{
    *out = NULL;
    struct session_jar *jar = calloc(1, sizeof *jar);
    if (!jar)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    pthread_mutex_init(&jar->lock, NULL);
    snprintf(jar->db, sizeof jar->db, "%s", db);
    jar->idle = idle;
    *out = jar;
    return CN_OK;
}

static struct store *borrow(struct session_jar *jar, struct cn_err *err)
{
    struct store *st = NULL;
    pthread_mutex_lock(&jar->lock);
    if (jar->n_conns > 0)
        st = jar->conns[--jar->n_conns];
    pthread_mutex_unlock(&jar->lock);
    if (st)
        return st;
    if (store_open_existing(jar->db, STORE_BOOKING, false, &st, err) != CN_OK)
        return NULL;
    /* A session lost to a server crash costs its resident a fresh start page; not waiting
     * for the server's disk on every session write is worth that. Set once per connection
     * (the store sets it again after a reconnect): a pooled one has it already. */
    if (store_lazy_commits(st, err) != CN_OK) {
        store_close(st);
        return NULL;
    }
    return st;
}

static void give_back(struct session_jar *jar, struct store *st)
{
    pthread_mutex_lock(&jar->lock);
    if (jar->n_conns < STORED_POOL) {
        jar->conns[jar->n_conns++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&jar->lock);
    store_close(st);
}

/* A stored call's failure: logged (the session is then not found, or not updated: the
 * resident starts again, nothing of a booking depends on it). */
static void stored_failed(const struct cn_err *err)
{
    log_error("session", "%s", err->msg);
}

int session_jar_new(int cap, int idle, struct session_jar **out, struct cn_err *err)
{
    *out = NULL;
    struct session_jar *jar = calloc(1, sizeof *jar);
    if (jar)
        jar->s = calloc((size_t)cap, sizeof *jar->s);
    if (!jar || !jar->s) {
        free(jar);
        return cn_fail(err, CN_EOUTPUT, "out of memory for %d sessions", cap);
    }
    pthread_mutex_init(&jar->lock, NULL);
    jar->cap = cap;
    jar->idle = idle;
    jar->probe = cap < PROBE ? cap : PROBE;
    *out = jar;
    return CN_OK;
}

void session_jar_free(struct session_jar *jar)
{
    if (!jar)
        return;
    for (int i = 0; i < jar->n_conns; i++)
        store_close(jar->conns[i]);
    pthread_mutex_destroy(&jar->lock);
    /* tokens are secrets: do not leave them in freed memory (only slots that held one: the
     * rest of a large jar was never written, and writing it would map it all) */
    for (int i = 0; i < jar->cap; i++)
        if (jar->s[i].token[0])
            explicit_bzero(&jar->s[i], sizeof jar->s[i]);
    free(jar->s);
    free(jar);
}

int session_random_token(char out[SESSION_TOKEN_LEN + 1], struct cn_err *err)
{
    unsigned char raw[SESSION_TOKEN_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno != EINTR)
            return cn_fail(err, CN_EOUTPUT, "getrandom: %s", strerror(errno));
        if (n > 0)
            got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[SESSION_TOKEN_LEN] = '\0';
    return CN_OK;
}

/* A session's two tokens, new: the cookie's and the forms' CSRF. */
static int new_tokens(char token[SESSION_TOKEN_LEN + 1], char csrf[SESSION_TOKEN_LEN + 1],
                      struct cn_err *err)
{
    int rc = session_random_token(token, err);
    return rc ? rc : session_random_token(csrf, err);
}

static bool token_eq(const char *a, const char *b)
{
    return secret_token_equal(a, b, SESSION_TOKEN_LEN);
}

static bool live(const struct session_jar *jar, const struct session *s, int64_t now)
{
    return s->token[0] && s->last_seen + jar->idle > now;
}

static size_t home(const struct session_jar *jar, const char *token)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < SESSION_TOKEN_LEN && token[i]; i++)
        h = (h ^ (unsigned char)token[i]) * 1099511628211ULL;
    return (size_t)(h % (uint64_t)jar->cap);
}

/* The slot holding this token (live or not), or NULL. Called with the lock held. */
static struct session *find(struct session_jar *jar, const char *token)
{
    if (!token || strlen(token) != SESSION_TOKEN_LEN)
        return NULL;
    const size_t h = home(jar, token);
    for (int i = 0; i < jar->probe; i++) {
        struct session *s = &jar->s[(h + (size_t)i) % (size_t)jar->cap];
        if (s->token[0] && token_eq(s->token, token))
            return s;
    }
    return NULL;
}

/* Where a session with this token goes: a free or expired slot near its home, else the
 * least recently seen there. Called with the lock held. */
static struct session *place(struct session_jar *jar, const char *token, int64_t now)
{
    const size_t h = home(jar, token);
    struct session *oldest = NULL;
    for (int i = 0; i < jar->probe; i++) {
        struct session *s = &jar->s[(h + (size_t)i) % (size_t)jar->cap];
        if (!live(jar, s, now))
            return s;
        if (!oldest || s->last_seen < oldest->last_seen)
            oldest = s;
    }
    return oldest;
}

bool session_read(struct session_jar *jar, const char *token, int64_t now, struct session *out,
                  struct id_facts *facts, struct session_locks *locks)
{
    facts->read = false;
    if (locks)
        locks->read = false;
    bool found = false;
    if (jar->db[0]) {
        struct cn_err err = {0};
        struct store *st = borrow(jar, &err);
        if (!st || store_session_read(st, token, now, jar->idle, out, facts, locks, &found, &err)) {
            stored_failed(&err);
            found = false;
            facts->read = false;
            if (locks)
                locks->read = false;
        }
        if (st)
            give_back(jar, st);
        return found;
    }
    pthread_mutex_lock(&jar->lock);
    struct session *s = find(jar, token);
    if (s && live(jar, s, now)) {
        s->last_seen = now;
        *out = *s;
        found = true;
    }
    pthread_mutex_unlock(&jar->lock);
    return found;
}

bool session_get(struct session_jar *jar, const char *token, int64_t now, struct session *out)
{
    struct id_facts ignored;
    return session_read(jar, token, now, out, &ignored, NULL);
}

void session_reset_flow(struct session *s)
{
    s->rid[0] = '\0';
    s->verified = false;
    s->intent = INTENT_BOOK;
    s->office[0] = '\0';
    s->day = DATE_NONE;
    s->start_min = -1;
    s->booking_id = 0;
}

int session_new(struct session_jar *jar, int64_t now, struct session *out, struct cn_err *err)
{
    struct session s;
    memset(&s, 0, sizeof s);
    int rc;
    if ((rc = new_tokens(s.token, s.csrf, err)))
        return rc;
    s.last_seen = now;
    session_reset_flow(&s);
    if (jar->db[0]) {
        /* Stored by its first put, which the page makes with what it learnt (the start page:
         * the ID): one INSERT where an INSERT and an UPDATE were, on the busiest page. */
        s.unstored = true;
        *out = s;
        return CN_OK;
    }
    pthread_mutex_lock(&jar->lock);
    *place(jar, s.token, now) = s;
    pthread_mutex_unlock(&jar->lock);
    *out = s;
    return CN_OK;
}

/* About once a minute per node, with a session's first store, the idle rows go (a table of
 * live sessions only). */
static int stored_sweep(struct session_jar *jar, struct store *st, int64_t now, struct cn_err *err)
{
    pthread_mutex_lock(&jar->lock);
    const bool sweep = now - jar->swept >= 60;
    if (sweep)
        jar->swept = now;
    pthread_mutex_unlock(&jar->lock);
    return sweep ? store_session_sweep(st, now - jar->idle, err) : CN_OK;
}

/* A session's first store: the INSERT, then the sweep's turn. */
static int stored_insert(struct session_jar *jar, struct store *st, const struct session *s,
                         struct cn_err *err)
{
    int rc = store_session_new(st, s, err);
    return rc ? rc : stored_sweep(jar, st, s->last_seen, err);
}

int session_start(struct session_jar *jar, int64_t now, const char *rid, struct session *out,
                  struct id_facts *facts, bool *made, struct cn_err *err)
{
    *made = false;
    memset(facts, 0, sizeof *facts);
    if (!jar->db[0])
        return CN_OK;
    int rc = session_new(jar, now, out, err);
    if (rc)
        return rc;
    snprintf(out->rid, sizeof out->rid, "%s", rid);
    out->intent = INTENT_BOOK;
    struct store *st = borrow(jar, err);
    if (!st)
        return err->status ? err->status : CN_EOUTPUT;
    if (!(rc = store_session_start(st, out, facts, made, err)) && *made) {
        out->unstored = false;
        rc = stored_sweep(jar, st, now, err);
    }
    give_back(jar, st);
    return rc;
}

void session_drop(struct session_jar *jar, const struct session *s)
{
    if (!jar->db[0] || s->unstored)
        return; /* the memory jar's start page makes none; an unstored one has no row */
    struct cn_err err = {0};
    struct store *st = borrow(jar, &err);
    if (!st || store_session_drop(st, s->token, &err))
        stored_failed(&err); /* the row goes with the idle ones */
    if (st)
        give_back(jar, st);
}

static void stored_put(struct session_jar *jar, const char *old_token, struct session *s)
{
    struct cn_err err = {0};
    struct store *st = borrow(jar, &err);
    if (st && s->unstored) {
        if (stored_insert(jar, st, s, &err) == CN_OK)
            s->unstored = false;
    } else if (st) {
        store_session_put(st, old_token, s, &err);
    }
    if (err.status)
        stored_failed(&err);
    if (st)
        give_back(jar, st);
}

void session_put(struct session_jar *jar, struct session *s)
{
    if (jar->db[0]) {
        stored_put(jar, s->token, s);
        return;
    }
    pthread_mutex_lock(&jar->lock);
    struct session *slot = find(jar, s->token);
    if (slot)
        *slot = *s;
    pthread_mutex_unlock(&jar->lock);
}

const char *session_row(const struct session_jar *jar, const struct session *s)
{
    return jar->db[0] && !s->unstored ? s->token : NULL;
}

void session_booked(struct session_jar *jar, struct session *s, int64_t booking_id)
{
    const bool written = session_row(jar, s) != NULL;
    s->booking_id = booking_id;
    s->intent = INTENT_BOOK;
    if (!written)
        session_put(jar, s);
}

int session_pass_rotate(struct session_jar *jar, struct store_booking *bs, struct session *s,
                        const char *a, const char *b, int64_t now, int64_t *until_a,
                        int64_t *until_b, struct cn_err *err)
{
    if (!jar->db[0] || s->unstored) {
        int rc = store_booking_pass(bs, a, b, now, until_a, until_b, err);
        return rc || *until_a || *until_b ? rc : session_rotate(jar, s, err);
    }
    struct session moved = *s;
    int rc;
    if ((rc = new_tokens(moved.token, moved.csrf, err)) ||
        (rc = store_session_pass(bs, s->token, &moved, a, b, now, until_a, until_b, err)) ||
        *until_a || *until_b) {
        explicit_bzero(&moved, sizeof moved);
        return rc;
    }
    /* the row moved to the new token's digest: the old token finds nothing from here */
    explicit_bzero(s->token, sizeof s->token);
    *s = moved;
    return CN_OK;
}

int session_rotate(struct session_jar *jar, struct session *s, struct cn_err *err)
{
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
    int rc;
    if ((rc = new_tokens(token, csrf, err)))
        return rc;
    if (jar->db[0]) {
        char old[SESSION_TOKEN_LEN + 1];
        memcpy(old, s->token, sizeof old);
        memcpy(s->token, token, sizeof token);
        memcpy(s->csrf, csrf, sizeof csrf);
        /* the row moves to the new token's digest: the old token finds nothing from here */
        stored_put(jar, old, s);
        explicit_bzero(old, sizeof old);
        return CN_OK;
    }
    pthread_mutex_lock(&jar->lock);
    struct session *old = find(jar, s->token);
    if (old) {
        /* the old token is worth nothing from here: its slot is wiped, the session moves to
         * the new token's home */
        explicit_bzero(old, sizeof *old);
        memcpy(s->token, token, sizeof token);
        memcpy(s->csrf, csrf, sizeof csrf);
        *place(jar, s->token, s->last_seen) = *s;
    }
    pthread_mutex_unlock(&jar->lock);
    return CN_OK;
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
    return token_eq(s->csrf, submitted);
}
