#!/usr/bin/env python3
"""The booking pages in every offered language, in headless Chromium at 360x740.

Usage: walk_lang.py URL BIRTH_MMDD SHOTS_DIR AXE_JS LANG...

URL is the letter's booking URL on the local server. For each LANG the walk picks the
language with the header's link (each language named in itself), then books (the ID form
and its error, the start page, the birthday and its error, date, time, check, done, the
print page, the ICS file) and cancels, so the next language books the same ID again. Every
page: <html lang> is the language's, axe-core finds no WCAG 2.1 A/AA violation, no text
overflows its box, nothing scrolls sideways, and a screenshot LANG-NN-name.png is kept.
Prints TAP lines; exits non-zero when anything fails.
"""
import os
import sys
import urllib.request

from selenium.webdriver.common.by import By

from chromelib import Browser, Tap, axe_tap

url, mmdd, shots, axe_path = sys.argv[1:5]
langs = sys.argv[5:]
base = url.split("/R/")[0]
axe_js = None if axe_path == "-" else open(axe_path, encoding="utf-8").read()
tap = Tap()
browser = Browser(360, 740)
driver = browser.driver

# Every element whose content is wider than its box (text that does not wrap, a word
# longer than a button), or that reaches past the viewport's right edge.
OVERFLOW_JS = """
var vw = document.documentElement.clientWidth, out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return;
  var cs = getComputedStyle(e);
  var clipped = cs.overflowX !== 'visible';
  if (r.right > vw + 1 || (!clipped && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
    out.push(e.tagName + (e.id ? '#' + e.id : '') + ' "' + e.textContent.trim().slice(0, 30) +
             '" ' + Math.round(r.right) + '/' + vw);
});
return out;
"""


class Walk:
    def __init__(self, lang):
        self.lang = lang
        self.step = 0

    def look(self, name):
        self.step += 1
        h = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(360, max(740, min(int(h) + 140, 4000)))
        driver.save_screenshot(os.path.join(shots, "%s-%02d-%s.png" % (self.lang, self.step, name)))
        driver.set_window_size(360, 740)
        where = "%s %s" % (self.lang, name)
        got = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        tap(got == self.lang, "%s: <html lang=\"%s\">" % (where, got))
        tap(driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "ltr",
            "%s: <html dir>" % where)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        tap(width <= 360, "%s: no sideways scrolling at 360 px (%d)" % (where, width))
        over = driver.execute_script(OVERFLOW_JS)
        tap(over == [], "%s: no text overflows its box" % where, "\n".join(over[:5]))
        axe_tap(tap, driver, axe_js, where)


def submit():
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()


def pick_first(name):
    for r in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=%s]" % name):
        if r.is_enabled():
            driver.find_element(By.CSS_SELECTOR, "label[for='%s']" % r.get_attribute("id")).click()
            return
    raise AssertionError("no free %s on %s" % (name, driver.current_url))


def birthday(month, day):
    for f, v in (("bday-month", month), ("bday-day", day)):
        e = driver.find_element(By.ID, f)
        e.clear()
        e.send_keys(str(v))
    submit()


def ics():
    """The ICS file with the browser's cookies (session and language)."""
    jar = "; ".join("%s=%s" % (c["name"], c["value"]) for c in driver.get_cookies())
    req = urllib.request.Request(base + "/booking.ics", headers={"Cookie": jar})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read().decode("utf-8")


# What the ICS file's SUMMARY begins with in each language (templates/po).
ICS_SUMMARY = {"ja": "電子証明書の更新", "ja-x-easy": "電子証明書の 更新", "en": "Renewing electronic",
               "zh-Hans": "更新电子证明书", "ko": "전자증명서 갱신", "vi": "Gia hạn chứng thư",
               "pt": "Renovação dos certificados"}

month, day = int(mmdd[:2]), int(mmdd[2:])
try:
    for lang in langs:
        w = Walk(lang)
        driver.get(base + "/")
        driver.delete_cookie("cn_sid")  # each language from the start: a new session
        # the language link, named in the language itself
        link = driver.find_element(By.CSS_SELECTOR, "nav.langs [lang='%s']" % lang)
        if link.tag_name == "a":
            link.click()
        w.look("id-form")
        driver.find_element(By.ID, "rid").send_keys("ABCD-EFGH-JKLM")
        submit()
        w.look("id-typo")
        driver.get(url)
        w.look("start")
        driver.find_element(By.CSS_SELECTOR, "main a.button.start").click()
        w.look("birthday")
        birthday(month % 12 + 1, day)
        w.look("birthday-error")
        birthday(month, day)
        w.look("date")
        pick_first("date")
        submit()
        w.look("slot")
        pick_first("slot")
        submit()
        w.look("check")
        submit()
        w.look("done")
        text = ics()
        summary = [l for l in text.splitlines() if l.startswith("SUMMARY:")]
        tap(bool(summary) and summary[0][8:].startswith(ICS_SUMMARY[lang]),
            "%s: the ICS file in the language (%s)" % (lang, summary[0] if summary else "none"))
        driver.get(base + "/print")
        w.look("print")
        driver.get(url)
        w.look("booked")
        driver.find_element(By.CSS_SELECTOR, "main a.button.secondary").click()
        w.look("cancel")
        driver.find_element(By.CSS_SELECTOR, "main button.warning").click()
        w.look("cancelled")
except Exception as e:  # a step that could not be taken fails the walk, with a screenshot
    browser.stopped(tap, shots, e)
finally:
    browser.close()
sys.exit(tap.plan())
