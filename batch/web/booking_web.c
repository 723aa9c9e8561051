#include "booking_web.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_booking.h"
#include "ics.h"
#include "jcal.h"
#include "log.h"
#include "pages.h"
#include "ratelimit.h"
#include "rid.h"
#include "rules.h"
#include "session.h"
#include "slots.h"
#include "store_staff.h"

#define COOKIE "cn_sid"
#define SESSION_IDLE (30 * 60)
#define SESSION_CAP 20000
#define MAX_SLOTS 64
#define MAX_DAYS 400
#define LOOKUP_ADDRESSES 16384 /* client addresses whose lookups are counted at once */

/* Connections to the database, one per request at a time: SQLite connections are not
 * shared between threads, and a pool lets them be closed at shutdown. */
struct pool {
    pthread_mutex_t lock;
    struct store_booking **free;
    int n_free, cap;
};

struct booking_web {
    const struct config *cfg;
    char db_path[512];
    int64_t offset; /* --now minus the real clock at start */
    struct session_jar *jar;
    struct pool pool;
    /* ID lookups per client address: without it, a script could walk the ID space (see
     * page_start). The table is not thread-safe: its own lock. */
    pthread_mutex_t lookups_lock;
    struct ratelimit *lookups;
    /* This process's writers queue here rather than on SQLite's lock: SQLite's busy wait
     * polls, and under a rush the unlucky poller waited over a second; a mutex wakes them
     * in turn. The night, another process, still meets SQLite's lock and busy wait. */
    pthread_mutex_t write_lock;
};

/* Everything one request needs, passed to every page function. */
struct req {
    struct booking_web *w;
    const struct http_request *in;
    struct http_response *out;
    struct store_booking *bs;
    struct session s;
    bool have_session;
    int64_t now;         /* seconds since the epoch, on the service's clock */
    struct slot_time at; /* the same moment in local time */
};

/* ---- clock ---- */

static void clock_now(const struct booking_web *w, int64_t *now, struct slot_time *at)
{
    const time_t t = time(NULL) + (time_t)w->offset;
    struct tm tm;
    localtime_r(&t, &tm);
    *now = (int64_t)t;
    at->day = date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    at->min = tm.tm_hour * 60 + tm.tm_min;
}

/* ---- pool ---- */

static struct store_booking *pool_get(struct booking_web *w, struct cn_err *err)
{
    struct store_booking *bs = NULL;
    pthread_mutex_lock(&w->pool.lock);
    if (w->pool.n_free > 0)
        bs = w->pool.free[--w->pool.n_free];
    pthread_mutex_unlock(&w->pool.lock);
    if (!bs && store_booking_open(w->db_path, &bs, err) != CN_OK)
        return NULL;
    return bs;
}

static void pool_put(struct booking_web *w, struct store_booking *bs)
{
    pthread_mutex_lock(&w->pool.lock);
    if (w->pool.free && w->pool.n_free < w->pool.cap) {
        w->pool.free[w->pool.n_free++] = bs;
        bs = NULL;
    }
    pthread_mutex_unlock(&w->pool.lock);
    store_booking_close(bs);
}

int booking_web_new(const struct config *cfg, const char *db_path, int64_t pinned, int pool,
                    struct booking_web **out, struct cn_err *err)
{
    *out = NULL;
    struct booking_web *w = calloc(1, sizeof *w);
    if (!w)
        return cn_fail(err, CN_EOUTPUT, "out of memory");
    w->cfg = cfg;
    snprintf(w->db_path, sizeof w->db_path, "%s", db_path);
    w->offset = pinned >= 0 ? pinned - (int64_t)time(NULL) : 0;
    pthread_mutex_init(&w->pool.lock, NULL);
    w->pool.cap = pool > 0 ? pool : 1;
    w->pool.free = calloc((size_t)w->pool.cap, sizeof(struct store_booking *));
    int rc = w->pool.free ? CN_OK : cn_fail(err, CN_EOUTPUT, "out of memory");
    if (!rc)
        /* Several nodes share a PostgreSQL store: the next request may reach another node,
         * so the sessions live in the store. One SQLite file has one node: in memory. */
        rc = store_uri_is_pg(db_path) ? session_jar_stored(db_path, SESSION_IDLE, &w->jar, err)
                                      : session_jar_new(SESSION_CAP, SESSION_IDLE, &w->jar, err);
    pthread_mutex_init(&w->lookups_lock, NULL);
    pthread_mutex_init(&w->write_lock, NULL);
    const struct ratelimit_conf lookups = {cfg->serve_limits.lookups_burst,
                                           cfg->serve_limits.lookups_per_hour, LOOKUP_ADDRESSES};
    if (!rc && !(w->lookups = ratelimit_new(&lookups)))
        rc = cn_fail(err, CN_EOUTPUT, "out of memory (lookup limits)");
    /* Open one connection now so that a wrong --db fails at start, not on the first page. */
    struct store_booking *bs = rc ? NULL : pool_get(w, err);
    if (!rc && !bs)
        rc = err ? err->status : CN_EUSAGE;
    if (bs)
        pool_put(w, bs);
    if (rc) {
        booking_web_free(w);
        return rc;
    }
    *out = w;
    return CN_OK;
}

const struct config *booking_web_config(const struct booking_web *w)
{
    return w->cfg;
}

struct store_booking *booking_web_store(struct booking_web *w, struct cn_err *err)
{
    return pool_get(w, err);
}

void booking_web_release(struct booking_web *w, struct store_booking *bs)
{
    pool_put(w, bs);
}

void booking_web_now(const struct booking_web *w, int64_t *now, struct slot_time *at)
{
    clock_now(w, now, at);
}

void booking_web_free(struct booking_web *w)
{
    if (!w)
        return;
    for (int i = 0; w->pool.free && i < w->pool.n_free; i++)
        store_booking_close(w->pool.free[i]);
    free(w->pool.free);
    pthread_mutex_destroy(&w->pool.lock);
    session_jar_free(w->jar);
    ratelimit_free(w->lookups);
    pthread_mutex_destroy(&w->lookups_lock);
    pthread_mutex_destroy(&w->write_lock);
    free(w);
}

/* ---- formatting ---- */

/* "2027年1月12日（火）" */
static void fmt_day(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d年%d月%d日（%s）", y, m, dd, jcal_weekday_kanji(d));
}

/* "1月12日（火）" */
static void fmt_day_short(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d月%d日（%s）", m, dd, jcal_weekday_kanji(d));
}

/* "9:00〜9:30" */
static void fmt_slot(int start, int len, char *out, size_t cap)
{
    const int end = start + len;
    snprintf(out, cap, "%d:%02d〜%d:%02d", start / 60, start % 60, end / 60, end % 60);
}

/* A reservation ID in a log line: enough to find it, not enough to use it. */
static void mask_rid(const char *rid, char out[16])
{
    snprintf(out, 16, "%.4s********", rid && rid[0] ? rid : "----");
}

/* ---- config lookups ---- */

static const struct office *office_by_id(const struct config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n_offices; i++)
        if (strcmp(cfg->offices[i].id, id) == 0)
            return &cfg->offices[i];
    return NULL;
}

/* The district's offices that take bookings, in the config's order. Whether the ID takes a
 * booking at all is the letter's (notice_booking), not today's district policy. */
