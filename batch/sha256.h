/* sha256: SHA-256 of a file as hex, through OpenSSL's libcrypto (never hand-written).
 * Must not keep the file in memory: it streams in fixed blocks. */
#ifndef CN_SHA256_H
#define CN_SHA256_H

#include "err.h"

/* 64 lowercase hex digits and a NUL. CN_EINPUT when the file cannot be read. */
int sha256_file(const char *path, char hex[65], struct cn_err *err);

#endif
