/* tmpl: the XML template language of the letter's pages (millimetres, origin top-left):
 * parsed, schema-checked and classified static/dynamic once. Must not draw or know a letter. */
#ifndef CN_TMPL_H
#define CN_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* What a value depends on, in the order a page is layered (tmpl_layer). A node's text is
 * resident-independent when it depends on nothing after TDEP_OFFICE: given the config, the
 * variant and the district, it is the same for every resident, so it is laid out once per
 * run and written once per print file, in a content stream every such page shares. */
enum tmpl_dep {
    TDEP_NONE,     /* constant text, lines, boxes */
    TDEP_CONFIG,   /* the municipality's config ({sender}, {booking_phone}) */
    TDEP_VARIANT,  /* the letter's variant flags (sign, user, policy, ...) */
    TDEP_DISTRICT, /* the resident's district ({district}, <each over="offices">) */
    TDEP_OFFICE,   /* one office of the district, inside <each over="offices"> ({office.name}) */
    TDEP_LETTER,   /* the resident and the letter ({name}, {rid}, reprint) */
};

/* A page's layers, each a range of dependencies: the variant's (the same on every page of a
 * variant), the district's (the same on every page of a variant and district) and the
 * letter's own. A layer is keyed by what its range depends on at most. */
enum tmpl_layer { TL_VARIANT, TL_DISTRICT, TL_LETTER, TL_COUNT };

static inline enum tmpl_layer tmpl_layer_of(enum tmpl_dep dep)
{
    return dep <= TDEP_VARIANT ? TL_VARIANT : dep <= TDEP_OFFICE ? TL_DISTRICT : TL_LETTER;
}

/* Names a template may use, with what they depend on: given by the renderer, so a
 * misspelt {nmae} or test="sing" fails at load with its line. */
struct tmpl_name {
    const char *name;
    enum tmpl_dep dep;
};

struct tmpl_names {
    const struct tmpl_name *vars; /* {name} */
    size_t n_vars;
    const struct tmpl_name *flags; /* test="name" or test="name=value" */
    size_t n_flags;
};

enum tmpl_kind {
    TK_GROUP, /* the page itself */
    TK_TEXT,  /* one line at x,y (baseline), shrunk to w if given */
    TK_PARA,  /* lines broken into the box x,y,w,h, with kinsoku */
    TK_RECT,
    TK_LINE,
    TK_TABLE, /* rows of cells, each row as high as its tallest cell */
    TK_ROW,
    TK_CELL,
    TK_QR,         /* the booking URL's QR code, w mm wide, quiet zone included */
    TK_BARCODE,    /* the customer barcode, size in points */
    TK_DATAMATRIX, /* the sheet's mark (sheetmark.h), w mm wide; page n of group */
    TK_PINBOXES,   /* n boxes of w x h mm */
    TK_IF,
    TK_EACH, /* children repeated per office, step mm apart (more if they need it) */
};

enum tmpl_font { TF_GOTHIC, TF_MINCHO };

/* The most pin boxes, boxes per group or offices in an <each> a template may ask for. */
#define TMPL_MAX_COUNT 64
enum tmpl_align { TA_LEFT, TA_CENTER, TA_RIGHT };

/* test="a and not b or policy=none": or of ands of (not) terms, no parentheses. */
struct tmpl_term {
    const char *name; /* points into tmpl_names */
    char value[24];   /* "" for a plain flag */
    bool negate;
    bool or_before; /* starts a new and-group */
};

struct tmpl_node {
    enum tmpl_kind kind;
    int line; /* in the template file, for messages */
    double x, y, w, h, x2, y2;
    double size, min_size, leading; /* points; leading as a multiple of size */
    double stroke;                  /* line width in points; 0: none */
    double fill;                    /* gray level 0-1; < 0: no fill */
    bool dash;
    enum tmpl_font font;
    enum tmpl_align align;
    char *text;   /* with {variables}; '\n' where the template has <br/> */
    int n, group; /* pin boxes: count, a wider gap after every `group` boxes;
                     datamatrix: page n of group */
    double cols[12];
    int n_cols;
    struct tmpl_term *terms;
    size_t n_terms;
    double step;
    int max; /* <each>: at most this many offices */
    struct tmpl_node *kids;
    size_t n_kids;
    enum tmpl_dep dep;      /* the most this node or anything under it depends on */
    enum tmpl_dep test_dep; /* <if>: what its test alone depends on */
};

struct tmpl {
    char path[512];
    double width, height; /* mm */
    struct tmpl_node root;
};

static inline bool tmpl_is_static(const struct tmpl_node *n)
{
    return tmpl_layer_of(n->dep) == TL_VARIANT;
}

/* Parses path (no network, no external entities, no DTD), validates it against
 * template.xsd in the same folder, checks every variable and test name. Errors name the
 * file, line and problem. */
int tmpl_load(const char *path, const struct tmpl_names *names, struct tmpl *out,
              struct cn_err *err);
void tmpl_free(struct tmpl *t);

/* Evaluates a node's test; flag answers one term (value "" for a plain flag). */
bool tmpl_test(const struct tmpl_node *n,
               bool (*flag)(void *ctx, const char *name, const char *value), void *ctx);

/* Replaces each {name} in text by lookup's answer (NULL: left empty). Returns false when
 * the result was cut at cap. */
bool tmpl_expand(const char *text, const char *(*lookup)(void *ctx, const char *name), void *ctx,
                 char *out, size_t cap);

#endif
