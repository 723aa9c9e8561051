/* forecast_web: the forecast on a web page: the chart inline (SVG) and, as its text
 * alternative, a table of the weeks over capacity per office. Must not route, check a
 * session or decide who may see it: the staff pages do (staff_site.c). */
#ifndef CN_FORECAST_WEB_H
#define CN_FORECAST_WEB_H

#include "config.h"
#include "date.h"
#include "err.h"
#include "html.h"
#include "store.h"

/* Weeks the staff page shows from the current week. */
#define FORECAST_WEB_WEEKS 26

/* Appends the section for the FORECAST_WEB_WEEKS weeks from today's week. */
int forecast_web_section(struct html *h, struct store *s, const struct config *cfg, cn_date today,
                         struct cn_err *err);

#endif
