/* bookload: the booking benchmark's load client: CONNS keep-alive connections, each
 * walking whole booking flows (start page, birthday, date, slot, confirm) one resident
 * after another, each with its own reservation ID, session cookie and CSRF token, for
 * SECONDS. One thread, epoll, no library: a client that costs little next to the server
 * it measures on the same two cores. Prints bookings/s, requests/s, per-request p50/p99
 * latency and the failures. Built and run by scripts/bench-serve.sh; never by the tests.
 *
 *   bookload HOST PORT RIDS_FILE CONNS SECONDS MODE DAYS SLOT...
 * RIDS_FILE: "RID,MMDD" lines (the nightly feed's columns 1 and 6). MODE "book": each
 * flow ends at the confirmation; "cycle": each booking is then cancelled (change of mind,
 * the cancel page), so that IDs and seats come back and a soak can run for any length.
 * DAYS: comma-separated; the flows spread over DAYS x SLOTs.
 * MODE "start@RATE" or "date@RATE": single pages at RATE requests/s in all (the start page
 * of each ID in turn; the date page of each "cn_sid=..." line of the file in turn), to read
 * the latency at a given load rather than at saturation; no DAYS or SLOTs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF 65536
#define HIST 100000 /* 100-us buckets up to 10 s; the last one holds the rest */

struct rid {
    char id[13];
    int month, day;
};

struct conn {
    int fd;
    int step;
    int who; /* index into rids */
    char cookie[80], csrf[40];
    char out[2048];
    size_t out_len, out_sent;
    char in[BUF];
    size_t in_len;
    double sent_at;
};

static struct rid *rids;
static int n_rids, next_rid;
static char *days[64];
static int n_days;
static int cycle;
static int page_mode; /* 0: flows; 1: start pages; 2: date pages */
static double rate;
static char (*cookies)[80];
static int n_cookies, next_page;
static long issued;
static char **slots;
static int n_slots;
static struct sockaddr_in addr;
static int ep;
static long hist[HIST + 1];
static long step_hist[10][HIST + 1]; /* the same per step, for BOOKLOAD_STEPS=1 */
static long step_n[10];
static long requests, bookings, failures, out_of_ids;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends what it can now; only a request that did not go out whole waits for EPOLLOUT, so
 * that an idle connection does not wake the loop. */
