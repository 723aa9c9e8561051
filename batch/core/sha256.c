#include "sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int sha256_fd(int fd, const char *path, char hex[65],
              void (*each_block)(const unsigned char *buf, size_t n, void *ctx), void *cb_ctx,
              struct cn_err *err)
{
    int status = CN_OK;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        status = cn_fail(err, CN_EINPUT, "%s: SHA-256 unavailable in libcrypto", path);
        goto done;
    }
    unsigned char buf[65536];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            status = cn_fail(err, CN_EINPUT, "%s: %s", path, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
            status = cn_fail(err, CN_EINPUT, "%s: SHA-256 failed", path);
            goto done;
        }
        if (each_block)
            each_block(buf, (size_t)n, cb_ctx);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_DigestFinal_ex(ctx, md, &md_len) != 1 || md_len != 32) {
        status = cn_fail(err, CN_EINPUT, "%s: SHA-256 failed", path);
        goto done;
    }
    for (unsigned i = 0; i < md_len; i++)
        snprintf(hex + 2 * (size_t)i, 3, "%02x", md[i]);
done:
    EVP_MD_CTX_free(ctx);
    return status;
}

int sha256_file(const char *path, char hex[65], struct cn_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cn_fail(err, CN_EINPUT, "%s: %s", path, strerror(errno));
    int status = sha256_fd(fd, path, hex, NULL, NULL, err);
    close(fd);
    return status;
}