int booking_web_offices(const struct config *cfg, const struct district *d,
                        const struct office **out)
{
    int n = 0;
    for (int i = 0; d && i < d->n_offices; i++) {
        const struct office *o = &cfg->offices[d->offices[i]];
        if (o->booking.enabled)
            out[n++] = o;
    }
    return n;
}

/* ---- responses ---- */

static void begin(struct req *r, const char *title, bool errors, const char *back)
{
    page_begin(&r->out->body, r->w->cfg->municipality, title, errors, back);
}

static void end(struct req *r)
{
    page_end(&r->out->body, r->w->cfg->booking_phone, r->w->cfg->booking_hours);
}

static void status_page(struct req *r, int status)
{
    html_free(&r->out->body);
    r->out->status = status;
    page_status(&r->out->body, r->w->cfg->municipality, status, r->w->cfg->booking_phone,
                r->w->cfg->booking_hours);
}

static void fail_page(struct req *r, const struct cn_err *err)
{
    log_error("serve", "%s", err->msg);
    status_page(r, 503);
}

/* The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other site's form
 * sends it), Secure when the proxy says the client came over TLS. */
static void set_cookie(struct req *r)
{
    snprintf(r->out->set_cookie, sizeof r->out->set_cookie,
             COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax%s", r->s.token,
             r->in->https ? "; Secure" : "");
}

/* The session of this request, made on the first page a resident opens. */
static int ensure_session(struct req *r)
{
    if (r->have_session)
        return CN_OK;
    struct cn_err err = {0};
    if (session_new(r->w->jar, r->now, &r->s, &err)) {
        fail_page(r, &err);
        return CN_EOUTPUT;
    }
    r->have_session = true;
    set_cookie(r);
    return CN_OK;
}

/* Back to the start page of the session's ID, which explains every case of it (no
 * booking yet, booked, walk-in, not found). */
static void redirect_start(struct req *r)
{
    char to[64];
    snprintf(to, sizeof to, "/R/%s", r->s.rid);
    http_redirect(r->out, to);
}

/* ---- the resident behind the session ---- */

int booking_web_resident_offices(const struct config *cfg, const struct booking_resident *res,
                                 const struct district **district, struct window *window,
                                 const struct office **out)
{
    *district = config_district(cfg, res->district);
    *window = rules_window(res->cert_expiry);
    return res->booking == NOTICE_BOOK_YES ? booking_web_offices(cfg, *district, out) : 0;
}

struct who {
    struct booking_resident res;
    const struct district *district;
    struct window window;
    const struct office *offices[BOOKING_WEB_MAX_OFFICES];
    int n_offices;
};

static int load_who(struct req *r, const char *rid, struct who *who, bool *found)
{
    struct cn_err err = {0};
    memset(who, 0, sizeof *who);
    if (store_booking_resident(r->bs, rid, &who->res, found, &err)) {
        fail_page(r, &err);
        return CN_EOUTPUT;
    }
    if (!*found || !booking_resident_opens(&who->res))
        return *found = false, CN_OK;
    who->n_offices = booking_web_resident_offices(r->w->cfg, &who->res, &who->district,
                                                  &who->window, who->offices);
    return CN_OK;
}

static bool office_allowed(const struct who *who, const char *id)
{
    for (int i = 0; i < who->n_offices; i++)
        if (strcmp(who->offices[i]->id, id) == 0)
            return true;
    return false;
}

static struct slot_resident slot_res(const struct who *who)
{
    struct slot_resident s = {who->window.start, who->window.end, who->res.letter_date};
    return s;
}

/* The session's verified resident, or a redirect back to where the flow starts. */
static bool verified(struct req *r, struct who *who)
{
    if (!r->have_session || !r->s.rid[0]) {
        http_redirect(r->out, "/");
        return false;
    }
    if (!r->s.verified) {
        redirect_start(r);
        return false;
    }
    bool found;
    if (load_who(r, r->s.rid, who, &found))
        return false;
    if (!found) {
        http_redirect(r->out, "/");
        return false;
    }
    return true;
}

/* ---- seats ---- */

struct taken_list {
    int n;
    struct {
        cn_date day;
        int start, taken;
    } e[2048];
    struct slot_changes ch; /* the counter's closures and seat changes over the same days */
};

static void add_taken(cn_date day, int start, int taken, void *ctx)
{
    struct taken_list *t = ctx;
    if (t->n < (int)(sizeof t->e / sizeof t->e[0])) {
        t->e[t->n].day = day;
        t->e[t->n].start = start;
        t->e[t->n].taken = taken;
        t->n++;
    }
}

static int taken_at(const struct taken_list *t, cn_date day, int start)
{
    for (int i = 0; i < t->n; i++)
        if (t->e[i].day == day && t->e[i].start == start)
            return t->e[i].taken;
    return 0;
}

/* The slots of one day with their verdict and seats left. */
struct day_view {
    int n;
    int starts[MAX_SLOTS];
    enum slot_verdict verdict[MAX_SLOTS];
    int left[MAX_SLOTS];
    int seats_left; /* over the slots still bookable or full */
    int open_slots; /* slots that are bookable or full (not past the cutoff) */
};

static void view_day(const struct req *r, const struct who *who, const struct office *o,
                     cn_date day, const struct taken_list *t, struct day_view *v)
{
    memset(v, 0, sizeof *v);
    const struct slot_resident res = slot_res(who);
    v->n = slots_of_day(&o->calendar, &o->booking, day, v->starts, MAX_SLOTS);
    for (int i = 0; i < v->n; i++) {
        const int taken = taken_at(t, day, v->starts[i]);
        const struct slot_time st = {day, v->starts[i]};
        v->verdict[i] =
            slots_check_changed(&o->calendar, &o->booking, &t->ch, &res, r->at, st, taken);
        const int seats = slots_seats(&o->booking, &t->ch, day, v->starts[i]);
        v->left[i] = seats > taken ? seats - taken : 0;
        if (v->verdict[i] == SLOT_OK || v->verdict[i] == SLOT_FULL) {
            v->open_slots++;
            v->seats_left += v->verdict[i] == SLOT_OK ? v->left[i] : 0;
        }
    }
}

/* The days a resident can pick at an office: first..last. */
static void bookable_range(const struct req *r, const struct who *who, const struct office *o,
                           cn_date *first, cn_date *last)
{
    const struct slot_resident res = slot_res(who);
    const struct date_range a = slots_allowed(&o->booking, &res);
    const cn_date horizon = slots_horizon_last(&o->calendar, &o->booking, r->at.day);
    *first = a.first > r->at.day ? a.first : r->at.day;
    *last = horizon == DATE_NONE ? *first - 1 : horizon;
    if (a.last < *last)
        *last = a.last;
    if (*last - *first > MAX_DAYS)
        *last = *first + MAX_DAYS;
}

static int load_taken(struct req *r, const struct office *o, cn_date first, cn_date last,
                      struct taken_list *t)
{
    struct cn_err err = {0};
    t->n = 0;
    t->ch.n_closures = t->ch.n_seats = 0;
    if (last >= first &&
        (store_booking_taken(r->bs, o->id, first, last, add_taken, t, &err) ||
         store_staff_changes(store_booking_db(r->bs), o->id, first, last, &t->ch, &err))) {
        fail_page(r, &err);
        return CN_EOUTPUT;
    }
    return CN_OK;
}

/* ---- pages ---- */

