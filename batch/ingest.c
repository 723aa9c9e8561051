#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "csv.h"
#include "grow.h"
#include "idset.h"
#include "log.h"
#include "record.h"
#include "sha256.h"
#include "stop.h"
#include "store_input.h"
#include "store_resident.h"

#define STAGE "ingest"
/* Text of one XML field; far above any contract limit, so hitting it is itself a reject. */
#define XML_FIELD_MAX 1024
#define DTD_REFUSAL                                                                                \
    "the XML carries a DOCTYPE or entity declarations; they are refused because they can "         \
    "fetch outside files or expand without bound (external entity, billion laughs)"

/* State of one ingest() call: the schema and converter are built on first need and kept
 * for every file of the call. */
struct run {
    struct store *s;
    const struct ingest_opts *o;
    xmlSchemaPtr schema;
    iconv_t cp932;
    bool cp932_open;
};

/* State of one input file, loaded in one transaction. Rejects go to the store at once (the
 * transaction takes them back if the file is refused) and are spooled for the caller's
 * sink, which only hears of them once the file is committed. */
struct file {
    struct run *run;
    const char *path;
    long records, loaded, rejected;
    FILE *spool;
    struct idset ids;
    struct cn_err *err;
};

/* ---- names ---- */

bool ingest_is_individual_number_name(const char *name)
{
    static const char *const forms[] = {
        "mynumber",    "myno",       "individualnumber", "individualno", "kojinbango",
        "kojinbangou", "kojinbangō", "個人番号",         "マイナンバー", "まいなんばー",
    };
    char norm[128];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof norm; p++) {
        if (strncmp(p, "\xE3\x80\x80", 3) == 0) { /* ideographic space */
            p += 2;
            continue;
        }
        if (*p == ' ' || *p == '_' || *p == '-' || *p == '.' || *p == '\t')
            continue;
        norm[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(norm, forms[i]) == 0)
            return true;
    return false;
}

/* ---- checksum ---- */

/* "<!DOCTYPE" or "<!ENTITY" in buf. */
static bool has_declaration(const unsigned char *buf, size_t n)
{
    return memmem(buf, n, "<!DOCTYPE", 9) || memmem(buf, n, "<!ENTITY", 8);
}

/* Looks for a DOCTYPE or ENTITY declaration while the file is hashed: an XML file with one
 * is refused before any parser sees it, so no entity is ever declared, let alone expanded
 * or fetched. seam holds the end of one block and the start of the next. */
struct dtd_scan {
    bool found;
    unsigned char seam[16];
    size_t tail;
};

static void scan_for_dtd(const unsigned char *buf, size_t n, void *ctx)
{
    struct dtd_scan *d = ctx;
    if (d->found)
        return;
    size_t head = n < 8 ? n : 8;
    memcpy(d->seam + d->tail, buf, head);
    d->found = has_declaration(d->seam, d->tail + head) || has_declaration(buf, n);
    d->tail = n < 8 ? n : 8;
    memcpy(d->seam, buf + n - d->tail, d->tail);
}

/* ---- records ---- */

static int reject(struct file *f, long line, const char *field, const char *reason)
{
    int rc = store_put_reject(f->run->s, f->path, line, field, reason, f->err);
    if (rc != CN_OK)
        return rc;
    f->rejected++;
    if (!f->run->o->on_reject)
        return CN_OK;
    if (!f->spool && !(f->spool = tmpfile()))
        return cn_fail(f->err, CN_EOUTPUT, "cannot create a temporary file for rejects: %s",
                       strerror(errno));
    char line_text[24];
    snprintf(line_text, sizeof line_text, "%ld", line);
    const char *row[] = {line_text, field, reason};
    if (csv_write_feed_row(f->spool, row, 3, CSV_LF) != 0)
        return cn_fail(f->err, CN_EOUTPUT, "cannot write the rejects spool: %s", strerror(errno));
    return CN_OK;
}

static bool district_known(const char *code, void *ctx)
{
    return config_district(ctx, code) != NULL;
}

/* Checks one record's fields (schema_problem: what the XML schema found, or NULL) and
 * stores it or rejects it. */
