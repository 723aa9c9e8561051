/* store_staff_session: the counter staff's sessions in the booking store, kept as token digests
 * only, so that any node answers any request. Must not make or check tokens (secret.c). */
#ifndef CN_STORE_STAFF_SESSION_H
#define CN_STORE_STAFF_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "secret.h"
#include "store.h"

#define STAFF_NAME_MAX 32

struct staff_session {
    char digest[SECRET_TOKEN_LEN + 1]; /* secret_token_digest of the cookie's token */
    char csrf[SECRET_TOKEN_LEN + 1];
    char staff[STAFF_NAME_MAX];
    char office[32]; /* the account's office, read with the session */
    int64_t last_seen;
    int64_t created; /* when it began: the login (store_staff_session_new: last_seen) */
};

/* How long a session lasts, in seconds: idle since it was last seen, and in all since it
 * began, however busy it was kept. */
struct staff_session_limits {
    int idle, lifetime;
};

/* A new session, begun at ss->last_seen. */
int store_staff_session_new(struct store *s, const struct staff_session *ss, struct cn_err *err);
/* The session with this digest if it was seen within lim->idle seconds of now and began
 * less than lim->lifetime seconds before it (it is touched); one past either is deleted and
 * not found. */
int store_staff_session_get(struct store *s, const char *digest, int64_t now,
                            const struct staff_session_limits *lim, struct staff_session *out,
                            bool *found, struct cn_err *err);
int store_staff_session_end(struct store *s, const char *digest, struct cn_err *err);

/* Retention: sessions last seen before `before` (seconds). */
int store_staff_session_purge(struct store *s, int64_t before, long *deleted, struct cn_err *err);

#endif
