/* lang: the languages residents may read (codes, names in themselves, which one a browser
 * or a registry code asks for) and dates, weekdays and times written in each. Must not
 * read catalogs or files: it only knows the languages and their date forms. */
#ifndef CN_LANG_H
#define CN_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

/* LANG_JA is the source: every catalog translates from it, and a missing translation
 * falls back to it. LANG_JA_EASY is やさしい日本語 (short sentences, furigana). */
enum lang { LANG_JA, LANG_JA_EASY, LANG_EN, LANG_ZH_HANS, LANG_KO, LANG_VI, LANG_PT, LANG_COUNT };

/* A set of languages, bit 1 << lang. */
typedef unsigned lang_set;
#define LANG_ALL ((lang_set)((1u << LANG_COUNT) - 1))

/* The BCP 47 tag, as <html lang> and the catalogs' file names have it ("ja", "ja-x-easy",
 * "en", "zh-Hans", "ko", "vi", "pt"). */
const char *lang_code(enum lang l);
/* The language named in itself: 日本語, やさしい日本語, English, 中文（简体）, 한국어, Tiếng
 * Việt, Português. */
const char *lang_self_name(enum lang l);
/* "ltr" for all seven (the attribute is written for every page all the same). */
const char *lang_dir(enum lang l);

/* Reads a code as a registry or a resident gives it: ISO 639-1 or -2 ("en", "eng",
 * "zho"), a region or script after it ("pt-BR", "zh_CN", "zh-Hans"), any case. False for
 * a language this program has no texts in (zh-Hant, tl, ...). */
bool lang_parse(const char *code, enum lang *out);
/* Whether code is shaped like a language tag at all (letters, digits and '-', at most 35
 * bytes, 2-3 letters first): what the input's `language` column must be. */
bool lang_tag_valid(const char *code);

/* The language of an Accept-Language header among offered (quality values honoured, q=0
 * never chosen, order breaking ties); fallback when none matches or the header is NULL. */
enum lang lang_negotiate(const char *accept, lang_set offered, enum lang fallback);

/* "2027年1月12日（火）", "Tue 12 Jan 2027", "2027年1月12日（周二）", "2027년 1월 12일 (화)",
 * "Thứ Ba, 12/01/2027", "ter., 12/01/2027". */
void lang_fmt_day(enum lang l, cn_date d, char *out, size_t cap);
/* The same without the year: "1月12日（火）", "Tue 12 Jan", ... */
void lang_fmt_day_short(enum lang l, cn_date d, char *out, size_t cap);
/* The date alone, no weekday: "2027年1月12日", "12 Jan 2027", "12/01/2027", ... */
void lang_fmt_date(enum lang l, cn_date d, char *out, size_t cap);
/* A time range from minutes after midnight: "9:00〜9:30" (Japanese), "9:00-9:30". */
void lang_fmt_slot(enum lang l, int start, int len, char *out, size_t cap);

#endif
