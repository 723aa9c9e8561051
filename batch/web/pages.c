#include "pages.h"

#include <string.h>

static _Thread_local const struct page_lang *current;

void page_lang_set(const struct page_lang *pl)
{
    current = pl;
}

const char *page_word(const char *ja)
{
    return current ? texts_get(current->texts, current->lang, ja) : ja;
}

/* The offered languages, each named in itself and marked with its own lang; the page's
 * own is not a link. */
static void language_links(struct html *h)
{
    if (!current || !(current->offered & ~(1u << LANG_JA)))
        return;
    html_raw(h, "<nav class=\"langs\" aria-label=\"Language / 言語\"><ul>");
    for (int l = 0; l < LANG_COUNT; l++) {
        if (!(current->offered & (1u << l)))
            continue;
        const char *code = lang_code((enum lang)l), *name = lang_self_name((enum lang)l);
        if ((enum lang)l == current->lang)
            html_f(h, "<li><span lang=\"%s\" aria-current=\"true\">%s</span></li>", code, name);
        else
            html_f(h, "<li><a href=\"?lang=%s\" lang=\"%s\" hreflang=\"%s\">%s</a></li>", code,
                   code, code, name);
    }
    html_raw(h, "</ul></nav>");
}

void page_begin(struct html *h, const char *service, const char *title, bool errors,
                const char *back)
{
    const enum lang l = current ? current->lang : LANG_JA;
    html_f(h,
           "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
           lang_code(l), lang_dir(l));
    html_raw(h, "<title>");
    if (errors)
        html_t(h, page_word("エラー: "));
    html_f(h, "%s - %s</title>\n", title, service);
    html_raw(h, "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
                "<a class=\"skip\" href=\"#main\">");
    html_t(h, page_word("本文へ移動"));
    html_f(h,
           "</a>\n<header class=\"top\"><div class=\"wrap\"><a class=\"service\" href=\"/\">%s</a>",
           service);
    language_links(h);
    html_raw(h, "</div></header>\n<div class=\"wrap\">\n");
    if (back) {
        html_f(h, "<a class=\"back\" href=\"%s\">", back);
        html_t(h, page_word("戻る"));
        html_raw(h, "</a>\n");
    }
    html_raw(h, "<main id=\"main\">\n");
}

void page_end(struct html *h, const char *phone, const char *hours)
{
    html_raw(h, "</main>\n</div>\n<footer class=\"foot\"><div class=\"wrap\">");
    if (phone && phone[0]) {
        html_raw(h, "<p>");
        html_tf(h, page_word("お問い合わせ：電話 %s"), phone);
        if (hours && hours[0])
            html_tf(h, page_word("（%s）"), hours);
        html_raw(h, "</p>");
    }
    html_raw(h, "</div></footer>\n</body>\n</html>\n");
}

void page_error_summary(struct html *h, const struct page_error *errs, int n)
{
    if (n <= 0)
        return;
    html_raw(h, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\">\n"
                "<h2 class=\"error-title\">");
    html_t(h, page_word("入力内容を確認してください"));
    html_raw(h, "</h2>\n<ul>\n");
    for (int i = 0; i < n; i++) {
        if (errs[i].field)
            html_f(h, "<li><a href=\"#%s\">", errs[i].field);
        else
            html_raw(h, "<li>");
        html_t(h, page_word(errs[i].msg));
        html_raw(h, errs[i].field ? "</a></li>\n" : "</li>\n");
    }
    html_raw(h, "</ul>\n</div>\n");
}

void page_field_error(struct html *h, const char *field, const char *msg)
{
    html_f(h, "<p class=\"field-error\" id=\"%s-error\"><span class=\"vh\">", field);
    html_t(h, page_word("エラー："));
    html_raw(h, "</span>");
    html_t(h, page_word(msg));
    html_raw(h, "</p>\n");
}

void page_form_post(struct html *h, const char *action, const char *csrf)
{
    html_f(h,
           "<form method=\"post\" action=\"%s\" novalidate>\n"
           "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n",
           action, csrf);
}

