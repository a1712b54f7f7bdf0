"""The rhythm engine in a real browser: a safety officer logs a routine activity on a phone; the
bureau reads the completion board and drills into a centre."""

from datetime import timedelta

import pytest
from django.utils import timezone

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_plan(transactional_db):
    from anwen.obligations.models import Period
    from anwen.obligations.services import ensure_periods, plan_load, records_bulk_add
    from anwen.obligations.tests.conftest import at
    from anwen.testing.world import build_world

    world = build_world()
    today = timezone.localdate()
    plan_load(owner=world.B1, starts_on=today - timedelta(days=40))
    ensure_periods(through=today)
    rows = []
    for org, share in ((world.S1, 1), (world.S2, 2), (world.S3, 5)):
        periods = Period.objects.filter(
            org=org, obligation__record_kind__startswith="routine.", end__lt=today
        ).values_list("obligation__record_kind", "start", "obligation__times")
        for i, (kind, start, times) in enumerate(periods):
            if i % share == 0:
                rows += [
                    {
                        "kind": kind,
                        "org_id": org.pk,
                        "occurred_on": start,
                        "submitted_at": at(start, 17),
                    }
                ] * times
    records_bulk_add(rows)
    return world


@pytest.mark.req("SM2.4")
def test_a_safety_officer_logs_the_gate_log_on_a_phone(live_server, live_plan, phone_page):
    from anwen.obligations.models import Period

    page = phone_page
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/obligations/log/")
    page.select_option("#id_kind", "routine.gate_log")
    page.fill("#id_note", "外来人员 3 人，车辆 1 辆，均已登记查验")
    box = page.locator("button.obl-big").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb-sized button, full width
    screenshot(page, "obligations-log-phone")
    page.click("button.obl-big")
    page.wait_for_selector(".message.success")
    assert "外来人员 3 人" in page.content()
    today = timezone.localdate()
    period = Period.objects.get(obligation__code="gate-log", org=live_plan.S1, start=today)
    assert period.done_at is not None


@pytest.mark.req("OG3.1")
def test_the_bureau_reads_the_board_and_drills_into_a_centre(live_server, live_plan, page):
    log_in(page, live_server.url, "bureau")
    page.goto(f"{live_server.url}/obligations/?period=month")
    assert live_plan.C1.name in page.inner_text("table.data")
    screenshot(page, "obligations-board-bureau")
    page.click(f"table.data a:has-text('{live_plan.C1.name}')")
    page.wait_for_url("**centre=*")
    table = page.inner_text("table.data")
    assert live_plan.S1.name in table and live_plan.S2.name in table
    screenshot(page, "obligations-board-centre")
    page.click(f"table.data a:has-text('{live_plan.S2.name}')")
    page.wait_for_selector("#missed")
    screenshot(page, "obligations-school")
    page.goto(f"{live_server.url}/obligations/plan/")
    assert page.locator(".badge.demo").count() == 9  # the nine ones, to be confirmed
    screenshot(page, "obligations-plan")