static void page_id_form(struct req *r, const char *typed, const char *error)
{
    struct html *h = &r->out->body;
    begin(r, "予約IDの入力", error != NULL, NULL);
    if (error) {
        const struct page_error e = {"rid", error};
        page_error_summary(h, &e, 1);
    }
    html_raw(h, "<form method=\"get\" action=\"/R\" novalidate>\n");
    html_raw(h, "<h1>電子証明書の更新の予約</h1>\n"
                "<p>マイナンバーカードの電子証明書を更新する窓口の日時を予約できます。</p>\n");
    html_f(h,
           "<div class=\"field%s\"><label for=\"rid\">予約ID</label>\n"
           "<span class=\"hint\" id=\"rid-hint\">通知書に書かれた12文字の予約IDです。"
           "例：ABCD-EFGH-JKLM（ハイフンはなくてもかまいません）</span>\n",
           error ? " has-error" : "");
    if (error)
        page_field_error(h, "rid", error);
    html_f(h,
           "<input id=\"rid\" name=\"rid\" type=\"text\" autocomplete=\"off\" "
           "autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"40\" "
           "aria-describedby=\"rid-hint%s\"%s value=\"%s\"></div>\n",
           error ? " rid-error" : "", error ? " class=\"invalid\"" : "", typed ? typed : "");
    page_button(h, "次へ", false);
    html_raw(h, "</form>\n");
    end(r);
}

static void describe_offices(struct req *r, const struct district *d)
{
    struct html *h = &r->out->body;
    for (int i = 0; d && i < d->n_offices; i++) {
        const struct office *o = &r->w->cfg->offices[d->offices[i]];
        char hours[256];
        officecal_describe(&o->calendar, hours, sizeof hours);
        html_f(h, "<h2>%s</h2>\n<p>%s<br>受付時間：%s", o->name, o->address, hours);
        if (o->phone[0])
            html_f(h, "<br>電話：%s", o->phone);
        html_raw(h, "</p>\n");
        if (o->note[0])
            html_f(h, "<p class=\"hint\">%s</p>\n", o->note);
    }
}

static void window_line(struct req *r, const struct who *who)
{
    char a[64], b[64];
    fmt_day(who->window.start, a, sizeof a);
    fmt_day(who->window.end, b, sizeof b);
    html_f(&r->out->body, "<p>更新できる期間：<strong>%sから%sまで</strong></p>\n", a, b);
}

static void booking_rows(struct req *r, const struct booking *b, const struct office *o,
                         bool change_links)
{
    struct html *h = &r->out->body;
    char ref[BOOKING_REF_LEN], day[64], slot[32];
    booking_ref(b->id, ref);
    fmt_day(b->day, day, sizeof day);
    fmt_slot(b->start_min, o ? o->booking.slot_min : 30, slot, sizeof slot);
    (void)change_links;
    html_raw(h, "<dl class=\"summary\">\n");
    page_summary_row(h, "予約番号", ref, NULL, NULL);
    page_summary_row(h, "窓口", o ? o->name : b->office, NULL, NULL);
    if (o)
        page_summary_row(h, "場所", o->address, NULL, NULL);
    page_summary_row(h, "日付", day, NULL, NULL);
    page_summary_row(h, "時間", slot, NULL, NULL);
    html_raw(h, "</dl>\n");
}

/* GET /R/{RID}: the start page and its cases. */
/* Every well-formed ID looked up costs the client address a token, found or not: the
 * answer (found, not found) is what a guesser is after. A typo (wrong check symbol) costs
 * nothing, and never reaches the database. */
static bool lookup_allowed(struct req *r)
{
    char key[64];
    int64_t retry = 0;
    ratelimit_key(r->in->client, key);
    pthread_mutex_lock(&r->w->lookups_lock);
    const bool ok = ratelimit_take(r->w->lookups, key, r->now, &retry);
    pthread_mutex_unlock(&r->w->lookups_lock);
    if (ok)
        return true;
    log_warn("serve", "ID lookup refused: too many from one address (next in %lld s)",
             (long long)retry);
    struct html *h = &r->out->body;
    r->out->status = 429;
    begin(r, "しばらくお待ちください", false, "/");
    html_raw(h, "<h1>しばらくお待ちください</h1>\n");
    html_f(h,
           "<p>短い時間に多くの予約IDが入力されたため、しばらく受け付けません。約%d分後に"
           "もう一度お試しください。</p>\n",
           (int)((retry + 59) / 60));
    html_f(h, "<p>お急ぎの場合は、電話 <strong>%s</strong>（%s）にお問い合わせください。</p>\n",
           r->w->cfg->booking_phone, r->w->cfg->booking_hours);
    end(r);
    return false;
}

