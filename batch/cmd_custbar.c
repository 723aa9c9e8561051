/* `certnotice custbar [--db FILE] POSTCODE ADDRESS`: prints the 21 customer-barcode symbols,
 * so that an operator can check a letter held for review or compare with Japan Post's tools;
 * with ADDRESS "-", one "POSTCODE<TAB>ADDRESS[<TAB>ADDRESS2]" per line of stdin. With a
 * database that holds Japan Post's dictionary, the barcode is the nightly run's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "custbar.h"
#include "err.h"
#include "postal_store.h"
#include "record.h"

struct lookup {
    struct postal_store *ps; /* NULL: rules only */
    struct postal_cache cache;
};

/* The symbols into line, or why there are none into why; 0 barcode, 1 none. */
static int one(struct lookup *lk, const char *postal, const char *address, const char *address2,
               char *line, size_t cap, char *why, size_t why_cap, struct cn_err *err)
{
    struct custbar cb;
    why[0] = '\0';
    if (!lk->ps) {
        if (!custbar_encode_parts(postal, address, address2, &cb)) {
            snprintf(why, why_cap,
                     "no address number can be read unambiguously from the "
                     "address: no barcode (the letter would go to review)");
            return 1;
        }
    } else {
        struct postal_decision d;
        int rc = postal_store_decide(lk->ps, &lk->cache, postal, address, address2, &d, err);
        if (rc)
            return -rc;
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

static int each_line(struct lookup *lk, struct cn_err *err)
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
            one(lk, postal, addr, addr2 ? addr2 : "", line, sizeof line, why, sizeof why, err);
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
    struct lookup lk = {0};
    struct cn_err err = {0};
    rc = CN_OK;
    if (db) {
        struct postal_info info;
        if ((rc = postal_store_open(db, false, &lk.ps, &err)) ||
            (rc = postal_store_info(lk.ps, &info, &err))) {
            fprintf(stderr, "certnotice custbar: %s\n", err.msg);
            goto out;
        }
        if (!info.present) {
            fprintf(stderr,
                    "certnotice custbar: %s holds no postcode dictionary: the rules "
                    "alone decide where the town name ends\n",
                    db);
            postal_store_close(lk.ps);
            lk.ps = NULL;
        }
    }
    if (batch) {
        rc = each_line(&lk, &err);
        if (rc)
            fprintf(stderr, "certnotice custbar: %s\n", err.msg);
        goto out;
    }
    char line[128], why[256];
    int got = one(&lk, postal, argv[1], "", line, sizeof line, why, sizeof why, &err);
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
    postal_cache_free(&lk.cache);
    postal_store_close(lk.ps);
    return rc;
}
