#include "sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

int sha256_file(const char *path, char hex[65], struct cn_err *err)
{
    int rc = CN_OK;
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!f) {
        rc = cn_fail(err, CN_EINPUT, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        rc = cn_fail(err, CN_EINPUT, "%s: SHA-256 unavailable", path);
        goto done;
    }
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    if (ferror(f)) {
        rc = cn_fail(err, CN_EINPUT, "%s: read error", path);
        goto done;
    }
    EVP_DigestFinal_ex(ctx, md, &md_len);
    for (unsigned i = 0; i < md_len && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
done:
    EVP_MD_CTX_free(ctx);
    if (f)
        fclose(f);
    return rc;
}
