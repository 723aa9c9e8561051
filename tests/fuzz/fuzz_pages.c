/* fuzz_pages: the residents' booking pages (book_*.c) and the counter's (staff_*.c,
 * under /staff, routed as `serve` routes them) through the HTTP layer's in-process harness, on a
 * database the nightly run made from the sample, with the clock pinned. An input is up to 16
 * requests separated by a line "%%": a line "METHOD TARGET", header lines, an empty line, the body.
 * {rid} {rid2} {m} {d} {csrf} are replaced by a due ID of district 01 (02), its birth month and
 * day, and the session's CSRF token, {scsrf} by the staff session's; the session cookie is carried
 * from response to request as a browser would, and a staff session of an all-offices account
 * ("clerk") is in the database, its cookie sent with every request that names no Cookie of its own
 * (a login hashes with Argon2id, far too slow to fuzz through). Each input starts from the same
 * database and a fresh service, so that a finding replays. FUZZ_PAGES_TRACE=1 prints each request's
 * answer. Beyond "no crash": every status is one the service means to send, no page is cut short
 * (out of memory or a bad format), a redirect stays on this site, cookies are HttpOnly,
 * no page carries a <script> (whatever the input put in a field is escaped), and a target with
 * a %00 is refused (the harness decodes the target as `serve` does: one function). */
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "book_site.h"
#include "config.h"
#include "config_load.h"
#include "feed_in.h"
#include "http.h"
#include "log.h"
#include "run.h"
#include "secret.h"
#include "store_staff.h"
#include "staff_site.h"
#include "web_runtime.h"
#include "store.h"

#ifndef CN_REPO_ROOT
#define CN_REPO_ROOT "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], db_path[300];
static char *db_image;
static size_t db_len;
static struct config cfg;
static int64_t pinned;
static char rid1[16], rid2[16], month1[4], day1[4];
static char staff_cookie[16 + SECRET_TOKEN_LEN], staff_csrf[SECRET_TOKEN_LEN + 1];

