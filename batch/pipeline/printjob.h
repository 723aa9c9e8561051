/* printjob: turns due letters into print files: postal sort, sequence numbers, files of N,
 * rendering (in parallel), and the per-letter feeds. Must not decide who is due. */
#ifndef CN_PRINTJOB_H
#define CN_PRINTJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "letter.h"
#include "notice.h"
#include "publish.h"
#include "render.h"
#include "rules.h"
#include "store.h"

/* What a due letter keeps in memory between selection and rendering: the notice and what
 * the rules decided, not the record (re-read when checked and rendered) nor its address
 * (sorted by SQLite), so a night of a million letters stays within ~80 MB. */
struct printjob_letter {
    char resident_id[RESIDENT_ID_MAX + 1];
    char rid[RID_LEN + 1];
    struct cert_group certs;
    struct variant variant;
    int64_t notice_id;
    long seq;                         /* 1-based in the batch; 0 for held letters */
    int file_no;                      /* notices-NNN.pdf; 0 for held letters */
    bool review;                      /* held: not printed */
    bool reprint;                     /* printed again after the inserter spoiled it: 再発行 */
    enum followup_kind followup;      /* a reminder or 新規発行 letter after the notice's own */
    enum letter_barcode barcode_from; /* decided by the night's check */
    struct custbar barcode;
};

int printjob_letter_init(struct printjob_letter *l, const struct resident *r,
                         const struct cert_group *g);
void printjob_letters_free(struct printjob_letter *letters, size_t n);

/* The renderer's view of one letter; res must outlive out. */
void printjob_letter_view(const struct printjob_letter *l, const struct resident *res,
                          const struct config *cfg, cn_date issue_date, struct letter *out);

/* Printable letters first in postal-code, address (then address2), resident and expiry
 * order, numbered 1..n and cut into files of batch_size; held letters last, unnumbered.
 * The addresses are read from the store's residents. */
int printjob_sort(struct store *store, struct printjob_letter *letters, size_t n, int batch_size,
                  struct cn_err *err);

/* The print file a letter goes into: notices-001.pdf for file_no 1. */
void printjob_file_name(int file_no, char out[32]);

struct printjob {
    const struct config *cfg;
    const struct render_setup *setup;
    struct store *store; /* residents are re-read from here, on the calling thread only */
    struct publish *pub;
    cn_date issue_date;
    int jobs;     /* files rendered at once; the output is the same for every value */
    bool reprint; /* letters marked 再発行 */
};

struct printjob_totals {
    long letters, pages, files;
};

/* Renders every printable letter into print/notices-NNN.pdf, registers each file with
 * publish, and writes internal/notices.csv and booking/reservations.csv. */
int printjob_render(const struct printjob *job, struct printjob_letter *letters, size_t n,
                    struct printjob_totals *totals, struct cn_err *err);

/* Crash recovery, before anything else touches the store: every batch whose notices were
 * left 'publishing' is resolved by whether its folder is in out. */
int printjob_recover(struct store *s, const char *out, struct cn_err *err);

/* Removes every OUT/.NAME.partial a crashed run left: it holds letters (names,
 * addresses), and only a later batch of the same NAME would replace it, which the next
 * night's, with its new date, is not. Call it holding the run lock, never in a dry run. */
void printjob_remove_stale_partials(const char *out);

/* A free batch folder name: base, or base-2, base-3, ... if an earlier batch has it. */
int printjob_batch_name(const char *out, const char *base, char name[64], struct cn_err *err);

/* Renders the letters and publishes the batch in the crash-safe order: manifest and fsync,
 * notices marked 'publishing' with the batch folder's absolute path, rename into place,
 * notices marked 'published'. before_finish (may be NULL) adds the caller's files, such
 * as the report, once the totals are known. */
int printjob_publish(const struct printjob *job, const char *label, struct printjob_letter *letters,
                     size_t n,
                     int (*before_finish)(void *ctx, const struct printjob_totals *totals,
                                          struct cn_err *err),
                     void *ctx, struct printjob_totals *totals, struct cn_err *err);

#endif