static void page_start(struct req *r, const char *typed)
{
    char rid[RID_LEN + 1];
    if (!rid_check(typed, rid)) {
        page_id_form(r, typed,
                     "予約IDが正しくありません。通知書に書かれた12文字の予約IDを確かめて、"
                     "もう一度入力してください");
        return;
    }
    if (!lookup_allowed(r))
        return;
    struct who who;
    bool found;
    if (load_who(r, rid, &who, &found))
        return;
    struct html *h = &r->out->body;
    char masked[16];
    mask_rid(rid, masked);
    if (!found) {
        r->out->status = 404;
        begin(r, "予約IDが見つかりません", false, "/");
        html_raw(h, "<h1>この予約IDは見つかりません</h1>\n");
        html_f(h,
               "<p>入力された予約IDの通知書は見つかりませんでした。お手数ですが、電話 "
               "<strong>%s</strong>（%s）にお問い合わせください。</p>\n",
               r->w->cfg->booking_phone, r->w->cfg->booking_hours);
        end(r);
        return;
    }
    if (ensure_session(r))
        return;
    if (strcmp(r->s.rid, rid) != 0) {
        session_reset_flow(&r->s);
        snprintf(r->s.rid, sizeof r->s.rid, "%s", rid);
    }
    r->s.intent = INTENT_BOOK;
    session_put(r->w->jar, &r->s);

    char disp[RID_DISPLAY_LEN + 1];
    rid_display(rid, disp);
    if (who.n_offices == 0) {
        begin(r, "予約は不要です", false, "/");
        html_raw(h, "<h1>予約は不要です</h1>\n");
        html_f(h,
               "<p>予約ID %s の方は、予約をせずに、次の窓口へ受付時間内に直接お越しください。"
               "</p>\n",
               disp);
        window_line(r, &who);
        describe_offices(r, who.district);
        end(r);
        return;
    }

    struct booking b;
    struct cn_err err = {0};
    if (store_booking_active(r->bs, rid, &b, &found, &err)) {
        fail_page(r, &err);
        return;
    }
    if (found) {
        begin(r, "予約済みです", false, "/");
        html_raw(h, "<h1>予約済みです</h1>\n");
        html_f(h, "<p>予約ID %s の予約は次のとおりです。</p>\n", disp);
        booking_rows(r, &b, office_by_id(r->w->cfg, b.office), false);
        html_raw(h, "<p>予約を変更するときや取り消すときは、誕生日の入力が必要です。</p>\n");
        page_start_link(h, "/birthday?intent=change", "予約を変更する");
        html_raw(h, "<p><a class=\"button secondary\" href=\"/birthday?intent=cancel\" "
                    "role=\"button\">予約を取り消す</a></p>\n");
        end(r);
        return;
    }

    /* Booking opens on the earliest day any of the district's offices allows. */
    const struct slot_resident res = slot_res(&who);
    cn_date opens = DATE_MAX_OPEN, closes = DATE_NONE;
    for (int i = 0; i < who.n_offices; i++) {
        const struct date_range a = slots_allowed(&who.offices[i]->booking, &res);
        opens = a.first < opens ? a.first : opens;
        closes = a.last > closes ? a.last : closes;
    }
    const bool expired = r->at.day > who.window.end;
    if (expired && r->at.day > closes) {
        begin(r, "電子証明書の有効期限が過ぎています", false, "/");
        html_raw(h, "<h1>電子証明書の有効期限が過ぎています</h1>\n");
        window_line(r, &who);
        html_raw(h, "<p>有効期限が過ぎた電子証明書は更新できません。窓口で<strong>新規発行"
                    "</strong>の手続きをしてください。マイナンバーカードが有効な間は無料です。"
                    "</p>\n<p>この予約IDではインターネットで予約できません。</p>\n");
        html_f(h, "<p>お問い合わせ：電話 <strong>%s</strong></p>\n", r->w->cfg->booking_phone);
        describe_offices(r, who.district);
        end(r);
        return;
    }
    if (r->at.day < opens) {
        char d[64];
        fmt_day(opens, d, sizeof d);
        begin(r, "予約の受付はまだ始まっていません", false, "/");
        html_raw(h, "<h1>予約の受付はまだ始まっていません</h1>\n");
        html_f(h, "<p>予約ID %s の予約は、<strong>%s</strong>から受け付けます。</p>\n", disp, d);
        window_line(r, &who);
        end(r);
        return;
    }
    log_info("serve", "start rid=%s", masked);
    if (expired) {
        begin(r, "電子証明書の新規発行の予約", false, "/");
        html_raw(h, "<h1>電子証明書の新規発行の予約</h1>\n");
        window_line(r, &who);
        html_raw(h, "<div class=\"notice\"><p>電子証明書の有効期限が過ぎています。更新では"
                    "なく<strong>新規発行</strong>の手続きになります（マイナンバーカードが有効な"
                    "間は無料です）。</p></div>\n");
    } else {
        begin(r, "電子証明書の更新の予約", false, "/");
        html_raw(h, "<h1>電子証明書の更新の予約</h1>\n");
        window_line(r, &who);
        html_raw(h, "<p>マイナンバーカードの電子証明書を更新する窓口の日時を予約します。"
                    "</p>\n");
    }
    html_f(h,
           "<p>予約ID：%s</p>\n<p>はじめに、本人確認のため誕生日（月日）を入力して"
           "いただきます。</p>\n",
           disp);
    page_start_link(h, "/birthday", "予約を始める");
    end(r);
}

/* Full-width digits as people type them on a Japanese keyboard count as digits. */
static int parse_small_int(const char *s, int max_digits)
{
    int v = 0, digits = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int dgt;
        if (*p >= '0' && *p <= '9') {
            dgt = *p - '0';
            p++;
        } else if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) {
            dgt = p[2] - 0x90;
            p += 3;
        } else if (*p == ' ') {
            p++;
            continue;
        } else {
            return -1;
        }
        if (++digits > max_digits)
            return -1;
        v = v * 10 + dgt;
    }
    return digits ? v : -1;
}

static void birthday_form(struct req *r, const char *month, const char *day,
                          const struct page_error *errs, int n_err, bool bad_month, bool bad_day)
{
    struct html *h = &r->out->body;
    char back[64];
    snprintf(back, sizeof back, "/R/%s", r->s.rid);
    begin(r, "誕生日の入力", n_err > 0, back);
    page_error_summary(h, errs, n_err);
    page_form_post(h, "/birthday", r->s.csrf);
    html_f(h,
           "<div class=\"%s\"><fieldset role=\"group\" aria-describedby=\"bday-hint%s\">\n"
           "<legend><h1>誕生日を入力してください</h1></legend>\n"
           "<span class=\"hint\" id=\"bday-hint\">通知書の宛名の方の誕生日（月と日）です。"
           "例：4月1日なら 4 と 1</span>\n",
           n_err ? "has-error" : "", n_err ? " bday-error" : "");
    if (n_err)
        page_field_error(h, "bday", errs[0].msg);
    html_f(h,
           "<div class=\"date-input\"><div><label for=\"bday-month\">月</label>"
           "<input id=\"bday-month\" name=\"bday-month\" type=\"text\" inputmode=\"numeric\" "
           "autocomplete=\"bday-month\" maxlength=\"6\"%s value=\"%s\"></div>\n"
           "<div><label for=\"bday-day\">日</label>"
           "<input id=\"bday-day\" name=\"bday-day\" type=\"text\" inputmode=\"numeric\" "
           "autocomplete=\"bday-day\" maxlength=\"6\"%s value=\"%s\"></div></div>\n"
           "</fieldset></div>\n",
           bad_month ? " class=\"invalid\"" : "", month ? month : "",
           bad_day ? " class=\"invalid\"" : "", day ? day : "");
    page_button(h, "次へ", false);
    html_raw(h, "</form>\n");
    end(r);
}

static void locked_page(struct req *r, int64_t until, bool client)
{
    struct html *h = &r->out->body;
    const time_t t = (time_t)until;
    struct tm tm;
    localtime_r(&t, &tm);
    r->out->status = 429;
    begin(r, "しばらくお待ちください", false, "/");
    html_raw(h, "<h1>しばらくお待ちください</h1>\n");
    if (client)
        html_f(h, "<p>誕生日の入力を何度も間違えたため、%d時%02d分まで入力を受け付けません。</p>\n",
               tm.tm_hour, tm.tm_min);
    else
        html_f(h, "<p>誕生日の入力を%d回間違えたため、この予約IDは%d時%02d分まで使えません。</p>\n",
               BOOKING_ID_TRIES, tm.tm_hour, tm.tm_min);
    html_f(h, "<p>お急ぎの場合は、電話 <strong>%s</strong>（%s）にお問い合わせください。</p>\n",
           r->w->cfg->booking_phone, r->w->cfg->booking_hours);
    end(r);
}

/* Where a verified resident goes next. */
static void next_after_birthday(struct req *r, const struct who *who)
{
    if (r->s.intent == INTENT_CANCEL)
        http_redirect(r->out, "/cancel");
    else if (who->n_offices > 1)
        http_redirect(r->out, "/office");
    else {
        snprintf(r->s.office, sizeof r->s.office, "%s", who->offices[0]->id);
        session_put(r->w->jar, &r->s);
        http_redirect(r->out, "/date");
    }
}

static bool key_locked(struct req *r, const char *key, int64_t *until)
{
    bool locked = false;
    struct cn_err err = {0};
    if (store_booking_locked(r->bs, key, r->now, &locked, until, &err)) {
        fail_page(r, &err);
        return true;
    }
    return locked;
}

