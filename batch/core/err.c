#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cn_fail(struct cn_err *err, int status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

int cn_wrap(struct cn_err *err, const char *fmt, ...)
{
    if (!err)
        return CN_EUSAGE;
    char prefix[256];
    char old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* A message that no longer fits keeps its start: the outer context and the cause's
     * beginning are what a reader needs most. */
    if (snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old) >= (int)sizeof err->msg)
        err->msg[sizeof err->msg - 1] = '\0';
    return err->status;
}

void cn_err_clear(struct cn_err *err)
{
    if (err) {
        err->status = CN_OK;
        err->msg[0] = '\0';
    }
}
