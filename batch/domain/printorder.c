#include "printorder.h"

#include <stdint.h>
#include <string.h>

struct key_out {
    unsigned char *out;
    size_t cap, n;
};

static void put(struct key_out *k, const void *bytes, size_t n)
{
    if (k->n + n <= k->cap)
        memcpy(k->out + k->n, bytes, n);
    k->n += n;
}

static void put_byte(struct key_out *k, unsigned char b)
{
    put(k, &b, 1);
}

/* A field ends in a byte below any its text holds, so that a shorter field sorts first and
 * the next field only breaks ties, as a tuple compares. */
static void put_text(struct key_out *k, const char *s, unsigned char end)
{
    if (s)
        put(k, s, strlen(s));
    put_byte(k, end);
}

size_t printorder_key(const struct print_place *p, unsigned char *out, size_t cap)
{
    struct key_out k = {out, cap, 0};
    put_byte(&k, p->held ? 1 : 0);
    put_text(&k, p->postal_code, 0);
    /* The address and the building compare as one text joined by U+001F (below every
     * printable character), as the print order always has. */
    put_text(&k, p->address, 0x1f);
    put_text(&k, p->address2, 0);
    put_text(&k, p->resident_id, 0);
    /* Offset binary, big-endian: memcmp order is the dates' numeric order. */
    const uint32_t d = (uint32_t)p->cert_expiry ^ UINT32_C(0x80000000);
    const unsigned char be[4] = {(unsigned char)(d >> 24), (unsigned char)(d >> 16),
                                 (unsigned char)(d >> 8), (unsigned char)d};
    put(&k, be, sizeof be);
    return k.n;
}