static void page_birthday(struct req *r, bool post)
{
    if (!r->have_session || !r->s.rid[0]) {
        http_redirect(r->out, "/");
        return;
    }
    struct who who;
    bool found;
    if (load_who(r, r->s.rid, &who, &found))
        return;
    if (!found || who.n_offices == 0) {
        redirect_start(r);
        return;
    }
    char key_id[40], key_ip[80];
    snprintf(key_id, sizeof key_id, "rid:%s", r->s.rid);
    snprintf(key_ip, sizeof key_ip, "ip:%s", r->in->client);
    int64_t until = 0;
    if (key_locked(r, key_id, &until)) {
        if (until)
            locked_page(r, until, false);
        return;
    }
    if (key_locked(r, key_ip, &until)) {
        if (until)
            locked_page(r, until, true);
        return;
    }
    if (!post) {
        const char *intent = webform_get(&r->in->query, "intent");
        if (intent) {
            r->s.intent = strcmp(intent, "cancel") == 0   ? INTENT_CANCEL
                          : strcmp(intent, "change") == 0 ? INTENT_CHANGE
                                                          : INTENT_BOOK;
            session_put(r->w->jar, &r->s);
        }
        if (r->s.verified) {
            next_after_birthday(r, &who);
            return;
        }
        birthday_form(r, NULL, NULL, NULL, 0, false, false);
        return;
    }
    const char *ms = webform_get(&r->in->form, "bday-month");
    const char *ds = webform_get(&r->in->form, "bday-day");
    const int m = ms ? parse_small_int(ms, 2) : -1, d = ds ? parse_small_int(ds, 2) : -1;
    const bool m_empty = !ms || !ms[0], d_empty = !ds || !ds[0];
    struct page_error e[2];
    int n = 0;
    bool bad_m = false, bad_d = false;
    if (m_empty && d_empty) {
        e[n++] = (struct page_error){"bday-month", "誕生日の月と日を入力してください"};
        bad_m = bad_d = true;
    } else if (m_empty) {
        e[n++] = (struct page_error){"bday-month", "誕生日の月を入力してください"};
        bad_m = true;
    } else if (d_empty) {
        e[n++] = (struct page_error){"bday-day", "誕生日の日を入力してください"};
        bad_d = true;
    } else if (m < 1 || m > 12) {
        e[n++] = (struct page_error){"bday-month", "月は1から12までの数字で入力してください"};
        bad_m = true;
    } else if (d < 1 || d > date_days_in_month(2000, m)) {
        e[n++] = (struct page_error){"bday-day", "日はその月にある日付の数字で入力してください"};
        bad_d = true;
    }
    if (n) {
        birthday_form(r, ms, ds, e, n, bad_m, bad_d);
        return;
    }
    char masked[16];
    mask_rid(r->s.rid, masked);
    struct cn_err err = {0};
    if (m != who.res.birth_month || d != who.res.birth_day) {
        int failures = 0, ip_failures = 0;
        int64_t id_until = 0, ip_until = 0;
        pthread_mutex_lock(&r->w->write_lock);
        const int frc =
            store_booking_fail(r->bs, key_id, r->now, BOOKING_ID_TRIES, BOOKING_LOCK_SECONDS,
                               BOOKING_LOCK_SECONDS, &failures, &id_until, &err) ||
            store_booking_fail(r->bs, key_ip, r->now, BOOKING_CLIENT_TRIES, BOOKING_LOCK_SECONDS,
                               BOOKING_LOCK_SECONDS, &ip_failures, &ip_until, &err);
        pthread_mutex_unlock(&r->w->write_lock);
        if (frc) {
            fail_page(r, &err);
            return;
        }
        log_warn("serve", "wrong birthday rid=%s tries=%d client_tries=%d", masked, failures,
                 ip_failures);
        if (id_until || ip_until) {
            log_warn("serve", "locked %s rid=%s", id_until ? "id" : "client", masked);
            locked_page(r, id_until ? id_until : ip_until, id_until == 0);
            return;
        }
        char msg[256];
        snprintf(msg, sizeof msg,
                 "誕生日が通知書の宛名の方と一致しません。あと%d回間違えると、この予約IDは"
                 "30分間使えなくなります",
                 BOOKING_ID_TRIES - failures);
        e[0] = (struct page_error){"bday-month", msg};
        birthday_form(r, ms, ds, e, 1, true, true);
        return;
    }
    pthread_mutex_lock(&r->w->write_lock);
    const int forgot = store_booking_forget(r->bs, key_id, &err);
    pthread_mutex_unlock(&r->w->write_lock);
    if (forgot) {
        fail_page(r, &err);
        return;
    }
    r->s.verified = true;
    if (session_rotate(r->w->jar, &r->s, &err)) {
        fail_page(r, &err);
        return;
    }
    set_cookie(r);
    log_info("serve", "verified rid=%s", masked);
    next_after_birthday(r, &who);
}

static void page_office(struct req *r, bool post)
{
    struct who who;
    if (!verified(r, &who))
        return;
    if (who.n_offices <= 1) {
        http_redirect(r->out, "/date");
        return;
    }
    const char *picked = post ? webform_get(&r->in->form, "office") : r->s.office;
    struct page_error e = {NULL, NULL};
    if (post) {
        if (picked && office_allowed(&who, picked)) {
            if (strcmp(r->s.office, picked) != 0) {
                r->s.day = DATE_NONE;
                r->s.start_min = -1;
            }
            snprintf(r->s.office, sizeof r->s.office, "%s", picked);
            session_put(r->w->jar, &r->s);
            http_redirect(r->out, "/date");
            return;
        }
        e = (struct page_error){"office-0", "手続きをする窓口を選んでください"};
    }
    struct html *h = &r->out->body;
    char back[64];
    snprintf(back, sizeof back, "/R/%s", r->s.rid);
    begin(r, "窓口の選択", e.msg != NULL, back);
    page_error_summary(h, &e, e.msg ? 1 : 0);
    page_form_post(h, "/office", r->s.csrf);
    html_f(h, "<div class=\"%s\"><fieldset>\n<legend><h1>どの窓口で手続きしますか</h1></legend>\n",
           e.msg ? "has-error" : "");
    if (e.msg)
        page_field_error(h, "office", e.msg);
    for (int i = 0; i < who.n_offices; i++) {
        char id[24];
        snprintf(id, sizeof id, "office-%d", i);
        page_radio(h, "office", id, who.offices[i]->id, who.offices[i]->name,
                   who.offices[i]->address, picked && strcmp(picked, who.offices[i]->id) == 0,
                   false);
    }
    html_raw(h, "</fieldset></div>\n");
    page_button(h, "次へ", false);
    html_raw(h, "</form>\n");
    end(r);
}

static const struct office *session_office(struct req *r, const struct who *who)
{
    if (!office_allowed(who, r->s.office)) {
        http_redirect(r->out, who->n_offices > 1 ? "/office" : "/birthday");
        return NULL;
    }
    return office_by_id(r->w->cfg, r->s.office);
}

static void back_to_office(struct req *r, const struct who *who, char *back, size_t cap)
{
    if (who->n_offices > 1)
        snprintf(back, cap, "/office");
    else
        snprintf(back, cap, "/R/%s", r->s.rid);
}

