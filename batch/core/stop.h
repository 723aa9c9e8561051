/* stop: turns SIGTERM and SIGINT into a request that the night's stages poll at safe
 * points, so a stop finishes or rolls back the stage in hand. Must not act in the handler. */
#ifndef CN_STOP_H
#define CN_STOP_H

#include <stdbool.h>

#include "err.h"

/* Installs the handlers (restarting system calls, so no read or write sees EINTR). */
void stop_install(void);

/* True once SIGTERM or SIGINT has arrived; cheap enough to ask per record. */
bool stop_requested(void);

/* Logs the stop and returns CN_ESTOPPED, "interrupted by SIGTERM at STAGE: ..."; STAGE
 * names what is rolled back. */
int stop_fail(struct cn_err *err, const char *stage);

#endif
