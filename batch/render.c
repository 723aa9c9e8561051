#include "render.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <fcntl.h>
#include <hpdf.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "custbar.h"
#include "jcal.h"
#include "officecal.h"
#include "pdffont.h"
#include "pdfpage.h"
#include "qr.h"
#include "rid.h"
#include "rules.h"
#include "tmpl.h"
#include "typeset.h"

#define MM (72.0 / 25.4)
#define SIDES 2 /* front, back */
#define MAX_SHARED 64

/* Every name a template may use and what it depends on (tmpl.h explains why it matters). */
static const struct tmpl_name vars[] = {
    {"municipality", TDEP_CONFIG},
    {"sender", TDEP_CONFIG},
    {"department", TDEP_CONFIG},
    {"sender_address", TDEP_CONFIG},
    {"sender_postal", TDEP_CONFIG},
    {"sender_phone", TDEP_CONFIG},
    {"booking_phone", TDEP_CONFIG},
    {"booking_hours", TDEP_CONFIG},
    {"booking_phones", TDEP_CONFIG},
    {"certs", TDEP_VARIANT},
    {"variant", TDEP_VARIANT},
    {"name", TDEP_LETTER},
    {"name_kana", TDEP_LETTER},
    {"postal", TDEP_LETTER},
    {"address", TDEP_LETTER},
    {"address2", TDEP_LETTER},
    {"rid", TDEP_LETTER},
    {"booking_url", TDEP_LETTER},
    {"expiry_wareki", TDEP_LETTER},
    {"expiry_western", TDEP_LETTER},
    {"window_start_wareki", TDEP_LETTER},
    {"window_end_wareki", TDEP_LETTER},
    {"issue_wareki", TDEP_LETTER},
    {"birth_wareki", TDEP_LETTER},
    {"district", TDEP_LETTER},
    {"resident_id", TDEP_LETTER},
    {"seq", TDEP_LETTER},
    {"file_no", TDEP_LETTER},
    {"office.name", TDEP_OFFICE},
    {"office.address", TDEP_OFFICE},
    {"office.phone", TDEP_OFFICE},
    {"office.hours", TDEP_OFFICE},
    {"office.note", TDEP_OFFICE},
    {"office.contact", TDEP_OFFICE},
};

static const struct tmpl_name flags[] = {
    {"sign", TDEP_VARIANT},       {"user", TDEP_VARIANT},    {"face_auth", TDEP_VARIANT},
    {"adult_ward", TDEP_VARIANT}, {"expired", TDEP_VARIANT}, {"policy", TDEP_VARIANT},
    {"example", TDEP_CONFIG},     {"specimen", TDEP_CONFIG}, {"reprint", TDEP_LETTER},
    {"address2", TDEP_LETTER},
};

/* Whether a variant's static part (what the shared stream holds) prints: the same for every
 * letter of the variant, so the check walks it once per variant, not once per letter. */
struct static_checks {
    pthread_mutex_t lock;
    int n;
    struct {
        char variant[VARIANT_CODE_MAX];
        bool ok;
    } known[MAX_SHARED];
};

struct tmpl_names render_template_names(void)
{
    const struct tmpl_names names = {vars, sizeof vars / sizeof *vars, flags,
                                     sizeof flags / sizeof *flags};
    return names;
}

struct render_setup {
    const struct config *cfg;
    struct static_checks *checked;
    struct ts_face *face[2]; /* indexed by enum tmpl_font */
    struct tmpl page[SIDES];
    bool specimen; /* every page says 見本 */
    bool qr_fits;  /* every letter's QR code encodes: the check need not try each */
};

/* The booking URL: config's pattern with {rid} replaced by the stored form. */
static void booking_url(const struct config *cfg, const char *rid, char *out, size_t cap)
{
    const char *pat = cfg->booking_url, *at = strstr(pat, "{rid}");
    if (at)
        snprintf(out, cap, "%.*s%s%s", (int)(at - pat), pat, rid, at + 5);
    else
        snprintf(out, cap, "%s", pat);
}

/* Every letter's URL has the same length, and its ID only letters and digits; an ID of
 * letters alone can use no numeric segment, so it needs the most modules. If that URL
 * encodes, every letter's does, and checking a letter need not encode its QR code again
 * (a tenth of the night's CPU); if not, each letter is tried as before. */
static bool worst_qr_fits(const struct config *cfg)
{
    char rid[RID_LEN + 1], url[320];
    memset(rid, 'Z', RID_LEN);
    rid[RID_LEN] = '\0';
    booking_url(cfg, rid, url, sizeof url);
    struct qr_code qr = {0};
    struct cn_err err = {0};
    bool ok = qr_encode(url, &qr, &err) == CN_OK;
    qr_free(&qr);
    return ok;
}

