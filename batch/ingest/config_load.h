/* config_load: reads a municipality's XML config (templates/municipalities/NAME.xml) into a
 * struct config, checking every value a letter or the booking service depends on. Must not
 * hold the lookups on a loaded config: they are pure and live in domain/config.h. */
#ifndef CN_CONFIG_LOAD_H
#define CN_CONFIG_LOAD_H

#include "config.h"
#include "err.h"

/* Loads and checks a config; relative paths inside it are taken from the config's folder.
 * On failure err names the file, line and problem, and *out is left empty. */
int config_load(const char *path, struct config *out, struct cn_err *err);

#endif
