/* pocheck: the build's check of the message catalogs. Each file is read as the program
 * reads it (msgcat_load): a syntax error or a translation whose printf conversions differ
 * from its Japanese source fails the build, whether or not the entry is flagged c-format
 * (msgfmt --check-format only checks flagged ones). Usage: pocheck FILE.po... */
#include <stdio.h>

#include "msgcat.h"

int main(int argc, char **argv)
{
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct msgcat *c = NULL;
        struct cn_err err = {0};
        if (msgcat_load(argv[i], &c, &err) != CN_OK) {
            fprintf(stderr, "pocheck: %s\n", err.msg);
            bad = 1;
        }
        msgcat_free(c);
    }
    return bad;
}