int render_setup_load(const struct config *cfg, struct render_setup **out, struct cn_err *err)
{
    int rc = CN_OK;
    struct render_setup *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return cn_fail(err, CN_EUSAGE, "render: out of memory");
    s->cfg = cfg;
    s->checked = calloc(1, sizeof *s->checked);
    if (!s->checked) {
        free(s);
        return cn_fail(err, CN_EUSAGE, "render: out of memory");
    }
    pthread_mutex_init(&s->checked->lock, NULL);
    const struct tmpl_names names = render_template_names();
    if ((rc = ts_face_load(cfg->font_gothic, &s->face[TF_GOTHIC], err)) ||
        (rc = ts_face_load(cfg->font_mincho, &s->face[TF_MINCHO], err)) ||
        (rc = tmpl_load(cfg->template_front, &names, &s->page[0], err)) ||
        (rc = tmpl_load(cfg->template_back, &names, &s->page[1], err))) {
        render_setup_free(s);
        return rc;
    }
    s->qr_fits = worst_qr_fits(cfg);
    *out = s;
    return CN_OK;
}

void render_setup_specimen(struct render_setup *setup, bool specimen)
{
    setup->specimen = specimen;
    setup->checked->n = 0; /* 見本 is part of every static part */
}

void render_setup_free(struct render_setup *setup)
{
    if (!setup)
        return;
    ts_face_free(setup->face[0]);
    ts_face_free(setup->face[1]);
    tmpl_free(&setup->page[0]);
    tmpl_free(&setup->page[1]);
    if (setup->checked)
        pthread_mutex_destroy(&setup->checked->lock);
    free(setup->checked);
    free(setup);
}

/* ---- a letter's values ------------------------------------------------------------- */

struct values {
    char certs[96], variant[VARIANT_CODE_MAX];
    char postal[16], rid[RID_DISPLAY_LEN + 1], url[320];
    char expiry_wareki[64], expiry_western[32], window_start[64], window_end[64];
    char issue[64], birth[64], seq[24], file_no[16], sender_postal[16];
};

struct walk {
    const struct render_setup *s;
    const struct letter *l;
    const struct values *v;
    const struct office *office; /* inside <each> */
    char office_hours[512];
    HPDF_Page page; /* NULL: measure and check only */
    HPDF_Font font[2];
    double page_h; /* points */
    bool failed;
    char reason[200];
};

static void format_postal(const char *digits, char *out, size_t cap)
{
    if (strlen(digits) == 7)
        snprintf(out, cap, "〒%.3s-%.4s", digits, digits + 3);
    else
        snprintf(out, cap, "%s", digits);
}

static void western(cn_date d, char *out, size_t cap)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, cap, "%d年%d月%d日", y, m, dd);
}

static void fill_values(const struct render_setup *s, const struct letter *l, struct values *v)
{
    memset(v, 0, sizeof *v);
    const struct variant *var = &l->variant;
    snprintf(v->certs, sizeof v->certs, "%s%s%s", var->sign ? "署名用電子証明書" : "",
             var->sign && var->user ? "・" : "", var->user ? "利用者証明用電子証明書" : "");
    rules_variant_code(var, v->variant);
    format_postal(l->r->postal_code, v->postal, sizeof v->postal);
    format_postal(s->cfg->sender_postal, v->sender_postal, sizeof v->sender_postal);
    rid_display(l->rid, v->rid);
    booking_url(s->cfg, l->rid, v->url, sizeof v->url);
    jcal_wareki_weekday(l->certs.expiry, v->expiry_wareki, sizeof v->expiry_wareki);
    western(l->certs.expiry, v->expiry_western, sizeof v->expiry_western);
    jcal_wareki_weekday(l->window.start, v->window_start, sizeof v->window_start);
    jcal_wareki_weekday(l->window.end, v->window_end, sizeof v->window_end);
    jcal_wareki(l->issue_date, v->issue, sizeof v->issue);
    if (l->r->birth_date != DATE_NONE)
        jcal_wareki(l->r->birth_date, v->birth, sizeof v->birth);
    snprintf(v->seq, sizeof v->seq, "%06ld", l->seq);
    snprintf(v->file_no, sizeof v->file_no, "%03d", l->file_no);
}

