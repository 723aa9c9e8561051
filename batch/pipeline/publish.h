/* publish: builds a batch folder under OUT/.NAME.partial/, writes the vendor's manifest,
 * checksums and control sheet, flushes everything and renames it into place in one step.
 * Must not render letters or decide who is due; it packages what the run produced. */
#ifndef CN_PUBLISH_H
#define CN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "err.h"
#include "print_file.h"

struct publish;

/* Creates OUT/.NAME.partial/{print,booking,internal} (any stale partial folder of the same
 * name is removed first). Fails with CN_EOUTPUT if OUT/NAME already exists. */
int publish_begin(const char *out_root, const char *name, unsigned mode, struct publish **out,
                  struct cn_err *err);

/* Path of a file inside the partial folder: publish_path(p, "print/notices-001.pdf"). */
const char *publish_path(struct publish *p, const char *relative);
/* Opens a file of the batch for writing (relative as for publish_path), created with the
 * batch's mode from the start, never wider for a moment. NULL with err on failure. */
FILE *publish_open(struct publish *p, const char *relative, struct cn_err *err);
/* Closes *f (if open; *f becomes NULL) and reports a write that failed, where a full disk
 * shows with stdio. */
int publish_close(FILE **f, const char *relative, struct cn_err *err);

/* The final folder's path (OUT/NAME), valid before and after the commit. */
const char *publish_final_dir(const struct publish *p);

/* Records a finished print file (already written at publish_path(p, "print/<name>")):
 * computes its SHA-256. postal_counts are added per three-digit postal district. */
int publish_add_print_file(struct publish *p, struct print_file_info *info, struct cn_err *err);
/* Counts one letter under its postal district (first three digits). */
void publish_count_postal(struct publish *p, const char *postal);

/* Line 0-3 of the control sheet's description of the sheet marks (content, place, size). */
void publish_note_sheet_mark(struct publish *p, int line, const char *text);

/* Writes print/manifest.xml, print/manifest.csv, print/SHA256SUMS, print/control-sheet.pdf,
 * then fsyncs every file and folder of the batch. run_label goes on the control sheet. */
int publish_finish(struct publish *p, const struct config *cfg, const char *run_label,
                   struct cn_err *err);

/* Renames the partial folder to OUT/NAME and fsyncs OUT. After this the batch is visible. */
int publish_commit(struct publish *p, struct cn_err *err);

/* True once the partial folder has been renamed into place (even if publish_commit then
 * failed to flush the folder). */
bool publish_committed(const struct publish *p);

/* publish_free will leave the partial folder where it is: the caller could not record
 * that its batch was abandoned, so the folder must stay as the evidence for recovery. */
void publish_keep_partial(struct publish *p);

/* Removes the partial folder and frees p (also fine after publish_commit: then only frees). */
void publish_free(struct publish *p);

#endif
