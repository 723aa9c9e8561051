/* err: the error value every fallible function fills in: a message with its context.
 * Must not print, log or exit: the caller decides what to do with an error. */
#ifndef CN_ERR_H
#define CN_ERR_H

#include <stddef.h>

/* Status codes double as the process exit codes docs/contracts.md lists, so a failure deep in a
 * stage can travel up unchanged to main(). */
enum cn_status {
    CN_OK = 0,
    CN_REJECTS = 1,  /* completed, but some records were rejected */
    CN_EUSAGE = 2,   /* usage or configuration error */
    CN_EINPUT = 3,   /* input unreadable or refused */
    CN_ELOCK = 4,    /* another run holds the lock */
    CN_EOUTPUT = 5,  /* output could not be written */
    CN_ECORRUPT = 6, /* the database failed its integrity check: nothing done */
    CN_ESTOPPED = 7, /* SIGTERM/SIGINT: the stage in hand rolled back, the run interrupted */
};

struct cn_err {
    int status;
    char msg[768];
};

/* Sets err (if not NULL) and returns status, so callers can write
 * `return cn_fail(err, CN_EINPUT, "%s:%ld: ...", file, line)`. */
int cn_fail(struct cn_err *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes an existing message with more context ("while loading X: <old msg>"). */
int cn_wrap(struct cn_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void cn_err_clear(struct cn_err *err);

#endif