static void flush(struct conn *c)
{
    while (c->out_sent < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        c->out_sent += (size_t)w;
    }
    struct epoll_event ev = {.events = EPOLLIN | (c->out_sent < c->out_len ? EPOLLOUT : 0),
                             .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void page_request(struct conn *c)
{
    int n;
    if (page_mode == 1)
        n = snprintf(c->out, sizeof c->out, "GET /R/%s HTTP/1.1\r\nHost: bench\r\n\r\n",
                     rids[next_page++ % n_rids].id);
    else
        n = snprintf(c->out, sizeof c->out,
                     "GET /date HTTP/1.1\r\nHost: bench\r\nCookie: %s\r\n\r\n",
                     cookies[next_page++ % n_cookies]);
    c->out_len = (size_t)n;
    c->out_sent = 0;
    c->in_len = 0;
    c->step = 0;
    c->sent_at = now_s();
    issued++;
    flush(c);
}

static void request(struct conn *c)
{
    char path[64], body[256] = "";
    const char *method = "GET";
    const struct rid *r = &rids[c->who];
    switch (c->step) {
    case 0:
        snprintf(path, sizeof path, "/R/%s", r->id);
        break;
    case 1:
        snprintf(path, sizeof path, "/birthday");
        break;
    case 2:
        method = "POST";
        snprintf(path, sizeof path, "/birthday");
        snprintf(body, sizeof body, "csrf=%s&bday-month=%d&bday-day=%d", c->csrf, r->month, r->day);
        break;
    case 3:
        snprintf(path, sizeof path, "/date");
        break;
    case 4:
        method = "POST";
        snprintf(path, sizeof path, "/date");
        snprintf(body, sizeof body, "csrf=%s&date=%s", c->csrf, days[(c->who / n_slots) % n_days]);
        break;
    case 5:
        method = "POST";
        snprintf(path, sizeof path, "/slot");
        snprintf(body, sizeof body, "csrf=%s&slot=%s", c->csrf, slots[c->who % n_slots]);
        break;
    case 6:
        method = "POST";
        snprintf(path, sizeof path, "/check");
        snprintf(body, sizeof body, "csrf=%s", c->csrf);
        break;
    case 7:
        snprintf(path, sizeof path, "/birthday?intent=cancel");
        break;
    case 8:
        snprintf(path, sizeof path, "/cancel");
        break;
    default:
        method = "POST";
        snprintf(path, sizeof path, "/cancel");
        snprintf(body, sizeof body, "csrf=%s", c->csrf);
        break;
    }
    int n = snprintf(c->out, sizeof c->out, "%s %s HTTP/1.1\r\nHost: bench\r\n%s%s%s", method, path,
                     c->cookie[0] ? "Cookie: " : "", c->cookie, c->cookie[0] ? "\r\n" : "");
    if (body[0])
        n += snprintf(c->out + n, sizeof c->out - (size_t)n,
                      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                      "%zu\r\n\r\n%s",
                      strlen(body), body);
    else
        n += snprintf(c->out + n, sizeof c->out - (size_t)n, "\r\n");
    c->out_len = (size_t)n;
    c->out_sent = 0;
    c->in_len = 0;
    c->sent_at = now_s();
    flush(c);
}

static void new_flow(struct conn *c)
{
    c->step = 0;
    c->cookie[0] = c->csrf[0] = '\0';
    if (next_rid >= n_rids) {
        out_of_ids++;
        next_rid = 0; /* a resident already booked sees "booked", a failure: counted */
    }
    c->who = next_rid++;
    request(c);
}

/* Complete response in c->in? Returns its length, 0 when more is needed. */
static size_t complete(struct conn *c, int *status)
{
    c->in[c->in_len < BUF ? c->in_len : BUF - 1] = '\0';
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end)
        return 0;
    size_t head = (size_t)(end - c->in) + 4, len = 0;
    char *cl = strcasestr(c->in, "\r\nContent-Length:");
    if (cl && cl < end)
        len = strtoul(cl + 17, NULL, 10);
    if (c->in_len < head + len)
        return 0;
    *status = atoi(c->in + 9);
    return head + len;
}

static void took(struct conn *c, int status)
{
    if (page_mode) {
        if (status != 200)
            failures++;
        c->step = -1; /* idle until the pacing gives it the next request */
        return;
    }
    const char *sc = strcasestr(c->in, "\r\nSet-Cookie: cn_sid=");
    if (sc) {
        size_t n = strcspn(sc + 14, ";\r");
        snprintf(c->cookie, sizeof c->cookie, "%.*s", (int)n, sc + 14);
    }
    const char *t = strstr(c->in, "name=\"csrf\" value=\"");
    if (t)
        snprintf(c->csrf, sizeof c->csrf, "%.*s", (int)strcspn(t + 19, "\""), t + 19);
    static const int want[] = {200, 200, 303, 200, 303, 303, 303, 303, 200, 200};
    if (status != want[c->step]) {
        failures++;
        new_flow(c);
        return;
    }
    if (c->step == 6)
        bookings++;
    if ((c->step == 6 && !cycle) || c->step == 9) {
        new_flow(c);
        return;
    }
    c->step++;
    request(c);
}

static int open_conn(int ep, struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0 && errno != EINPROGRESS)
        return -1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    return epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

int main(int argc, char **argv)
{
    if (argc < 7 || (argc < 9 && !strchr(argv[6], '@'))) {
        fprintf(stderr, "usage: bookload HOST PORT RIDS_FILE CONNS SECONDS MODE DAYS SLOT...\n");
        return 2;
    }
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &addr.sin_addr);
    FILE *f = fopen(argv[3], "r");
    if (!f)
        return 2;
    int cap = 1024;
    rids = malloc(sizeof *rids * (size_t)cap);
    char line[128];
    while (fgets(line, sizeof line, f)) {
        char id[16];
        int mmdd;
        if (sscanf(line, "%12[^,],%d", id, &mmdd) != 2 || strlen(id) != 12)
            continue;
        if (n_rids == cap)
            rids = realloc(rids, sizeof *rids * (size_t)(cap *= 2));
        snprintf(rids[n_rids].id, sizeof rids[n_rids].id, "%s", id);
        rids[n_rids].month = mmdd / 100;
        rids[n_rids].day = mmdd % 100;
        n_rids++;
    }
    fclose(f);
    const int n = atoi(argv[4]);
    const double seconds = atof(argv[5]);
    cycle = strcmp(argv[6], "cycle") == 0;
    if (strncmp(argv[6], "start@", 6) == 0 || strncmp(argv[6], "date@", 5) == 0) {
        page_mode = argv[6][0] == 's' ? 1 : 2;
        rate = atof(strchr(argv[6], '@') + 1);
    }
    for (char *d = argc > 7 ? strtok(argv[7], ",") : NULL; d && n_days < 64; d = strtok(NULL, ","))
        days[n_days++] = d;
    slots = argv + 8;
    n_slots = argc - 8;
    if (page_mode == 2) {
        FILE *cf = fopen(argv[3], "r");
        cookies = calloc(100000, sizeof *cookies);
        while (cf && n_cookies < 100000 && fgets(cookies[n_cookies], sizeof cookies[0], cf))
            if (cookies[n_cookies][0] == 'c') {
                cookies[n_cookies][strcspn(cookies[n_cookies], "\r\n")] = '\0';
                n_cookies++;
            }
        if (cf)
            fclose(cf);
        if (!n_cookies)
            return 2;
    } else if (n_rids == 0 || n < 1 || (!page_mode && n_days == 0))
        return 2;
    ep = epoll_create1(0);
    struct conn *conns = calloc((size_t)n, sizeof *conns);
    for (int i = 0; i < n; i++) {
        if (open_conn(ep, &conns[i]) != 0) {
            perror("connect");
            return 1;
        }
        if (page_mode)
            conns[i].step = -1;
        else
            new_flow(&conns[i]);
    }
    const double t0 = now_s();
    struct epoll_event evs[256];
    int idle_at = 0;
    while (now_s() - t0 < seconds) {
        /* the pacing: as many requests as the rate owes by now, on idle connections */
        for (int tries = 0; page_mode && issued < (long)(rate * (now_s() - t0)) && tries < n;
             tries++) {
            struct conn *c = &conns[idle_at++ % n];
            if (c->step == -1)
                page_request(c);
        }
        const int k = epoll_wait(ep, evs, 256, page_mode ? 1 : 100);
        for (int i = 0; i < k; i++) {
            struct conn *c = evs[i].data.ptr;
            if (evs[i].events & EPOLLOUT)
                flush(c);
            if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                ssize_t r = recv(c->fd, c->in + c->in_len, BUF - 1 - c->in_len, 0);
                if (r <= 0 && !(r < 0 && errno == EAGAIN)) {
                    /* the server closed it: count, reconnect, start a new flow */
                    failures++;
                    close(c->fd);
                    open_conn(ep, c);
                    if (page_mode)
                        c->step = -1;
                    else
                        new_flow(c);
                    continue;
                }
                if (r > 0)
                    c->in_len += (size_t)r;
                int status;
                if (complete(c, &status)) {
                    const double us = (now_s() - c->sent_at) * 1e6;
                    const long b = (long)(us / 100);
                    hist[b < HIST ? b : HIST]++;
                    step_hist[c->step][b < HIST ? b : HIST]++;
                    step_n[c->step]++;
                    requests++;
                    took(c, status);
                }
            }
        }
    }
    const double t = now_s() - t0;
    long seen = 0, p50 = -1, p99 = -1;
    for (long b = 0; b <= HIST; b++) {
        seen += hist[b];
        if (p50 < 0 && seen * 2 >= requests)
            p50 = b;
        if (p99 < 0 && seen * 100 >= requests * 99)
            p99 = b;
    }
    printf("bookings=%ld bookings_per_s=%.0f requests_per_s=%.0f p50_ms=%.1f p99_ms=%.1f "
           "failures=%ld ids_reused=%ld seconds=%.1f\n",
           bookings, (double)bookings / t, (double)requests / t, (double)p50 / 10.0,
           (double)p99 / 10.0, failures, out_of_ids, t);
    /* which request of the flow is slow: its p99 */
    for (int k = 0; getenv("BOOKLOAD_STEPS") && k < 10; k++) {
        long acc = 0, q = -1;
        for (long b = 0; b <= HIST && step_n[k]; b++) {
            acc += step_hist[k][b];
            if (q < 0 && acc * 100 >= step_n[k] * 99)
                q = b;
        }
        if (step_n[k])
            printf("step %d: %ld requests, p99 %.1f ms\n", k, step_n[k], (double)q / 10.0);
    }
    return 0;
}
