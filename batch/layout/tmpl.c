#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "strbuf.h"

struct loader {
    const char *path;
    const struct tmpl_names *names;
    struct cn_err *err;
    int in_each; /* depth of <each>: office variables are only known inside */
};

static const char *prop(xmlNodePtr n, const char *name, char *buf, size_t cap)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    snprintf(buf, cap, "%s", (const char *)v);
    xmlFree(v);
    return buf;
}

static double num(xmlNodePtr n, const char *name, double dflt)
{
    char buf[64];
    if (!prop(n, name, buf, sizeof buf))
        return dflt;
    return strtod(buf, NULL); /* the schema has checked it is a number */
}

/* A whole-number attribute within lo-hi. The schema checks it is an integer, but an
 * xs:positiveInteger may have any number of digits, and converting one beyond int's range
 * is undefined behaviour, so the bound is checked on the double first. */
static int count(struct loader *ld, xmlNodePtr el, const char *name, int dflt, int lo, int hi,
                 int *out)
{
    char buf[64];
    *out = dflt;
    if (!prop(el, name, buf, sizeof buf))
        return CN_OK;
    double v = strtod(buf, NULL);
    if (!(v >= lo && v <= hi))
        return cn_fail(ld->err, CN_EUSAGE, "%s:%d: %s=\"%.24s\" must be %d-%d", ld->path,
                       (int)xmlGetLineNo(el), name, buf, lo, hi);
    *out = (int)v;
    return CN_OK;
}

static bool is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static enum tmpl_dep max_dep(enum tmpl_dep a, enum tmpl_dep b)
{
    return a > b ? a : b;
}

static const struct tmpl_name *find_name(const struct tmpl_name *list, size_t n, const char *name,
                                         size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i].name) == len && strncmp(list[i].name, name, len) == 0)
            return &list[i];
    return NULL;
}

/* Checks every {variable} of text and returns what the text depends on. */
static int text_dep(struct loader *ld, int line, const char *text, enum tmpl_dep *dep)
{
    *dep = TDEP_NONE;
    for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        if (!e)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: '{' without '}'", ld->path, line);
        const struct tmpl_name *v =
            find_name(ld->names->vars, ld->names->n_vars, p + 1, (size_t)(e - p - 1));
        if (!v)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: unknown variable {%.*s}", ld->path, line,
                           (int)(e - p - 1), p + 1);
        if (v->dep == TDEP_OFFICE && !ld->in_each)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: {%s} outside <each over=\"offices\">",
                           ld->path, line, v->name);
        *dep = max_dep(*dep, v->dep);
    }
    return CN_OK;
}

/* Text content: each source line trimmed and joined without a space (Japanese has none
 * between words); <br/> is a line break. */
static int gather_text(struct loader *ld, xmlNodePtr el, char **out)
{
    struct strbuf s = STRBUF_INIT;
    strbuf_grow(&s, 256);
    for (xmlNodePtr c = el->children; c; c = c->next) {
        const char *piece = NULL;
        xmlChar *content = NULL;
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            content = xmlNodeGetContent(c);
            piece = (const char *)content;
        } else if (is(c, "br")) {
            piece = "\n";
        } else {
            continue;
        }
        /* Trim each line; keep single spaces inside a line (e-Tax 等, URLs). */
        for (const char *p = piece; p && *p;) {
            const char *nl = strchr(p, '\n');
            const char *end = nl ? nl : p + strlen(p);
            const char *a = p, *b = end;
            if (c->type != XML_ELEMENT_NODE) {
                while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
                    a++;
                while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
                    b--;
            } else {
                b = a + 1; /* the <br/> newline itself */
                nl = NULL;
                end = p + 1;
            }
            strbuf_add(&s, a, (size_t)(b - a));
            p = nl ? nl + 1 : end;
        }
        xmlFree(content);
    }
    /* An empty element is "" (never NULL), as the templates' readers expect. */
    *out = strbuf_detach(&s, NULL);
    if (!*out)
        return cn_fail(ld->err, CN_EUSAGE, "%s: out of memory", ld->path);
    return CN_OK;
}

