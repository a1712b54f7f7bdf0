"""Pytest fixtures that drive Debian's Chromium through Playwright.

Load them in a test module with ``pytest_plugins = ["anwen.testing.browser"]``. Playwright's own
browser download is never used (``playwright install`` fetches from outside hosts): the tests
launch the distribution's ``/usr/bin/chromium``. CI installs it, so there a missing Chromium
fails the run; a developer without it gets the browser tests skipped with the reason.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread, and Django's
# async-unsafe guard then refuses every ORM call made from that thread (the fixtures that build
# the test data, the live server's teardown). This is the documented way out for sync tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    # No call home: the app must work on an intranet, and the tests must not touch the network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
PHONE = {"width": 390, "height": 844}

__all__ = ["ARTIFACTS", "browser", "page", "phone_page", "screenshot"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"browser tests need Chromium in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/<name>.png for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name.removesuffix('.png')}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
