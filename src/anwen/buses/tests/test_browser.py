"""The pre-departure check on a phone (390 px): an attendant logs in, taps the bus, the driver,
types the count and answers the five conditions with big buttons; all yes departs, one no
stops the trip and says why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.req("SM8.2")]


@pytest.fixture
def live_crew(transactional_db):
    from anwen.orgs.roles import RoleName
    from anwen.testing.world import add_persona, build_world

    from . import crews

    # The live server runs on the real clock: every date is counted from today.
    today = timezone.localdate()
    world = build_world()
    user = add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    later = today + timedelta(days=300)
    bus = crews.bus(
        world.S1,
        "渝B12345",
        seats=35,
        inspected_on=today,
        insurance_expires_on=later,
        sign_expires_on=later,
    )
    crews.driver(
        world.S1,
        reexamined_on=today,
        licence_expires_on=later,
        born_on=today - timedelta(days=40 * 365),
        driving_since=today - timedelta(days=10 * 365),
    )
    crews.attendant(world.S1, user=user)
    return world, bus


def _tap_through(page, base, bus, *, no: int | None = None) -> None:
    page.goto(f"{base}/buses/check/")
    link = page.locator("a.bus-link", has_text=bus.plate)
    assert link.bounding_box()["height"] >= 44
    with page.expect_navigation():
        link.tap()
    page.locator(".pick-option", has_text="王建国").tap()
    page.fill("#id_students", "30")
    conditions = page.locator(".condition")
    assert conditions.count() == 5
    for i in range(5):
        answer = conditions.nth(i).locator(".yn-no" if i == no else ".yn-yes")
        box = answer.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 150  # a thumb's target
        answer.tap()


def test_an_attendant_taps_through_the_check_and_the_bus_departs(
    live_server, live_crew, phone_page
):
    from anwen.buses.models import Trip

    _world, bus = live_crew
    page = phone_page
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    log_in(page, live_server.url, "attendant")
    _tap_through(page, live_server.url, bus)
    assert "发车前检查" in page.content()  # Chinese renders
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "buses-check-phone")
    with page.expect_navigation():
        page.locator("button.depart").tap()
    assert page.locator(".message.success").is_visible()
    assert "可以发车" in page.locator(".message.success").inner_text()
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.DEPARTED and trip.students == 30
    screenshot(page, "buses-departed-phone")
    assert not [e for e in errors if "Content Security Policy" in e]


def test_a_failed_condition_stops_the_trip_on_the_phone(live_server, live_crew, phone_page):
    from anwen.buses.models import Trip

    _world, bus = live_crew
    page = phone_page
    log_in(page, live_server.url, "attendant")
    _tap_through(page, live_server.url, bus, no=0)  # the attendant is not on board
    with page.expect_navigation():
        page.locator("button.depart").tap()
    message = page.locator(".message.error")
    assert message.is_visible()
    assert "不得发车" in message.inner_text() and "随车照管人员在车上" in message.inner_text()
    trip = Trip.objects.get()
    assert trip.outcome == Trip.Outcome.STOPPED and trip.departed_at is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "buses-stopped-phone")
