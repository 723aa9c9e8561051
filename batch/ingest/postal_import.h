/* postal_import: Japan Post's KEN_ALL (CP932 or UTF-8, zipped or not) and JIGYOSYO read,
 * checked and put into the dictionary in one transaction. Must not match addresses. */
#ifndef CN_POSTAL_IMPORT_H
#define CN_POSTAL_IMPORT_H

#include "err.h"
#include "store_postal.h"

struct postal_import_result {
    struct postal_source ken_all, jigyosyo;
    long towns, offices;
    long partial; /* town entries whose parenthesis only a person can apply */
};

/* Replaces the dictionary in s with the files' content, or leaves it as it was and says
 * which file, line and field is wrong. jigyosyo may be NULL. */
int postal_import(struct store *s, const char *ken_all, const char *jigyosyo,
                  struct postal_import_result *res, struct cn_err *err);

#endif
