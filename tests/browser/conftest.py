"""Playwright in Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is required for the browser tests (scripts/setup.sh --test installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def open_as(browser, live_server, transactional_db):
    """Log in as a user in a fresh browser context and return its page."""
    from tests.factories import PASSWORD

    contexts = []

    def login(user, *, phone: bool = False):
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844} if phone else {"width": 1366, "height": 768}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(user.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield login
    for context in contexts:
        context.close()