static int parse_test(struct loader *ld, struct tmpl_node *node, const char *test)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", test);
    size_t cap = 8;
    node->terms = calloc(cap, sizeof *node->terms);
    if (!node->terms)
        return cn_fail(ld->err, CN_EUSAGE, "%s: out of memory", ld->path);
    bool negate = false, or_next = false, want_term = true;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
        if (strcmp(tok, "not") == 0 && want_term) {
            negate = !negate;
            continue;
        }
        if ((strcmp(tok, "and") == 0 || strcmp(tok, "or") == 0) && !want_term) {
            or_next = tok[0] == 'o';
            want_term = true;
            continue;
        }
        if (!want_term)
            return cn_fail(ld->err, CN_EUSAGE,
                           "%s:%d: test \"%s\": 'and' or 'or' expected "
                           "before '%s'",
                           ld->path, node->line, test, tok);
        char *eq = strchr(tok, '=');
        size_t nlen = eq ? (size_t)(eq - tok) : strlen(tok);
        const struct tmpl_name *f = find_name(ld->names->flags, ld->names->n_flags, tok, nlen);
        if (!f)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: test \"%s\": unknown flag '%.*s'", ld->path,
                           node->line, test, (int)nlen, tok);
        if (node->n_terms == cap) {
            cap *= 2;
            struct tmpl_term *t = realloc(node->terms, cap * sizeof *t);
            if (!t)
                return cn_fail(ld->err, CN_EUSAGE, "%s: out of memory", ld->path);
            node->terms = t;
        }
        struct tmpl_term *t = &node->terms[node->n_terms++];
        memset(t, 0, sizeof *t);
        t->name = f->name;
        if (eq)
            snprintf(t->value, sizeof t->value, "%s", eq + 1);
        t->negate = negate;
        t->or_before = or_next;
        node->dep = max_dep(node->dep, f->dep);
        node->test_dep = max_dep(node->test_dep, f->dep);
        negate = or_next = false;
        want_term = false;
    }
    if (want_term)
        return cn_fail(ld->err, CN_EUSAGE, "%s:%d: test \"%s\" is incomplete", ld->path, node->line,
                       test);
    return CN_OK;
}

static int parse_children(struct loader *ld, xmlNodePtr el, struct tmpl_node *node);

static int parse_node(struct loader *ld, xmlNodePtr el, struct tmpl_node *node)
{
    char buf[512];
    int rc = CN_OK;
    memset(node, 0, sizeof *node);
    node->line = (int)xmlGetLineNo(el);
    node->size = num(el, "size", 10);
    node->min_size = num(el, "min-size", node->size);
    node->leading = num(el, "leading", 1.5);
    node->fill = num(el, "fill", -1);
    node->stroke = num(el, "stroke", 0);
    node->x = num(el, "x", 0);
    node->y = num(el, "y", 0);
    node->w = num(el, "w", 0);
    node->h = num(el, "h", 0);
    node->font =
        prop(el, "font", buf, sizeof buf) && strcmp(buf, "gothic") == 0 ? TF_GOTHIC : TF_MINCHO;
    node->align = TA_LEFT;
    if (prop(el, "align", buf, sizeof buf))
        node->align = strcmp(buf, "center") == 0  ? TA_CENTER
                      : strcmp(buf, "right") == 0 ? TA_RIGHT
                                                  : TA_LEFT;
    node->dash = prop(el, "dash", buf, sizeof buf) && strcmp(buf, "true") == 0;
    if (node->min_size > node->size)
        return cn_fail(ld->err, CN_EUSAGE, "%s:%d: min-size above size", ld->path, node->line);

    if (is(el, "text") || is(el, "para") || is(el, "td")) {
        node->kind = is(el, "text") ? TK_TEXT : is(el, "para") ? TK_PARA : TK_CELL;
        if (node->kind == TK_CELL) /* 0: the table's size */
            node->size = node->min_size = num(el, "size", 0);
        if ((rc = gather_text(ld, el, &node->text)) ||
            (rc = text_dep(ld, node->line, node->text, &node->dep)))
            return rc;
        if (node->kind == TK_TEXT && strchr(node->text, '\n'))
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <br/> in <text>: use <para>", ld->path,
                           node->line);
        if (node->kind == TK_PARA && (node->w <= 0 || node->h <= 0))
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <para> needs w and h", ld->path, node->line);
    } else if (is(el, "rect")) {
        node->kind = TK_RECT;
        node->stroke = num(el, "stroke", 0.5);
    } else if (is(el, "line")) {
        node->kind = TK_LINE;
        node->x = num(el, "x1", 0);
        node->y = num(el, "y1", 0);
        node->x2 = num(el, "x2", 0);
        node->y2 = num(el, "y2", 0);
        node->stroke = num(el, "stroke", 0.5);
    } else if (is(el, "qr")) {
        node->kind = TK_QR;
        node->dep = TDEP_LETTER;
        if (node->w < 20)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <qr> narrower than 20 mm", ld->path,
                           node->line);
    } else if (is(el, "barcode")) {
        node->kind = TK_BARCODE;
        node->dep = TDEP_LETTER;
        if (node->size < 8 || node->size > 11.5)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <barcode> size must be 8-11.5 pt", ld->path,
                           node->line);
    } else if (is(el, "datamatrix")) {
        node->kind = TK_DATAMATRIX;
        node->dep = TDEP_LETTER;
        node->n = (int)num(el, "page", 0);
        node->group = (int)num(el, "pages", 0);
        /* 8 mm holds the longest mark at 0.33 mm a module, the vendor camera's floor. */
        if (node->w < 8 || node->w > 20)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <datamatrix> w must be 8-20 mm", ld->path,
                           node->line);
        if (node->group < 1 || node->group > 9 || node->n < 1 || node->n > node->group)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <datamatrix> needs page 1-pages, pages 1-9",
                           ld->path, node->line);
    } else if (is(el, "pinboxes")) {
        node->kind = TK_PINBOXES;
        if ((rc = count(ld, el, "n", 4, 1, TMPL_MAX_COUNT, &node->n)) ||
            (rc = count(ld, el, "group", 0, 0, TMPL_MAX_COUNT, &node->group)))
            return rc;
        node->stroke = num(el, "stroke", 0.6);
    } else if (is(el, "table")) {
        node->kind = TK_TABLE;
        node->stroke = num(el, "stroke", 0.5);
        node->h = num(el, "row-h", 7);
        char *save = NULL;
        if (prop(el, "cols", buf, sizeof buf))
            for (char *t = strtok_r(buf, " ,", &save); t && node->n_cols < 12;
                 t = strtok_r(NULL, " ,", &save))
                node->cols[node->n_cols++] = strtod(t, NULL);
        if (node->n_cols == 0)
            return cn_fail(ld->err, CN_EUSAGE, "%s:%d: <table> needs cols", ld->path, node->line);
        rc = parse_children(ld, el, node);
    } else if (is(el, "tr")) {
        node->kind = TK_ROW;
        rc = parse_children(ld, el, node);
    } else if (is(el, "if")) {
        node->kind = TK_IF;
        if ((rc = parse_test(ld, node, prop(el, "test", buf, sizeof buf) ? buf : "")))
            return rc;
        rc = parse_children(ld, el, node);
    } else if (is(el, "each")) {
        node->kind = TK_EACH;
        node->step = num(el, "step", 10);
        if ((rc = count(ld, el, "max", 8, 1, TMPL_MAX_COUNT, &node->max)))
            return rc;
        ld->in_each++;
        rc = parse_children(ld, el, node);
        ld->in_each--;
        /* Its offices are the district's: the list is the district's layer unless
         * something in it is the letter's own. */
        node->dep = max_dep(node->dep, TDEP_DISTRICT);
    } else {
        return cn_fail(ld->err, CN_EUSAGE, "%s:%d: unknown element <%s>", ld->path, node->line,
                       (const char *)el->name);
    }
    return rc;
}

