/* html: a growing buffer for web pages and the one function that escapes every value put
 * into them. Must not know about HTTP, sessions or the booking: it only builds text. */
#ifndef CN_HTML_H
#define CN_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct html {
    char *buf;
    size_t len, cap;
    bool oom; /* an allocation failed: the page is incomplete and must not be sent */
};

void html_free(struct html *h);

/* Appends markup written in the program (never a value from a request or the database). */
void html_raw(struct html *h, const char *markup);
void html_rawn(struct html *h, const char *markup, size_t n);

/* THE escaping function: appends s with & < > " ' escaped, for text and quoted attribute
 * values alike. Every value that did not come from the program's own source goes
 * through here. */
void html_text(struct html *h, const char *s);

/* A small printf for markup: the format is program markup; every %s argument is escaped
 * by html_text, %d and %02d print ints, %% is a percent sign. Nothing else is accepted. */
void html_f(struct html *h, const char *fmt, ...);

#endif