static const char *lookup(void *ctx, const char *name)
{
    struct walk *w = ctx;
    const struct config *c = w->s->cfg;
    const struct resident *r = w->l->r;
    const struct values *v = w->v;
    if (strncmp(name, "office.", 7) == 0) {
        const struct office *o = w->office;
        const char *f = name + 7;
        if (!o)
            return "";
        return strcmp(f, "name") == 0      ? o->name
               : strcmp(f, "address") == 0 ? o->address
               : strcmp(f, "phone") == 0   ? o->phone
               : strcmp(f, "hours") == 0   ? w->office_hours
               : strcmp(f, "contact") == 0 ? o->contact
                                           : o->note;
    }
    static const struct {
        const char *name;
        size_t off;
    } vals[] = {
        {"certs", offsetof(struct values, certs)},
        {"variant", offsetof(struct values, variant)},
        {"postal", offsetof(struct values, postal)},
        {"rid", offsetof(struct values, rid)},
        {"booking_url", offsetof(struct values, url)},
        {"expiry_wareki", offsetof(struct values, expiry_wareki)},
        {"expiry_western", offsetof(struct values, expiry_western)},
        {"window_start_wareki", offsetof(struct values, window_start)},
        {"window_end_wareki", offsetof(struct values, window_end)},
        {"issue_wareki", offsetof(struct values, issue)},
        {"birth_wareki", offsetof(struct values, birth)},
        {"seq", offsetof(struct values, seq)},
        {"file_no", offsetof(struct values, file_no)},
        {"sender_postal", offsetof(struct values, sender_postal)},
    };
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
        if (strcmp(name, vals[i].name) == 0)
            return (const char *)v + vals[i].off;
    if (strcmp(name, "municipality") == 0)
        return c->municipality;
    if (strcmp(name, "sender") == 0)
        return c->sender;
    if (strcmp(name, "department") == 0)
        return c->department;
    if (strcmp(name, "sender_address") == 0)
        return c->sender_address;
    if (strcmp(name, "sender_phone") == 0)
        return c->sender_phone;
    if (strcmp(name, "booking_phone") == 0)
        return c->booking_phone;
    if (strcmp(name, "booking_hours") == 0)
        return c->booking_hours;
    if (strcmp(name, "booking_phones") == 0)
        return c->booking_phones;
    if (strcmp(name, "name") == 0)
        return r->name;
    if (strcmp(name, "name_kana") == 0)
        return r->name_kana;
    if (strcmp(name, "address") == 0)
        return r->address;
    if (strcmp(name, "address2") == 0)
        return r->address2;
    if (strcmp(name, "district") == 0)
        return w->l->district ? w->l->district->name : "";
    if (strcmp(name, "resident_id") == 0)
        return r->resident_id;
    return "";
}

static bool flag(void *ctx, const char *name, const char *value)
{
    struct walk *w = ctx;
    const struct variant *v = &w->l->variant;
    if (strcmp(name, "policy") == 0)
        return strcmp(config_policy_name(v->policy), value) == 0;
    if (strcmp(name, "sign") == 0)
        return v->sign;
    if (strcmp(name, "user") == 0)
        return v->user;
    if (strcmp(name, "face_auth") == 0)
        return v->face_auth;
    if (strcmp(name, "adult_ward") == 0)
        return v->adult_ward;
    if (strcmp(name, "expired") == 0)
        return v->expired;
    if (strcmp(name, "example") == 0)
        return w->s->cfg->example;
    if (strcmp(name, "specimen") == 0)
        return w->s->specimen;
    if (strcmp(name, "reprint") == 0)
        return w->l->reprint;
    if (strcmp(name, "address2") == 0)
        return w->l->r->address2[0] != '\0';
    return false;
}

/* ---- drawing ---------------------------------------------------------------------- */

enum pass { PASS_STATIC, PASS_DYNAMIC, PASS_ALL };

static void fail(struct walk *w, const struct tmpl_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct walk *w, const struct tmpl_node *n, const char *fmt, ...)
{
    if (w->failed)
        return;
    w->failed = true;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(w->reason, sizeof w->reason, "%s (template line %d)", msg, n->line);
}

static double py(const struct walk *w, double y_mm)
{
    return w->page_h - y_mm * MM;
}

/* Expands and checks a node's text: every character printable. */
static bool node_text(struct walk *w, const struct tmpl_node *n, char *buf, size_t cap)
{
    if (!tmpl_expand(n->text, lookup, w, buf, cap)) {
        fail(w, n, "%s", "text too long");
        return false;
    }
    uint32_t bad;
    if (!ts_printable(w->s->face[n->font], buf, &bad)) {
        /* The template's text, not the letter's: says which field without copying it. */
        const char *why = bad > 0xFFFF    ? "outside the BMP"
                          : bad == 0xFFFD ? "(malformed UTF-8)"
                                          : "missing from the font";
        fail(w, n, "character U+%04X %s in \"%.60s\"", (unsigned)bad, why, n->text);
        return false;
    }
    return true;
}

