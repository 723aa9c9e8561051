/* daylist: the counter's named list of one office's bookings on one day, printed inside
 * each morning (A4 portrait PDF through the pdf layer, as the control sheet) or as CSV.
 * Must not read the stores (cmd_daylist gives the rows) nor ever run outside: it prints
 * names. */
#ifndef CN_DAYLIST_H
#define CN_DAYLIST_H

#include <stddef.h>
#include <stdio.h>

#include "date.h"
#include "err.h"
#include "rid.h"

struct daylist_row {
    char time[6];                  /* HH:MM */
    char rid[RID_DISPLAY_LEN + 1]; /* as the letter prints it */
    char name[128], kana[128];
    char birth[11];  /* YYYY-MM-DD, "" when unknown */
    char status[12]; /* booked, arrived, done, no_show */
    char channel[8]; /* web or phone */
};

struct daylist {
    const char *municipality, *office; /* the office's name */
    cn_date day;
    /* the config's fonts in enum glyph_font order (IPAex ゴシック, IPAex明朝, IPAmj明朝, the
     * BIZ UD pair): names print as the registry writes them, IPAmj明朝 for what IPAex
     * lacks, as on the letter */
    const char *fonts[5];
    const struct daylist_row *rows;
    size_t n;
};

/* The CSV's header and rows (time, reservation_id, name, kana, birth_date, status, channel). */
int daylist_csv(const struct daylist *d, FILE *out);

/* The A4 PDF at path (mode, complete before it appears): a header per page, the rows, a
 * count. CN_EOUTPUT naming the file on failure. */
int daylist_pdf(const struct daylist *d, const char *path, unsigned mode, struct cn_err *err);

#endif
