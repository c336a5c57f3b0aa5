"""Playwright driving Debian's Chromium against a live server on a fresh database."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WENMING_SCREENSHOT_DIR", "artifacts/screenshots"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("浏览器测试需要 /usr/bin/chromium：请运行 scripts/ensure_system.sh --browser")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def shot():  # type: ignore[no-untyped-def]
    """shot(page, name): a full-page screenshot under artifacts/screenshots/ (a name may
    hold a folder, as in "journey/01-home")."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full: bool = True) -> Path:  # type: ignore[no-untyped-def]
        path = SHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Let the loading bar at the top finish, so it does not show in the picture.
        with contextlib.suppress(Exception):
            page.wait_for_function(
                "!document.documentElement.classList.contains('wm-loading')", timeout=3000
            )
        page.screenshot(path=str(path), full_page=full)
        return path

    return take


def login(page, username: str, password: str = "wenming2026") -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base}/")
