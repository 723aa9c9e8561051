/* log: one line per event on stderr, `level=... stage=... msg="..."`, for people reading
 * the night's log at 8 a.m. Must not carry personal data (names, addresses) in messages. */
#ifndef CN_LOG_H
#define CN_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Messages below min are dropped; CERTNOTICE_LOG=debug|info|warn|error overrides. */
void log_init(enum log_level min);
void log_event(enum log_level level, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A progress bar on stderr, drawn only when stderr is a terminal: done of total, the rate
 * and the time left, timed from the first call after log_progress_end. */
void log_progress(const char *stage, long done, long total);
void log_progress_end(void);

/* The bar's text for `done` of `total` after `seconds`; pure, for the tests. */
void log_progress_format(char *buf, size_t cap, const char *stage, long done, long total,
                         double seconds);

#define log_info(stage, ...) log_event(LOG_INFO, stage, __VA_ARGS__)
#define log_warn(stage, ...) log_event(LOG_WARN, stage, __VA_ARGS__)
#define log_error(stage, ...) log_event(LOG_ERROR, stage, __VA_ARGS__)
#define log_debug(stage, ...) log_event(LOG_DEBUG, stage, __VA_ARGS__)

#endif
