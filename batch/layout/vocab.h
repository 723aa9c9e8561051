/* vocab: the letter templates' vocabulary, one table of every {variable} and test="flag" with
 * what it depends on and where its value comes from. Must not lay out, draw or format values. */
#ifndef CN_VOCAB_H
#define CN_VOCAB_H

#include <stdbool.h>

#include "config.h"
#include "letter.h"
#include "letter_values.h"
#include "tmpl.h"

/* What a name is answered from while one letter is laid out. */
struct vocab_ctx {
    const struct config *cfg;
    const struct letter *l;
    const struct letter_values *v;
    const struct office *office; /* inside <each over="offices">, else NULL */
    const char *office_hours;    /* office's hours as printed */
    bool specimen;
};

/* The names for tmpl_load: the same table vocab_lookup and vocab_flag answer from, so a
 * template that loads never asks for a name without a value. */
struct tmpl_names vocab_names(void);

/* tmpl_expand's lookup and tmpl_test's flag; ctx is a struct vocab_ctx. */
const char *vocab_lookup(void *ctx, const char *name);
bool vocab_flag(void *ctx, const char *name, const char *value);

#endif