void page_radio(struct html *h, const char *name, const char *id, const char *value,
                const char *label, const char *hint, bool checked, bool disabled)
{
    html_f(h, "<div class=\"radio%s\"><input type=\"radio\" name=\"%s\" id=\"%s\" value=\"%s\"",
           disabled ? " disabled" : "", name, id, value);
    if (checked)
        html_raw(h, " checked");
    if (disabled)
        html_raw(h, " disabled");
    if (hint && hint[0])
        html_f(h, " aria-describedby=\"%s-hint\"", id);
    html_f(h, "><label for=\"%s\">", id);
    html_t(h, label);
    if (hint && hint[0]) {
        html_f(h, " <span class=\"hint\" id=\"%s-hint\">", id);
        html_t(h, hint);
        html_raw(h, "</span>");
    }
    html_raw(h, "</label></div>\n");
}

void page_button(struct html *h, const char *label, bool warning)
{
    html_f(h, "<button type=\"submit\" class=\"button%s\">", warning ? " warning" : "");
    html_t(h, label);
    html_raw(h, "</button>\n");
}

void page_start_link(struct html *h, const char *href, const char *label)
{
    html_f(h, "<p><a class=\"button start\" href=\"%s\" role=\"button\">", href);
    html_t(h, label);
    html_raw(h, "</a></p>\n");
}

void page_summary_row(struct html *h, const char *key, const char *value, const char *change,
                      const char *change_what)
{
    html_raw(h, "<div class=\"row\"><dt>");
    html_t(h, key);
    html_raw(h, "</dt><dd>");
    html_t(h, value);
    html_raw(h, "</dd>");
    if (change) {
        html_f(h, "<dd class=\"change\"><a href=\"%s\">", change);
        html_t(h, page_word("変更"));
        html_raw(h, "<span class=\"vh\">");
        html_tf(h, page_word("（%s）"), change_what ? change_what : key);
        html_raw(h, "</span></a></dd>");
    }
    html_raw(h, "</div>\n");
}

void page_status(struct html *h, const char *service, int status, const char *phone,
                 const char *hours)
{
    const char *title, *text;
    switch (status) {
    case 400:
        title = N_("送信された内容を読み取れませんでした");
        text = N_("お手数ですが、最初からやり直してください。");
        break;
    case 403:
        title = N_("この操作は受け付けられませんでした");
        text = N_("時間がたって画面の有効期限が切れたか、別の画面から送信されました。お手数ですが、"
                  "最初からやり直してください。");
        break;
    case 404:
        title = N_("ページが見つかりません");
        text = N_("アドレスを確かめるか、最初のページから進んでください。");
        break;
    case 405:
        title = N_("この操作はできません");
        text = N_("最初のページから進んでください。");
        break;
    case 413:
        title = N_("送信された内容が大きすぎます");
        text = N_("お手数ですが、最初からやり直してください。");
        break;
    case 431:
        title = N_("送信された内容が大きすぎます");
        text = N_("ブラウザーのCookieを削除してから、もう一度お試しください。");
        break;
    case 429:
        title = N_("しばらくお待ちください");
        text = N_("短い時間に多くの操作がありました。時間をおいてからやり直してください。");
        break;
    case 503:
        title = N_("ただいま混み合っています");
        text = N_("少し時間をおいてから、もう一度お試しください。");
        break;
    default:
        title = N_("エラーが発生しました");
        text = N_("少し時間をおいてから、もう一度お試しください。");
        break;
    }
    title = page_word(title);
    page_begin(h, service, title, false, NULL);
    html_raw(h, "<h1>");
    html_t(h, title);
    html_raw(h, "</h1>\n<p>");
    html_t(h, page_word(text));
    html_raw(h, "</p>\n<p><a href=\"/\">");
    html_t(h, page_word("最初のページへ"));
    html_raw(h, "</a></p>\n");
    page_end(h, phone, hours);
}

/* GOV.UK's look in a few rules: large type, a 44-px minimum for anything tapped, a
 * visible focus, colours with at least 4.5:1 contrast. No script, no web fonts. */
