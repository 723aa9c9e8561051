/* csv: a streaming RFC 4180 reader (through a fixed buffer, one record at a time, with the
 * physical line each record starts on) and a row writer. Must not interpret field content. */
#ifndef CN_CSV_H
#define CN_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Bounds that keep memory flat however large or hostile the input is: a record longer than
 * CSV_MAX_RECORD bytes or with more than CSV_MAX_FIELDS fields is still read to its end
 * (so the next record is found) but reported as a problem instead of its content. */
#define CSV_READ_BUF 65536
#define CSV_MAX_RECORD 16384
#define CSV_MAX_FIELDS 64

struct csv_reader;

struct csv_record {
    long line;    /* physical line (1-based) on which the record starts */
    int n_fields; /* the real count, even past CSV_MAX_FIELDS */
    /* NUL-terminated; a field may also hold a NUL byte, so compare lens[i] with strlen.
     * Valid until the next csv_read. */
    char *fields[CSV_MAX_FIELDS];
    size_t lens[CSV_MAX_FIELDS];
    /* NULL, or why the record cannot be trusted (broken quoting, too long, unterminated
     * quote at end of file); fields are then unusable. */
    const char *problem;
};

/* Reads from in (not closed by the reader). A UTF-8 BOM at the start is skipped. */
struct csv_reader *csv_reader_new(FILE *in);
void csv_reader_free(struct csv_reader *r);

/* 1: rec holds the next record; 0: end of input; -1: read error (errno set).
 * Blank lines are not records. */
int csv_read(struct csv_reader *r, struct csv_record *rec);

enum csv_eol { CSV_CRLF, CSV_LF };

/* Writes one row for people (review.csv, rejects.csv, notices.csv, the counter's lists):
 * CRLF as RFC 4180 says, a field quoted when it holds a comma, quote, CR or LF, a NULL field
 * empty. A field a spreadsheet would run as a formula (starting with = + - @, tab or CR, or
 * with = + - @ or their full-width ＝ ＋ － ＠ after leading spaces, ASCII or U+3000) is
 * written quoted with a ' before it, as OWASP advises against CSV injection. 0 or -1 on a
 * write error. */
int csv_write_row(FILE *out, const char *const *fields, int n);
/* The same for files only programs read (the booking system's feed, a spool read back):
 * fields as they are, no ' added. */
int csv_write_feed_row(FILE *out, const char *const *fields, int n, enum csv_eol eol);

#endif
