#include "session.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "secret.h"

/* Sessions sit in an open-addressing table by their token's hash: a lookup reads at most
 * PROBE slots, not the whole jar (a full jar of 20,000 scanned on every request was the
 * booking service's limit under load). A new session takes the first free slot near its
 * home, or the least recently seen one there: an approximate LRU, exact for a jar of at
 * most PROBE. */
#define PROBE 16

struct session_jar {
    pthread_mutex_t lock;
    struct session *s;
    int cap, idle, probe;
};

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

bool session_get(struct session_jar *jar, const char *token, int64_t now, struct session *out)
{
    bool found = false;
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
    if ((rc = session_random_token(s.token, err)) || (rc = session_random_token(s.csrf, err)))
        return rc;
    s.last_seen = now;
    session_reset_flow(&s);
    pthread_mutex_lock(&jar->lock);
    *place(jar, s.token, now) = s;
    pthread_mutex_unlock(&jar->lock);
    *out = s;
    return CN_OK;
}

void session_put(struct session_jar *jar, const struct session *s)
{
    pthread_mutex_lock(&jar->lock);
    struct session *slot = find(jar, s->token);
    if (slot)
        *slot = *s;
    pthread_mutex_unlock(&jar->lock);
}

int session_rotate(struct session_jar *jar, struct session *s, struct cn_err *err)
{
    char token[SESSION_TOKEN_LEN + 1], csrf[SESSION_TOKEN_LEN + 1];
    int rc;
    if ((rc = session_random_token(token, err)) || (rc = session_random_token(csrf, err)))
        return rc;
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
