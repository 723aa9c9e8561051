/* jsonflat: the small JSON the program exchanges across the wall (feed.json): one flat
 * object of strings and whole numbers, written and read strictly. Must not grow into a
 * general JSON library: nesting, arrays, floats and duplicate keys are refused. */
#ifndef CN_JSONFLAT_H
#define CN_JSONFLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s as a JSON string, quotes included (control characters, quote and backslash
 * escaped; UTF-8 passes as it is). */
void jsonflat_put_string(FILE *out, const char *s);

#define JSONFLAT_MAX_KEYS 16
#define JSONFLAT_VALUE_MAX 256

struct jsonflat {
    int n;
    struct {
        char key[32];
        char value[JSONFLAT_VALUE_MAX]; /* a string unescaped, or a number's digits */
        bool is_string;
    } item[JSONFLAT_MAX_KEYS];
};

/* false, with why (a short English phrase) and the byte offset, for anything but one flat
 * object of unique keys with string or integer values. */
bool jsonflat_parse(const char *text, size_t len, struct jsonflat *out, const char **why,
                    size_t *at);

/* The value of key, or NULL; *is_string says which kind (may be NULL). */
const char *jsonflat_get(const struct jsonflat *j, const char *key, bool *is_string);

#endif
