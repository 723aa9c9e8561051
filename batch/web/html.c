#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void html_free(struct html *h)
{
    strbuf_release(&h->sb);
}

bool html_failed(const struct html *h)
{
    return h->sb.failed;
}

void html_rawn(struct html *h, const char *markup, size_t n)
{
    strbuf_add(&h->sb, markup, n);
}

void html_raw(struct html *h, const char *markup)
{
    strbuf_addstr(&h->sb, markup);
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
            strbuf_fail(&h->sb); /* a programming error: refuse the page rather than guess */
            break;
        }
        run = p + 1;
    }
    html_raw(h, run);
    va_end(ap);
}