static int take_record(struct file *f, long line, const char *const values[F_COUNT],
                       const char *schema_problem)
{
    struct resident r;
    struct record_problem problem;
    if (stop_requested()) /* the file's transaction is rolled back */
        return stop_fail(f->err, f->path);
    /* The field rules give the clearer reason; the schema catches what they do not see
     * (unknown or repeated elements). */
    if (!record_from_fields(values, district_known, (void *)f->run->o->cfg, &r, &problem))
        return reject(f, line, record_field_name(problem.field), problem.reason);
    if (schema_problem && schema_problem[0])
        return reject(f, line, "record", schema_problem);
    /* Two rows for one person in one export: neither can be trusted over the other
     * silently; the first is kept and the clerk told. */
    long first = idset_check(&f->ids, r.resident_id, line);
    if (first < 0)
        return cn_fail(f->err, CN_EOUTPUT, "%s: out of memory", f->path);
    if (first > 0) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "resident_id '%s' already appears on line %ld of this file; that record "
                 "was kept and this one ignored",
                 r.resident_id, first);
        return reject(f, line, "resident_id", reason);
    }
    int rc = store_put_resident(f->run->s, &r, f->err);
    if (rc == CN_OK)
        f->loaded++;
    return rc;
}

/* Hands the spooled rejects of a committed file to the caller's sink. */
static void replay_rejects(struct file *f)
{
    if (!f->spool)
        return;
    rewind(f->spool);
    struct csv_reader *r = csv_reader_new(f->spool);
    struct csv_record rec;
    while (r && csv_read(r, &rec) == 1 && rec.n_fields == 3) {
        struct ingest_reject rej = {f->path, atol(rec.fields[0]), rec.fields[1], rec.fields[2]};
        f->run->o->on_reject(&rej, f->run->o->ctx);
    }
    csv_reader_free(r);
}

