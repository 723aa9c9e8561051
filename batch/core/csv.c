#include "csv.h"

#include <stdlib.h>
#include <string.h>

struct csv_reader {
    FILE *in;
    unsigned char buf[CSV_READ_BUF];
    size_t pos, len;
    bool eof, error, started;
    long line;
    /* Field text of the current record, each field followed by its NUL. */
    char text[CSV_MAX_RECORD + CSV_MAX_FIELDS + 1];
    size_t used;
    bool overflow;
    char problem[128];
};

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

static bool refill(struct csv_reader *r)
{
    if (r->eof || r->error)
        return false;
    r->pos = 0;
    r->len = fread(r->buf, 1, sizeof r->buf, r->in);
    if (r->len == 0) {
        if (ferror(r->in))
            r->error = true;
        else
            r->eof = true;
        return false;
    }
    return true;
}

static inline int next_byte(struct csv_reader *r)
{
    if (r->pos == r->len && !refill(r))
        return EOF;
    return r->buf[r->pos++];
}

static inline int peek_byte(struct csv_reader *r)
{
    if (r->pos == r->len && !refill(r))
        return EOF;
    return r->buf[r->pos];
}

struct csv_reader *csv_reader_new(FILE *in)
{
    struct csv_reader *r = calloc(1, sizeof *r);
    if (r) {
        r->in = in;
        r->line = 1;
    }
    return r;
}

void csv_reader_free(struct csv_reader *r)
{
    free(r);
}

static void skip_bom(struct csv_reader *r)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    /* A pipe may deliver fewer than three bytes at a time: gather them before deciding. */
    while (r->len < 3 && !r->eof && !r->error) {
        size_t got = fread(r->buf + r->len, 1, sizeof r->buf - r->len, r->in);
        if (got == 0) {
            if (ferror(r->in))
                r->error = true;
            else
                r->eof = true;
        }
        r->len += got;
    }
    if (r->len >= 3 && memcmp(r->buf, bom, 3) == 0)
        r->pos = 3;
    /* refill() would otherwise stop at the eof flag set above with bytes still buffered. */
    if (r->pos < r->len)
        r->eof = false;
}

static inline void put(struct csv_reader *r, struct csv_record *rec, int c)
{
    if (rec->n_fields >= CSV_MAX_FIELDS)
        return;
    if (r->used >= CSV_MAX_RECORD) {
        r->overflow = true;
        return;
    }
    r->text[r->used++] = (char)c;
}

static void start_field(struct csv_reader *r, struct csv_record *rec)
{
    if (rec->n_fields < CSV_MAX_FIELDS)
        rec->fields[rec->n_fields] = r->text + r->used;
}

static void end_field(struct csv_reader *r, struct csv_record *rec)
{
    if (rec->n_fields < CSV_MAX_FIELDS) {
        rec->lens[rec->n_fields] = (size_t)(r->text + r->used - rec->fields[rec->n_fields]);
        r->text[r->used++] = '\0';
    }
    rec->n_fields++;
}

/* Consumes the rest of a line ending whose first byte c was already read. */
static void end_line(struct csv_reader *r, int c)
{
    if (c == '\r' && peek_byte(r) == '\n')
        next_byte(r);
    if (c != EOF)
        r->line++;
}

static void set_problem(struct csv_reader *r, struct csv_record *rec, const char *msg)
{
    if (!rec->problem) {
        snprintf(r->problem, sizeof r->problem, "%s", msg);
        rec->problem = r->problem;
    }
}

