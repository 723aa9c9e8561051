/* sheetmark: the text of the DataMatrix on every printed page, the vendor's contract
 * `BATCH|FILE|SEQUENCE|PAGE|PAGES|CHECK`: formatted, parsed and checked. Pure: no I/O, no
 * drawing (marks.c draws it). */
#ifndef CN_SHEETMARK_H
#define CN_SHEETMARK_H

#include <stdbool.h>
#include <stddef.h>

/* BATCH is the batch folder's name: 1-40 of [0-9A-Za-z-]. */
#define SHEETMARK_BATCH_MAX 40
/* The longest mark: batch, file (<= 9999), sequence (<= 9999999), page, pages, check. */
#define SHEETMARK_MAX (SHEETMARK_BATCH_MAX + 24)

struct sheetmark {
    char batch[SHEETMARK_BATCH_MAX + 1];
    int file;  /* notices-NNN.pdf's NNN, 1-9999 (a batch of size 1 has many files), written without
                  leading zeros */
    long seq;  /* the letter's sequence number in the batch, 1-9999999, written as %06ld */
    int page;  /* 1..pages */
    int pages; /* sheets of paper sides of the letter, 1-9 */
};

/* A batch folder name as the mark carries it: 1-40 of [0-9A-Za-z-]. */
bool sheetmark_batch_ok(const char *batch);

/* CHECK: the ASCII codes c_i of "BATCH|FILE|SEQUENCE|PAGE|PAGES" (the text before the last
 * '|') weighted 1, 3, 7, 1, 3, 7, ... from the left, summed, mod 10, one digit. Weights
 * prime to 10 catch every single changed digit and most swapped neighbours. */
int sheetmark_check(const char *text, size_t len);

/* The mark's text, e.g. "2026-12-01|3|001204|2|2|7"; false (out = "") when a field is out
 * of range or the text would not fit cap. */
bool sheetmark_format(const struct sheetmark *m, char *out, size_t cap);

/* Reads a mark back, check included; false for anything that is not exactly one. */
bool sheetmark_parse(const char *text, struct sheetmark *out);

#endif
