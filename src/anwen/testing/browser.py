"""Pytest fixtures that drive Debian's Chromium through Playwright.

Bring them into a test module with ``from anwen.testing.browser import *  # noqa: F403``
(``pytest_plugins`` would register the module after import and warn). Playwright's own
browser download is never used (``playwright install`` fetches from outside hosts): the tests
launch the distribution's ``/usr/bin/chromium``. CI installs it, so there a missing Chromium
fails the run; a developer without it gets the browser tests skipped with the reason.
"""

import os
from pathlib import Path

import pytest

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

__all__ = ["ARTIFACTS", "browser", "log_in", "page", "phone_page", "screenshot"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def browser(transactional_db, django_db_serialized_rollback):
    """Chromium, started after the test database is ready and stopped before it is flushed.

    While Playwright's sync API runs it keeps an asyncio loop running in the test thread. Django
    then keeps its database connections per async context, not per thread, so a connection made
    under that loop is a different object from the one pytest-django set up (and the serialized
    rollback, which lives on it, is lost); later tests calling async_to_sync or asyncio.run would
    break too. So Playwright runs only inside the test, one launch per test (a fraction of a
    second). Tests in a browser need committed data the live server's thread can see, hence the
    transactional database; each such test ends with a flush that also empties the rows the data
    migrations made, which the serialized rollback puts back for the next test.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium)"
        if _in_ci():
            pytest.fail(f"browser tests need Chromium in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # The running loop also trips Django's async-unsafe guard on any ORM call the test body
        # makes. This is the documented way out for synchronous code, and only while it runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
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


def log_in(page, base_url: str, username: str) -> None:
    """Log in through the real form, as a person would."""
    from anwen.testing.world import PASSWORD

    page.goto(f"{base_url}/")  # the home page sends an anonymous visitor to the login form
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
