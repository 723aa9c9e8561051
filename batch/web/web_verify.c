#include "web_verify.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "ratelimit.h"

const struct verify_limit verify_id_limit = {VERIFY_ID_TRIES, VERIFY_LOCK_SECONDS,
                                             VERIFY_LOCK_SECONDS};
const struct verify_limit verify_client_limit = {VERIFY_CLIENT_TRIES, VERIFY_LOCK_SECONDS,
                                                 VERIFY_LOCK_SECONDS};
const struct verify_limit verify_staff_limit = {VERIFY_STAFF_TRIES, VERIFY_STAFF_LOCK_SECONDS,
                                                VERIFY_STAFF_LOCK_SECONDS};
const struct verify_limit verify_staff_client_limit = {
    VERIFY_STAFF_CLIENT_TRIES, VERIFY_STAFF_LOCK_SECONDS, VERIFY_STAFF_LOCK_SECONDS};

int verify_small_number(const char *s, int max_digits)
{
    int v = 0, digits = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        int dgt;
        if (*p >= '0' && *p <= '9') {
            dgt = *p - '0';
            p++;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
            dgt = p[2] - 0x90; /* U+FF10..U+FF19 */
            p += 3;
        } else if (*p == ' ') {
            p++;
            continue;
        } else {
            return -1;
        }
        if (++digits > max_digits)
            return -1;
        v = v * 10 + dgt;
    }
    return digits ? v : -1;
}

bool verify_birthday(const struct booking_resident *res, const char *month, const char *day)
{
    const int m = verify_small_number(month, 2), d = verify_small_number(day, 2);
    return m > 0 && d > 0 && m == res->birth_month && d == res->birth_day;
}

void verify_key(const char *kind, const char *value, char out[VERIFY_KEY_MAX])
{
    snprintf(out, VERIFY_KEY_MAX, "%s:%s", kind, value);
}

void verify_client_key(const char *kind, const char *client, char out[VERIFY_KEY_MAX])
{
    _Static_assert(VERIFY_KEY_MAX >= RATELIMIT_CLIENT_KEY, "a client key fits");
    ratelimit_client_key(kind, client, out);
}

int verify_locked(struct store_booking *bs, const char *a, const char *b, int64_t now,
                  int64_t *until_a, int64_t *until_b, struct cn_err *err)
{
    return store_booking_locked(bs, a, b, now, until_a, until_b, err);
}

/* Rows whose lock and count ended a day ago go (the longest window is the escalation's
 * day), at most once a minute in this process: each rotated address or guessed ID left one. */
static void sweep(struct store_booking *bs, int64_t now)
{
    static _Atomic int64_t last;
    int64_t was = atomic_load(&last);
    if (now - was < 60 || !atomic_compare_exchange_strong(&last, &was, now))
        return;
    struct cn_err err = {0};
    long deleted = 0;
    if (store_lockout_purge(store_booking_db(bs), now - VERIFY_DAY, &deleted, &err))
        log_error("serve", "%s", err.msg); /* the attempt stands; the rows wait for the next */
}

int verify_attempt(struct store_booking *bs, struct verify_try *t, int64_t now, struct cn_err *err)
{
    sweep(bs, now);
    return store_booking_attempt(bs, t->key, now, t->lim->tries, t->lim->window, t->lim->lock,
                                 &t->allowed, &t->count, &t->until, err);
}

/* A verify_try as the store counts it, and back. */
static void to_store(const struct verify_try *t, struct lockout_try *out)
{
    _Static_assert(sizeof out->key >= VERIFY_KEY_MAX, "a key fits");
    memset(out, 0, sizeof *out);
    memcpy(out->key, t->key, VERIFY_KEY_MAX);
    out->max = t->lim->tries;
    out->window = t->lim->window;
    out->lock = t->lim->lock;
}

static void from_store(const struct lockout_try *in, struct verify_try *t)
{
    t->allowed = in->allowed;
    t->count = in->count;
    t->until = in->until;
}

int verify_attempts(struct store_booking *bs, struct verify_try *a, struct verify_try *b,
                    int64_t now, struct cn_err *err)
{
    sweep(bs, now);
    struct lockout_try sa, sb;
    to_store(a, &sa);
    to_store(b, &sb);
    int rc = store_booking_attempts(bs, &sa, &sb, now, err);
    from_store(&sa, a);
    from_store(&sb, b);
    return rc;
}

int verify_pass(struct store_booking *bs, struct verify_try *id, struct verify_try *ip, int64_t now,
                struct session_jar *jar, struct session *s, struct cn_err *err)
{
    int rc = session_pass_rotate(jar, bs, s, id->key, ip->key, now, &id->until, &ip->until, err);
    id->allowed = !rc && id->until == 0;
    ip->allowed = !rc && ip->until == 0;
    id->count = ip->count = 0;
    return rc;
}

int verify_settle(struct store_booking *bs, const char *forget, const struct verify_try *t,
                  struct cn_err *err)
{
    return store_booking_settle(bs, forget, t->key, t->lim->tries, err);
}

int verify_refund(struct store_booking *bs, const struct verify_try *t, struct cn_err *err)
{
    return store_booking_refund(bs, t->key, t->lim->tries, err);
}

/* The local midnight that ends tomorrow's first second: "until the next day". */
static int64_t next_day(int64_t now)
{
    const time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

int verify_escalate(struct store_booking *bs, const char *rid, struct verify_try *t, int64_t now,
                    struct cn_err *err)
{
    /* The ID's locks within a day, counted on a key of their own. */
    static const struct verify_limit locks = {2, VERIFY_DAY, VERIFY_DAY};
    struct verify_try l = {.lim = &locks};
    verify_key("ridlocks", rid, l.key);
    int rc = verify_attempt(bs, &l, now, err);
    /* refused: two locks in the day already, and this is one more */
    if (rc || (l.allowed && l.count < locks.tries))
        return rc;
    const int64_t until = next_day(now);
    if ((rc = store_booking_lock_until(bs, t->key, until, err)))
        return rc;
    t->until = until;
    return CN_OK;
}

bool verify_until_tomorrow(int64_t until, int64_t now)
{
    return until - now > VERIFY_LOCK_SECONDS;
}
