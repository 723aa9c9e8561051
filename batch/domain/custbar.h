/* custbar: Japan Post customer barcode: the address number read from an address, the 20
 * data symbols and check digit, and their bars. Pure: no I/O, no drawing. */
#ifndef CN_CUSTBAR_H
#define CN_CUSTBAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Symbol values: 0-9 digits, 10 '-', 11-18 CC1-CC8; 19 START, 20 STOP. */
#define CUSTBAR_SYMBOLS 21 /* 20 data + check digit, without start/stop */

struct custbar {
    unsigned char sym[CUSTBAR_SYMBOLS];
};

/* False when the address cannot be read by the rules: no barcode, the letter goes to
 * review ("never a wrong barcode"). postal: 7 digits. */
bool custbar_encode(const char *postal, const char *address, struct custbar *out);

/* The address number from the part of an address after its town name (住所B), the town
 * name having been found in Japan Post's dictionary: the p19 rules from its first
 * character. False when no number can be read. */
bool custbar_encode_number(const char *postal, const char *rest, struct custbar *out);

/* A 大口事業所 or 私書箱 individual postcode: the postcode alone, 13 x CC4 (manual p22). */
void custbar_encode_postcode_only(const char *postal, struct custbar *out);

/* The letter's case: the address and its 方書 (building, room), which carries part of the
 * address number (郵便ビル403号 -> 403). address2 may be empty. */
bool custbar_encode_parts(const char *postal, const char *address, const char *address2,
                          struct custbar *out);

/* The value of a kanji numeral character (〇 一 .. 九 十 百 千), -1 for any other. */
int custbar_kanji_digit(uint32_t cp);

/* The value of n code points that are all digits (ASCII or full-width) or all kanji
 * numerals (十一 -> 11, 二〇三 -> 203); -1 for anything else. */
long custbar_numeral_value(const uint32_t *cps, int n);

/* "1 1 0 0 0 1 6 5 - 6 - 3 - 1 0 CC4 CC4 CC4 CC4 CC4 9" */
void custbar_format(const struct custbar *cb, char *out, size_t cap);

/* The 67 bars, start and stop included: each 'F', 'A', 'D' or 'T'; out needs 68 bytes. */
void custbar_bars(const struct custbar *cb, char out[68]);

#endif