/* A whole file refused: told once to the sink (line 0 when no line is to blame) and err. */
static int refuse(struct file *f, long line, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(struct file *f, long line, const char *what, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (f->run->o->on_reject) {
        struct ingest_reject rej = {f->path, line, what, reason};
        f->run->o->on_reject(&rej, f->run->o->ctx);
    }
    if (line > 0)
        return cn_fail(f->err, CN_EINPUT, "%s:%ld: file refused, nothing of it loaded: %s", f->path,
                       line, reason);
    return cn_fail(f->err, CN_EINPUT, "%s: file refused, nothing of it loaded: %s", f->path,
                   reason);
}

/* ---- CSV ---- */

/* Converts CP932 text to UTF-8 into out; false if a byte sequence has no conversion. */
static bool from_cp932(struct run *run, const char *in, size_t len, char *out, size_t cap,
                       size_t *bad_at)
{
    iconv(run->cp932, NULL, NULL, NULL, NULL);
    char *src = (char *)in, *dst = out;
    size_t left = len, room = cap - 1;
    if (iconv(run->cp932, &src, &left, &dst, &room) == (size_t)-1) {
        *bad_at = (size_t)(src - in);
        return false;
    }
    *dst = '\0';
    return true;
}

/* Field text as UTF-8: the field itself, or its conversion in arena. NULL and a reject
 * reason when it cannot be used. */
static const char *field_text(struct run *run, const struct csv_record *rec, int i, char **arena,
                              size_t *room, const char *name, char *reason, size_t reason_cap)
{
    if (strlen(rec->fields[i]) != rec->lens[i]) {
        snprintf(reason, reason_cap,
                 "%s contains a NUL byte; the file may be UTF-16 or binary, not text", name);
        return NULL;
    }
    if (!run->cp932_open)
        return rec->fields[i];
    size_t bad_at;
    char *out = *arena;
    if (!from_cp932(run, rec->fields[i], rec->lens[i], out, *room, &bad_at)) {
        snprintf(reason, reason_cap,
                 "%s has bytes that are not CP932 text (0x%02X at byte %zu); fix the "
                 "character in the source system",
                 name, (unsigned char)rec->fields[i][bad_at], bad_at + 1);
        return NULL;
    }
    size_t used = strlen(out) + 1;
    *arena += used;
    *room -= used;
    return out;
}

static void normalize_header(const char *in, char *out, size_t cap)
{
    while (*in == ' ')
        in++;
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        out[n++] = (*in >= 'A' && *in <= 'Z') ? (char)(*in - 'A' + 'a') : *in;
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static int load_csv(struct file *f, FILE *in)
{
    struct run *run = f->run;
    int rc = CN_OK;
    struct csv_reader *r = csv_reader_new(in);
    /* Converted text of one record: CP932 grows at most threefold (half-width kana). */
    size_t arena_cap = 3 * CSV_MAX_RECORD + CSV_MAX_FIELDS;
    char *arena = malloc(arena_cap);
    struct csv_record rec;
    int col[F_COUNT];
    if (!r || !arena) {
        rc = cn_fail(f->err, CN_EOUTPUT, "%s: out of memory", f->path);
        goto done;
    }
    int got = csv_read(r, &rec);
    if (got < 0) {
        rc = cn_fail(f->err, CN_EINPUT, "%s: cannot read: %s", f->path, strerror(errno));
        goto done;
    }
    if (got == 0) {
        rc = refuse(f, 0, "header",
                    "the file is empty; a header row naming the columns is "
                    "required");
        goto done;
    }
    if (rec.problem) {
        rc = refuse(f, rec.line, "header", "the header row is broken: %s", rec.problem);
        goto done;
    }
    if (rec.n_fields > CSV_MAX_FIELDS) {
        rc = refuse(f, rec.line, "header", "the header has %d columns; at most %d are read",
                    rec.n_fields, CSV_MAX_FIELDS);
        goto done;
    }
    int n_columns = rec.n_fields;
    for (int i = 0; i < F_COUNT; i++)
        col[i] = -1;
    for (int i = 0; i < n_columns; i++) {
        char reason[256], name[256];
        char *a = arena;
        size_t room = arena_cap;
        const char *text = field_text(run, &rec, i, &a, &room, "the header", reason, sizeof reason);
        if (!text) {
            rc = refuse(f, rec.line, "header", "%s", reason);
            goto done;
        }
        normalize_header(text, name, sizeof name);
        if (ingest_is_individual_number_name(name)) {
            rc = refuse(f, rec.line, "header",
                        "column %d ('%s') carries the individual number (マイナンバー), "
                        "which must never be sent to this system",
                        i + 1, name);
            goto done;
        }
        int fld = record_field_by_name(name);
        if (fld < 0) {
            log_warn(STAGE, "%s: column %d ('%s') is not a contract column; ignored", f->path,
                     i + 1, name);
            continue;
        }
        if (col[fld] >= 0) {
            rc = refuse(f, rec.line, "header", "column '%s' appears twice (columns %d and %d)",
                        name, col[fld] + 1, i + 1);
            goto done;
        }
        col[fld] = i;
    }
    char missing[512] = "";
    for (int fld = 0; fld < F_COUNT; fld++)
        if (col[fld] < 0 && record_field_required((enum field)fld)) {
            size_t n = strlen(missing);
            snprintf(missing + n, sizeof missing - n, "%s%s", n ? ", " : "",
                     record_field_name((enum field)fld));
        }
    if (missing[0]) {
        rc = refuse(f, rec.line, "header", "the header lacks required columns: %s", missing);
        goto done;
    }

    while ((got = csv_read(r, &rec)) == 1) {
        f->records++;
        char reason[256];
        if (rec.problem) {
            rc = reject(f, rec.line, "record", rec.problem);
        } else if (rec.n_fields != n_columns) {
            snprintf(reason, sizeof reason,
                     "the record has %d fields but the header has %d columns; check for a "
                     "missing or extra comma",
                     rec.n_fields, n_columns);
            rc = reject(f, rec.line, "record", reason);
        } else {
            const char *values[F_COUNT] = {0};
            char *a = arena;
            size_t room = arena_cap;
            int bad = -1;
            for (int fld = 0; fld < F_COUNT && bad < 0; fld++) {
                if (col[fld] < 0)
                    continue;
                values[fld] = field_text(run, &rec, col[fld], &a, &room,
                                         record_field_name((enum field)fld), reason, sizeof reason);
                if (!values[fld])
                    bad = fld;
            }
            if (bad >= 0)
                rc = reject(f, rec.line, record_field_name((enum field)bad), reason);
            else
                rc = take_record(f, rec.line, values, NULL);
        }
        if (rc != CN_OK)
            goto done;
    }
    if (got < 0)
        rc = cn_fail(f->err, CN_EINPUT, "%s: cannot read: %s", f->path, strerror(errno));
done:
    free(arena);
    csv_reader_free(r);
    return rc;
}

/* ---- XML ---- */

struct xml_record {
    long line;
    bool open;
    bool present[F_COUNT];
    size_t len[F_COUNT];
    char text[F_COUNT][XML_FIELD_MAX];
    int too_long; /* field index + 1 of the first field past XML_FIELD_MAX */
    char schema_problem[448];
};

/* Schema errors waiting to be matched to their record by line. The validator runs inside
 * the parser, which reads ahead of the reader, so a record's errors arrive before or just
 * after the reader has visited it, never after the reader has reached the next record. */
#define XML_PENDING_ERRORS 1024
struct xml_error_entry {
    long line;
    char msg[400];
};

struct xml_state {
    struct file *f;
    /* A record is decided when the next one starts or the document ends, once every error
     * for its lines has come in. */
    struct xml_record rec[2];
    int cur, pending; /* indexes into rec; pending -1 when none waits */
    struct xml_error_entry errors[XML_PENDING_ERRORS];
    size_t err_head, err_count;
    char fatal[512];
    long fatal_line;
};

static void clean_message(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; *in && n + 1 < cap; in++)
        out[n++] = (*in == '\n' || *in == '\r') ? ' ' : *in;
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static void set_fatal(struct xml_state *x, long line, const char *msg)
{
    if (!x->fatal[0]) {
        snprintf(x->fatal, sizeof x->fatal, "%s", msg);
        x->fatal_line = line;
    }
}

static void xml_error(void *ctx, xmlErrorPtr e)
{
    struct xml_state *x = ctx;
    if (!e || e->level == XML_ERR_WARNING)
        return;
    char msg[400];
    clean_message(e->message ? e->message : "unknown XML error", msg, sizeof msg);
    if (e->domain != XML_FROM_SCHEMASV) {
        set_fatal(x, e->line, msg);
        return;
    }
    /* Only a record's first error is reported; later ones on the same line add nothing. */
    if (x->err_count > 0) {
        size_t last = (x->err_head + x->err_count - 1) % XML_PENDING_ERRORS;
        if (x->errors[last].line == e->line)
            return;
    }
    if (x->err_count == XML_PENDING_ERRORS) {
        set_fatal(x, e->line, "too many schema errors in a row; is this a residents file?");
        return;
    }
    struct xml_error_entry *slot = &x->errors[(x->err_head + x->err_count) % XML_PENDING_ERRORS];
    slot->line = e->line;
    snprintf(slot->msg, sizeof slot->msg, "%s", msg);
    x->err_count++;
}

/* Moves the queued schema errors that lie before next_line onto r; an error before r's
 * own first line belongs to no record (the root element, say) and spoils the file. */
static void claim_errors(struct xml_state *x, struct xml_record *r, long next_line)
{
    while (x->err_count > 0 && x->errors[x->err_head].line < next_line) {
        const struct xml_error_entry *e = &x->errors[x->err_head];
        if (r && e->line >= r->line) {
            if (!r->schema_problem[0])
                snprintf(r->schema_problem, sizeof r->schema_problem,
                         "does not match the schema: %s", e->msg);
        } else {
            set_fatal(x, e->line, e->msg);
        }
        x->err_head = (x->err_head + 1) % XML_PENDING_ERRORS;
        x->err_count--;
    }
}

static int decide_xml_record(struct xml_state *x, struct xml_record *r)
{
    char reason[256];
    if (r->too_long) {
        snprintf(reason, sizeof reason, "%s is longer than %d bytes",
                 record_field_name((enum field)(r->too_long - 1)), XML_FIELD_MAX - 1);
        return reject(x->f, r->line, record_field_name((enum field)(r->too_long - 1)), reason);
    }
    const char *values[F_COUNT];
    for (int i = 0; i < F_COUNT; i++)
        values[i] = r->present[i] ? r->text[i] : NULL;
    return take_record(x->f, r->line, values, r->schema_problem);
}

/* Decides the waiting record, now that the reader stands at next_line. */
static int flush_pending(struct xml_state *x, long next_line)
{
    struct xml_record *r = x->pending >= 0 ? &x->rec[x->pending] : NULL;
    claim_errors(x, r, next_line);
    if (!r || x->fatal[0])
        return CN_OK;
    x->pending = -1;
    return decide_xml_record(x, r);
}

static int load_schema(struct run *run, struct cn_err *err)
{
    if (run->schema)
        return CN_OK;
    char path[1024];
    if (run->o->xsd_path) {
        snprintf(path, sizeof path, "%s", run->o->xsd_path);
    } else {
        const char *cfg_path = run->o->cfg ? run->o->cfg->path : "";
        const char *slash = strrchr(cfg_path, '/');
        if (slash)
            snprintf(path, sizeof path, "%.*s/../residents.xsd", (int)(slash - cfg_path), cfg_path);
        else if (cfg_path[0])
            snprintf(path, sizeof path, "../residents.xsd");
        else
            snprintf(path, sizeof path, "templates/residents.xsd");
    }
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    if (pc) {
        xmlSchemaSetParserStructuredErrors(pc, NULL, NULL);
        run->schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    if (!run->schema)
        return cn_fail(err, CN_EUSAGE, "%s: cannot load the residents XML schema", path);
    return CN_OK;
}

/* The parser reads ahead of the node the reader stands on; the node knows its own line. */
static long node_line(xmlTextReaderPtr rd)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(rd);
    return node ? xmlGetLineNo(node) : xmlTextReaderGetParserLineNumber(rd);
}

static void close_record(struct xml_state *x)
{
    x->rec[x->cur].open = false;
    x->pending = x->cur;
    x->cur ^= 1;
}

static int xml_start_element(struct xml_state *x, xmlTextReaderPtr rd, int depth, int *field)
{
    struct file *f = x->f;
    const char *name = (const char *)xmlTextReaderConstLocalName(rd);
    long line = node_line(rd);
    if (ingest_is_individual_number_name(name))
        return refuse(f, line, "file",
                      "element <%s> carries the individual number (マイナンバー), which must "
                      "never be sent to this system",
                      name);
    if (depth == 1 && strcmp(name, "resident") == 0) {
        int rc = flush_pending(x, line);
        if (rc != CN_OK || x->fatal[0])
            return rc;
        struct xml_record *r = &x->rec[x->cur];
        memset(r->present, 0, sizeof r->present);
        r->too_long = 0;
        r->schema_problem[0] = '\0';
        r->line = line;
        r->open = true;
        f->records++;
        if (xmlTextReaderIsEmptyElement(rd))
            close_record(x);
        return CN_OK;
    }
    if (depth == 2 && x->rec[x->cur].open) {
        int fld = record_field_by_name(name);
        /* Unknown and repeated elements are the schema's to report. */
        if (fld >= 0 && !x->rec[x->cur].present[fld]) {
            struct xml_record *r = &x->rec[x->cur];
            r->present[fld] = true;
            r->len[fld] = 0;
            r->text[fld][0] = '\0';
            *field = xmlTextReaderIsEmptyElement(rd) ? -1 : fld;
        }
    }
    return CN_OK;
}

static void xml_text(struct xml_state *x, xmlTextReaderPtr rd, int field)
{
    struct xml_record *r = &x->rec[x->cur];
    const char *text = (const char *)xmlTextReaderConstValue(rd);
    size_t n = text ? strlen(text) : 0;
    if (r->len[field] + n >= XML_FIELD_MAX) {
        if (!r->too_long)
            r->too_long = field + 1;
        return;
    }
    if (n)
        memcpy(r->text[field] + r->len[field], text, n);
    r->len[field] += n;
    r->text[field][r->len[field]] = '\0';
}

static int load_xml(struct file *f, int fd)
{
    struct run *run = f->run;
    int rc = load_schema(run, f->err);
    if (rc != CN_OK)
        return rc;
    bool handler_set = false;
    xmlStructuredErrorFunc prev_handler = xmlStructuredError;
    void *prev_handler_ctx = xmlStructuredErrorContext;
    struct xml_state *x = calloc(1, sizeof *x);
    /* No XML_PARSE_NOENT, DTDLOAD, DTDATTR or HUGE: entities stay unexpanded, nothing is
     * fetched, and libxml2 keeps its amplification limits. (Files with a DOCTYPE never get
     * here: see ingest_file.) */
    xmlTextReaderPtr rd = x ? xmlReaderForFd(fd, f->path, NULL, XML_PARSE_NONET) : NULL;
    if (!rd) {
        rc = cn_fail(f->err, CN_EINPUT, "%s: cannot start the XML reader", f->path);
        goto done;
    }
    x->f = f;
    x->pending = -1;
    if (xmlTextReaderSetSchema(rd, run->schema) != 0) {
        rc = cn_fail(f->err, CN_EUSAGE, "%s: cannot attach the residents schema", f->path);
        goto done;
    }
    /* Not xmlTextReaderSetStructuredErrorHandler: with a schema attached, libxml2 2.9 hands
     * that handler the schema plug instead of the parser context and crashes on the first
     * parse error. The thread's handler sees both parse and validity errors. */
    xmlSetStructuredErrorFunc(x, xml_error);
    handler_set = true;
    int field = -1, got;
    while ((got = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        int depth = xmlTextReaderDepth(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
            type == XML_READER_TYPE_ENTITY) {
            rc = refuse(f, node_line(rd), "file", "%s", DTD_REFUSAL);
            goto done;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            rc = xml_start_element(x, rd, depth, &field);
            if (rc != CN_OK)
                goto done;
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
                   depth == 3 && field >= 0) {
            xml_text(x, rd, field);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 2)
                field = -1;
            if (depth == 1 && x->rec[x->cur].open)
                close_record(x);
        }
        if (x->fatal[0])
            break;
    }
    if (got == 0 && !x->fatal[0]) {
        rc = flush_pending(x, LONG_MAX);
        if (rc == CN_OK)
            claim_errors(x, NULL, LONG_MAX);
    }
    if (rc == CN_OK && (got < 0 || x->fatal[0]))
        rc = refuse(f, x->fatal_line, "file", "the XML is not usable: %s",
                    x->fatal[0] ? x->fatal : "it is not well-formed");
done:
    xmlFreeTextReader(rd);
    if (handler_set)
        xmlSetStructuredErrorFunc(prev_handler_ctx, prev_handler);
    free(x);
    return rc;
}

/* ---- files and folders ---- */

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcasecmp(name + n - k, suffix) == 0;
}

static int ingest_file(struct run *run, const char *path, struct ingest_stats *st,
                       struct cn_err *err)
{
    struct file f = {.run = run, .path = path, .err = err};
    bool in_tx = false;
    FILE *in = NULL;
    char sha[65];
    int rc;
    st->files++;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = refuse(&f, 0, "file", "cannot open: %s", strerror(errno));
        goto done;
    }
    bool is_xml = has_suffix(path, ".xml");
    struct dtd_scan dtd = {0};
    /* Hashed and then parsed through the same descriptor: the bytes recorded as loaded are
     * the bytes that were read, even if another file is moved into its place meanwhile. */
    rc = sha256_fd(fd, path, sha, is_xml ? scan_for_dtd : NULL, &dtd, err);
    if (rc != CN_OK) {
        char cause[sizeof err->msg];
        memcpy(cause, err->msg, sizeof cause);
        rc = refuse(&f, 0, "file", "%s", cause);
        goto done;
    }
    if (dtd.found) {
        rc = refuse(&f, 0, "file", "%s", DTD_REFUSAL);
        goto done;
    }
    bool last = false;
    rc = store_input_is_last(run->s, sha, &last, err);
    if (rc != CN_OK)
        goto done;
    if (last) {
        st->skipped++;
        log_info(STAGE, "%s: the same as the last file loaded (sha256 %.12s...); skipped", path,
                 sha);
        goto done;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
        rc = refuse(&f, 0, "file", "cannot rewind: %s", strerror(errno));
        goto done;
    }
    rc = store_begin(run->s, err);
    if (rc != CN_OK)
        goto done;
    in_tx = true;
    if (is_xml) {
        rc = load_xml(&f, fd);
    } else {
        in = fdopen(fd, "rb");
        if (!in) {
            rc = cn_fail(err, CN_EOUTPUT, "%s: fdopen: %s", path, strerror(errno));
            goto done;
        }
        fd = -1;
        rc = load_csv(&f, in);
    }
    if (rc == CN_OK)
        rc = store_input_record(run->s, path, sha, f.loaded, f.rejected, err);
    if (rc == CN_OK)
        rc = store_commit(run->s, err);
    if (rc != CN_OK)
        goto done;
    in_tx = false;
    st->records += f.records;
    st->loaded += f.loaded;
    st->rejected += f.rejected;
    replay_rejects(&f);
    log_info(STAGE, "%s: %ld records, %ld loaded, %ld rejected", path, f.records, f.loaded,
             f.rejected);
    rc = f.rejected ? CN_REJECTS : CN_OK;
done:
    if (in_tx)
        store_rollback(run->s);
    if (rc == CN_EINPUT) {
        st->refused++;
        log_error(STAGE, "%s", err->msg);
    }
    idset_free(&f.ids);
    if (f.spool)
        fclose(f.spool);
    if (in)
        fclose(in);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's *.csv and *.xml regular files in name order (hidden files skipped: editors
 * and half-finished transfers leave them). */
