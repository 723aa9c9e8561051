#include "daylist.h"

#include <stdio.h>

#include "csv.h"
#include "glyphs.h"
#include "layout.h"
#include "pdfdoc.h"

#define LIST_MARGIN 40.0f
#define LIST_LINE 18.0f
/* A4 portrait as libharu gives it (HPDF_PAGE_SIZE_A4), in points. */
#define LIST_WIDTH 595.276f
#define LIST_HEIGHT 841.89f

static const struct {
    float x;
    const char *label;
} columns[] = {{0, "時刻"},       {40, "予約ID"}, {132, "氏名"}, {252, "フリガナ"},
               {375, "生年月日"}, {440, "状態"},  {480, "受付"}};

int daylist_csv(const struct daylist *d, FILE *out)
{
    static const char *const head[] = {"time",       "reservation_id", "name",   "kana",
                                       "birth_date", "status",         "channel"};
    int rc = csv_write_row(out, head, 7);
    for (size_t i = 0; rc == 0 && i < d->n; i++) {
        const struct daylist_row *r = &d->rows[i];
        const char *row[] = {r->time, r->rid, r->name, r->kana, r->birth, r->status, r->channel};
        rc = csv_write_row(out, row, 7);
    }
    return rc;
}

struct page {
    struct pdfdoc *doc;
    struct glyph_source *glyphs;
    const struct canvas *c;
    const struct daylist *d;
    float y;
    int page_no, status;
    struct cn_err *err;
};

static void text(struct page *p, float x, float size, const char *s)
{
    if (p->c)
        p->c->ops->text(p->c->ctx, 0, size, LIST_MARGIN + x, p->y, s);
}

static void rule(struct page *p, float width)
{
    if (!p->c)
        return;
    p->c->ops->line_width(p->c->ctx, width);
    p->c->ops->move_to(p->c->ctx, LIST_MARGIN, p->y - 5.0f);
    p->c->ops->line_to(p->c->ctx, LIST_WIDTH - LIST_MARGIN, p->y - 5.0f);
    p->c->ops->stroke(p->c->ctx);
}

/* A name or kana: wholly in IPAmj明朝 when IPAex lacks a character of it, as the letter
 * sets it; a text no font can show is left as text (the registry's record still says it). */
static void name_text(struct page *p, float x, float size, const char *s)
{
    if (!p->c)
        return;
    const int base = glyphs_text_needs_mj(p->glyphs, GF_GOTHIC, s) ? GF_MJ : GF_GOTHIC;
    if (!layout_show_glyphs(p->c, p->glyphs, base, size, LIST_MARGIN + x, p->y, s))
        text(p, x, size, s);
}

static const char *status_ja(const char *status)
{
    return status[0] == 'a'   ? "来庁"
           : status[0] == 'd' ? "完了"
           : status[0] == 'n' ? "不在"
                              : "予約";
}

static void new_page(struct page *p)
{
    if (p->status == CN_OK)
        p->status = pdfdoc_add_page(p->doc, LIST_WIDTH, LIST_HEIGHT, &p->c, p->err);
    p->page_no++;
    char line[256], day[11];
    date_format_iso(p->d->day, day);
    p->y = LIST_MARGIN - 20.0f;
    snprintf(line, sizeof line, "%s %s  予約一覧 %d ページ（個人情報：庁内で保管・廃棄）",
             p->d->office, day, p->page_no);
    text(p, 0, 8.0f, line);
    p->y = LIST_HEIGHT - LIST_MARGIN;
    snprintf(line, sizeof line, "%s 予約一覧（%s）", p->d->municipality, p->d->office);
    text(p, 0, 15.0f, line);
    p->y -= 22.0f;
    snprintf(line, sizeof line, "%s    予約 %zu 件", day, p->d->n);
    text(p, 0, 11.0f, line);
    p->y -= 24.0f;
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        text(p, columns[i].x, 9.0f, columns[i].label);
    rule(p, 0.8f);
}

static void content(struct page *p)
{
    new_page(p);
    if (p->d->n == 0) {
        p->y -= LIST_LINE;
        text(p, 0, 10.0f, "この日の予約はありません");
    }
    for (size_t i = 0; i < p->d->n; i++) {
        const struct daylist_row *r = &p->d->rows[i];
        p->y -= LIST_LINE;
        if (p->y < LIST_MARGIN + LIST_LINE) {
            new_page(p);
            p->y -= LIST_LINE;
        }
        const char *cells[] = {r->time,
                               r->rid,
                               r->name,
                               r->kana,
                               r->birth,
                               status_ja(r->status),
                               r->channel[0] == 'w' ? "ウェブ" : "電話"};
        for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
            if (k == 2 || k == 3)
                name_text(p, columns[k].x, k == 2 ? 10.0f : 9.0f, cells[k]);
            else
                text(p, columns[k].x, 9.0f, cells[k]);
        }
        rule(p, 0.3f);
    }
}

int daylist_pdf(const struct daylist *d, const char *path, unsigned mode, struct cn_err *err)
{
    struct cn_err inner = {0};
    struct page p = {.d = d, .err = &inner};
    _Static_assert(GF_COUNT == sizeof d->fonts / sizeof d->fonts[0], "one path per glyph font");
    p.status = pdfdoc_new(d->fonts, 2, &p.doc, &inner);
    if (p.status == CN_OK)
        p.status = glyphs_load(d->fonts, &p.glyphs, &inner);
    if (p.status == CN_OK)
        p.status = pdfdoc_glyph_fonts(p.doc, d->fonts, GF_COUNT, &inner);
    /* libharu's own ToUnicode is malformed: extraction would warn on every page. */
    if (p.status == CN_OK)
        p.status = pdfdoc_fix_tounicode(p.doc, 0, &inner);
    if (p.status == CN_OK)
        content(&p);
    if (p.status == CN_OK)
        p.status = pdfdoc_status(p.doc, "libharu", &inner);
    if (p.status == CN_OK)
        p.status = pdfdoc_save(p.doc, path, mode, &inner);
    pdfdoc_free(p.doc);
    glyphs_free(p.glyphs);
    if (p.status != CN_OK)
        return cn_fail(err, CN_EOUTPUT, "%s: %s", path, inner.msg);
    return CN_OK;
}