const char page_css[] =
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;font-family:system-ui,-apple-system,\"Hiragino Sans\",\"Noto Sans "
    "CJK JP\",\"Yu Gothic\",sans-serif;font-size:1.1875rem;line-height:1.6;color:#0b0c0c;"
    "background:#fff}\n"
    ".wrap{max-width:40rem;margin:0 auto;padding:0 15px}\n"
    ".skip{position:absolute;left:-9999px}\n"
    ".langs ul{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:0 14px}\n"
    ".langs a,.langs span{display:inline-block;padding:6px 0;color:#fff;font-size:1rem}\n"
    ".langs span{font-weight:bold;text-decoration:underline}\n"
    "ruby rt{font-size:.6em}\n"
    ".skip:focus{left:0;top:0;background:#fd0;color:#0b0c0c;padding:10px;z-index:9}\n"
    ".top{background:#0b0c0c;padding:10px 0}\n"
    ".top .service{color:#fff;font-weight:bold;text-decoration:none;font-size:1.2rem;"
    "display:inline-block;padding:6px 0}\n"
    "a{color:#1d70b8}\na:visited{color:#4c2c92}\n"
    "a:focus,button:focus,input:focus{outline:3px solid #fd0;outline-offset:0;"
    "box-shadow:0 0 0 6px #0b0c0c}\n"
    ".back{display:inline-block;margin-top:15px;padding:10px 0 10px 14px;position:relative;"
    "color:#0b0c0c}\n"
    ".back:before{content:\"\";position:absolute;left:2px;top:50%;width:7px;height:7px;"
    "border:solid #0b0c0c;border-width:0 0 2px 2px;transform:translateY(-50%) rotate(45deg)}\n"
    "main{padding:20px 0 40px}\n"
    "h1{font-size:1.75rem;line-height:1.3;margin:0 0 20px}\n"
    "h2{font-size:1.35rem;margin:30px 0 15px}\n"
    "fieldset{border:0;margin:0 0 20px;padding:0}\n"
    "legend{padding:0}\nlegend h1{margin-bottom:10px}\n"
    ".hint{display:block;color:#505a5f}\n"
    ".radio{display:flex;align-items:flex-start;margin:0 0 10px;min-height:44px}\n"
    ".radio input{width:44px;height:44px;margin:0 10px 0 0;flex:0 0 44px;accent-color:#0b0c0c}\n"
    ".radio label{padding:8px 0;cursor:pointer;flex:1}\n"
    ".radio.disabled label{color:#505a5f}\n"
    ".date-input{display:flex;gap:20px}\n"
    ".date-input label{display:block;font-weight:bold}\n"
    ".date-input input{width:4.5em;height:48px;font-size:1.25rem;border:2px solid #0b0c0c;"
    "padding:5px}\n"
    ".date-input input.invalid,.field input.invalid{border-color:#d4351c;border-width:4px}\n"
    ".field label{display:block;font-weight:bold;margin-bottom:5px}\n"
    ".field input{width:100%;max-width:20em;height:48px;font-size:1.25rem;border:2px solid "
    "#0b0c0c;padding:5px;letter-spacing:.05em}\n"
    ".button{display:inline-block;min-height:48px;padding:10px 20px;border:0;"
    "border-bottom:2px solid #002d18;background:#00703c;color:#fff;font-size:1.2rem;"
    "font-weight:bold;text-decoration:none;cursor:pointer;margin:10px 0 20px;font-family:inherit}\n"
    "a.button:visited,a.button:link{color:#fff}\n"
    ".button.warning{background:#d4351c;border-bottom-color:#55150b}\n"
    ".button.secondary{background:#f3f2f1;color:#0b0c0c;border-bottom-color:#929191}\n"
    "a.button.secondary:link,a.button.secondary:visited{color:#0b0c0c}\n"
    ".error-summary{border:5px solid #d4351c;padding:15px;margin-bottom:30px}\n"
    ".error-summary:focus{outline:3px solid #fd0}\n"
    ".error-title{margin-top:0;font-size:1.35rem}\n"
    ".error-summary ul{margin:0;padding-left:1.2em}\n"
    ".error-summary a{color:#d4351c;font-weight:bold}\n"
    ".field-error{color:#d4351c;font-weight:bold;margin:0 0 10px}\n"
    ".has-error{border-left:5px solid #d4351c;padding-left:15px}\n"
    ".vh{position:absolute!important;width:1px;height:1px;margin:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    ".panel{background:#00703c;color:#fff;padding:20px;text-align:center;margin-bottom:25px}\n"
    ".panel h1{margin:0 0 10px}\n.panel .ref{font-size:1.6rem;font-weight:bold;"
    "letter-spacing:.05em}\n"
    ".notice{border-left:5px solid #1d70b8;padding:10px 15px;background:#f3f2f1;margin:0 0 20px}\n"
    "dl.summary{margin:0 0 25px}\n"
    ".summary .row{border-bottom:1px solid #b1b4b6;padding:10px 0;display:flex;flex-wrap:wrap}\n"
    ".summary dt{font-weight:bold;flex:0 0 100%}\n.summary dd{margin:0;flex:1}\n"
    ".summary dd.change{flex:0 0 auto;text-align:right}\n"
    ".summary dd.change a{display:inline-block;min-height:44px;min-width:44px;padding:8px 0 8px "
    "10px}\n"
    ".links{list-style:none;padding:0}\n.links li{margin-bottom:10px}\n"
    ".links a{display:inline-block;padding:8px 0}\n"
    ".foot{border-top:1px solid #b1b4b6;background:#f3f2f1;padding:15px 0;font-size:1rem}\n"
    /* the counter's pages (staff_*.c): a wide table, small buttons, A4 when printed */
    "body:has(.daylist) .wrap{max-width:72rem}\n"
    ".staffnav{display:flex;flex-wrap:wrap;align-items:center;gap:10px;margin-top:10px}\n"
    ".staffnav ul{list-style:none;display:flex;flex-wrap:wrap;gap:0 15px;margin:0;padding:0;"
    "flex:1 1 18rem}\n.staffnav a{display:inline-block;padding:10px 0}\n"
    ".staffnav form{display:flex;align-items:center;gap:10px}\n"
    ".button.small{min-height:44px;padding:6px 12px;font-size:1rem;margin:2px 4px 2px 0}\n"
    ".button.current{background:#1d70b8;border-bottom-color:#003078}\n"
    "form.inline{display:flex;flex-wrap:wrap;gap:15px;align-items:flex-end}\n"
    "form.inline .button{margin:0 0 4px}\n"
    "select{height:48px;font-size:1.1rem;border:2px solid #0b0c0c;background:#fff;"
    "font-family:inherit;max-width:100%}\n"
    ".field{margin-bottom:15px}\n"
    ".forecast-chart{overflow-x:auto;margin:0 0 20px}.forecast-chart svg{max-width:100%;"
    "height:auto}\n"
    "table.daylist{border-collapse:collapse;width:100%;margin:0 0 20px;font-size:1rem}\n"
    ".daylist th,.daylist td{border-bottom:1px solid #b1b4b6;padding:6px 8px;text-align:left;"
    "vertical-align:top}\n.daylist th{border-bottom:2px solid #0b0c0c}\n"
    ".daylist .rid{font-family:ui-monospace,monospace;white-space:nowrap}\n"
    ".daylist tr.hit{background:#fff7bf}\n.daylist .marks form{display:inline}\n"
    "@media (max-width:40rem){.daylist thead{display:none}.daylist tr{display:block;"
    "border-bottom:2px solid #0b0c0c;padding:6px 0}.daylist td{display:block;border:0;"
    "padding:2px 0}}\n"
    "@page{size:A4 portrait;margin:12mm}\n"
    "@media print{.top,.foot,.back,.skip,.noprint{display:none!important}"
    "body{font-size:12pt}.panel{background:#fff;color:#000;border:3px solid #000}"
    "body:has(.daylist) .wrap{max-width:none;padding:0}main{padding:0}h1{font-size:16pt}"
    "table.daylist{font-size:10.5pt}.daylist tr{break-inside:avoid}"
    ".daylist thead{display:table-header-group}.daylist tr.hit{background:none}"
    ".hint{color:#000}}\n";
