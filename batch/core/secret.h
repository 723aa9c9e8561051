/* secret: password hashing (Argon2id through libsodium's crypto_pwhash_str), random tokens
 * and their one-way digests. Must not store, print or log a secret: callers keep hashes. */
#ifndef CN_SECRET_H
#define CN_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* crypto_pwhash_STRBYTES: "$argon2id$v=19$m=...,t=...,p=1$salt$hash" and its NUL. */
#define SECRET_HASH_MAX 128
/* 256 random bits as 64 hex characters. */
#define SECRET_TOKEN_LEN 64

/* The shortest password an account may have: the counter's accounts guard names and
 * birth dates, and the lockout alone does not stop a stolen hash being guessed offline. */
#define SECRET_MIN_PASSWORD 12

/* libsodium's own start; every other function here calls it (it is idempotent). */
int secret_init(struct cn_err *err);

/* Argon2id with libsodium's interactive limits (fast enough for a login page, 64 MiB). */
int secret_hash_password(const char *password, char out[SECRET_HASH_MAX], struct cn_err *err);
/* Whether password matches a stored hash; false for a malformed hash. */
bool secret_check_password(const char *hash, const char *password);
/* Spends the time of one check against a fixed hash: a login for an unknown account then
 * takes as long as one for a known account with a wrong password. */
void secret_burn_check(const char *password);

/* 256 random bits (randombytes_buf) as lowercase hex. */
int secret_token(char out[SECRET_TOKEN_LEN + 1], struct cn_err *err);
/* A uniform random number in [0, upper) (randombytes_uniform: no modulo bias), for numbers
 * that must not tell how many came before (booking numbers). */
int secret_uniform(uint32_t upper, uint32_t *out, struct cn_err *err);
/* The token's digest (BLAKE2b-256, hex) as the database keeps it: a copy of the table
 * does not let anyone present the cookie. */
void secret_token_digest(const char *token, char out[SECRET_TOKEN_LEN + 1]);
/* Constant-time equality of two NUL-terminated strings of the same length. */
bool secret_equal(const char *a, const char *b);
/* Whether a and b are the same token: both exactly len lowercase hex characters (what
 * secret_token, len SECRET_TOKEN_LEN, and the sessions' tokens are) and equal, compared in
 * constant time. NULL, empty, shorter, longer or non-hex is never equal, not even to
 * itself: an absent cookie and an absent form field must not match (double submit). */
bool secret_token_equal(const char *a, const char *b, size_t len);

/* A password's rule: at least SECRET_MIN_PASSWORD characters (UTF-8 code points), no
 * control characters. NULL when fine, else the reason in words. */
const char *secret_password_problem(const char *password);

#endif
