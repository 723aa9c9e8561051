/* custbar: Japan Post customer barcode: the address number read from an address, the 20
 * data symbols and check digit, and their bars. Pure: no I/O, no drawing. */
#ifndef CN_CUSTBAR_H
#define CN_CUSTBAR_H

#include <stdbool.h>
#include <stddef.h>

/* Symbol values: 0-9 digits, 10 '-', 11-18 CC1-CC8; 19 START, 20 STOP. */
#define CUSTBAR_SYMBOLS 21 /* 20 data + check digit, without start/stop */

struct custbar {
    unsigned char sym[CUSTBAR_SYMBOLS];
};

/* False when the address cannot be read by the rules: no barcode, the letter goes to
 * review ("never a wrong barcode"). postal: 7 digits. */
bool custbar_encode(const char *postal, const char *address, struct custbar *out);

/* The letter's case: the address and its 方書 (building, room), which carries part of the
 * address number (郵便ビル403号 -> 403). address2 may be empty. */
bool custbar_encode_parts(const char *postal, const char *address, const char *address2,
                          struct custbar *out);

/* "1 1 0 0 0 1 6 5 - 6 - 3 - 1 0 CC4 CC4 CC4 CC4 CC4 9" */
void custbar_format(const struct custbar *cb, char *out, size_t cap);

/* The 67 bars, start and stop included: each 'F', 'A', 'D' or 'T'; out needs 68 bytes. */
void custbar_bars(const struct custbar *cb, char out[68]);

#endif
