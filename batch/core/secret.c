#include "secret.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int secret_init(struct cn_err *err)
{
    if (sodium_init() < 0)
        return cn_fail(err, CN_EOUTPUT, "libsodium could not start (no random source?)");
    return CN_OK;
}

int secret_hash_password(const char *password, char out[SECRET_HASH_MAX], struct cn_err *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= SECRET_HASH_MAX, "hash buffer too small");
    int rc = secret_init(err);
    if (rc)
        return rc;
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return cn_fail(err, CN_EOUTPUT, "hashing the password failed (out of memory?)");
    return CN_OK;
}

bool secret_check_password(const char *hash, const char *password)
{
    if (sodium_init() < 0 || !hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char burn_hash[crypto_pwhash_STRBYTES];

static void make_burn_hash(void)
{
    static const char pw[] = "certnotice-no-such-account";
    if (crypto_pwhash_str(burn_hash, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        burn_hash[0] = '\0';
}

void secret_burn_check(const char *password)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (sodium_init() < 0 || pthread_once(&once, make_burn_hash) != 0 || !burn_hash[0])
        return;
    /* the answer is known (no), only the time it takes matters */
    if (crypto_pwhash_str_verify(burn_hash, password, strlen(password)) == 0)
        burn_hash[0] = '\0';
}

int secret_token(char out[SECRET_TOKEN_LEN + 1], struct cn_err *err)
{
    int rc = secret_init(err);
    if (rc)
        return rc;
    unsigned char raw[SECRET_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(out, SECRET_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return CN_OK;
}

int secret_uniform(uint32_t upper, uint32_t *out, struct cn_err *err)
{
    *out = 0;
    int rc = secret_init(err);
    if (rc)
        return rc;
    *out = randombytes_uniform(upper);
    return CN_OK;
}

void secret_token_digest(const char *token, char out[SECRET_TOKEN_LEN + 1])
{
    unsigned char d[SECRET_TOKEN_LEN / 2];
    crypto_generichash(d, sizeof d, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, SECRET_TOKEN_LEN + 1, d, sizeof d);
}

bool secret_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    const size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* Exactly len lowercase hex characters; the answer depends on the text only through its
 * length and its alphabet, never on which byte differs from a token. */
static bool token_form(const char *t, size_t len)
{
    if (!t || len == 0 || strnlen(t, len + 1) != len)
        return false;
    unsigned bad = 0;
    for (size_t i = 0; i < len; i++) {
        const unsigned char c = (unsigned char)t[i];
        bad |= !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    return bad == 0;
}

bool secret_token_equal(const char *a, const char *b, size_t len)
{
    /* both checked before either answer is used: no early exit on the first */
    const bool well_formed = token_form(a, len) & token_form(b, len);
    return well_formed && sodium_memcmp(a, b, len) == 0;
}

const char *secret_password_problem(const char *password)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return "the password has a control character";
        if ((*p & 0xc0) != 0x80)
            chars++;
    }
    if (chars < SECRET_MIN_PASSWORD)
        return "the password is shorter than 12 characters";
    return NULL;
}
