/* config_load_int: what the config loader's files share (config_load.c: the file, the
 * root, districts, limits, forecast, languages; config_office_load.c: an office's calendar and
 * booking rules): the loader's state, the attribute readers, and the office loader. Must not
 * be included outside those two files. */
#ifndef CN_CONFIG_LOAD_INT_H
#define CN_CONFIG_LOAD_INT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "err.h"

/* Loading checks every value a letter depends on, so that a mistake in the config stops
 * the run before anything is printed, with the file and line that need fixing. */
struct loader {
    const char *path;
    char dir[sizeof((struct config *)0)->path];
    struct cn_err *err;
};

/* Fails with "FILE:LINE: message" (CN_EUSAGE), the line of node. */
int ld_bad(struct loader *ld, xmlNodePtr node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An element node of this name. */
bool ld_named(xmlNodePtr n, const char *name);
/* The first child element of this name; NULL for none (or a NULL parent). */
xmlNodePtr ld_child(xmlNodePtr parent, const char *name);
/* Copies attribute `name` into out; missing is an error only when required. */
int ld_attr(struct loader *ld, xmlNodePtr node, const char *name, char *out, size_t cap,
            bool required);
/* An integer attribute in [lo, hi]; absent keeps *out. */
int ld_attr_int(struct loader *ld, xmlNodePtr node, const char *name, int lo, int hi, int *out);
/* "true" or "false"; absent keeps *out. */
int ld_attr_bool(struct loader *ld, xmlNodePtr node, const char *name, bool *out);
/* A path, relative to the config's folder unless absolute; absent leaves out "". */
int ld_attr_path(struct loader *ld, xmlNodePtr node, const char *name, char *out, size_t cap);

/* One <office>: id, name, address and phones, its calendar and its booking rules. */
int ld_office(struct loader *ld, xmlNodePtr node, struct office *o);

#endif
