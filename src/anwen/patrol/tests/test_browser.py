"""A guard on a phone: the posted code opens the login, then the checkpoint with its one big
button; a tap records the scan and tonight's round shows it."""

from datetime import date, time

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.req("SM3.4")]


@pytest.fixture
def live_campus(transactional_db):
    from anwen.patrol import services
    from anwen.testing.world import build_world

    world = build_world()
    by = world.users["school"]
    points = [
        services.checkpoint_create(org=world.S1, by=by, name=name, sort_order=i)
        for i, name in enumerate(["东门岗亭", "学生宿舍一楼", "锅炉房"])
    ]
    services.schedule_create(
        org=world.S1,
        by=by,
        name="夜间巡更",
        start_time=time(0, 0),
        end_time=time(23, 59),
        checkpoints=points,
        starts_on=date(2026, 1, 1),
    )
    return world, points


def test_a_guard_scans_a_code_on_the_phone_and_the_round_shows_it(
    live_server, live_campus, phone_page
):
    from anwen.patrol.models import Scan
    from anwen.testing.world import PASSWORD

    _world, points = live_campus
    page = phone_page
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/patrol/s/{points[0].token}/")
    assert "/login/" in page.url  # what WeChat's scanner opens first
    page.fill("#id_username", "guard")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/patrol/s/{points[0].token}/")
    assert page.locator("h1.scan-name").inner_text() == "东门岗亭"
    button = page.locator("button.scan-button")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # one big thumb target
    assert Scan.objects.count() == 0
    screenshot(page, "patrol-scan-phone")
    with page.expect_navigation():
        button.tap()
    assert page.locator(".message.success").is_visible()
    assert Scan.objects.filter(checkpoint=points[0]).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/patrol/")
    assert "东门岗亭" in page.locator(".points").first.inner_text()
    screenshot(page, "patrol-tonight-phone")
    assert not [e for e in errors if "Content Security Policy" in e]
