/* webform: decodes application/x-www-form-urlencoded bodies (and query strings), Cookie
 * headers and %-escaped paths into a small fixed table of fields. Must not allocate or accept what
 * it cannot hold: a malformed or oversized form is refused whole, so that a page never sees half of
 * it. */
#ifndef CN_WEBFORM_H
#define CN_WEBFORM_H

#include <stdbool.h>
#include <stddef.h>

#define WEBFORM_MAX_FIELDS 16
#define WEBFORM_NAME_MAX 32
#define WEBFORM_VALUE_MAX 256

struct webform {
    int n;
    struct {
        char name[WEBFORM_NAME_MAX];
        char value[WEBFORM_VALUE_MAX];
    } f[WEBFORM_MAX_FIELDS];
};

/* false for: a bad %-escape, a NUL or other control character, text that is not UTF-8,
 * a name or value too long, too many fields, a field named twice. */
bool webform_parse(const char *s, size_t len, struct webform *out);

/* Adds one already-decoded field (a query argument libmicrohttpd decoded); false when it
 * breaks the same rules. */
bool webform_add(struct webform *f, const char *name, const char *value);

/* Well-formed UTF-8 without control characters (what every field must be). */
bool webform_text_ok(const char *s);

/* A Cookie header's name=value pairs (values kept as sent, quotes stripped); a pair that
 * breaks the rules above is skipped, the first of a name wins. Returns the pairs kept. */
int webform_cookies(const char *header, struct webform *out);

/* A path's %-escapes decoded ('+' stays); false as for a field. */
bool webform_decode_path(const char *s, size_t len, char *out, size_t cap);

/* The field's value, or NULL when absent. */
const char *webform_get(const struct webform *f, const char *name);

#endif
