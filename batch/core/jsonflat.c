#include "jsonflat.h"

#include <string.h>

void jsonflat_put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

struct cursor {
    const char *p, *end, *start;
    const char *why;
};

static void skip_space(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static bool fail(struct cursor *c, const char *why)
{
    c->why = why;
    return false;
}

/* A string into out (cap bytes with the NUL): \uXXXX only below 0x80, which is all this
 * program writes; anything else is refused rather than guessed. */
static bool read_string(struct cursor *c, char *out, size_t cap)
{
    size_t n = 0;
    if (c->p >= c->end || *c->p != '"')
        return fail(c, "a string expected");
    c->p++;
    while (c->p < c->end && *c->p != '"') {
        unsigned char ch = (unsigned char)*c->p++;
        if (ch < 0x20)
            return fail(c, "a control character in a string");
        if (ch == '\\') {
            if (c->p >= c->end)
                return fail(c, "a string cut short");
            const char e = *c->p++;
            if (e == 'u') {
                unsigned v = 0;
                for (int i = 0; i < 4; i++, c->p++) {
                    if (c->p >= c->end)
                        return fail(c, "a string cut short");
                    const char h = *c->p;
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9'   ? h - '0'
                                            : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                            : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                                   : 99);
                    if (v > 0xffff)
                        return fail(c, "a bad \\u escape");
                }
                if (v == 0 || v >= 0x80)
                    return fail(c, "a \\u escape outside ASCII");
                ch = (unsigned char)v;
            } else if (e == '"' || e == '\\' || e == '/') {
                ch = (unsigned char)e;
            } else if (e == 'n' || e == 't' || e == 'r') {
                ch = e == 'n' ? '\n' : e == 't' ? '\t' : '\r';
            } else {
                return fail(c, "an unknown escape");
            }
        }
        if (n + 1 >= cap)
            return fail(c, "a string too long");
        out[n++] = (char)ch;
    }
    if (c->p >= c->end)
        return fail(c, "a string cut short");
    c->p++;
    out[n] = '\0';
    return true;
}

static bool read_number(struct cursor *c, char *out, size_t cap)
{
    size_t n = 0;
    if (c->p < c->end && *c->p == '-')
        out[n++] = *c->p++;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        if (n + 1 >= cap || n >= 18)
            return fail(c, "a number too long");
        out[n++] = *c->p++;
    }
    out[n] = '\0';
    if (n == 0 || (n == 1 && out[0] == '-'))
        return fail(c, "a string or a whole number expected");
    if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E'))
        return fail(c, "only whole numbers are expected");
    return true;
}

bool jsonflat_parse(const char *text, size_t len, struct jsonflat *out, const char **why,
                    size_t *at)
{
    struct cursor c = {text, text + len, text, NULL};
    memset(out, 0, sizeof *out);
    bool ok = false;
    skip_space(&c);
    if (c.p >= c.end || *c.p != '{') {
        fail(&c, "an object expected");
        goto done;
    }
    c.p++;
    skip_space(&c);
    if (c.p < c.end && *c.p == '}') {
        c.p++;
    } else {
        for (;;) {
            if (out->n >= JSONFLAT_MAX_KEYS) {
                fail(&c, "too many keys");
                goto done;
            }
            skip_space(&c);
            char key[32];
            if (!read_string(&c, key, sizeof key))
                goto done;
            if (jsonflat_get(out, key, NULL)) {
                fail(&c, "a key given twice");
                goto done;
            }
            skip_space(&c);
            if (c.p >= c.end || *c.p != ':') {
                fail(&c, "':' expected");
                goto done;
            }
            c.p++;
            skip_space(&c);
            int i = out->n;
            memcpy(out->item[i].key, key, sizeof key);
            out->item[i].is_string = c.p < c.end && *c.p == '"';
            if (!(out->item[i].is_string
                      ? read_string(&c, out->item[i].value, sizeof out->item[i].value)
                      : read_number(&c, out->item[i].value, sizeof out->item[i].value)))
                goto done;
            out->n++;
            skip_space(&c);
            if (c.p < c.end && *c.p == ',') {
                c.p++;
                continue;
            }
            if (c.p < c.end && *c.p == '}') {
                c.p++;
                break;
            }
            fail(&c, "',' or '}' expected");
            goto done;
        }
    }
    skip_space(&c);
    if (c.p != c.end) {
        fail(&c, "text after the object");
        goto done;
    }
    ok = true;
done:
    *why = ok ? NULL : c.why;
    *at = (size_t)(c.p - c.start);
    return ok;
}

const char *jsonflat_get(const struct jsonflat *j, const char *key, bool *is_string)
{
    for (int i = 0; i < j->n; i++)
        if (strcmp(j->item[i].key, key) == 0) {
            if (is_string)
                *is_string = j->item[i].is_string;
            return j->item[i].value;
        }
    return NULL;
}
