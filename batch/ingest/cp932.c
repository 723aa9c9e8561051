#include "cp932.h"

#include <iconv.h>
#include <stdlib.h>

struct cp932 {
    iconv_t cd;
};

int cp932_open(struct cp932 **out, struct cn_err *err)
{
    *out = NULL;
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) // NOLINT(performance-no-int-to-ptr): iconv's own failure value
        return cn_fail(err, CN_EUSAGE, "this system's iconv cannot convert CP932");
    struct cp932 *c = malloc(sizeof *c);
    if (!c) {
        iconv_close(cd);
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    }
    c->cd = cd;
    *out = c;
    return CN_OK;
}

void cp932_close(struct cp932 *c)
{
    if (!c)
        return;
    iconv_close(c->cd);
    free(c);
}

bool cp932_to_utf8(struct cp932 *c, const char *in, size_t len, char *out, size_t cap,
                   size_t *bad_at)
{
    iconv(c->cd, NULL, NULL, NULL, NULL);
    char *src = (char *)in, *dst = out;
    size_t left = len, room = cap - 1;
    if (iconv(c->cd, &src, &left, &dst, &room) == (size_t)-1) {
        *bad_at = (size_t)(src - in);
        return false;
    }
    *dst = '\0';
    return true;
}
