/* fuzz_address: arbitrary bytes as the address of a customer barcode, with a fixed postal
 * code; a newline splits them into address and 方書 as the letter has them
 * (custbar_encode_parts). When the encoder says yes, the barcode must be one the sorting machine
 * reads: the postal code first, every symbol a known value, the check digit right, 67 valid bars.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "custbar.h"

#define POSTAL "4868686"
#define SYM_MAX 18 /* CC8; START and STOP are bars only, never data */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_barcode(bool ok, const struct custbar *cb)
{
    if (!ok)
        return;
    int sum = 0;
    for (int i = 0; i < CUSTBAR_SYMBOLS; i++) {
        if (cb->sym[i] > SYM_MAX)
            abort();
        sum += cb->sym[i];
    }
    for (int i = 0; i < 7; i++)
        if (cb->sym[i] != POSTAL[i] - '0')
            abort();
    /* Japan Post: the check digit brings the sum of all 21 values to a multiple of 19. */
    if (sum % 19 != 0)
        abort();

    char bars[68];
    custbar_bars(cb, bars);
    if (strlen(bars) != 67 || strspn(bars, "FADT") != 67)
        abort();
    char text[256];
    custbar_format(cb, text, sizeof text);
    if (strlen(text) == 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *address = malloc(size + 1);
    if (!address)
        return 0;
    memcpy(address, data, size);
    address[size] = '\0';

    char *address2 = strchr(address, '\n');
    struct custbar cb;
    if (address2) {
        *address2++ = '\0';
        check_barcode(custbar_encode_parts(POSTAL, address, address2, &cb), &cb);
    } else {
        check_barcode(custbar_encode(POSTAL, address, &cb), &cb);
    }
    free(address);
    return 0;
}
