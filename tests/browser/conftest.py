"""Browser tests: Playwright's Python package drives Debian's Chromium, headless, against Django's
live server (which serves the apps' static files, so htmx and the stylesheet load as in production).

`make test` installs /usr/bin/chromium; Playwright's own browser downloads are never used. Every page
a walk visits is screenshotted into var/screenshots/ as WALK-NN-WHAT.png, in walk order.
"""
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings
from playwright.sync_api import expect, sync_playwright

from tests.base import build_city
from tests.web.conftest import _empty_cache  # noqa: F401 (rate-limit counters start at zero)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
DESK = {"width": 1280, "height": 900}
PASSWORD = "browser-walk"
ASSETS_LOADED = """() => !document.querySelector("link[rel=stylesheet]")
                      || (!!window.htmx && document.styleSheets[0].cssRules.length > 0)"""


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}: `make test` installs it "
                    "(apt-get install chromium fonts-noto-cjk), or leave them out with -m 'not browser'.")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then takes the
    # thread for async code: it would refuse the tests' database calls and hand them other connections
    # than the ones the test database was set up on. The calls are plain synchronous ones: allow them,
    # on the same connections.
    same_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in same_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots():
    folder = Path(settings.VAR_DIR) / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def city(live_server):
    """The people of tests/base.py, each with a password to log in with. The hotline's dispatcher
    dispatches (no automatic dispatch); MD5 only keeps the logins fast here."""
    with override_settings(INTAKE_AUTO_DISPATCH=False,
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        people = SimpleNamespace()
        build_city(people)
        for person in vars(people).values():
            if hasattr(person, "set_password"):
                person.set_password(PASSWORD)
                person.save(update_fields=["password"])
        yield people


class Walk:
    """One walk through the pages: each person gets their own browser context (cookies, viewport),
    and `shot` saves what they see under the walk's name, numbered in order."""

    def __init__(self, browser, base_url, folder, name):
        self.browser, self.base_url, self.folder, self.name = browser, base_url, folder, name
        self.contexts, self.count = [], 0

    def visitor(self, viewport=PHONE):
        context = self.browser.new_context(base_url=self.base_url, viewport=viewport, locale="zh-CN")
        self.contexts.append(context)
        return context.new_page()

    def login(self, person, viewport=DESK):
        page = self.visitor(viewport)
        page.goto("/login/")
        page.fill("#id_username", person.username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-submit")
        expect(page.locator("#logout")).to_be_visible()
        return page

    def shot(self, page, what):
        """Screenshot the page once it has loaded; our pages must have their stylesheet and htmx."""
        page.wait_for_load_state()
        assert page.evaluate(ASSETS_LOADED), f"{page.url}: the stylesheet or htmx did not load"
        self.count += 1
        page.screenshot(path=self.folder / f"{self.name}-{self.count:02d}-{what}.png", full_page=True)

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def walk(request, browser, live_server, screenshots):
    walk = Walk(browser, live_server.url, screenshots, request.node.name.removeprefix("test_"))
    yield walk
    walk.close()
