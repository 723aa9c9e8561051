/* postal_int: what the two halves of the postcode rules share (postal.c: an address split
 * after its town and the decision; postal_town.c: KEN_ALL's town field read): the code
 * points they look for and the numeral readers. Must not be included outside those two. */
#ifndef CN_POSTAL_INT_H
#define CN_POSTAL_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "postal.h"

#define CP_LPAREN 0xFF08 /* （ */
#define CP_RPAREN 0xFF09 /* ） */
#define CP_LQUOTE 0x300C /* 「 */
#define CP_RQUOTE 0x300D /* 」 */
#define CP_COMMA 0x3001  /* 、 */
#define CP_DAI 0x7B2C    /* 第 */
#define CP_CHO 0x4E01    /* 丁 */
#define CP_ME 0x76EE     /* 目 */
#define CP_CHI 0x5730    /* 地 */
#define CP_WARI 0x5272   /* 割 */
#define CP_BAN 0x756A    /* 番 */
#define CP_GOU 0x53F7    /* 号 */
#define CP_KAI 0x968E    /* 階 */
#define CP_OO 0x5927     /* 大 */
#define CP_AZA 0x5B57    /* 字 */
#define CP_GUN 0x90E1    /* 郡 */
#define FIELD_CPS 1024

/* A digit, ASCII or kanji. */
bool postal_is_digit(uint32_t c);
/* A run of digits or of kanji numerals at cps[i]; its end, i when none. */
int postal_numeral_end(const uint32_t *cps, int n, int i);
/* The value of the numeral at cps[i] (-1 for none), its end in *end. */
long postal_numeral_at(const uint32_t *cps, int n, int i, int *end);
/* The unit a numeral is followed by at cps[i]: 丁目 or 丁, 地割, 番地 or 番; its length in *len. */
enum postal_unit postal_unit_at(const uint32_t *cps, int n, int i, int *len);

#endif