static int list_folder(const char *dir, char ***out, size_t *n_out, struct cn_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return cn_fail(err, CN_EINPUT, "%s: cannot open folder: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = CN_OK;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' ||
            !(has_suffix(e->d_name, ".csv") || has_suffix(e->d_name, ".xml")))
            continue;
        char *full = NULL;
        struct stat sb;
        if (asprintf(&full, "%s/%s", dir, e->d_name) < 0) {
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            break;
        }
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(full);
            continue;
        }
        char **grown = grow_for_one(names, &cap, n, sizeof *names, 16);
        if (!grown) {
            free(full);
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            break;
        }
        names = grown;
        names[n++] = full;
    }
    closedir(d);
    if (rc != CN_OK) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return rc;
    }
    if (n)
        qsort(names, n, sizeof *names, by_name);
    *out = names;
    *n_out = n;
    return CN_OK;
}

int ingest(struct store *s, const struct ingest_opts *opts, const char *path,
           struct ingest_stats *stats, struct cn_err *err)
{
    struct run run = {.s = s, .o = opts};
    struct cn_err file_err;
    int rc = CN_OK;
    char **names = NULL;
    size_t n = 0;
    if (opts->cfg && opts->cfg->input_encoding == ENC_CP932) {
        run.cp932 = iconv_open("UTF-8", "CP932");
        if (run.cp932 ==
            (iconv_t)-1) // NOLINT(performance-no-int-to-ptr): iconv's own failure value
            return cn_fail(err, CN_EUSAGE, "this system's iconv cannot convert CP932");
        run.cp932_open = true;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        rc = list_folder(path, &names, &n, err);
        if (rc != CN_OK)
            goto done;
        if (n == 0)
            log_info(STAGE, "%s: no *.csv or *.xml files", path);
    } else {
        names = malloc(sizeof *names);
        if (!names || !(names[0] = strdup(path))) {
            rc = cn_fail(err, CN_EOUTPUT, "out of memory");
            goto done;
        }
        n = 1;
    }
    bool refused = false;
    long rejected_before = stats->rejected;
    for (size_t i = 0; i < n; i++) {
        cn_err_clear(&file_err);
        int frc = ingest_file(&run, names[i], stats, &file_err);
        if (frc == CN_EINPUT) {
            if (!refused && err)
                *err = file_err;
            refused = true;
        } else if (frc != CN_OK && frc != CN_REJECTS) {
            if (err)
                *err = file_err;
            rc = frc;
            goto done;
        }
    }
    if (refused)
        rc = CN_EINPUT;
    else if (stats->rejected > rejected_before)
        rc = cn_fail(err, CN_REJECTS, "%ld records rejected", stats->rejected - rejected_before);
done:
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    if (run.schema)
        xmlSchemaFree(run.schema);
    if (run.cp932_open)
        iconv_close(run.cp932);
    return rc;
}
