/* render: the night's letters (front お知らせ, back 照会書兼回答書) from the templates and the
 * config: set-up once, the print check, print files. Must not decide who gets a letter or
 * touch SQLite; placing is layout.c's, the PDF pdfdoc.c's. */
#ifndef CN_RENDER_H
#define CN_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "err.h"
#include "letter.h"

/* Templates parsed and checked once per run; read-only afterwards, so threads may share it. */
struct render_setup;

/* Fails (CN_EUSAGE, naming file, line and problem) on a broken template or missing font,
 * before any letter is made. */
int render_setup_load(const struct config *cfg, struct render_setup **out, struct cn_err *err);
void render_setup_free(struct render_setup *setup);
/* Marks every page 見本 (certnotice specimen); call before opening files. */
void render_setup_specimen(struct render_setup *setup, bool specimen);

/* Whether the letter prints without losing a character (outside the BMP or missing from
 * the font) and without text overflowing its box at the floor size. False with a reason
 * for internal/review.csv. Thread-safe. */
bool render_check(const struct render_setup *setup, const struct letter *l, char *reason,
                  size_t cap);

/* Where side's template (0 front, 1 back) puts the sheet's DataMatrix: top-left corner and
 * width in mm from the page's top-left, quiet zone included. False if it has none. */
bool render_sheet_mark_place(const struct render_setup *setup, int side, double *x_mm, double *y_mm,
                             double *w_mm);

/* One print file (one HPDF_Doc): fonts embedded once, static page parts shared. */
struct render_file;

int render_file_open(const struct render_setup *setup, struct render_file **out,
                     struct cn_err *err);
/* CN_EOUTPUT when the letter cannot be laid out: only letters render_check passed belong in
 * a print file, so that is the run's fault, and its batch must not be published. */
int render_file_add(struct render_file *f, const struct letter *l, struct cn_err *err);
/* Writes the PDF to path (created with mode, replaced atomically); pages may be NULL. */
int render_file_save(struct render_file *f, const char *path, unsigned mode, int *pages,
                     struct cn_err *err);
void render_file_free(struct render_file *f);

#endif
