/* Placeholder until the module lands: says so and exits 2. */
#include <stdio.h>
#include "commands.h"
#include "err.h"

int cmd_returned(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "certnotice %s: not built yet\n", argv[0]);
    return CN_EUSAGE;
}

int cmd_report(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "certnotice %s: not built yet\n", argv[0]);
    return CN_EUSAGE;
}