static void show(struct walk *w, const struct tmpl_node *n, double size, double x_mm,
                 double base_mm, const char *text, size_t len)
{
    if (!w->page || len == 0)
        return;
    enum tmpl_font font = n->font;
    char line[1024];
    if (len >= sizeof line)
        len = sizeof line - 1;
    memcpy(line, text, len);
    line[len] = '\0';
    /* A text's fill is its colour: white on a dark band. */
    bool gray = n->kind == TK_TEXT && n->fill >= 0;
    if (gray)
        HPDF_Page_SetGrayFill(w->page, (HPDF_REAL)n->fill);
    HPDF_Page_BeginText(w->page);
    HPDF_Page_SetFontAndSize(w->page, w->font[font], (HPDF_REAL)size);
    HPDF_Page_TextOut(w->page, (HPDF_REAL)(x_mm * MM), (HPDF_REAL)py(w, base_mm), line);
    HPDF_Page_EndText(w->page);
    if (gray)
        HPDF_Page_SetGrayFill(w->page, 0);
}

static double align_x(const struct tmpl_node *n, double x, double box_w, double text_w_pt)
{
    double tw = text_w_pt / MM;
    if (n->align == TA_CENTER)
        return x + (box_w - tw) / 2;
    if (n->align == TA_RIGHT)
        return x + box_w - tw;
    return x;
}

static double draw_text(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    char buf[1024];
    if (!node_text(w, n, buf, sizeof buf))
        return oy + n->y;
    const struct ts_face *f = w->s->face[n->font];
    double size = n->size;
    if (n->w > 0) {
        size = ts_fit(f, buf, n->size, n->min_size, n->w * MM, 0, 1);
        if (size == 0) {
            fail(w, n, "\"%.60s\" does not fit at the smallest size", buf);
            return oy + n->y;
        }
    }
    /* x is where the text starts, centres or ends, as aligned; w only limits it. */
    double tw = ts_text_width(f, buf, size) / MM;
    double x = n->align == TA_LEFT     ? ox + n->x
               : n->align == TA_CENTER ? ox + n->x - tw / 2
                                       : ox + n->x - tw;
    show(w, n, size, x, oy + n->y, buf, strlen(buf));
    return oy + n->y + size * 0.3 / MM;
}

/* Breaks text into the box and draws it; returns the bottom of the last line (mm). */
static double flow(struct walk *w, const struct tmpl_node *n, const char *buf, double x, double y,
                   double box_w, double box_h, double size0, double min_size)
{
    const struct ts_face *f = w->s->face[n->font];
    double size = ts_fit(f, buf, size0, min_size, box_w * MM, box_h * MM, n->leading);
    if (size == 0) {
        fail(w, n, "\"%.60s\" does not fit its box at the smallest size", buf);
        return y + box_h;
    }
    struct ts_line lines[64];
    size_t nl = ts_break(f, buf, size, box_w * MM, lines, 64);
    if (nl > 64)
        nl = 64;
    double pitch = size * n->leading / MM;
    for (size_t i = 0; i < nl; i++) {
        double lx = align_x(n, x, box_w, lines[i].width);
        /* The first baseline sits one ascent (~0.88 em in IPAex) under the box's top. */
        show(w, n, size, lx, y + size * 0.88 / MM + (double)i * pitch, buf + lines[i].start,
             lines[i].len);
    }
    return y + (nl ? (double)(nl - 1) * pitch + size / MM : 0);
}

static double draw_para(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    char buf[4096];
    if (!node_text(w, n, buf, sizeof buf))
        return oy + n->y + n->h;
    return flow(w, n, buf, ox + n->x, oy + n->y, n->w, n->h, n->size, n->min_size);
}

static void stroke_style(struct walk *w, const struct tmpl_node *n)
{
    HPDF_Page_SetLineWidth(w->page, (HPDF_REAL)n->stroke);
    if (n->dash) {
        static const HPDF_UINT16 dash[] = {2, 2};
        HPDF_Page_SetDash(w->page, dash, 2, 0);
    } else {
        HPDF_Page_SetDash(w->page, NULL, 0, 0);
    }
}

static void rect_mm(struct walk *w, double x, double y, double wd, double h)
{
    HPDF_Page_Rectangle(w->page, (HPDF_REAL)(x * MM), (HPDF_REAL)py(w, y + h), (HPDF_REAL)(wd * MM),
                        (HPDF_REAL)(h * MM));
}

static void draw_rect(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->page)
        return;
    bool fill = n->fill >= 0, stroke = n->stroke > 0;
    if (!fill && !stroke)
        return;
    if (fill)
        HPDF_Page_SetGrayFill(w->page, (HPDF_REAL)n->fill);
    if (stroke)
        stroke_style(w, n);
    rect_mm(w, ox + n->x, oy + n->y, n->w, n->h);
    if (fill && stroke)
        HPDF_Page_FillStroke(w->page);
    else if (fill)
        HPDF_Page_Fill(w->page);
    else
        HPDF_Page_Stroke(w->page);
    HPDF_Page_SetGrayFill(w->page, 0);
}

