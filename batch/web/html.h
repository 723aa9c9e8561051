/* html: web pages built on a strbuf, and the one function that escapes every value put
 * into them. Must not know about HTTP, sessions or the booking: it only builds text. */
#ifndef CN_HTML_H
#define CN_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* A zeroed struct is an empty page. The text is sb.buf, sb.len bytes; sb.failed (an
 * allocation failed, or html_f met a format it does not know) means the page is incomplete
 * and must not be sent. */
struct html {
    struct strbuf sb;
};

void html_free(struct html *h);
/* The page is incomplete (see struct html) and must not be sent. */
bool html_failed(const struct html *h);

/* Appends markup written in the program (never a value from a request or the database). */
void html_raw(struct html *h, const char *markup);
void html_rawn(struct html *h, const char *markup, size_t n);

/* THE escaping function: appends s with & < > " ' escaped, for text and quoted attribute
 * values alike. Every value that did not come from the program's own source goes
 * through here. */
void html_text(struct html *h, const char *s);

/* A catalog's text (texts.h): escaped like html_text, its furigana [漢字|かんじ] written as
 * <ruby>漢字<rt>かんじ</rt></ruby>. No markup of a translator's reaches the page. */
void html_t(struct html *h, const char *text);
/* The same for a catalog's text with values: %s (escaped), %d, %02d and %% as html_f. */
void html_tf(struct html *h, const char *fmt, ...);

/* A small printf for markup: the format is program markup; every %s argument is escaped
 * by html_text, %d and %02d print ints, %% is a percent sign. Nothing else is accepted. */
void html_f(struct html *h, const char *fmt, ...);

#endif
