"""The letter-signing page on a phone, in Debian's Chromium against the live server."""

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.duties.services import duty_library_load
    from anwen.testing.world import build_world

    world = build_world()
    duty_library_load(owner=world.B1)
    return world


@pytest.mark.req("SM1.1")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_signs_the_letter_on_a_phone(live_server, live_world, phone_page):
    from anwen.duties import library as standard
    from anwen.duties.models import ResponsibilityLetter

    page = phone_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "teacher")
    page.goto(f"{live_server.url}/duties/my-letter/")
    assert standard.DUTIES["teacher"][0] in page.locator("article.letter").inner_text()
    # One column that fits the phone, and a sign button big enough for a thumb.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator(".sign-button").bounding_box()
    assert button["height"] >= 44 and button["width"] >= 300
    tick = page.locator(".sign-form .tick label").bounding_box()
    assert tick["height"] >= 44
    screenshot(page, "duties-sign-phone")

    page.locator("#id_accepted").tap()
    page.fill("#id_signature", "测试teacher")
    with page.expect_navigation():
        page.locator(".sign-button").tap()
    assert page.locator(".signed-note").is_visible()
    screenshot(page, "duties-signed-phone")
    assert ResponsibilityLetter.objects.filter(person__user__username="teacher").count() == 1
    page.click(".signed-note a")
    assert "测试teacher" in page.locator(".signature").inner_text()
    screenshot(page, "duties-letter-phone")
    assert errors == []