static void draw_line(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->page)
        return;
    stroke_style(w, n);
    HPDF_Page_MoveTo(w->page, (HPDF_REAL)((ox + n->x) * MM), (HPDF_REAL)py(w, oy + n->y));
    HPDF_Page_LineTo(w->page, (HPDF_REAL)((ox + n->x2) * MM), (HPDF_REAL)py(w, oy + n->y2));
    HPDF_Page_Stroke(w->page);
}

static void draw_pinboxes(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->page)
        return;
    stroke_style(w, n);
    double x = ox + n->x;
    for (int i = 0; i < n->n; i++) {
        rect_mm(w, x, oy + n->y, n->w, n->h);
        x += n->w;
        /* A gap every `group` boxes helps the resident count 16 characters. */
        if (n->group > 0 && (i + 1) % n->group == 0)
            x += 1.5;
    }
    HPDF_Page_Stroke(w->page);
}

static void draw_qr(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    if (!w->page && w->s->qr_fits)
        return;
    struct qr_code qr = {0};
    struct cn_err err = {0};
    if (qr_encode(w->v->url, &qr, &err) != CN_OK) {
        fail(w, n, "QR code: %s", err.msg);
        return;
    }
    if (w->page) {
        double m = n->w / qr.size * MM; /* points per module, quiet zone included */
        /* In module units, y downwards: each rectangle is four small integers ("3 12 1 2
         * re"), not four points with five decimals, a third of the letter's bytes. */
        HPDF_Page_GSave(w->page);
        HPDF_Page_Concat(w->page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)-m, (HPDF_REAL)((ox + n->x) * MM),
                         (HPDF_REAL)py(w, oy + n->y));
        HPDF_Page_SetGrayFill(w->page, 0);
        for (size_t i = 0; i < qr.n_rects; i++) {
            const struct qr_rect *r = &qr.rects[i];
            HPDF_Page_Rectangle(w->page, r->x, r->y, r->w, r->h);
        }
        HPDF_Page_Fill(w->page);
        HPDF_Page_GRestore(w->page);
    }
    qr_free(&qr);
}

static void draw_barcode(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    struct custbar cb;
    /* No barcode rather than a wrong one: the run sends such letters to review. */
    if (!w->page ||
        !custbar_encode_parts(w->l->r->postal_code, w->l->r->address, w->l->r->address2, &cb))
        return;
    char bars[68];
    custbar_bars(&cb, bars);
    /* DOMAIN.md's measures at 10 pt (pitch 1.2, bar 0.6, long 3.6, semi-long 2.2, timing
     * 0.8 mm) are whole multiples of 0.2 mm: drawn in that unit, y downwards, each bar is
     * four small integers instead of four points with five decimals. */
    double unit = 0.2 * n->size / 10.0 * MM;
    const int pitch = 6, bw = 3, tall = 18, semi = 11, timing = 4, asc = (tall - timing) / 2;
    HPDF_Page_GSave(w->page);
    HPDF_Page_Concat(w->page, (HPDF_REAL)unit, 0, 0, (HPDF_REAL)-unit,
                     (HPDF_REAL)((ox + n->x) * MM), (HPDF_REAL)py(w, oy + n->y));
    HPDF_Page_SetGrayFill(w->page, 0);
    for (int i = 0; i < 67 && bars[i]; i++) {
        int y0 = 0, h = tall;
        if (bars[i] == 'A')
            h = semi;
        else if (bars[i] == 'D')
            y0 = asc, h = semi;
        else if (bars[i] == 'T')
            y0 = asc, h = timing;
        HPDF_Page_Rectangle(w->page, (HPDF_REAL)(i * pitch), (HPDF_REAL)y0, (HPDF_REAL)bw,
                            (HPDF_REAL)h);
    }
    HPDF_Page_Fill(w->page);
    HPDF_Page_GRestore(w->page);
}

static void draw_node(struct walk *w, const struct tmpl_node *n, enum pass pass, double ox,
                      double oy, double *bottom);

static bool row_visible(struct walk *w, const struct tmpl_node *row)
{
    (void)w;
    return row->kind == TK_ROW;
}

