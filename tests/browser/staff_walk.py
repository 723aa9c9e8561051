#!/usr/bin/env python3
"""A clerk's walk through the counter's pages in headless Chromium, at 360 and 1280 wide.

Usage: staff_walk.py BASE_URL NAME PASSWORD RID BIRTH_MMDD DAY SHOTS_DIR AXE_JS

Logs in (after one wrong password), opens DAY's list, books RID by phone, marks the booking
arrived, opens the closures page and logs out. Every page is screenshotted at both widths
(NN-name-WIDTH.png) and checked with axe-core (WCAG 2.1 A and AA). The day list is also
printed to PDF by Chromium (day-list.pdf) for a look at the A4 print. Prints TAP lines;
exits non-zero when anything fails.
"""
import base64
import os
import sys

from selenium.webdriver.common.by import By

from chromelib import Browser, Tap, axe_tap, click_to_new_page

base, name, password, rid, mmdd, day, shots, axe_path = sys.argv[1:9]
# "-": axe-core could not be installed; each page's axe check is reported as a SKIP.
axe_js = None if axe_path == "-" else open(axe_path, encoding="utf-8").read()
tap = Tap()
step = 0


def look(name_, want_title):
    """Both widths: a full-page screenshot, no sideways scrolling, axe clean."""
    global step
    step += 1
    title = d.title
    tap(want_title in title, "%s: title '%s' has '%s'" % (name_, title, want_title))
    for width in (360, 1280):
        d.set_window_size(width, 800)
        h = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(width, max(800, min(int(h) + 140, 4000)))
        d.save_screenshot(os.path.join(shots, "%02d-%s-%d.png" % (step, name_, width)))
        sw = d.execute_script("return document.documentElement.scrollWidth")
        tap(sw <= width, "%s at %d px: no sideways scrolling (%d)" % (name_, width, sw))
        axe_tap(tap, d, axe_js, "%s at %d px" % (name_, width))
    d.set_window_size(1280, 800)


def click(text):
    """Clicks the button and waits for the page it leads to."""
    for e in d.find_elements(By.CSS_SELECTOR, "button, a.button"):
        if e.text.strip() == text:
            click_to_new_page(d, e)
            return
    raise AssertionError("no button '%s' on %s" % (text, d.current_url))


def fill(id_, value):
    e = d.find_element(By.ID, id_)
    e.clear()
    e.send_keys(value)


b = Browser(1280, 800)
d = b.driver
try:
    d.get(base + "/staff/day")
    tap(d.current_url.endswith("/staff/login"), "no session: the login page")
    look("login", "ログイン")
    fill("name", name)
    fill("password", password + "x")
    click("ログイン")
    look("login-error", "エラー: ログイン")
    fill("password", password)
    click("ログイン")
    cookie = d.get_cookie("cn_staff") or {}
    tap(cookie.get("httpOnly") and cookie.get("secure") and cookie.get("sameSite") == "Strict",
        "logged in: the session cookie is HttpOnly, Secure, SameSite=Strict", repr(cookie))

    d.get(base + "/staff/phone")
    look("phone", "電話予約")
    fill("rid", rid)
    fill("bday-month", str(int(mmdd[:2])))
    fill("bday-day", str(int(mmdd[2:])))
    click("確認する")
    look("phone-caller", "電話予約：日時の選択")
    fill("phone-date", day)
    click("空いている時間を見る")
    look("phone-slots", "電話予約：日時の選択")
    radios = [r for r in d.find_elements(By.CSS_SELECTOR, "input[name=slot]") if r.is_enabled()]
    d.find_element(By.CSS_SELECTOR, "label[for='%s']" % radios[0].get_attribute("id")).click()
    click("この時間で予約する")
    look("phone-done", "電話予約：完了")

    d.get(base + "/staff/day?date=" + day)
    look("day-list", "予約一覧")
    rows = d.find_elements(By.CSS_SELECTOR, "table.daylist tbody tr")
    tap(len(rows) >= 1, "day list: the phone booking is listed (%d rows)" % len(rows))
    pdf = d.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                                 "preferCSSPageSize": True,
                                                 "printBackground": True})
    with open(os.path.join(shots, "day-list.pdf"), "wb") as f:
        f.write(base64.b64decode(pdf["data"]))
    click("来庁")
    tap("/staff/day" in d.current_url, "marked arrived: back on the list")
    current = d.find_elements(By.CSS_SELECTOR, "table.daylist button.current")
    tap(any(c.text.strip() == "来庁" for c in current), "the arrived mark shows on the row")
    look("day-marked", "予約一覧")

    d.get(base + "/staff/closures")
    look("closures", "休止・定員")
    click("ログアウト")
    tap(d.current_url.endswith("/staff/login"), "logged out: the login page")
    d.get(base + "/staff/day")
    tap(d.current_url.endswith("/staff/login"), "after logout the list asks for a login")
except Exception as e:
    b.stopped(tap, shots, e)
finally:
    b.close()
sys.exit(tap.plan())
