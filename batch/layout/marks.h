/* marks: the machine-read marks of a page, the booking URL's QR code, the sheet's
 * DataMatrix and the customer barcode, drawn on a canvas from their encoders. Must not encode
 * symbols or place them. */
#ifndef CN_MARKS_H
#define CN_MARKS_H

#include <stdbool.h>

#include "canvas.h"
#include "custbar.h"
#include "err.h"

/* The customer barcode's geometry, all of it: the manual's measures at 10 pt (p12: pitch
 * 1.2, bar 0.6, long 3.6, timing 1.2 = a third of the long bar, semi-long 2.4 = the timing
 * bar and half the rest) in units of 0.2 mm, which scale with the template's size. Whole
 * units keep each bar four small integers in the PDF. */
#define MARKS_BAR_UNIT_MM 0.2 /* at MARKS_BAR_REF_PT */
#define MARKS_BAR_REF_PT 10.0 /* the size the measures are given for */
#define MARKS_BAR_PITCH 6     /* bar start to bar start */
#define MARKS_BAR_WIDTH 3
#define MARKS_BAR_LONG 18  /* 長棒: ascender, timing and descender */
#define MARKS_BAR_SEMI 12  /* セミロング: ascender or descender half with the timing part */
#define MARKS_BAR_TIMING 6 /* タイミング */
#define MARKS_BARS 67

/* Encodes text as a QR code (qr.h) and, when c is not NULL, draws it width_mm millimetres
 * wide, quiet zone included, its top-left corner at x,top (points). Fails (text too long)
 * either way. */
int marks_qr(const struct canvas *c, const char *text, double x, double top, double width_mm,
             struct cn_err *err);

/* Encodes text as a DataMatrix (datamatrix.h) and, when c is not NULL, draws it width_mm
 * millimetres wide, its one-module quiet zone included, top-left corner at x,top (points). */
int marks_datamatrix(const struct canvas *c, const char *text, double x, double top,
                     double width_mm, struct cn_err *err);

/* Draws the customer barcode of the address, size points (MARKS_BAR_REF_PT = the manual's
 * measures), its top-left corner at x,top (points). False, drawing nothing, when the
 * address has no barcode: none rather than a wrong one. */
bool marks_custbar(const struct canvas *c, const char *postal, const char *address,
                   const char *address2, double x, double top, double size);

/* The same for symbols already decided (the night's check against Japan Post's dictionary). */
void marks_custbar_symbols(const struct canvas *c, const struct custbar *cb, double x, double top,
                           double size);

#endif
