/* The XML half of ingest: a streaming reader with the residents schema attached, each
 * schema error matched to its record by line. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "dtdscan.h"
#include "individual_number.h"
#include "ingest_int.h"

/* Text of one XML field; far above any contract limit, so hitting it is itself a reject. */
#define XML_FIELD_MAX 1024

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
    struct ingest_file *f;
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
        return ingest_reject(x->f, r->line, record_field_name((enum field)(r->too_long - 1)),
                             reason);
    }
    const char *values[F_COUNT];
    for (int i = 0; i < F_COUNT; i++)
        values[i] = r->present[i] ? r->text[i] : NULL;
    return ingest_take_record(x->f, r->line, values, r->schema_problem);
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

static int load_schema(struct ingest_run *run, struct cn_err *err)
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
    struct ingest_file *f = x->f;
    const char *name = (const char *)xmlTextReaderConstLocalName(rd);
    long line = node_line(rd);
    if (individual_number_field_name(name))
        return ingest_refuse(
            f, line, "file",
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

int ingest_load_xml(struct ingest_file *f, int fd)
{
    struct ingest_run *run = f->run;
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
            rc = ingest_refuse(f, node_line(rd), "file", "%s", DTD_REFUSAL);
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
        rc = ingest_refuse(f, x->fatal_line, "file", "the XML is not usable: %s",
                           x->fatal[0] ? x->fatal : "it is not well-formed");
done:
    xmlFreeTextReader(rd);
    if (handler_set)
        xmlSetStructuredErrorFunc(prev_handler_ctx, prev_handler);
    free(x);
    return rc;
}

void ingest_xml_done(struct ingest_run *run)
{
    if (run->schema)
        xmlSchemaFree(run->schema);
    run->schema = NULL;
}
