"""TAP lines and headless Chromium for the browser walks: started here with a DevTools port on 127.0.0.1
(never "localhost": a bare Debian root has no /etc/hosts) and driven by chromedriver at
127.0.0.1; and axe-core's WCAG 2.1 A/AA check of the page in hand."""
import os
import shutil
import subprocess
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common import utils


class LoopbackService(Service):
    @property
    def service_url(self):
        return "http://127.0.0.1:%d" % self.port

    def is_connectable(self):
        return utils.is_connectable(self.port, "127.0.0.1")


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="walk-profile-")
        port = utils.free_port()
        self.chrome = subprocess.Popen(
            ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
             "--window-size=%d,%d" % (width, height), "--disable-dev-shm-usage", "--lang=ja",
             "--accept-lang=ja",  # a Japanese phone: the booking pages start in Japanese
             "--no-first-run", "--user-data-dir=" + self.profile,
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=%d" % port,
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            if utils.is_connectable(port, "127.0.0.1") or self.chrome.poll() is not None:
                break
            time.sleep(0.1)
        opts = webdriver.ChromeOptions()
        opts.debugger_address = "127.0.0.1:%d" % port
        try:
            self.driver = webdriver.Chrome(service=LoopbackService("/usr/bin/chromedriver"),
                                           options=opts)
        except Exception:
            self.close()
            raise
        self.driver.set_page_load_timeout(30)
        self.driver.set_script_timeout(30)

    def stopped(self, tap, shots, e):
        """A step that could not be taken: a failure with a screenshot, not a crash."""
        # the step's line and the driver's message: a bare WebDriverException() says neither
        where = "".join(traceback.format_exception(type(e), e, e.__traceback__)[-4:])
        tap(False, "walk stopped at %s" % self.driver.current_url, repr(e) + "\n" + where)
        self.driver.save_screenshot(os.path.join(shots, "99-stopped.png"))

    def close(self):
        if getattr(self, "driver", None):
            self.driver.quit()
        self.chrome.terminate()
        try:
            self.chrome.wait(10)
        except subprocess.TimeoutExpired:
            self.chrome.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def click_to_new_page(driver, element, timeout=20):
    """Clicks element and waits for the page it leads to: a new document, loaded. It marks the
    old page's window instead of watching the element: chromedriver may answer a detached
    element with "Node with given id does not belong to the document" rather than a stale
    reference, which WebDriverWait's staleness_of does not expect (a walk stopped so about
    one run in five). While the page changes, a script may fail: those errors are waited out."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__cnOldPage = 1")
    element.click()
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.__cnOldPage === undefined && document.readyState === 'complete'"))


def axe_violations(driver, axe_js):
    """axe-core on the page: a line per WCAG 2.1 A/AA violation, [] when clean."""
    driver.execute_script(axe_js)
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(function (r) {"
        " done(r.violations.map(function (v) { return v.id + ': ' + v.help + ' ' +"
        " v.nodes.map(function (x) { return x.target.join(' '); }).join(', '); })); });")


class Tap:
    """TAP lines on stdout: tap(ok, desc, detail) and, at the end, plan() and the exit code."""

    def __init__(self):
        self.n = self.failed = 0

    def __call__(self, ok, desc, detail=""):
        self.n += 1
        print(("ok" if ok else "not ok") + " %d - %s" % (self.n, desc))
        if not ok:
            self.failed += 1
            for line in str(detail).splitlines()[:20]:
                print("# " + line)

    def plan(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def axe_tap(tap, driver, axe_js, what):
    """The TAP line of axe-core's check; a SKIP when axe_js is None (not installed)."""
    if axe_js is None:
        tap(True, "%s: axe-core, 0 WCAG 2.1 AA violations # SKIP axe-core not installed" % what)
        return
    res = axe_violations(driver, axe_js)
    tap(res == [], "%s: axe-core, 0 WCAG 2.1 AA violations" % what, "\n".join(res))