static double draw_row(struct walk *w, const struct tmpl_node *t, const struct tmpl_node *row,
                       double y)
{
    const double pad = 1.2;
    double h = t->h;
    /* First pass measures (page NULL), second draws: a row is as high as its tallest
     * cell. */
    HPDF_Page page = w->page;
    for (int pass = 0; pass < 2; pass++) {
        double x = t->x;
        if (pass == 1 && page) {
            w->page = page;
            if (t->stroke > 0 || row->fill >= 0) {
                double cx = t->x;
                for (size_t c = 0; c < row->n_kids && (int)c < t->n_cols; c++) {
                    struct tmpl_node box = *t;
                    box.x = cx, box.y = y, box.w = t->cols[c], box.h = h;
                    box.fill = row->fill;
                    box.dash = false;
                    draw_rect(w, &box, 0, 0);
                    cx += t->cols[c];
                }
            }
        } else {
            w->page = NULL;
        }
        for (size_t c = 0; c < row->n_kids && (int)c < t->n_cols; c++) {
            const struct tmpl_node *cell = &row->kids[c];
            char buf[2048];
            if (node_text(w, cell, buf, sizeof buf)) {
                struct tmpl_node spec = *cell;
                spec.leading = t->leading;
                double size = cell->size > 0 ? cell->size : t->size;
                double inner_h = pass == 0 ? 200 : h - 2 * pad;
                double bot = flow(w, &spec, buf, x + 1.5, y + pad, t->cols[c] - 3, inner_h, size,
                                  pass == 0 ? size : t->min_size);
                if (pass == 0 && bot + pad - y > h)
                    h = bot + pad - y;
            }
            x += t->cols[c];
        }
    }
    w->page = page;
    return y + h;
}

static double draw_table(struct walk *w, const struct tmpl_node *t, double ox, double oy)
{
    double y = oy + t->y;
    (void)ox;
    for (size_t i = 0; i < t->n_kids; i++) {
        const struct tmpl_node *k = &t->kids[i];
        if (k->kind == TK_IF) {
            if (!tmpl_test(k, flag, w))
                continue;
            for (size_t j = 0; j < k->n_kids; j++)
                if (row_visible(w, &k->kids[j]))
                    y = draw_row(w, t, &k->kids[j], y);
        } else if (row_visible(w, k)) {
            y = draw_row(w, t, k, y);
        }
    }
    return y;
}

static double draw_each(struct walk *w, const struct tmpl_node *n, double ox, double oy)
{
    const struct district *d = w->l->district;
    double y = oy + n->y;
    if (!d)
        return y;
    for (int i = 0; i < d->n_offices; i++) {
        if (i >= n->max || y + n->step > oy + n->y + n->h + 1e-6) {
            fail(w, n, "%s", "the district's offices do not fit the office list");
            break;
        }
        w->office = &w->s->cfg->offices[d->offices[i]];
        officecal_describe(&w->office->calendar, w->office_hours, sizeof w->office_hours);
        double bottom = y + n->step;
        for (size_t k = 0; k < n->n_kids; k++)
            draw_node(w, &n->kids[k], PASS_ALL, ox + n->x, y, &bottom);
        y = bottom > y + n->step ? bottom : y + n->step;
        w->office = NULL;
    }
    return y;
}

static void draw_node(struct walk *w, const struct tmpl_node *n, enum pass pass, double ox,
                      double oy, double *bottom)
{
    if (w->failed)
        return;
    if (n->kind == TK_GROUP || n->kind == TK_IF) {
        if (n->kind == TK_IF) {
            if (pass == PASS_STATIC && n->test_dep > TDEP_VARIANT)
                return;
            if (!tmpl_test(n, flag, w))
                return;
            if (pass == PASS_DYNAMIC && n->test_dep > TDEP_VARIANT)
                pass = PASS_ALL;
        }
        for (size_t i = 0; i < n->n_kids; i++)
            draw_node(w, &n->kids[i], pass, ox, oy, bottom);
        return;
    }
    if ((pass == PASS_STATIC && !tmpl_is_static(n)) || (pass == PASS_DYNAMIC && tmpl_is_static(n)))
        return;
    double b = oy;
    switch (n->kind) {
    case TK_TEXT:
        b = draw_text(w, n, ox, oy);
        break;
    case TK_PARA:
        b = draw_para(w, n, ox, oy);
        break;
    case TK_RECT:
        draw_rect(w, n, ox, oy);
        b = oy + n->y + n->h;
        break;
    case TK_LINE:
        draw_line(w, n, ox, oy);
        break;
    case TK_TABLE:
        b = draw_table(w, n, ox, oy);
        break;
    case TK_QR:
        draw_qr(w, n, ox, oy);
        break;
    case TK_BARCODE:
        draw_barcode(w, n, ox, oy);
        break;
    case TK_PINBOXES:
        draw_pinboxes(w, n, ox, oy);
        break;
    case TK_EACH:
        b = draw_each(w, n, ox, oy);
        break;
    default:
        break;
    }
    if (bottom && b > *bottom)
        *bottom = b;
}

