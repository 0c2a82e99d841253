"""What the role journeys share: a signed-in page at desktop or phone size that records console errors,
checks the phone layout and keeps one screenshot per page visited (in RECTIFY_SCREENSHOTS when it is set)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

SIZES = {"desktop": {"width": 1366, "height": 860}, "phone": {"width": 390, "height": 844}}

# Each journey runs once at each size.
both_sizes = pytest.mark.parametrize("size", list(SIZES))


@dataclass
class Visit:
    """One person's browser tab, with what went wrong in it."""

    page: Page
    size: str
    prefix: str
    errors: list[str] = field(default_factory=list)
    shots: int = 0

    @property
    def phone(self) -> bool:
        return self.size == "phone"

    def seen(self, name: str) -> None:
        """The page is laid out for its size; keep a screenshot of it."""
        self.page.wait_for_load_state()
        if self.phone:
            widths = self.page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert widths[0] <= widths[1] + 1, f"{name}: the page is wider than the phone ({widths[0]} > {widths[1]})"
        folder = os.environ.get("RECTIFY_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            self.shots += 1
            path = Path(folder) / f"{self.prefix}-{self.size}-{self.shots:02d}-{name}.png"
            # caret="initial": hiding the caret injects a <style> the page's CSP refuses (a console error).
            self.page.screenshot(path=str(path), full_page=True, caret="initial")

    def menu(self, label: str) -> None:
        """Open a page from the main navigation (on a phone, a strip scrolled sideways to the item)."""
        nav = self.page.get_by_role("navigation", name="主导航")
        expect(nav).to_be_visible()
        link = nav.get_by_role("link", name=re.compile(f"^{re.escape(label)}"))
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
        link.click()
        expect(link).to_have_attribute("aria-current", "page")

    def accept_next_dialog(self) -> None:
        self.page.once("dialog", lambda dialog: dialog.accept())

    def assert_clean(self) -> None:
        assert self.errors == [], f"errors in the browser console: {self.errors}"


# Chromium's words when the Content-Security-Policy blocks an inline event handler (onchange="…").
INLINE_HANDLER_REFUSED = "Executing inline event handler violates the following Content Security Policy"

# The app serves no /favicon.ico: Chromium's own request for it is not the page's error.
FAVICON = "/favicon.ico"


def _watch(page: Page, errors: list[str], ignore: tuple[str, ...]) -> None:
    def console(message: Any) -> None:
        if message.type != "error" or message.location.get("url", "").endswith(FAVICON):
            return
        if not any(part in message.text for part in ignore):
            errors.append(f"{page.url}: {message.text} ({message.location.get('url', '')})")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))


@pytest.fixture
def visit(browser, live_server, transactional_db, request):
    """visit(user, size) -> a Visit signed in as that user; visit(None, size) is a member of the public."""
    from rectify.organizations.navigation import main_role
    from tests.factories import PASSWORD

    contexts = []
    prefix = re.sub(r"\W+", "-", request.node.originalname.removeprefix("test_"))

    def open_visit(user, size: str = "desktop", *, ignore: tuple[str, ...] = ()) -> Visit:
        context = browser.new_context(locale="zh-CN", viewport=SIZES[size])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        # Named by role, not by login: the names stay the same from one run to the next.
        who = (main_role(user) or "none") if user is not None else "public"
        shown = Visit(page, size, f"{prefix}-{len(contexts)}-{who}")
        _watch(page, shown.errors, ignore)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill(user.username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return shown

    yield open_visit
    for context in contexts:
        context.close()
