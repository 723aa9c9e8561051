/* control_sheet: the print vendor's control sheet (管理票), a PDF of the batch's totals, print
 * files and letters per postal district. Must not write the batch's other files or count. */
#ifndef CN_CONTROL_SHEET_H
#define CN_CONTROL_SHEET_H

#include <stddef.h>

#include "err.h"
#include "print_file.h"

/* Lines describing the sheet marks (content, check, place and size per side). */
#define CTLSHEET_MARK_LINES 4

struct control_sheet {
    const char *batch, *municipality, *run_label;
    const struct print_file_info *files;
    size_t n_files;
    long letters, pages;      /* totals of the files */
    const long *postal;       /* letters per district, POSTAL_DISTRICTS of them */
    const char *font_path;    /* a TrueType Japanese gothic */
    const char (*marks)[160]; /* CTLSHEET_MARK_LINES lines, "" for none; NULL: none */
};

/* Writes the sheet to path (created with mode, complete before it appears). CN_EOUTPUT
 * naming control-sheet.pdf on any failure. */
int control_sheet_write(const struct control_sheet *cs, const char *path, unsigned mode, struct cn_err *err);

#endif
