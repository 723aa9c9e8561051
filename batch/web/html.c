#include "html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "texts.h"

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

/* n bytes of s as text (escaped; NUL-terminated copy for html_text). */
static void text_n(struct html *h, const char *s, size_t n)
{
    char buf[512];
    while (n) {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        /* never cut a UTF-8 sequence: escaping works byte by byte, but keep it whole */
        while (k < n && k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        memcpy(buf, s, k);
        buf[k] = '\0';
        html_text(h, buf);
        s += k;
        n -= k;
    }
}

/* Text with furigana: plain runs escaped, [base|reading] as ruby. */
static void text_ruby_n(struct html *h, const char *s, size_t n)
{
    char buf[1024];
    if (n >= sizeof buf) {
        text_n(h, s, n);
        return;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    const char *p = buf;
    struct ruby_seg seg;
    while (texts_ruby_next(&p, &seg)) {
        if (!seg.reading) {
            text_n(h, seg.base, seg.base_len);
            continue;
        }
        html_raw(h, "<ruby>");
        text_n(h, seg.base, seg.base_len);
        html_raw(h, "<rt>");
        text_n(h, seg.reading, seg.reading_len);
        html_raw(h, "</rt></ruby>");
    }
}

void html_t(struct html *h, const char *text)
{
    if (text)
        text_ruby_n(h, text, strlen(text));
}

/* html_f and html_tf: the format's own runs are markup (html_f) or text (html_tf). */
static void format(struct html *h, bool text, const char *fmt, va_list ap)
{
    const char *run = fmt;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        if (text)
            text_ruby_n(h, run, (size_t)(p - run));
        else
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
    if (text)
        html_t(h, run);
    else
        html_raw(h, run);
}

void html_f(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format(h, false, fmt, ap);
    va_end(ap);
}

void html_tf(struct html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    format(h, true, fmt, ap);
    va_end(ap);
}
