/* store_audit: the audit of staff actions in the booking store (who, when, from where),
 * also read from the night's audit table, which has the same columns. Must not be given a
 * resident's name: a booking reference or reservation ID is what a row names. */
#ifndef CN_STORE_AUDIT_H
#define CN_STORE_AUDIT_H

#include <stdint.h>

#include "date.h"
#include "err.h"
#include "store.h"

/* One row of the audit table the night's commands write too (store_audit): who, when, from
 * where. who: the staff account (or "cli:USER"); action: a word ("login", "mark", ...); detail:
 * what it touched, never a resident's name (a booking reference or reservation ID is
 * fine); client: the address the request came from ("cli" for the command line). */
int store_staff_audit(struct store *s, const char *who, const char *action, const char *detail,
                      const char *client, struct cn_err *err);

struct audit_row {
    int64_t id;
    char at[24], who[48], action[24], detail[256], client[64];
};
/* The newest `newest` rows of the audit, the night's too (who and client "" for those),
 * newest first. */
int store_staff_each_audit(struct store *s, int newest,
                           int (*fn)(const struct audit_row *a, void *ctx), void *ctx,
                           struct cn_err *err);

/* Retention: rows written before `before` (a day) are deleted. */
int store_audit_purge(struct store *s, cn_date before, long *deleted, struct cn_err *err);

#endif
