/* `certnotice custbar POSTCODE ADDRESS`: prints the 21 customer-barcode symbols, so that an
 * operator can check a letter held for review or compare with Japan Post's tools. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "custbar.h"
#include "err.h"

/* NNN-NNNN or NNNNNNN into 7 digits; false for anything else. */
static bool normalize_postal(const char *in, char out[8])
{
    size_t n = 0;
    for (size_t i = 0; in[i]; i++) {
        if (in[i] == '-' && i == 3 && n == 3)
            continue;
        if (in[i] < '0' || in[i] > '9' || n == 7)
            return false;
        out[n++] = in[i];
    }
    out[n] = '\0';
    return n == 7;
}

int cmd_custbar(int argc, char **argv)
{
    char postal[8];
    if (argc != 3) {
        fprintf(stderr, "usage: certnotice custbar POSTCODE ADDRESS\n");
        return CN_EUSAGE;
    }
    if (!normalize_postal(argv[1], postal)) {
        fprintf(stderr, "certnotice custbar: postcode '%s' is not NNN-NNNN or NNNNNNN\n", argv[1]);
        return CN_EUSAGE;
    }
    struct custbar cb;
    if (!custbar_encode(postal, argv[2], &cb)) {
        fprintf(stderr, "certnotice custbar: no address number can be read unambiguously from the "
                        "address: no barcode (the letter would go to review)\n");
        return 1;
    }
    char line[128];
    custbar_format(&cb, line, sizeof line);
    puts(line);
    return CN_OK;
}
