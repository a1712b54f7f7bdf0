"""A parent writes in on a phone, in Debian's Chromium, and follows the matter with the code."""

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.testing.world import build_world

    return build_world()


@pytest.mark.req("PS1.1")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_parent_writes_in_on_a_phone_and_follows_the_code(live_server, live_world, phone_page):
    from anwen.cases import intake
    from anwen.public import challenge

    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/public/")
    picture = page.locator("[data-challenge-picture]")
    assert "等于几" in (picture.get_attribute("alt") or "")
    assert page.evaluate("document.querySelector('[data-challenge-picture]').naturalWidth") > 0
    # "Another question" swaps the question in place, keeping what was typed.
    page.fill("#id_subject", "学校门口上下学时段交通拥堵")
    first = page.locator("input[name=challenge]").input_value()
    page.locator("[data-challenge-refresh]").tap()
    page.wait_for_function(
        "t => document.querySelector('input[name=challenge]').value !== t", arg=first
    )
    assert page.locator("#id_subject").input_value() == "学校门口上下学时段交通拥堵"
    page.fill("#id_content", "每天放学时校门口车辆乱停，孩子过马路很危险，希望增设护学岗。")
    page.fill("#id_phone", "13812345678")
    token = page.locator("input[name=challenge]").input_value()
    page.fill("#id_answer", str(challenge.answer_for(token)))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "public-write-in-phone")
    with page.expect_navigation():
        page.locator("form.write-in button[type=submit]").tap()
    code = page.locator("#tracking-code").inner_text().strip()
    assert intake.public_status(code) is not None
    assert code not in page.url and "13812345678" not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "public-done-phone")
    page.locator(".advice + p a.btn").tap()
    page.wait_for_url(f"{live_server.url}/public/status/")
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.locator("form.status-form button[type=submit]").tap()
    assert intake.public_status(code).stage in page.locator(".public-status").inner_text()
    assert code not in page.content()  # the key is not written back into the page
    screenshot(page, "public-status-phone")
    assert errors == []
