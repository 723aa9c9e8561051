/* sha256: SHA-256 of a file as hex, through OpenSSL's libcrypto (never hand-written).
 * Must not keep the file in memory: it streams in fixed blocks. */
#ifndef CN_SHA256_H
#define CN_SHA256_H

#include <stddef.h>

#include "err.h"

/* 64 lowercase hex digits and a NUL. CN_EINPUT when the file cannot be read. */
int sha256_file(const char *path, char hex[65], struct cn_err *err);

/* The same from fd's position to its end (fd stays open; name is for messages). each_block,
 * if not NULL, sees every block as it is hashed, so a caller can scan the bytes in the same
 * pass (ingest looks for DTDs). */
int sha256_fd(int fd, const char *name, char hex[65],
              void (*each_block)(const unsigned char *buf, size_t n, void *ctx), void *ctx,
              struct cn_err *err);

#endif