static void read_ids(const char *csv)
{
    FILE *f = fopen(csv, "r");
    if (!f)
        abort();
    char line[256];
    while (fgets(line, sizeof line, f)) {
        char rid[16], ws[16], we[16], exp[16], dist[8], mmdd[8];
        if (sscanf(line, "%15[^,],%15[^,],%15[^,],%15[^,],%7[^,],%7s", rid, ws, we, exp, dist,
                   mmdd) != 6 ||
            strcmp(we, "2027-01-01") < 0)
            continue;
        if (!rid1[0] && strcmp(dist, "01") == 0) {
            snprintf(rid1, sizeof rid1, "%s", rid);
            snprintf(month1, sizeof month1, "%d", atoi(mmdd) / 100);
            snprintf(day1, sizeof day1, "%d", atoi(mmdd) % 100);
        } else if (!rid2[0] && strcmp(dist, "02") == 0) {
            snprintf(rid2, sizeof rid2, "%s", rid);
        }
    }
    fclose(f);
    if (!rid1[0] || !rid2[0])
        abort();
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The night's output and the databases go when the fuzzer ends. */
static void cleanup(void)
{
    if (dir[0])
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* An all-offices account and a live session of it, written into the booking store before
 * its image is taken, as a login would have left them. */
static void add_staff_session(const char *db)
{
    struct cn_err err = {0};
    struct store *s = NULL;
    char hash[SECRET_HASH_MAX], token[SECRET_TOKEN_LEN + 1];
    struct staff_session ss;
    memset(&ss, 0, sizeof ss);
    bool exists = false;
    if (secret_init(&err) || store_open_booking(db, 0600, &s, &err) ||
        secret_hash_password("fuzz-clerk-password", hash, &err) ||
        store_staff_add(s, "clerk", STAFF_ALL_OFFICES, hash, &exists, &err) ||
        secret_token(token, &err) || secret_token(ss.csrf, &err))
        abort();
    secret_token_digest(token, ss.digest);
    snprintf(ss.staff, sizeof ss.staff, "clerk");
    ss.last_seen = pinned;
    if (store_staff_session_new(s, &ss, &err))
        abort();
    store_close(s);
    snprintf(staff_cookie, sizeof staff_cookie, "cn_staff=%s", token);
    memcpy(staff_csrf, ss.csrf, sizeof staff_csrf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_init(LOG_ERROR);
    atexit(cleanup);
    snprintf(dir, sizeof dir, "%s/fuzz-pages.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        abort();
    char night_db[300], inside_db[300], out[300], csv[400], booking[400];
    snprintf(night_db, sizeof night_db, "%s/night.db", dir);
    snprintf(inside_db, sizeof inside_db, "%s/inside.db", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(db_path, sizeof db_path, "%s/cn.db", dir);
    struct cn_err err = {0};
    const struct run_opts o = {.date = date_from_ymd(2026, 12, 1),
                               .input = CN_REPO_ROOT "/input/sample",
                               .db = inside_db,
                               .out = out,
                               .config = CN_REPO_ROOT "/templates/municipalities/demo.xml",
                               .jobs = 1};
    if (run_nightly(&o, &err) > CN_REJECTS) {
        fprintf(stderr, "fuzz_pages: the nightly run failed: %s\n", err.msg);
        abort();
    }
    snprintf(csv, sizeof csv, "%s/2026-12-01/booking/reservations.csv", out);
    read_ids(csv);
    if (config_load(o.config, &cfg, &err))
        abort();
    struct tm tm = {.tm_year = 126, .tm_mon = 11, .tm_mday = 3, .tm_hour = 10, .tm_isdst = -1};
    pinned = (int64_t)mktime(&tm);
    /* The pages serve the booking store the night's feed fills, as on the internet side. */
    snprintf(booking, sizeof booking, "%s/2026-12-01/booking", out);
    struct store *bstore = NULL;
    struct feed_in_result fr;
    const struct feed_in_opts fo = {.path = booking,
                                    .municipality = cfg.municipality,
                                    .today = o.date,
                                    .now = pinned,
                                    .retention_days = cfg.retention_days};
    if (store_open_booking(night_db, 0600, &bstore, &err) || feed_in_load(bstore, &fo, &fr, &err)) {
        fprintf(stderr, "fuzz_pages: feed import failed: %s\n", err.msg);
        abort();
    }
    store_close(bstore);
    add_staff_session(night_db);
    FILE *f = fopen(night_db, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        abort();
    db_len = (size_t)ftell(f);
    rewind(f);
    db_image = malloc(db_len);
    if (!db_image || fread(db_image, 1, db_len, f) != db_len)
        abort();
    fclose(f);
    return 0;
}

static void fresh_db(void)
{
    char side[320];
    snprintf(side, sizeof side, "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", db_path);
    unlink(side);
    const int fd = open(db_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, db_image, db_len) != (ssize_t)db_len)
        abort();
    close(fd);
}

struct browser {
    char cookie[200]; /* "cn_sid=...; cn_staff=..." */
    char csrf[40];
};

/* s[0..n) with the placeholders replaced, into out (cut at cap). */
static size_t expand(const char *s, size_t n, const struct browser *b, char *out, size_t cap)
{
    static const char *const names[] = {"{rid}", "{rid2}", "{m}", "{d}", "{csrf}", "{scsrf}"};
    const char *values[] = {rid1, rid2, month1, day1, b->csrf, staff_csrf};
    enum { N_NAMES = sizeof names / sizeof names[0] };
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap;) {
        size_t k = 0;
        for (; k < N_NAMES; k++) {
            const size_t len = strlen(names[k]);
            if (n - i >= len && memcmp(s + i, names[k], len) == 0)
                break;
        }
        if (k < N_NAMES) {
            const size_t vl = strlen(values[k]);
            if (o + vl + 1 >= cap)
                break;
            memcpy(out + o, values[k], vl);
            o += vl;
            i += strlen(names[k]);
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    return o;
}

static void check_response(const struct http_response *res)
{
    static const int allowed[] = {200, 303, 400, 403, 404, 405, 413, 429, 431, 503};
    bool ok = false;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ok = ok || res->status == allowed[i];
    if (!ok || html_failed(&res->body))
        abort();
    if (res->status == 303 && (res->location[0] != '/' || res->location[1] == '/'))
        abort();
    if (res->set_cookie[0] && !strstr(res->set_cookie, "; HttpOnly"))
        abort();
    if (res->body.sb.buf && strstr(res->body.sb.buf, "<script"))
        abort();
}

static void take(struct browser *b, const struct http_response *res)
{
    if (strncmp(res->set_cookie, "cn_sid=", 7) == 0) {
        const size_t len = strcspn(res->set_cookie, ";");
        snprintf(b->cookie, sizeof b->cookie, "%.*s", (int)len, res->set_cookie);
    }
    const char *t = res->body.sb.buf ? strstr(res->body.sb.buf, "name=\"csrf\" value=\"") : NULL;
    if (t)
        snprintf(b->csrf, sizeof b->csrf, "%.*s", (int)strcspn(t + 19, "\""), t + 19);
}

/* One request: "METHOD TARGET\nName: value\n...\n\nbody". */
static void one(struct http_route *routes, struct web_runtime *web,
                const struct http_limits *limits, struct browser *b, const char *s, size_t n)
{
    static char text[8192];
    n = expand(s, n, b, text, sizeof text);
    char *line_end = memchr(text, '\n', n);
    char *head_end = strstr(text, "\n\n");
    const char *body = head_end ? head_end + 2 : "";
    const size_t body_len = head_end ? n - (size_t)(body - text) : 0;
    if (head_end)
        *head_end = '\0';
    if (line_end && (!head_end || line_end < head_end))
        *line_end = '\0';
    char *sp = strchr(text, ' ');
    if (!sp)
        return;
    *sp = '\0';
    struct http_field headers[HTTP_MAX_HEADERS + 3];
    int nh = 0;
    bool cookie = false, host = false;
    for (char *h = line_end && (!head_end || line_end < head_end) ? line_end + 1 : NULL;
         h && *h && nh < HTTP_MAX_HEADERS;) {
        char *next = strchr(h, '\n');
        if (next)
            *next = '\0';
        char *colon = strchr(h, ':');
        if (colon) {
            *colon = '\0';
            headers[nh++] = (struct http_field){h, colon[1] == ' ' ? colon + 2 : colon + 1};
            cookie = cookie || strcasecmp(h, "Cookie") == 0;
            host = host || strcasecmp(h, "Host") == 0;
        }
        h = next ? next + 1 : NULL;
    }
    char jar[sizeof b->cookie + sizeof staff_cookie + 2];
    snprintf(jar, sizeof jar, "%s%s%s", b->cookie, b->cookie[0] ? "; " : "", staff_cookie);
    if (!cookie)
        headers[nh++] = (struct http_field){"Cookie", jar};
    if (body_len)
        headers[nh++] = (struct http_field){"Content-Type", "application/x-www-form-urlencoded"};
    /* HTTP/1.1 as a browser sends it: a Host unless the input names one (or several) */
    if (!host)
        headers[nh++] = (struct http_field){"Host", "yoyaku.example.lg.jp"};
    const struct http_harness_request in = {text, sp + 1,   headers,     nh,
                                            body, body_len, "192.0.2.7", "HTTP/1.1"};
    struct http_response res;
    http_harness(limits, http_dispatch, routes, book_error_page, web, &in, &res);
    check_response(&res);
    /* a %00 is refused whole, never cut short to a path that exists (issue 26) */
    if (strstr(sp + 1, "%00") && res.status != 400 && res.status != 405 && res.status != 431)
        abort();
    /* FUZZ_PAGES_TRACE=1: what each request got, for writing seeds that go deep */
    if (getenv("FUZZ_PAGES_TRACE"))
        fprintf(stderr, "%s %s -> %d %s\n", text, sp + 1, res.status, res.location);
    take(b, &res);
    html_free(&res.body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fresh_db();
    struct web_runtime *web = NULL;
    struct cn_err err = {0};
    if (web_runtime_new(&cfg, db_path, pinned, 1, &web, &err))
        abort();
    /* As `serve` routes them without --staff-listen. */
    struct http_route routes[] = {
        {"/staff", staff_handle, web}, {"/", book_handle, web}, {NULL, NULL, NULL}};
    const struct http_limits limits = http_default_limits();
    struct browser b = {"", ""};
    const char *s = (const char *)data;
    size_t left = size;
    for (int i = 0; i < 16 && left; i++) {
        const char *sep = memmem(s, left, "\n%%\n", 4);
        const size_t len = sep ? (size_t)(sep - s) : left;
        one(routes, web, &limits, &b, s, len);
        s += sep ? len + 4 : len;
        left -= sep ? len + 4 : len;
    }
    web_runtime_free(web);
    return 0;
}
