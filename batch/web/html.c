#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void html_free(struct html *h)
{
    free(h->buf);
    h->buf = NULL;
    h->len = h->cap = 0;
}

static bool reserve(struct html *h, size_t more)
{
    if (h->oom)
        return false;
    if (h->len + more + 1 <= h->cap)
        return true;
    size_t cap = h->cap ? h->cap : 4096;
    while (cap < h->len + more + 1) {
        if (cap > ((size_t)-1) / 2) {
            h->oom = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(h->buf, cap);
    if (!p) {
        h->oom = true;
        return false;
    }
    h->buf = p;
    h->cap = cap;
    return true;
}

void html_rawn(struct html *h, const char *markup, size_t n)
{
    if (!reserve(h, n))
        return;
    memcpy(h->buf + h->len, markup, n);
    h->len += n;
    h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *markup)
{
    html_rawn(h, markup, strlen(markup));
}

void html_text(struct html *h, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *rep;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        html_rawn(h, run, (size_t)(p - run));
        html_raw(h, rep);
        run = p + 1;
    }
    html_raw(h, run);
}

void html_f(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        html_rawn(h, run, (size_t)(p - run));
        char num[16];
        if (p[1] == 's') {
            html_text(h, va_arg(ap, const char *));
            p += 1;
        } else if (p[1] == 'd') {
            snprintf(num, sizeof num, "%d", va_arg(ap, int));
            html_raw(h, num);
            p += 1;
        } else if (p[1] == '0' && p[2] == '2' && p[3] == 'd') {
            snprintf(num, sizeof num, "%02d", va_arg(ap, int));
            html_raw(h, num);
            p += 3;
        } else if (p[1] == '%') {
            html_raw(h, "%");
            p += 1;
        } else {
            h->oom = true; /* a programming error: refuse the page rather than guess */
            break;
        }
        run = p + 1;
    }
    if (!h->oom)
        html_raw(h, run);
    va_end(ap);
}
