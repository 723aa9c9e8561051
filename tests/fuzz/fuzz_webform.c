/* fuzz_webform: arbitrary bytes as a urlencoded form or query (webform_parse) and as a
 * %-escaped path (webform_decode_path). Beyond "no crash": a form that parses has at most
 * WEBFORM_MAX_FIELDS fields, each name non-empty and given once, every name and value clean
 * UTF-8 without control characters; and encoding the fields again and parsing that gives
 * the same fields. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t encode(const char *s, char *out, size_t o)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct webform f;
    if (webform_parse((const char *)data, size, &f)) {
        if (f.n < 0 || f.n > WEBFORM_MAX_FIELDS)
            abort();
        /* 3 bytes per byte at most, and the separators */
        static char again[WEBFORM_MAX_FIELDS * (WEBFORM_NAME_MAX + WEBFORM_VALUE_MAX) * 3 + 64];
        size_t o = 0;
        for (int i = 0; i < f.n; i++) {
            if (!f.f[i].name[0] || !webform_text_ok(f.f[i].name) ||
                !webform_text_ok(f.f[i].value))
                abort();
            for (int k = 0; k < i; k++)
                if (strcmp(f.f[k].name, f.f[i].name) == 0)
                    abort();
            if (i)
                again[o++] = '&';
            o = encode(f.f[i].name, again, o);
            again[o++] = '=';
            o = encode(f.f[i].value, again, o);
        }
        struct webform g;
        if (!webform_parse(again, o, &g) || g.n != f.n)
            abort();
        for (int i = 0; i < f.n; i++)
            if (strcmp(g.f[i].name, f.f[i].name) != 0 || strcmp(g.f[i].value, f.f[i].value) != 0)
                abort();
    }
    char path[512];
    if (webform_decode_path((const char *)data, size, path, sizeof path) &&
        (!webform_text_ok(path) || strlen(path) > size))
        abort();
    return 0;
}
