#include "web_verify.h"

#include <stdio.h>

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

int verify_locked(struct store_booking *bs, const char *key, int64_t now, bool *locked,
                  int64_t *until, struct cn_err *err)
{
    return store_booking_locked(bs, key, now, locked, until, err);
}

int verify_fail(struct store_booking *bs, const char *key, const struct verify_limit *lim,
                int64_t now, int *failures, int64_t *until, struct cn_err *err)
{
    return store_booking_fail(bs, key, now, lim->tries, lim->window, lim->lock, failures, until,
                              err);
}

int verify_forget(struct store_booking *bs, const char *key, struct cn_err *err)
{
    return store_booking_forget(bs, key, err);
}
