/* session: the web service's sessions, in memory or in the booking store: a random token in an
 * HttpOnly cookie, a CSRF token per session, the answers given so far, an idle timeout. Must not
 * hold a birthday or a name: only what the next page needs. Safe to call from any thread. */
#ifndef CN_SESSION_H
#define CN_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "err.h"
#include "rid.h"
#include "store_session.h" /* struct session: the copy pages get and put */

struct session_jar;

/* cap: sessions kept at once (the oldest idle one gives way); idle: seconds. */
int session_jar_new(int cap, int idle, struct session_jar **out, struct cn_err *err);
/* The sessions in the booking store at db instead (store_session.h): for several nodes on one
 * PostgreSQL, where the next request may reach another node. */
int session_jar_stored(const char *db, int idle, struct session_jar **out, struct cn_err *err);
void session_jar_free(struct session_jar *jar);

/* Finds the live session with this token (touching it); false when none. */
bool session_get(struct session_jar *jar, const char *token, int64_t now, struct session *out);
/* The same, and with a stored session its ID's feed row and active booking, read in the
 * same statement (facts->read; false from the memory jar: the page asks the store), and the
 * lock ends locks asks for (NULL: none; locks->read false from the memory jar). */
bool session_read(struct session_jar *jar, const char *token, int64_t now, struct session *out,
                  struct id_facts *facts, struct session_locks *locks);
/* A fresh session with new random tokens. In memory it is kept at once; in the booking store
 * its first session_put inserts it (out->unstored until then), and a page that made one
 * must put it before it answers (book_handle does). */
int session_new(struct session_jar *jar, int64_t now, struct session *out, struct cn_err *err);
/* The start page's new session for rid, in the booking store: stored at once when the ID is
 * in the feed (*made, out->unstored false), and the ID's feed row and active booking read
 * in the same statement (facts->read). The memory jar makes none and reads nothing: the
 * page goes on as without (session_new once it knows the ID opens the pages). */
int session_start(struct session_jar *jar, int64_t now, const char *rid, struct session *out,
                  struct id_facts *facts, bool *made, struct cn_err *err);
/* Forgets a session session_start stored for an ID that turned out not to open the pages. */
void session_drop(struct session_jar *jar, const struct session *s);
/* Stores the copy back (if the session still exists; the first store of a new one). */
void session_put(struct session_jar *jar, struct session *s);
/* The token by which the booking store finds the session's row, for a statement that writes
 * the row along with its own (take_request.session): NULL for a session in memory. */
const char *session_row(const struct session_jar *jar, const struct session *s);
/* The copy took booking_id (intent booking): a memory session is put; a stored one's row was
 * written by the take itself (session_row). */
void session_booked(struct session_jar *jar, struct session *s, int64_t booking_id);
/* Gives the session new tokens (keeping what it holds) and forgets the old ones: done when
 * it gains rights (the birthday was right), so that a token seen before is worth nothing. */
int session_rotate(struct session_jar *jar, struct session *s, struct cn_err *err);
/* A right birthday taken (store_booking_pass on bs: keys a and b at now, *until_a and
 * *until_b the locks that refused it, 0 when none) and, only when it passed, the session
 * rotated as session_rotate does. A stored session moves in the pass's own statement
 * (store_session_pass); in memory it moves after it. */
int session_pass_rotate(struct session_jar *jar, struct store_booking *bs, struct session *s,
                        const char *a, const char *b, int64_t now, int64_t *until_a,
                        int64_t *until_b, struct cn_err *err);
/* Forgets the session's flow: what a new reservation ID starts from. */
void session_reset_flow(struct session *s);

/* Constant-time comparison of a submitted token with the session's. */
bool session_csrf_ok(const struct session *s, const char *submitted);

/* 128 random bits as 32 hex characters, from the OS. */
int session_random_token(char out[SESSION_TOKEN_LEN + 1], struct cn_err *err);

#endif