int csv_read(struct csv_reader *r, struct csv_record *rec)
{
    if (!r->started) {
        r->started = true;
        skip_bom(r);
    }
    rec->n_fields = 0;
    rec->problem = NULL;
    r->used = 0;
    r->overflow = false;

    int c;
    for (;;) { /* blank lines are not records */
        c = next_byte(r);
        if (c == EOF)
            return r->error ? -1 : 0;
        if (c != '\r' && c != '\n')
            break;
        end_line(r, c);
    }
    rec->line = r->line;
    long quote_line = 0;
    enum state state = FIELD_START;
    start_field(r, rec);
    for (;; c = next_byte(r)) {
        switch (state) {
        case FIELD_START:
            if (c == '"') {
                state = QUOTED;
                quote_line = r->line;
                continue;
            }
            state = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (c == ',') {
                end_field(r, rec);
                start_field(r, rec);
                state = FIELD_START;
            } else if (c == '\r' || c == '\n' || c == EOF) {
                goto end_record;
            } else {
                if (c == '"')
                    set_problem(r, rec,
                                "a quote (\") appears inside an unquoted field; "
                                "quote the whole field and double the inner quote");
                put(r, rec, c);
            }
            continue;
        case QUOTED:
            if (c == EOF) {
                char msg[128];
                snprintf(msg, sizeof msg,
                         "the quoted field opened on line %ld is never closed before the end "
                         "of the file",
                         quote_line);
                set_problem(r, rec, msg);
                goto end_record;
            }
            if (c == '"') {
                state = QUOTE_IN_QUOTED;
                continue;
            }
            if (c == '\n' || (c == '\r' && peek_byte(r) != '\n'))
                r->line++;
            put(r, rec, c);
            continue;
        case QUOTE_IN_QUOTED:
            if (c == '"') {
                put(r, rec, '"');
                state = QUOTED;
            } else if (c == ',') {
                end_field(r, rec);
                start_field(r, rec);
                state = FIELD_START;
            } else if (c == '\r' || c == '\n' || c == EOF) {
                goto end_record;
            } else {
                set_problem(r, rec,
                            "text follows the closing quote of a field; "
                            "a quote inside a quoted field must be doubled");
                put(r, rec, c);
                state = UNQUOTED;
            }
            continue;
        }
    }
end_record:
    end_field(r, rec);
    end_line(r, c);
    if (r->overflow) {
        char msg[96];
        snprintf(msg, sizeof msg, "the record is longer than the %d bytes a record may hold",
                 CSV_MAX_RECORD);
        set_problem(r, rec, msg);
    }
    if (r->error)
        return -1;
    return 1;
}

static bool needs_quotes(const char *s)
{
    return strpbrk(s, ",\"\r\n") != NULL;
}

/* A cell a spreadsheet would run as a formula: = + - @ first, or a tab or CR (which Excel
 * skips before looking); or one of them, or its full-width form (＝ ＋ － ＠, which a
 * Japanese spreadsheet takes for the ASCII one), after leading spaces (ASCII or the
 * ideographic U+3000, which spreadsheets skip too). */
static bool formula_start(const char *s)
{
    static const char *const wide[] = {"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
                                       "\xef\xbc\xa0"}; /* U+FF1D U+FF0B U+FF0D U+FF20 */
    if (s[0] != '\0' && strchr("\t\r", s[0]) != NULL)
        return true;
    for (;;) {
        if (*s == ' ' || *s == '\n')
            s++;
        else if (strncmp(s, "\xe3\x80\x80", 3) == 0) /* U+3000 */
            s += 3;
        else
            break;
    }
    if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
        return true;
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
        if (strncmp(s, wide[i], 3) == 0)
            return true;
    return false;
}

static void write_row(FILE *out, const char *const *fields, int n, enum csv_eol eol, bool guard)
{
    for (int i = 0; i < n; i++) {
        const char *f = fields[i] ? fields[i] : "";
        bool quote = needs_quotes(f), tick = guard && formula_start(f);
        if (i > 0)
            fputc(',', out);
        if (!quote && !tick) {
            fputs(f, out);
            continue;
        }
        /* OWASP's advice: a ' before the formula makes the cell text, and the cell is
         * quoted so that nothing after the ' starts a cell of its own. */
        fputc('"', out);
        if (tick)
            fputc('\'', out);
        for (const char *p = f; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        fputc('"', out);
    }
    fputs(eol == CSV_CRLF ? "\r\n" : "\n", out);
}

int csv_write_row(FILE *out, const char *const *fields, int n)
{
    write_row(out, fields, n, CSV_CRLF, true);
    return ferror(out) ? -1 : 0;
}

int csv_write_feed_row(FILE *out, const char *const *fields, int n, enum csv_eol eol)
{
    write_row(out, fields, n, eol, false);
    return ferror(out) ? -1 : 0;
}
