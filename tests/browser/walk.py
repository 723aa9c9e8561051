#!/usr/bin/env python3
"""A resident's walk through the booking service in headless Chromium at 360x740.

Usage: walk.py URL BIRTH_MMDD SHOTS_DIR AXE_JS

URL is what the letter's QR code says, already mapped to the local server. Every page is
screenshotted (NN-name.png in SHOTS_DIR) and checked with axe-core against WCAG 2.1 A and
AA. Prints TAP lines; exits non-zero when anything fails.
"""
import datetime
import glob
import os
import sys
import time

from selenium.webdriver.common.by import By

from chromelib import Browser, Tap, axe_tap

url, mmdd, shots, axe_path = sys.argv[1:5]
base = url.split("/R/")[0]
# "-": axe-core could not be installed; each page's axe check is reported as a SKIP.
axe_js = None if axe_path == "-" else open(axe_path, encoding="utf-8").read()
downloads = os.path.join(shots, "downloads")
os.makedirs(downloads, exist_ok=True)
tap = Tap()
browser = Browser(360, 740)
driver = browser.driver
driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
step = 0


def look(name, want_title=None):
    """Screenshot the whole page and run axe on it."""
    global step
    step += 1
    # what the phone shows first, then the whole page
    driver.save_screenshot(os.path.join(shots, "%02d-%s-top.png" % (step, name)))
    # the full height of the page at a phone's width
    h = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(360, max(740, min(int(h) + 140, 4000)))
    path = os.path.join(shots, "%02d-%s.png" % (step, name))
    driver.save_screenshot(path)
    driver.set_window_size(360, 740)
    title = driver.title
    if want_title:
        tap(want_title in title, "%s: title '%s'" % (name, title))
    width = driver.execute_script("return document.documentElement.scrollWidth")
    tap(width <= 360, "%s: no sideways scrolling at 360 px (%d)" % (name, width))
    axe_tap(tap, driver, axe_js, name)
    small = driver.execute_script(
        "return Array.from(document.querySelectorAll('main button, main a.button, main input, main .change a, main .links a'))"
        ".filter(function (e) { var r = e.getBoundingClientRect();"
        " return r.width > 0 && r.height > 0 && r.height < 44 && e.type !== 'hidden'; })"
        ".map(function (e) { return e.tagName + ' ' + (e.id || e.textContent.trim().slice(0, 20)); });")
    tap(small == [], "%s: tap targets at least 44 px high" % name, "\n".join(small))


def click_button(text):
    for b in driver.find_elements(By.CSS_SELECTOR, "button, a.button"):
        if text in b.text:
            b.click()
            return
    raise AssertionError("no button '%s' on %s" % (text, driver.current_url))


def pick_first_radio(name):
    for r in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=%s]" % name):
        if r.is_enabled():
            driver.find_element(By.CSS_SELECTOR, "label[for='%s']" % r.get_attribute("id")).click()
            return r.get_attribute("value")
    raise AssertionError("no free %s on %s" % (name, driver.current_url))


def book(month, day, first):
    """From the start page to the confirmation."""
    click_button("予約を始める")
    if first:
        look("birthday", "誕生日の入力")
        # a wrong birthday first: the error summary, typed values kept
        driver.find_element(By.ID, "bday-month").send_keys(str(month % 12 + 1))
        driver.find_element(By.ID, "bday-day").send_keys(str(day))
        click_button("次へ")
        look("birthday-error", "エラー: 誕生日の入力")
        kept = driver.find_element(By.ID, "bday-month").get_attribute("value")
        tap(kept == str(month % 12 + 1), "wrong birthday: the typed month is kept")
        driver.find_element(By.ID, "bday-month").clear()
        driver.find_element(By.ID, "bday-day").clear()
        driver.find_element(By.ID, "bday-month").send_keys(str(month))
        driver.find_element(By.ID, "bday-day").send_keys(str(day))
        click_button("次へ")
    look("date" if first else "date-again", "日付の選択")
    if first:
        click_button("次へ")  # nothing chosen
        look("date-error", "エラー: 日付の選択")
    day_value = pick_first_radio("date")
    click_button("次へ")
    look("slot" if first else "slot-again", "時間の選択")
    slot_value = pick_first_radio("slot")
    click_button("次へ")
    look("check" if first else "check-again", "予約内容の確認")
    click_button("この内容で予約する")
    look("done" if first else "done-again", "予約が完了しました")
    return day_value, slot_value


try:
    driver.get(base + "/")
    look("id-form", "予約IDの入力")
    driver.find_element(By.ID, "rid").send_keys("ABCD-EFGH-JKLM")
    click_button("次へ")
    look("id-typo", "エラー: 予約IDの入力")

    driver.get(url)
    look("start", "電子証明書の更新の予約")
    month, day = int(mmdd[:2]), int(mmdd[2:])
    d1, s1 = book(month, day, True)
    body = driver.find_element(By.TAG_NAME, "main").text
    tap("予約番号" in body and "お持ちいただくもの" in body, "confirmation: reference and what to bring")

    # the ICS file, downloaded as a browser does
    for f in glob.glob(os.path.join(downloads, "*")):
        os.remove(f)
    driver.find_element(By.LINK_TEXT, "カレンダーに登録する（ICSファイル）").click()
    ics = []
    for _ in range(50):
        ics = [f for f in glob.glob(os.path.join(downloads, "*.ics"))]
        if ics:
            break
        time.sleep(0.2)
    text = open(ics[0], encoding="utf-8").read() if ics else ""
    start = datetime.datetime.strptime(d1 + " " + s1, "%Y-%m-%d %H:%M") - datetime.timedelta(hours=9)
    tap("BEGIN:VCALENDAR" in text and start.strftime("DTSTART:%Y%m%dT%H%M00Z") in text,
        "ICS downloaded with the booked slot (%s %s)" % (d1, s1), text[:400])
    print("# ics: " + (ics[0] if ics else "none"))

    driver.get(base + "/print")
    look("print", "予約内容（印刷用）")
    driver.get(url)
    look("start-booked", "予約済みです")

    # cancel: a confirm step, then the POST
    click_button("予約を取り消す")
    look("cancel-confirm", "予約の取り消し")
    click_button("予約を取り消す")
    look("cancelled", "予約を取り消しました")
    click_button("新しく予約する")
    look("start-again", "電子証明書の更新の予約")
    d2, s2 = book(month, day, False)
    tap(bool(d2 and s2), "booked again: %s %s" % (d2, s2))
    driver.get(base + "/nope")
    look("not-found", "ページが見つかりません")
except Exception as e:
    browser.stopped(tap, shots, e)
finally:
    browser.close()
sys.exit(tap.plan())
