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

const struct cmd_usage cmd_custbar_usage = {
    .name = "custbar",
    .operands = "POSTCODE ADDRESS",
    .min_operands = 2,
    .max_operands = 2,
    .summary = "The 21 customer-barcode symbols of an address.",
};

int cmd_custbar(int argc, char **argv)
{
    struct opts_result a;
    int rc;
    if (!opts_parse(&cmd_custbar_usage, argc, argv, &a, &rc))
        return rc;
    const char *postcode = argv[a.first], *address = argv[a.first + 1];
    char postal[8];
    if (!normalize_postal(postcode, postal)) {
        fprintf(stderr, "certnotice custbar: postcode '%s' is not NNN-NNNN or NNNNNNN\n", postcode);
        return CN_EUSAGE;
    }
    struct custbar cb;
    if (!custbar_encode(postal, address, &cb)) {
        fprintf(stderr, "certnotice custbar: no address number can be read unambiguously from the "
                        "address: no barcode (the letter would go to review)\n");
        return 1;
    }
    char line[128];
    custbar_format(&cb, line, sizeof line);
    puts(line);
    return CN_OK;
}