static int parse_children(struct loader *ld, xmlNodePtr el, struct tmpl_node *node)
{
    size_t n = 0;
    for (xmlNodePtr c = el->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            n++;
    if (n == 0)
        return CN_OK;
    node->kids = calloc(n, sizeof *node->kids);
    if (!node->kids)
        return cn_fail(ld->err, CN_EUSAGE, "%s: out of memory", ld->path);
    for (xmlNodePtr c = el->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        struct tmpl_node *k = &node->kids[node->n_kids++];
        int rc = parse_node(ld, c, k);
        if (rc)
            return rc;
        node->dep = max_dep(node->dep, k->dep);
    }
    /* A table lays its rows out one under the other: if any row moves, all may. */
    return CN_OK;
}

static void free_node(struct tmpl_node *n)
{
    for (size_t i = 0; i < n->n_kids; i++)
        free_node(&n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->terms);
}

void tmpl_free(struct tmpl *t)
{
    if (!t)
        return;
    free_node(&t->root);
    memset(&t->root, 0, sizeof t->root); /* freeing twice is harmless */
}

struct schema_errors {
    char msg[400];
    int line;
};

static void schema_error(void *ctx, xmlErrorPtr e)
{
    struct schema_errors *se = ctx;
    if (se->msg[0] || !e)
        return; /* the first problem is the one to fix */
    se->line = e->line;
    snprintf(se->msg, sizeof se->msg, "%s", e->message ? e->message : "invalid");
    size_t l = strlen(se->msg);
    if (l && se->msg[l - 1] == '\n')
        se->msg[l - 1] = '\0';
}

static int validate(const char *path, xmlDocPtr doc, struct cn_err *err)
{
    char xsd[600];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(xsd, sizeof xsd, "%.*s/template.xsd", (int)(slash - path), path);
    else
        snprintf(xsd, sizeof xsd, "template.xsd");
    int rc = CN_OK;
    struct schema_errors se = {{0}, 0};
    xmlSchemaParserCtxtPtr pctx = NULL;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vctx = NULL;
    xmlDocPtr xsd_doc = xmlReadFile(xsd, NULL, XML_PARSE_NONET);
    if (!xsd_doc) {
        rc = cn_fail(err, CN_EUSAGE, "%s: cannot read the schema %s", path, xsd);
        goto done;
    }
    pctx = xmlSchemaNewDocParserCtxt(xsd_doc);
    xmlSchemaSetParserStructuredErrors(pctx, schema_error, &se);
    schema = pctx ? xmlSchemaParse(pctx) : NULL;
    if (!schema) {
        rc = cn_fail(err, CN_EUSAGE, "%s:%d: broken schema: %s", xsd, se.line, se.msg);
        goto done;
    }
    vctx = xmlSchemaNewValidCtxt(schema);
    if (!vctx) {
        rc = cn_fail(err, CN_EUSAGE, "%s: out of memory", path);
        goto done;
    }
    xmlSchemaSetValidStructuredErrors(vctx, schema_error, &se);
    if (xmlSchemaValidateDoc(vctx, doc) != 0)
        rc = cn_fail(err, CN_EUSAGE, "%s:%d: %s", path, se.line, se.msg[0] ? se.msg : "invalid");
done:
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pctx);
    xmlFreeDoc(xsd_doc);
    return rc;
}