/* ---- checks ----------------------------------------------------------------------- */

/* Whether the static parts of l's variant print; walked once per variant. */
static bool static_part_prints(const struct render_setup *setup, const struct letter *l,
                               const struct values *v)
{
    struct static_checks *c = setup->checked;
    pthread_mutex_lock(&c->lock);
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->known[i].variant, v->variant) == 0) {
            bool ok = c->known[i].ok;
            pthread_mutex_unlock(&c->lock);
            return ok;
        }
    pthread_mutex_unlock(&c->lock);
    bool ok = true;
    for (int side = 0; ok && side < SIDES; side++) {
        struct walk w = {.s = setup, .l = l, .v = v};
        draw_node(&w, &setup->page[side].root, PASS_STATIC, 0, 0, NULL);
        ok = !w.failed;
    }
    pthread_mutex_lock(&c->lock);
    if (c->n < MAX_SHARED) {
        snprintf(c->known[c->n].variant, sizeof c->known[c->n].variant, "%s", v->variant);
        c->known[c->n++].ok = ok;
    }
    pthread_mutex_unlock(&c->lock);
    return ok;
}

bool render_check(const struct render_setup *setup, const struct letter *l, char *reason,
                  size_t cap)
{
    struct values v;
    fill_values(setup, l, &v);
    /* Static nodes never fail when the variant's static part prints, so the dynamic pass
     * finds the same first failure as a walk of everything; otherwise everything is walked,
     * for the same reason the letter would have been given. */
    enum pass pass = static_part_prints(setup, l, &v) ? PASS_DYNAMIC : PASS_ALL;
    for (int side = 0; side < SIDES; side++) {
        struct walk w = {.s = setup, .l = l, .v = &v};
        draw_node(&w, &setup->page[side].root, pass, 0, 0, NULL);
        if (w.failed) {
            if (reason && cap)
                snprintf(reason, cap, "%s: %s", side == 0 ? "front" : "back", w.reason);
            return false;
        }
    }
    if (reason && cap)
        reason[0] = '\0';
    return true;
}

/* ---- print files ------------------------------------------------------------------ */

struct shared {
    char key[VARIANT_CODE_MAX + 4];
    HPDF_Dict stream;
};

struct render_file {
    const struct render_setup *s;
    HPDF_Doc pdf;
    HPDF_Font font[2];
    struct shared shared[MAX_SHARED];
    int n_shared;
    int pages;
    HPDF_STATUS error, detail;
};

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
    struct render_file *f = user;
    if (!f->error) {
        f->error = error;
        f->detail = detail;
    }
}

