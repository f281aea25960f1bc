"""Playwright against Debian's chromium and pytest-django's live server.

`playwright install` cannot download a browser here: bin/setup installs the Debian package
`chromium` and the tests launch /usr/bin/chromium (CHROMIUM overrides the path).
Screenshots go to /tmp/screens/ (SCREENSHOT_DIR overrides), never into the repository.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/screens"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Without these chromium keeps calling home, and this machine's closed network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    # Everything under tests/browser/ is a browser test, marked or not.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} not found: run bin/setup (apt-get install chromium) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls
    # from "async context" unless told that this is safe (it is: one thread, one test at a
    # time). Only while the browser runs, so that other tests keep Django's check.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser, live_server):
    # A Chinese browser, as the bureau's users have: the UI answers in zh-hans.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the login form, as a person would; returns the response of the page
    the browser ends on (after redirects), which must not be a server error."""

    def do_login(username, password=PASSWORD):
        page.goto(reverse("login"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation() as navigation:
            page.click("button[type=submit]")
        response = navigation.value
        assert response is not None and response.status < 500, f"{page.url} answered {response and response.status}"
        return response

    return do_login


@pytest.fixture
def screenshot(page):
    def take(name):
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