static void quiet(void *ctx, xmlErrorPtr e)
{
    struct schema_errors *se = ctx;
    schema_error(se, e);
}

int tmpl_load(const char *path, const struct tmpl_names *names, struct tmpl *out,
              struct cn_err *err)
{
    int rc = CN_OK;
    struct schema_errors se = {{0}, 0};
    memset(out, 0, sizeof *out);
    snprintf(out->path, sizeof out->path, "%s", path);
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (!pc)
        return cn_fail(err, CN_EUSAGE, "%s: out of memory", path);
    xmlSetStructuredErrorFunc(&se, quiet);
    /* No XML_PARSE_NOENT, no DTD loading: an entity never reaches out of the file. */
    doc = xmlCtxtReadFile(pc, path, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (!doc) {
        rc = cn_fail(err, CN_EUSAGE, "%s:%d: %s", path, se.line,
                     se.msg[0] ? se.msg : "cannot read the template");
        goto done;
    }
    if (doc->intSubset) {
        rc = cn_fail(err, CN_EUSAGE, "%s:%d: a DOCTYPE is not allowed in a template", path,
                     (int)xmlGetLineNo((xmlNodePtr)doc->intSubset));
        goto done;
    }
    if ((rc = validate(path, doc, err)))
        goto done;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    struct loader ld = {.path = path, .names = names, .err = err};
    out->root.kind = TK_GROUP;
    out->root.line = (int)xmlGetLineNo(root);
    out->width = num(root, "width", 210);
    out->height = num(root, "height", 297);
    rc = parse_children(&ld, root, &out->root);
done:
    if (rc)
        tmpl_free(out);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pc);
    return rc;
}

bool tmpl_test(const struct tmpl_node *n,
               bool (*flag)(void *ctx, const char *name, const char *value), void *ctx)
{
    bool any = false, group = true;
    for (size_t i = 0; i < n->n_terms; i++) {
        const struct tmpl_term *t = &n->terms[i];
        if (t->or_before) {
            any = any || group;
            group = true;
        }
        bool v = flag(ctx, t->name, t->value);
        group = group && (t->negate ? !v : v);
    }
    return any || group;
}

bool tmpl_expand(const char *text, const char *(*lookup)(void *ctx, const char *name), void *ctx,
                 char *out, size_t cap)
{
    size_t len = 0;
    bool whole = true;
    if (cap == 0)
        return false;
    /* Outside the loop: lookup may answer with the name itself, used after the if. */
    char name[64];
    for (const char *p = text; *p;) {
        const char *piece = p;
        size_t n;
        const char *e = *p == '{' ? strchr(p, '}') : NULL;
        if (e) {
            snprintf(name, sizeof name, "%.*s", (int)(e - p - 1), p + 1);
            piece = lookup(ctx, name);
            if (!piece)
                piece = "";
            n = strlen(piece);
            p = e + 1;
        } else {
            const char *b = strchr(p, '{');
            n = b ? (size_t)(b - p) : strlen(p);
            if (n == 0)
                n = 1;
            p += n;
        }
        if (len + n >= cap) {
            n = cap - 1 - len;
            whole = false;
        }
        memcpy(out + len, piece, n);
        len += n;
        if (!whole)
            break;
    }
    out[len] = '\0';
    return whole;
}