static void page_date(struct req *r, bool post)
{
    struct who who;
    if (!verified(r, &who))
        return;
    const struct office *o = session_office(r, &who);
    if (!o)
        return;
    cn_date first, last;
    bookable_range(r, &who, o, &first, &last);
    struct taken_list *t = malloc(sizeof *t);
    if (!t) {
        status_page(r, 503);
        return;
    }
    if (load_taken(r, o, first, last, t)) {
        free(t);
        return;
    }
    struct page_error e = {NULL, NULL};
    cn_date picked = r->s.day;
    if (post) {
        const char *v = webform_get(&r->in->form, "date");
        cn_date d;
        struct day_view dv;
        if (!v || !date_parse_iso(v, &d)) {
            e = (struct page_error){"date-0", "来庁する日を選んでください"};
        } else {
            view_day(r, &who, o, d, t, &dv);
            if (d < first || d > last || dv.open_slots == 0)
                e = (struct page_error){"date-0",
                                        "選んだ日は予約を受け付けていません。ほかの日を選んで"
                                        "ください"};
            else if (dv.seats_left == 0)
                e = (struct page_error){"date-0", "選んだ日は満席です。ほかの日を選んでください"};
        }
        if (!e.msg) {
            if (r->s.day != d)
                r->s.start_min = -1;
            r->s.day = d;
            session_put(r->w->jar, &r->s);
            free(t);
            http_redirect(r->out, "/slot");
            return;
        }
    }
    struct html *h = &r->out->body;
    char back[64];
    back_to_office(r, &who, back, sizeof back);
    begin(r, "日付の選択", e.msg != NULL, back);
    page_error_summary(h, &e, e.msg ? 1 : 0);
    page_form_post(h, "/date", r->s.csrf);
    html_f(
        h,
        "<div class=\"%s\"><fieldset aria-describedby=\"date-hint\">\n"
        "<legend><h1>来庁する日を選んでください</h1></legend>\n"
        "<span class=\"hint\" id=\"date-hint\">%s。残りの人数は、まだ予約できる人数です。</span>\n",
        e.msg ? "has-error" : "", o->name);
    if (e.msg)
        page_field_error(h, "date", e.msg);
    int shown = 0;
    for (cn_date d = first; d <= last; d++) {
        struct day_view dv;
        view_day(r, &who, o, d, t, &dv);
        if (dv.open_slots == 0)
            continue;
        char id[24], label[64], hint[32], iso[11];
        snprintf(id, sizeof id, "date-%d", shown);
        fmt_day_short(d, label, sizeof label);
        date_format_iso(d, iso);
        if (dv.seats_left > 0)
            snprintf(hint, sizeof hint, "残り%d人", dv.seats_left);
        else
            snprintf(hint, sizeof hint, "満席");
        page_radio(h, "date", id, iso, label, hint, picked == d, dv.seats_left == 0);
        shown++;
    }
    free(t);
    if (!shown)
        html_f(h,
               "<p>インターネットで予約できる日がありません。電話 %s にお問い合わせください。"
               "</p>\n",
               r->w->cfg->booking_phone);
    html_raw(h, "</fieldset></div>\n");
    if (shown)
        page_button(h, "次へ", false);
    html_raw(h, "</form>\n");
    end(r);
}

static void slot_form(struct req *r, const struct who *who, const struct office *o,
                      const struct page_error *e, const struct taken_list *t)
{
    struct day_view dv;
    view_day(r, who, o, r->s.day, t, &dv);
    struct html *h = &r->out->body;
    char day[64];
    fmt_day(r->s.day, day, sizeof day);
    begin(r, "時間の選択", e && e->msg, "/date");
    page_error_summary(h, e, e && e->msg ? 1 : 0);
    page_form_post(h, "/slot", r->s.csrf);
    html_f(h,
           "<div class=\"%s\"><fieldset aria-describedby=\"slot-hint\">\n"
           "<legend><h1>%sの時間を選んでください</h1></legend>\n"
           "<span class=\"hint\" id=\"slot-hint\">%s。時間帯の中でご案内します。</span>\n",
           e && e->msg ? "has-error" : "", day, o->name);
    if (e && e->msg)
        page_field_error(h, "slot", e->msg);
    int first_free = -1;
    for (int i = 0; i < dv.n; i++) {
        if (dv.verdict[i] != SLOT_OK && dv.verdict[i] != SLOT_FULL && dv.verdict[i] != SLOT_CUTOFF)
            continue;
        char id[24], label[32], value[6], hint[48];
        snprintf(id, sizeof id, "slot-%d", i);
        fmt_slot(dv.starts[i], o->booking.slot_min, label, sizeof label);
        slots_format_hhmm(dv.starts[i], value);
        if (dv.verdict[i] == SLOT_OK) {
            snprintf(hint, sizeof hint, "残り%d人", dv.left[i]);
            if (first_free < 0)
                first_free = i;
        } else {
            snprintf(hint, sizeof hint, "%s", dv.verdict[i] == SLOT_FULL ? "満席" : "受付終了");
        }
        page_radio(h, "slot", id, value, label, hint,
                   dv.starts[i] == r->s.start_min && dv.verdict[i] == SLOT_OK,
                   dv.verdict[i] != SLOT_OK);
    }
    html_raw(h, "</fieldset></div>\n");
    if (first_free >= 0)
        page_button(h, "次へ", false);
    else
        html_raw(h, "<p>この日は満席です。<a href=\"/date\">ほかの日を選ぶ</a></p>\n");
    html_raw(h, "</form>\n");
    end(r);
}

static void page_slot(struct req *r, bool post)
{
    struct who who;
    if (!verified(r, &who))
        return;
    const struct office *o = session_office(r, &who);
    if (!o)
        return;
    if (r->s.day == DATE_NONE) {
        http_redirect(r->out, "/date");
        return;
    }
    struct taken_list *t = malloc(sizeof *t);
    if (!t) {
        status_page(r, 503);
        return;
    }
    if (load_taken(r, o, r->s.day, r->s.day, t)) {
        free(t);
        return;
    }
    struct page_error e = {NULL, NULL};
    if (post) {
        const char *v = webform_get(&r->in->form, "slot");
        int start;
        if (!v || !slots_parse_hhmm(v, &start)) {
            e = (struct page_error){"slot-0", "時間を選んでください"};
        } else {
            const struct slot_resident res = slot_res(&who);
            const struct slot_time st = {r->s.day, start};
            switch (slots_check_changed(&o->calendar, &o->booking, &t->ch, &res, r->at, st,
                                        taken_at(t, r->s.day, start))) {
            case SLOT_OK:
                r->s.start_min = start;
                session_put(r->w->jar, &r->s);
                free(t);
                http_redirect(r->out, "/check");
                return;
            case SLOT_FULL:
                e = (struct page_error){"slot-0",
                                        "選んだ時間は満席です。ほかの時間を選んでください"};
                break;
            case SLOT_CUTOFF:
                e = (struct page_error){"slot-0",
                                        "選んだ時間は予約の受付を終了しました。ほかの時間を選んで"
                                        "ください"};
                break;
            default:
                e = (struct page_error){"slot-0", "選んだ時間は予約できません。ほかの時間を選んで"
                                                  "ください"};
                break;
            }
        }
    }
    slot_form(r, &who, o, &e, t);
    free(t);
}

static bool active_booking(struct req *r, struct booking *b, bool *found)
{
    struct cn_err err = {0};
    if (store_booking_active(r->bs, r->s.rid, b, found, &err)) {
        fail_page(r, &err);
        return false;
    }
    return true;
}

