#include "control_sheet.h"

#include <stdio.h>

#include "pdfdoc.h"

#define SHEET_MARGIN 50.0f
#define SHEET_LINE 14.0f
/* A4 portrait as libharu gives it (HPDF_PAGE_SIZE_A4), in points. */
#define SHEET_WIDTH 595.276f
#define SHEET_HEIGHT 841.89f

struct sheet {
    struct pdfdoc *doc;
    const struct canvas *c;
    float y;
    int page_no;
    const char *batch;
    int status;
    struct cn_err *err;
};

static void sheet_text(struct sheet *s, float x, float size, const char *text)
{
    if (s->c)
        s->c->ops->text(s->c->ctx, 0, size, x, s->y, text);
}

static void sheet_new_page(struct sheet *s)
{
    if (s->status == CN_OK)
        s->status = pdfdoc_add_page(s->doc, SHEET_WIDTH, SHEET_HEIGHT, &s->c, s->err);
    s->page_no++;
    char footer[128];
    snprintf(footer, sizeof footer, "%s  管理票 %d ページ", s->batch, s->page_no);
    s->y = SHEET_MARGIN - 20.0f;
    sheet_text(s, SHEET_MARGIN, 8.0f, footer);
    s->y = SHEET_HEIGHT - SHEET_MARGIN;
}

/* Moves down one line of the given height, starting a new page at the bottom margin. */
static void sheet_line(struct sheet *s, float height)
{
    s->y -= height;
    if (s->y < SHEET_MARGIN) {
        sheet_new_page(s);
        s->y -= height;
    }
}

static void sheet_rule(struct sheet *s)
{
    if (!s->c)
        return;
    s->c->ops->line_width(s->c->ctx, 0.5f);
    s->c->ops->move_to(s->c->ctx, SHEET_MARGIN, s->y - 4.0f);
    s->c->ops->line_to(s->c->ctx, SHEET_WIDTH - SHEET_MARGIN, s->y - 4.0f);
    s->c->ops->stroke(s->c->ctx);
}

static void sheet_files_header(struct sheet *s)
{
    static const struct {
        float x;
        const char *label;
    } cols[] = {{0, "ファイル"}, {115, "通数"},     {160, "ページ"},
                {205, "連番"},   {295, "郵便番号"}, {400, "SHA-256 (先頭16桁)"}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        sheet_text(s, SHEET_MARGIN + cols[i].x, 9.0f, cols[i].label);
    sheet_rule(s);
}

static void sheet_content(struct sheet *s, const struct control_sheet *cs)
{
    char line[512];
    sheet_new_page(s);
    sheet_line(s, 6.0f);
    sheet_text(s, SHEET_MARGIN, 16.0f, "印刷・封入封緘 管理票");
    sheet_line(s, 26.0f);
    snprintf(line, sizeof line, "差出自治体: %s", cs->municipality);
    sheet_text(s, SHEET_MARGIN, 11.0f, line);
    sheet_line(s, SHEET_LINE + 2);
    snprintf(line, sizeof line, "バッチ: %s    実行: %s", cs->batch, cs->run_label);
    sheet_text(s, SHEET_MARGIN, 11.0f, line);
    sheet_line(s, SHEET_LINE + 2);
    snprintf(line, sizeof line, "合計: 通数 %ld    ページ数 %ld    ファイル数 %zu", cs->letters,
             cs->pages, cs->n_files);
    sheet_text(s, SHEET_MARGIN, 11.0f, line);
    sheet_line(s, 2 * SHEET_LINE);

    sheet_text(s, SHEET_MARGIN, 12.0f, "印刷ファイル");
    sheet_line(s, SHEET_LINE + 4);
    sheet_files_header(s);
    for (size_t i = 0; i < cs->n_files; i++) {
        const struct print_file_info *f = &cs->files[i];
        int before = s->page_no;
        sheet_line(s, SHEET_LINE);
        if (s->page_no != before) {
            sheet_files_header(s);
            sheet_line(s, SHEET_LINE);
        }
        char cell[64];
        sheet_text(s, SHEET_MARGIN, 9.0f, f->name);
        snprintf(cell, sizeof cell, "%ld", f->letters);
        sheet_text(s, SHEET_MARGIN + 115, 9.0f, cell);
        snprintf(cell, sizeof cell, "%ld", f->pages);
        sheet_text(s, SHEET_MARGIN + 160, 9.0f, cell);
        snprintf(cell, sizeof cell, "%ld - %ld", f->first_seq, f->last_seq);
        sheet_text(s, SHEET_MARGIN + 205, 9.0f, cell);
        snprintf(cell, sizeof cell, "%.3s-%.4s - %.3s-%.4s", f->first_postal, f->first_postal + 3,
                 f->last_postal, f->last_postal + 3);
        sheet_text(s, SHEET_MARGIN + 295, 9.0f, cell);
        snprintf(cell, sizeof cell, "%.16s", f->sha256);
        sheet_text(s, SHEET_MARGIN + 400, 9.0f, cell);
    }
    sheet_line(s, 2 * SHEET_LINE);

    sheet_text(s, SHEET_MARGIN, 12.0f, "郵便区（郵便番号上3桁）別通数");
    sheet_line(s, SHEET_LINE + 4);
    const int per_row = 6;
    const float col_width = 82.0f;
    int col = 0;
    for (int d = 0; d < POSTAL_DISTRICTS; d++) {
        if (!cs->postal[d])
            continue;
        if (col == 0)
            sheet_line(s, SHEET_LINE);
        char cell[32];
        snprintf(cell, sizeof cell, "%03d: %ld", d, cs->postal[d]);
        sheet_text(s, SHEET_MARGIN + (float)col * col_width, 9.0f, cell);
        col = (col + 1) % per_row;
    }
    if (!cs->marks || !cs->marks[0][0])
        return;
    sheet_line(s, 2 * SHEET_LINE);
    sheet_text(s, SHEET_MARGIN, 12.0f, "封入検査用マーク（DataMatrix ECC200、全ページ）");
    sheet_line(s, SHEET_LINE + 4);
    for (size_t i = 0; i < CTLSHEET_MARK_LINES; i++) {
        if (!cs->marks[i][0])
            continue;
        sheet_line(s, SHEET_LINE);
        sheet_text(s, SHEET_MARGIN, 9.0f, cs->marks[i]);
    }
}

int control_sheet_write(const struct control_sheet *cs, const char *path, unsigned mode, struct cn_err *err)
{
    struct cn_err inner = {0};
    struct sheet s = {.batch = cs->batch, .err = &inner};
    s.status = pdfdoc_new(&cs->font_path, 1, &s.doc, &inner);
    /* libharu's own ToUnicode is malformed: extraction would warn on every page. */
    if (s.status == CN_OK)
        s.status = pdfdoc_fix_tounicode(s.doc, 0, &inner);
    if (s.status == CN_OK)
        sheet_content(&s, cs);
    if (s.status == CN_OK)
        s.status = pdfdoc_status(s.doc, "libharu", &inner);
    if (s.status == CN_OK)
        s.status = pdfdoc_save(s.doc, path, mode, &inner);
    pdfdoc_free(s.doc);
    if (s.status != CN_OK)
        return cn_fail(err, CN_EOUTPUT, "control-sheet.pdf: %s", inner.msg);
    return CN_OK;
}
