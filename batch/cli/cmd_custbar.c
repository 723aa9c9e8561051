/* `certnotice custbar [--db FILE] POSTCODE ADDRESS`: prints the 21 customer-barcode symbols,
 * so that an operator can check a letter held for review or compare with Japan Post's tools;
 * with ADDRESS "-", one "POSTCODE<TAB>ADDRESS[<TAB>ADDRESS2]" per line of stdin. With a
 * database that holds Japan Post's dictionary, the barcode is the nightly run's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "custbar.h"
#include "err.h"
#include "postal_dict.h"
#include "record.h"

/* The symbols into line, or why there are none into why; 0 barcode, 1 none. */
static int one(struct postal_dict *dict, const char *postal, const char *address,
               const char *address2, char *line, size_t cap, char *why, size_t why_cap,
               struct cn_err *err)
{
    struct custbar cb;
    struct postal_decision d;
    bool decided;
    why[0] = '\0';
    int rc = postal_dict_decide(dict, postal, address, address2, &d, &decided, err);
    if (rc)
        return -rc;
    if (!decided) {
        if (!custbar_encode_parts(postal, address, address2, &cb)) {
            snprintf(why, why_cap,
                     "no address number can be read unambiguously from the "
                     "address: no barcode (the letter would go to review)");
            return 1;
        }
    } else {
        if (d.verdict == POSTAL_MISMATCH) {
            snprintf(why, why_cap,
                     "the address's town is not under postcode %s (the dictionary suggests %s): "
                     "no barcode (review)",
                     postal, d.suggested[0] ? d.suggested : "none");
            return 1;
        }
        if (d.verdict == POSTAL_REPRESENTATIVE) {
            snprintf(why, why_cap,
                     "postcode %s is a municipality's 「以下に掲載がない場合」 code: no barcode "
                     "(manual p18)",
                     postal);
            return 1;
        }
        if (!d.barcode) {
            snprintf(why, why_cap, "no address number after the town name: no barcode");
            return 1;
        }
        cb = d.cb;
    }
    custbar_format(&cb, line, cap);
    return 0;
}

static int each_line(struct postal_dict *dict, struct cn_err *err)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = CN_OK;
    while ((len = getline(&buf, &cap, stdin)) >= 0) {
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
            buf[--len] = '\0';
        char *addr = strchr(buf, '\t'), *addr2 = NULL, postal[8], line[128], why[256];
        if (addr) {
            *addr++ = '\0';
            if ((addr2 = strchr(addr, '\t')))
                *addr2++ = '\0';
        }
        if (!addr || !record_postal_code(buf, postal)) {
            printf("-\tnot POSTCODE<TAB>ADDRESS\n");
            continue;
        }
        int got =
            one(dict, postal, addr, addr2 ? addr2 : "", line, sizeof line, why, sizeof why, err);
        if (got < 0) {
            rc = -got;
            break;
        }
        printf("%s\n", got == 0 ? line : "-");
    }
    free(buf);
    return rc;
}

enum { CB_DB };

const struct cmd_usage cmd_custbar_usage = {
    .name = "custbar",
    .operands = "POSTCODE ADDRESS | -",
    .min_operands = 1,
    .max_operands = 2,
    .summary = "The 21 customer-barcode symbols of an address (\"-\": POSTCODE<TAB>ADDRESS"
               "[<TAB>ADDRESS2] lines on stdin), read after the dictionary's town name when the "
               "database holds Japan Post's dictionary.",
    .opts = {[CB_DB] = {"db", "FILE", "the database whose postcode dictionary decides", NULL,
                        false},
             {NULL, NULL, NULL, NULL, false}},
};

int cmd_custbar(int argc, char **argv)
{
    struct opts_result o;
    int rc;
    if (!opts_parse(&cmd_custbar_usage, argc, argv, &o, &rc))
        return rc;
    const char *db = o.value[CB_DB];
    argc -= o.first;
    argv += o.first;
    char postal[8];
    bool batch = argc == 1 && strcmp(argv[0], "-") == 0;
    if (argc != 2 && !batch) {
        fprintf(stderr, "certnotice custbar: POSTCODE ADDRESS, or - for lines on stdin\n");
        return CN_EUSAGE;
    }
    if (!batch && !record_postal_code(argv[0], postal)) {
        fprintf(stderr, "certnotice custbar: postcode '%s' is not NNN-NNNN or NNNNNNN\n", argv[0]);
        return CN_EUSAGE;
    }
    struct postal_dict dict = {0};
    struct store *s = NULL;
    struct cn_err err = {0};
    rc = CN_OK;
    if (db) {
        /* never makes a database: a mistyped --db is an error, not an empty dictionary */
        if (access(db, F_OK) != 0)
            rc = cn_fail(&err, CN_EUSAGE, "%s: cannot open database: %s", db, strerror(errno));
        else if (!(rc = store_open(db, 0, &s, &err)))
            rc = postal_dict_open(&dict, s, db, clock_today(), &err);
        if (rc) {
            fprintf(stderr, "certnotice custbar: %s\n", err.msg);
            goto out;
        }
    }
    if (batch) {
        rc = each_line(&dict, &err);
        if (rc)
            fprintf(stderr, "certnotice custbar: %s\n", err.msg);
        goto out;
    }
    char line[128], why[256];
    int got = one(&dict, postal, argv[1], "", line, sizeof line, why, sizeof why, &err);
    if (got < 0) {
        rc = -got;
        fprintf(stderr, "certnotice custbar: %s\n", err.msg);
    } else if (got > 0) {
        fprintf(stderr, "certnotice custbar: %s\n", why);
        rc = 1;
    } else {
        puts(line);
    }
out:
    postal_dict_close(&dict);
    store_close(s);
    return rc;
}