static void page_check(struct req *r, bool post)
{
    struct who who;
    if (!verified(r, &who))
        return;
    const struct office *o = session_office(r, &who);
    if (!o)
        return;
    if (r->s.day == DATE_NONE || r->s.start_min < 0) {
        http_redirect(r->out, r->s.day == DATE_NONE ? "/date" : "/slot");
        return;
    }
    struct booking old;
    bool has_old = false;
    if (!active_booking(r, &old, &has_old))
        return;
    char masked[16];
    mask_rid(r->s.rid, masked);
    if (post) {
        struct taken_list *t = malloc(sizeof *t);
        if (!t) {
            status_page(r, 503);
            return;
        }
        if (load_taken(r, o, r->s.day, r->s.day, t)) {
            free(t);
            return;
        }
        const struct slot_resident res = slot_res(&who);
        const struct slot_time st = {r->s.day, r->s.start_min};
        const enum slot_verdict v =
            slots_check_changed(&o->calendar, &o->booking, &t->ch, &res, r->at, st, 0);
        struct page_error e = {NULL, NULL};
        if (v != SLOT_OK) {
            e = (struct page_error){"slot-0", "選んだ時間は予約の受付を終了しました。ほかの時間を"
                                              "選んでください"};
        } else {
            struct take_request req = {
                .rid = r->s.rid,
                .office = o->id,
                .by = "web",
                .day = r->s.day,
                .start_min = r->s.start_min,
                .seats = slots_seats(&o->booking, &t->ch, r->s.day, r->s.start_min),
                .slot_min = o->booking.slot_min,
                .replace_id = has_old ? old.id : 0};
            struct booking b;
            enum take_result tr;
            struct cn_err err = {0};
            pthread_mutex_lock(&r->w->write_lock);
            const int took = store_booking_take(r->bs, &req, &b, &tr, &err);
            pthread_mutex_unlock(&r->w->write_lock);
            if (took) {
                free(t);
                fail_page(r, &err);
                return;
            }
            char iso[11], hhmm[6], ref[BOOKING_REF_LEN];
            date_format_iso(r->s.day, iso);
            slots_format_hhmm(r->s.start_min, hhmm);
            if (tr == TAKE_OK) {
                booking_ref(b.id, ref);
                log_info("serve", "%s ref=%s office=%s day=%s start=%s rid=%s",
                         has_old ? "changed" : "booked", ref, o->id, iso, hhmm, masked);
                r->s.booking_id = b.id;
                r->s.intent = INTENT_BOOK;
                session_put(r->w->jar, &r->s);
                free(t);
                http_redirect(r->out, "/done");
                return;
            }
            if (tr == TAKE_HAS_BOOKING) {
                free(t);
                redirect_start(r);
                return;
            }
            log_info("serve", "slot taken first office=%s day=%s start=%s rid=%s", o->id, iso, hhmm,
                     masked);
            e = (struct page_error){"slot-0", "選んだ時間は、たった今ほかの方の予約で満席になり"
                                              "ました。空いている時間から選び直してください"};
            /* the list below is read again, so it shows what is really free now */
            if (load_taken(r, o, r->s.day, r->s.day, t)) {
                free(t);
                return;
            }
        }
        r->s.start_min = -1;
        session_put(r->w->jar, &r->s);
        slot_form(r, &who, o, &e, t);
        free(t);
        return;
    }
    struct html *h = &r->out->body;
    char disp[RID_DISPLAY_LEN + 1], day[64], slot[32];
    rid_display(r->s.rid, disp);
    fmt_day(r->s.day, day, sizeof day);
    fmt_slot(r->s.start_min, o->booking.slot_min, slot, sizeof slot);
    begin(r, "予約内容の確認", false, "/slot");
    html_raw(h, "<h1>予約内容の確認</h1>\n<dl class=\"summary\">\n");
    page_summary_row(h, "予約ID", disp, NULL, NULL);
    page_summary_row(h, "窓口", o->name, who.n_offices > 1 ? "/office" : NULL, "窓口");
    page_summary_row(h, "場所", o->address, NULL, NULL);
    page_summary_row(h, "日付", day, "/date", "日付");
    page_summary_row(h, "時間", slot, "/slot", "時間");
    html_raw(h, "</dl>\n");
    if (has_old) {
        char old_day[64], old_slot[32];
        const struct office *oo = office_by_id(r->w->cfg, old.office);
        fmt_day(old.day, old_day, sizeof old_day);
        fmt_slot(old.start_min, oo ? oo->booking.slot_min : 30, old_slot, sizeof old_slot);
        html_f(h,
               "<div class=\"notice\"><p>今の予約（%s %s）は取り消され、この予約に変わります。"
               "</p></div>\n",
               old_day, old_slot);
    }
    page_form_post(h, "/check", r->s.csrf);
    page_button(h, has_old ? "この内容に変更する" : "この内容で予約する", false);
    html_raw(h, "</form>\n");
    end(r);
}

/* What to bring, as the letter says it (templates/letter-front.xml). */
static void what_to_bring(struct html *h)
{
    html_raw(h, "<h2>お持ちいただくもの</h2>\n<ul>\n<li>マイナンバーカード</li>\n"
                "<li>通知書（予約ID通知書）</li>\n"
                "<li>設定している暗証番号（窓口で入力していただきます。顔認証マイナンバーカード"
                "の方は不要です）</li>\n</ul>\n"
                "<p>代理人が来られる場合は、ご本人のマイナンバーカード、代理人の本人確認書類"
                "（運転免許証など）、通知書の裏面の照会書兼回答書（ご本人が記入し、同封の封筒に"
                "入れ封をしたもの）をお持ちください。</p>\n");
}

static bool load_done_booking(struct req *r, struct booking *b)
{
    bool found = false;
    if (!active_booking(r, b, &found))
        return false;
    if (!found)
        redirect_start(r);
    return found;
}

static void page_done(struct req *r, bool print)
{
    struct who who;
    if (!verified(r, &who))
        return;
    struct booking b;
    if (!load_done_booking(r, &b))
        return;
    const struct office *o = office_by_id(r->w->cfg, b.office);
    struct html *h = &r->out->body;
    char ref[BOOKING_REF_LEN], disp[RID_DISPLAY_LEN + 1];
    booking_ref(b.id, ref);
    rid_display(r->s.rid, disp);
    begin(r, print ? "予約内容（印刷用）" : "予約が完了しました", false, print ? "/done" : NULL);
    if (print)
        html_f(h, "<h1>電子証明書の更新の予約</h1>\n<p>予約ID：%s</p>\n", disp);
    else
        html_f(h,
               "<div class=\"panel\"><h1>予約が完了しました</h1><p>予約番号<br>"
               "<span class=\"ref\">%s</span></p></div>\n",
               ref);
    booking_rows(r, &b, o, false);
    html_raw(h, "<p>予約した時間帯の中でご案内します。時間に余裕をもってお越しください。</p>\n");
    what_to_bring(h);
    html_raw(h, "<h2>予約の変更・取り消し</h2>\n"
                "<p>通知書のQRコードを読み取るか、このサイトで予約IDを入力すると、予約の変更や"
                "取り消しができます（誕生日の入力が必要です）。</p>\n");
    if (!print) {
        char self[64];
        snprintf(self, sizeof self, "/R/%s", r->s.rid);
        html_raw(h, "<ul class=\"links noprint\">\n");
        html_raw(h, "<li><a href=\"/booking.ics\">カレンダーに登録する（ICSファイル）</a></li>\n"
                    "<li><a href=\"/print\">印刷用のページを開く</a></li>\n");
        html_f(h, "<li><a href=\"%s\">予約の変更・取り消しへ</a></li>\n", self);
        html_raw(h, "</ul>\n");
    }
    end(r);
}

