"""
Shared fixtures for browser tests: the workbench served on a free loopback port by Django's live
server (in this process, on the test database), and Debian's chromium driven by Playwright.

Playwright never downloads a browser here: `make test` installs Debian's chromium when
/usr/bin/chromium is missing, and the tests fail with that advice if it still is.
"""
import io
import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
HERE = Path(__file__).resolve().parent

# pytest-django's live_server reads this: loopback only, and port 0 lets the system pick a free one.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:0")


def pytest_collection_modifyitems(items):
    """Everything under tests/browser is a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser():
    """Chromium for one test. Per test, not per session: Playwright's sync API allows one instance at
    a time in a thread, and other browser tests here start their own."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    # Playwright's sync API keeps an event loop in this thread; Django then refuses database calls
    # from the test (the live server's own threads are unaffected). The test code is synchronous,
    # so lift that guard while the browser runs, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def workbench(live_server, settings):
    """
    The workbench's base URL, with every scenario parsed into this test's (freshly flushed)
    database, as the workbench does when it starts. Views count as "seen" after 300 ms instead
    of the LMS's 5 s, so tests do not wait.
    """
    from workbench.runtime_util import reset_global_state  # pylint: disable=import-outside-toplevel
    settings.COMPLETION_BY_VIEWING_DELAY_MS = 300
    reset_global_state()
    return live_server.url


@pytest.fixture
def new_page(browser):
    """``new_page(locale=..., width=..., height=...)`` opens a page in a fresh browser context."""
    contexts = []

    def open_page(locale="vi-VN", width=1280, height=900):
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo(workbench, settings, tmp_path, evidence_storage):  # pylint: disable=unused-argument
    """
    The demo as `make demo` serves it: the workbench (above) with the demo's data loaded (its
    learners' credit and membership, as ``learning-citizen demo`` loads them), a signing key of
    this test's own and a fresh evidence storage. Returns the base URL.
    """
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    from xblocks.credentials.keys import generate_key_file  # pylint: disable=import-outside-toplevel
    settings.LEARNING_CITIZEN_CREDENTIALS = {"SIGNING_KEY_PATH": str(generate_key_file(tmp_path / "issuer.pem")),
                                             "BASE_URL": workbench}
    call_command("learning_citizen", "demo", stdout=io.StringIO())
    return workbench


def sign_in_as_demo_administrator(page, base_url):
    """The demo's sign-in: the one button on /accounts/login/, which then opens the exports and reports."""
    page.goto(f"{base_url}/learning-citizen/reports/")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"{base_url}/learning-citizen/reports/")
