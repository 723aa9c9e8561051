/* store_session: the residents' sessions in the booking store, for a service of several
 * nodes on one PostgreSQL (a load balancer without sticky sessions: any node answers any
 * request). Its rows must not hold a birthday, a name or the cookie's token itself: the row
 * is found by the token's digest, so a copy of the table opens no session. */
#ifndef CN_STORE_SESSION_H
#define CN_STORE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "rid.h"
#include "secret.h"
#include "store.h"
#include "store_booking.h"

#define SESSION_TOKEN_LEN 32 /* hex characters: 128 random bits */

enum session_intent { INTENT_BOOK, INTENT_CHANGE, INTENT_CANCEL };

/* A copy of a session: callers get and put whole copies, so no lock is held while a page
 * talks to the database. */
struct session {
    char token[SESSION_TOKEN_LEN + 1];
    char csrf[SESSION_TOKEN_LEN + 1];
    int64_t last_seen;
    /* the residents' flow */
    char rid[RID_LEN + 1]; /* the ID this session is about; "" before the start page */
    bool verified;         /* the birthday was right */
    enum session_intent intent;
    char office[32];
    cn_date day;        /* DATE_NONE until chosen */
    int start_min;      /* -1 until chosen */
    int64_t booking_id; /* the booking just made or being changed/cancelled; 0 none */
    bool unstored;      /* new, and not in the booking store yet: its first put inserts it */
};

/* A session is seen again (last_seen written) at most this often: a page view is a read,
 * not a write, and the idle timeout is minutes. */
#define STORE_SESSION_TOUCH 30

/* Stores a new session under the digest of s->token. */
int store_session_new(struct store *st, const struct session *s, struct cn_err *err);
/* The session whose token is `token`, if seen within idle seconds of now (touched); out's
 * token is token. */
int store_session_get(struct store *st, const char *token, int64_t now, int idle,
                      struct session *out, bool *found, struct cn_err *err);
/* Lockouts a page shows before any answer, read with its session (store_session_read): the
 * key of the session's ID is id_prefix followed by the ID, the client's is client. */
struct session_locks {
    const char *id_prefix, *client;
    int64_t id_until, client_until; /* when their locks end; 0 when not locked at now */
    bool read;                      /* whether the ends were read (the session was found) */
};
/* The same, and its ID's feed row and active booking read in the same statement (the pages
 * read them next, and a read less per page counts on PostgreSQL): *facts, when found. With
 * locks (NULL: none), the two keys' lock ends at now too, in that statement. */
int store_session_read(struct store *st, const char *token, int64_t now, int idle,
                       struct session *out, struct id_facts *facts, struct session_locks *locks,
                       bool *found, struct cn_err *err);
/* The start page's session and read in one: stores the new session s (its ID s->rid) if
 * the ID is in the feed, and reads the ID's feed row and active booking (*facts, as
 * store_booking_facts). *stored: whether the row was written. On PostgreSQL one statement,
 * where the read and the INSERT were two round trips on the busiest page. */
int store_session_start(struct store *st, const struct session *s, struct id_facts *facts,
                        bool *stored, struct cn_err *err);
/* Forgets the session of token (a start page that stored one for an ID that turned out not
 * to open the pages). */
int store_session_drop(struct store *st, const char *token, struct cn_err *err);
/* Writes the copy back over the row of old_token (s->token may be a new token: a rotation);
 * nothing if that row is gone. */
int store_session_put(struct store *st, const char *old_token, const struct session *s,
                      struct cn_err *err);
/* A right birthday's two writes in one: the lockouts' pass (store_booking_pass: keys a and b
 * at now, *until_a and *until_b the locks that refused it) and, only when it passed, the
 * session's move from old_token's row to s (store_session_put: a rotation). On PostgreSQL one
 * statement on the page's connection, where the pass and the move were two round trips; on
 * SQLite one transaction. */
int store_session_pass(struct store_booking *bs, const char *old_token, const struct session *s,
                       const char *a, const char *b, int64_t now, int64_t *until_a,
                       int64_t *until_b, struct cn_err *err);
/* Forgets sessions last seen before `before`. */
int store_session_sweep(struct store *st, int64_t before, struct cn_err *err);

#endif