int render_file_open(const struct render_setup *setup, struct render_file **out, struct cn_err *err)
{
    struct render_file *f = calloc(1, sizeof *f);
    *out = NULL;
    if (!f)
        return cn_fail(err, CN_EOUTPUT, "render: out of memory");
    f->s = setup;
    f->pdf = HPDF_New(on_error, f);
    if (!f->pdf) {
        free(f);
        return cn_fail(err, CN_EOUTPUT, "render: libharu could not start");
    }
    /* Compression must be set before the first page; UTF-8 so names go in as they are. */
    HPDF_SetCompressionMode(f->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(f->pdf);
    HPDF_SetCurrentEncoder(f->pdf, "UTF-8");
    const char *paths[2] = {setup->cfg->font_gothic, setup->cfg->font_mincho};
    for (int i = 0; i < 2; i++) {
        /* Loaded and looked up once per file: each HPDF_GetFont costs ~70 ms. */
        const char *name = HPDF_LoadTTFontFromFile(f->pdf, paths[i], HPDF_TRUE);
        if (name)
            pdffont_index(f->pdf, name); /* else libharu's slow lookup: same glyphs */
        f->font[i] = name ? HPDF_GetFont(f->pdf, name, "UTF-8") : NULL;
        if (!f->font[i]) {
            int rc = cn_fail(err, CN_EUSAGE, "font %s: libharu cannot embed it (error 0x%04X)",
                             paths[i], (unsigned)f->error);
            render_file_free(f);
            return rc;
        }
    }
    *out = f;
    return CN_OK;
}

/* The slot of the variant's shared stream for this side; NULL in it until the first such
 * page draws it. */
static HPDF_Dict *shared_for(struct render_file *f, const char *variant, int side)
{
    char key[sizeof f->shared[0].key];
    snprintf(key, sizeof key, "%s/%d", variant, side);
    for (int i = 0; i < f->n_shared; i++)
        if (strcmp(f->shared[i].key, key) == 0)
            return &f->shared[i].stream;
    if (f->n_shared == MAX_SHARED)
        return NULL;
    struct shared *s = &f->shared[f->n_shared++];
    snprintf(s->key, sizeof s->key, "%s", key);
    s->stream = NULL;
    return &s->stream;
}

struct static_part {
    struct walk *w;
    const struct tmpl *t;
};

static void draw_static(void *ctx)
{
    struct static_part *sp = ctx;
    HPDF_Page_GSave(sp->w->page);
    draw_node(sp->w, &sp->t->root, PASS_STATIC, 0, 0, NULL);
    HPDF_Page_GRestore(sp->w->page);
}

static int add_page(struct render_file *f, const struct letter *l, const struct values *v, int side,
                    struct cn_err *err)
{
    const struct tmpl *t = &f->s->page[side];
    HPDF_Page page = HPDF_AddPage(f->pdf);
    if (!page)
        return cn_fail(err, CN_EOUTPUT, "render: cannot add a page (libharu error 0x%04X)",
                       (unsigned)f->error);
    HPDF_Page_SetWidth(page, (HPDF_REAL)(t->width * MM));
    HPDF_Page_SetHeight(page, (HPDF_REAL)(t->height * MM));
    /* The shared stream names fonts F1 (gothic) and F2 (mincho): every page registers
     * them in that order before anything else so the names mean the same on each. */
    HPDF_Page_SetFontAndSize(page, f->font[TF_GOTHIC], 10);
    HPDF_Page_SetFontAndSize(page, f->font[TF_MINCHO], 10);
    struct walk w = {.s = f->s, .l = l, .v = v, .page = page, .page_h = t->height * MM};
    memcpy(w.font, f->font, sizeof w.font);
    HPDF_Dict *shared = shared_for(f, v->variant, side);
    struct static_part sp = {&w, t};
    if (!shared) {
        /* More variants than slots: draw this page whole. */
        draw_node(&w, &t->root, PASS_ALL, 0, 0, NULL);
    } else if (!pdfpage_share(page, shared, draw_static, &sp)) {
        return cn_fail(err, CN_EOUTPUT,
                       "render: cannot share a page's static part (libharu "
                       "error 0x%04X)",
                       (unsigned)f->error);
    } else {
        draw_node(&w, &t->root, PASS_DYNAMIC, 0, 0, NULL);
    }
    f->pages++;
    if (w.failed)
        return cn_fail(err, CN_EINPUT, "render: letter %ld: %s", l->seq, w.reason);
    if (f->error)
        return cn_fail(err, CN_EOUTPUT, "render: libharu error 0x%04X (detail %u)",
                       (unsigned)f->error, (unsigned)f->detail);
    return CN_OK;
}

int render_file_add(struct render_file *f, const struct letter *l, struct cn_err *err)
{
    struct values v;
    fill_values(f->s, l, &v);
    int rc = add_page(f, l, &v, 0, err);
    if (rc == CN_OK)
        rc = add_page(f, l, &v, 1, err);
    return rc;
}

int render_file_save(struct render_file *f, const char *path, unsigned mode, int *pages,
                     struct cn_err *err)
{
    int rc = CN_OK, fd = -1;
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        return cn_fail(err, CN_EOUTPUT, "%s: %s", tmp, strerror(errno));
    if (fchmod(fd, (mode_t)mode) != 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: chmod: %s", tmp, strerror(errno));
        goto done;
    }
    /* Straight into the file libharu reopens by name (mode already set): a copy of the PDF
     * in memory would cost as much as the file, per thread. */
    if (HPDF_SaveToFile(f->pdf, tmp) != HPDF_OK || f->error) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: libharu could not write the PDF (0x%04X)", path,
                     (unsigned)f->error);
        goto done;
    }
    /* libharu closes the file without checking the last flush: on a full disk the PDF
     * would lose its end silently, so the end is read back. */
    char tail[6];
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof tail ||
        pread(fd, tail, sizeof tail, st.st_size - (off_t)sizeof tail) != (ssize_t)sizeof tail ||
        memcmp(tail, "%%EOF\n", sizeof tail) != 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: the PDF was not written to its end", tmp);
        goto done;
    }
    if (fsync(fd) != 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: fsync: %s", tmp, strerror(errno));
        goto done;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = cn_fail(err, CN_EOUTPUT, "%s: close: %s", tmp, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = cn_fail(err, CN_EOUTPUT, "%s: rename: %s", path, strerror(errno));
        goto done;
    }
    if (pages)
        *pages = f->pages;
done:
    if (fd >= 0)
        close(fd);
    if (rc)
        unlink(tmp);
    return rc;
}

void render_file_free(struct render_file *f)
{
    if (!f)
        return;
    if (f->pdf)
        HPDF_Free(f->pdf);
    free(f);
}
