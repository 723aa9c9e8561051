#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static bool progress_shown;

static const char *level_names[] = {"debug", "info", "warn", "error"};

void log_init(enum log_level min)
{
    min_level = min;
    const char *env = getenv("CERTNOTICE_LOG");
    if (env) {
        for (int i = 0; i < 4; i++)
            if (strcmp(env, level_names[i]) == 0)
                min_level = (enum log_level)i;
    }
}

void log_event(enum log_level level, const char *stage, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Quotes inside the message would break `msg="..."` parsing by log tools. */
    for (char *p = msg; *p; p++)
        if (*p == '"' || *p == '\n')
            *p = '\'';
    if (progress_shown)
        log_progress_end();
    fprintf(stderr, "level=%s stage=%s msg=\"%s\"\n", level_names[level], stage, msg);
}

void log_progress(const char *stage, long done, long total)
{
    if (total <= 0 || !isatty(STDERR_FILENO))
        return;
    int width = 40;
    int filled = (int)(done * width / total);
    fprintf(stderr, "\r%-8s [", stage);
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %ld/%ld", done, total);
    progress_shown = true;
}

void log_progress_end(void)
{
    if (progress_shown) {
        fputc('\n', stderr);
        progress_shown = false;
    }
}