static void page_ics(struct req *r)
{
    struct who who;
    if (!verified(r, &who))
        return;
    struct booking b;
    if (!load_done_booking(r, &b))
        return;
    const struct office *o = office_by_id(r->w->cfg, b.office);
    char ref[BOOKING_REF_LEN], uid[64], summary[256], location[512], desc[1024];
    booking_ref(b.id, ref);
    snprintf(uid, sizeof uid, "%s@certnotice", ref);
    snprintf(summary, sizeof summary, "電子証明書の更新（%s）", o ? o->name : b.office);
    snprintf(location, sizeof location, "%s %s", o ? o->name : b.office, o ? o->address : "");
    snprintf(
        desc, sizeof desc,
        "予約番号 %s\n持ち物：マイナンバーカード、通知書（予約ID通知書）、設定している暗証番号\n"
        "変更・取り消し：通知書のQRコードから\n問い合わせ：%s",
        ref, r->w->cfg->booking_phone);
    const struct ics_event ev = {.uid = uid,
                                 .day = b.day,
                                 .start_min = b.start_min,
                                 .end_min = b.start_min + (o ? o->booking.slot_min : 30),
                                 .stamp = r->now,
                                 .summary = summary,
                                 .location = location,
                                 .description = desc};
    char buf[4096];
    const size_t n = ics_write(&ev, buf, sizeof buf);
    if (!n) {
        status_page(r, 500);
        return;
    }
    html_rawn(&r->out->body, buf, n);
    r->out->content_type = "text/calendar; charset=utf-8";
    snprintf(r->out->disposition, sizeof r->out->disposition,
             "attachment; filename=\"booking-%s.ics\"", ref);
}

static void page_cancel(struct req *r, bool post)
{
    struct who who;
    if (!verified(r, &who))
        return;
    struct booking b;
    bool found = false;
    if (!active_booking(r, &b, &found))
        return;
    struct html *h = &r->out->body;
    char self[64];
    snprintf(self, sizeof self, "/R/%s", r->s.rid);
    if (post) {
        bool done = false;
        struct cn_err err = {0};
        pthread_mutex_lock(&r->w->write_lock);
        const int cancelled = found && store_booking_cancel(r->bs, r->s.rid, b.id, &done, &err);
        pthread_mutex_unlock(&r->w->write_lock);
        if (cancelled) {
            fail_page(r, &err);
            return;
        }
        if (done) {
            char ref[BOOKING_REF_LEN], masked[16];
            booking_ref(b.id, ref);
            mask_rid(r->s.rid, masked);
            log_info("serve", "cancelled ref=%s office=%s rid=%s", ref, b.office, masked);
        }
        r->s.intent = INTENT_BOOK;
        r->s.day = DATE_NONE;
        r->s.start_min = -1;
        r->s.booking_id = 0;
        session_put(r->w->jar, &r->s);
        begin(r, "予約を取り消しました", false, NULL);
        html_raw(h, "<h1>予約を取り消しました</h1>\n");
        html_raw(h, "<p>窓口に来られる前に、もう一度予約してください。</p>\n");
        page_start_link(h, self, "新しく予約する");
        end(r);
        return;
    }
    if (!found) {
        http_redirect(r->out, self);
        return;
    }
    begin(r, "予約の取り消し", false, self);
    html_raw(h, "<h1>この予約を取り消しますか</h1>\n");
    booking_rows(r, &b, office_by_id(r->w->cfg, b.office), false);
    page_form_post(h, "/cancel", r->s.csrf);
    page_button(h, "予約を取り消す", true);
    html_raw(h, "</form>\n");
    html_f(h, "<p><a href=\"%s\">取り消さずに戻る</a></p>\n", self);
    end(r);
}

/* ---- dispatch ---- */

static void serve_css(struct req *r)
{
    html_raw(&r->out->body, page_css);
    r->out->content_type = "text/css; charset=utf-8";
}

void booking_web_error_page(void *ctx, int status, struct http_response *res)
{
    const struct booking_web *w = ctx;
    page_status(&res->body, w->cfg->municipality, status, w->cfg->booking_phone,
                w->cfg->booking_hours);
}

static bool csrf_ok(struct req *r)
{
    return r->have_session && session_csrf_ok(&r->s, webform_get(&r->in->form, "csrf"));
}

static void route(struct req *r)
{
    const char *p = r->in->path;
    const bool post = strcmp(r->in->method, "POST") == 0;
    if (post && !csrf_ok(r)) {
        log_warn("serve", "POST refused: missing or wrong CSRF token");
        status_page(r, 403);
        return;
    }
    if (strcmp(p, "/style.css") == 0 && !post)
        serve_css(r);
    else if (strcmp(p, "/") == 0 && !post)
        page_id_form(r, NULL, NULL);
    else if (strcmp(p, "/R") == 0 && !post) {
        const char *typed = webform_get(&r->in->query, "rid");
        char rid[RID_LEN + 1], to[64];
        if (typed && rid_check(typed, rid)) {
            snprintf(to, sizeof to, "/R/%s", rid);
            http_redirect(r->out, to);
        } else {
            page_id_form(r, typed,
                         typed && typed[0] ? "予約IDが正しくありません。通知書に書かれた12文字の"
                                             "予約IDを確かめて、もう一度入力してください"
                                           : "予約IDを入力してください");
        }
    } else if (strncmp(p, "/R/", 3) == 0 && p[3] && !post)
        page_start(r, p + 3);
    else if (strcmp(p, "/birthday") == 0)
        page_birthday(r, post);
    else if (strcmp(p, "/office") == 0)
        page_office(r, post);
    else if (strcmp(p, "/date") == 0)
        page_date(r, post);
    else if (strcmp(p, "/slot") == 0)
        page_slot(r, post);
    else if (strcmp(p, "/check") == 0)
        page_check(r, post);
    else if (strcmp(p, "/done") == 0 && !post)
        page_done(r, false);
    else if (strcmp(p, "/print") == 0 && !post)
        page_done(r, true);
    else if (strcmp(p, "/booking.ics") == 0 && !post)
        page_ics(r);
    else if (strcmp(p, "/cancel") == 0)
        page_cancel(r, post);
    else
        status_page(r, 404);
}

void booking_web_handle(void *ctx, const struct http_request *in, struct http_response *out)
{
    struct req r = {.w = ctx, .in = in, .out = out};
    clock_now(r.w, &r.now, &r.at);
    const char *token = http_cookie(in, COOKIE);
    r.have_session = token && session_get(r.w->jar, token, r.now, &r.s);
    struct cn_err err = {0};
    r.bs = pool_get(r.w, &err);
    if (!r.bs)
        fail_page(&r, &err);
    else
        route(&r);
    if (r.bs)
        pool_put(r.w, r.bs);
    /* The path may carry a reservation ID: the log gets its first four symbols only. */
    char shown[64];
    if (strncmp(in->path, "/R/", 3) == 0) {
        char masked[16];
        mask_rid(in->path + 3, masked);
        snprintf(shown, sizeof shown, "/R/%s", masked);
    } else {
        snprintf(shown, sizeof shown, "%.60s", in->path);
    }
    log_info("serve", "%s %s status=%d", in->method, shown, out->status);
}
