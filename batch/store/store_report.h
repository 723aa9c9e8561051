/* store_report: read-only views of the state for IT's report: notices by status. Must not
 * change anything. */
#ifndef CN_STORE_REPORT_H
#define CN_STORE_REPORT_H

#include "err.h"
#include "notice.h"
#include "store.h"

/* counts[status]: how many notices are in each status. */
int store_notice_counts(struct store *s, long counts[NOTICE_STATUS_COUNT], struct cn_err *err);

#endif
