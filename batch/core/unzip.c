#include "unzip.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#define ZLIB_CONST
#include <zlib.h>

/* Japan Post publishes one CSV per zip, deflated. Reading it with zlib directly keeps the
 * program free of a zip library (and of unzip(1) in a temporary folder): the central
 * directory gives the member, zlib's raw inflate its bytes, the stored CRC-32 and size catch
 * a truncated download. */

#define EOCD_SIG 0x06054b50u
#define CDIR_SIG 0x02014b50u
#define LOCAL_SIG 0x04034b50u
#define MAX_MEMBER (512u * 1024u * 1024u) /* far above KEN_ALL's 12 MB */

static uint32_t rd16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return rd16(p) | rd16(p + 2) << 16;
}

static int inflate_all(const unsigned char *in, size_t in_n, unsigned char *out, size_t out_n,
                       const char *name, struct cn_err *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK)
        return cn_fail(err, CN_EOUTPUT, "%s: cannot start zlib", name);
    z.next_in = in;
    z.avail_in = (uInt)in_n;
    z.next_out = out;
    z.avail_out = (uInt)out_n;
    int rc = inflate(&z, Z_FINISH);
    size_t got = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || got != out_n)
        return cn_fail(err, CN_EINPUT, "%s: the compressed data is damaged or truncated", name);
    return CN_OK;
}

int unzip_member(const unsigned char *zip, size_t n, const char *name, const char *suffix,
                 unsigned char **out, size_t *out_n, char date[11], char *member, size_t member_cap,
                 struct cn_err *err)
{
    *out = NULL;
    *out_n = 0;
    /* the end record is in the last 22 + 65535 bytes */
    size_t eocd = SIZE_MAX;
    for (size_t i = n >= 22 ? n - 22 : 0; n >= 22; i--) {
        if (rd32(zip + i) == EOCD_SIG) {
            eocd = i;
            break;
        }
        if (i == 0 || n - i > 22 + 65535)
            break;
    }
    if (eocd == SIZE_MAX)
        return cn_fail(err, CN_EINPUT, "%s: not a zip archive, or truncated (no end record)", name);
    uint32_t entries = rd16(zip + eocd + 10), cd_size = rd32(zip + eocd + 12),
             cd_off = rd32(zip + eocd + 16);
    if ((size_t)cd_off + cd_size > eocd)
        return cn_fail(err, CN_EINPUT, "%s: the zip's directory lies outside the file", name);
    size_t p = cd_off;
    for (uint32_t e = 0; e < entries; e++) {
        if (p + 46 > eocd || rd32(zip + p) != CDIR_SIG)
            return cn_fail(err, CN_EINPUT, "%s: damaged zip directory (entry %u)", name, e + 1);
        uint32_t method = rd16(zip + p + 10), mdate = rd16(zip + p + 14), crc = rd32(zip + p + 16),
                 csize = rd32(zip + p + 20), usize = rd32(zip + p + 24), nlen = rd16(zip + p + 28),
                 xlen = rd16(zip + p + 30), clen = rd16(zip + p + 32), local = rd32(zip + p + 42);
        const char *fname = (const char *)zip + p + 46;
        size_t slen = strlen(suffix);
        p += 46 + (size_t)nlen + xlen + clen;
        if (p > eocd)
            return cn_fail(err, CN_EINPUT, "%s: damaged zip directory", name);
        if (nlen < slen || strncasecmp(fname + nlen - slen, suffix, slen) != 0)
            continue;
        snprintf(member, member_cap, "%.*s", (int)nlen, fname);
        snprintf(date, 11, "%04u-%02u-%02u", (1980 + (mdate >> 9)) % 10000u,
                 ((mdate >> 5) & 15) % 100u, (mdate & 31) % 100u);
        if (method != 0 && method != 8)
            return cn_fail(err, CN_EINPUT, "%s: %s uses zip method %u (only stored and deflate)",
                           name, member, method);
        if (usize > MAX_MEMBER)
            return cn_fail(err, CN_EINPUT, "%s: %s is too large (%u bytes)", name, member, usize);
        if ((size_t)local + 30 > n || rd32(zip + local) != LOCAL_SIG)
            return cn_fail(err, CN_EINPUT, "%s: %s: damaged local header", name, member);
        size_t data = (size_t)local + 30 + rd16(zip + local + 26) + rd16(zip + local + 28);
        if (data + csize > n)
            return cn_fail(err, CN_EINPUT, "%s: %s is truncated", name, member);
        unsigned char *buf = malloc(usize ? usize : 1);
        if (!buf)
            return cn_fail(err, CN_EOUTPUT, "out of memory");
        int rc = CN_OK;
        if (method == 0) {
            if (csize != usize)
                rc = cn_fail(err, CN_EINPUT, "%s: %s: damaged stored member", name, member);
            else
                memcpy(buf, zip + data, usize);
        } else {
            rc = inflate_all(zip + data, csize, buf, usize, name, err);
        }
        if (!rc && crc32(0L, buf, usize) != crc)
            rc = cn_fail(err, CN_EINPUT, "%s: %s fails its CRC-32 check (damaged)", name, member);
        if (rc) {
            free(buf);
            return rc;
        }
        *out = buf;
        *out_n = usize;
        return CN_OK;
    }
    return cn_fail(err, CN_EINPUT, "%s: no member ending in %s in the zip", name, suffix);
}
