#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_INFO;
static bool progress_shown;  /* the cursor stands at the end of a bar */
static bool progress_timing; /* progress_t0 is the start of the current bar */
static struct timespec progress_t0;

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
    /* The bar goes on below the message; its timing goes on too. */
    if (progress_shown) {
        fputc('\n', stderr);
        progress_shown = false;
    }
    fprintf(stderr, "level=%s stage=%s msg=\"%s\"\n", level_names[level], stage, msg);
}

void log_progress_format(char *buf, size_t cap, const char *stage, long done, long total,
                         double seconds)
{
    enum { WIDTH = 30 };
    char bar[WIDTH + 1];
    long filled = total > 0 ? (done > total ? total : done) * WIDTH / total : 0;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < filled ? '#' : ' ';
    bar[WIDTH] = '\0';
    /* Too early for a rate worth showing: the first file pays for the fonts. */
    if (done <= 0 || seconds < 0.05) {
        snprintf(buf, cap, "%-8s [%s] %ld/%ld", stage, bar, done, total);
        return;
    }
    double rate = (double)done / seconds;
    long left = done >= total ? 0 : (long)((double)(total - done) / rate + 0.5);
    snprintf(buf, cap, "%-8s [%s] %ld/%ld  %.0f/s  %ld:%02ld left", stage, bar, done, total, rate,
             left / 60, left % 60);
}

void log_progress(const char *stage, long done, long total)
{
    if (total <= 0 || !isatty(STDERR_FILENO))
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!progress_timing) {
        progress_t0 = now;
        progress_timing = true;
    }
    double seconds = (double)(now.tv_sec - progress_t0.tv_sec) +
                     (double)(now.tv_nsec - progress_t0.tv_nsec) / 1e9;
    char line[160];
    log_progress_format(line, sizeof line, stage, done, total, seconds);
    /* \033[K clears what a longer line before left behind. */
    fprintf(stderr, "\r%s\033[K", line);
    progress_shown = true;
}

void log_progress_end(void)
{
    if (progress_shown) {
        fputc('\n', stderr);
        progress_shown = false;
    }
    progress_timing = false;
}
