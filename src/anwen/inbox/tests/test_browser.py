"""PL5 on a phone: the inbox is one column of large tappable rows, overdue said in words."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.inbox import selectors
from anwen.inbox.selectors import Provider

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import screenshot
from anwen.testing.world import PASSWORD
from anwen.todo import Todo

pytestmark = [pytest.mark.browser, pytest.mark.req("PL5")]


@pytest.fixture
def live_world(transactional_db):
    from anwen.testing.world import build_world

    return build_world()


def test_on_a_phone_the_inbox_is_one_column_of_large_rows(
    live_server, live_world, phone_page, monkeypatch, settings
):
    settings.ANWEN_INBOX_RAISE = True
    today = timezone.localdate()
    todos = [
        Todo(
            "inspections.area_daily",
            "今日网格巡查：教学楼一楼东侧走廊及楼梯间",
            "/inbox/",
            org_name="永川区青峰镇中心小学",
            due=today - timedelta(days=3),
            detail="已漏 3 天",
        ),
        Todo(
            "inspections.weekly",
            "安全办公室周查",
            "/inbox/",
            org_name="永川区青峰镇中心小学",
            due=today + timedelta(days=2),
            detail="本周第 1 次",
        ),
        Todo(
            "duties.letter",
            "签订 2026 年安全责任书",
            "/inbox/",
            org_name="永川区青峰镇中心小学",
            due=today + timedelta(days=40),
        ),
        Todo(
            "patrol.tonight",
            "今晚巡更：夜间巡更 22:00–06:00",
            "/inbox/",
            org_name="永川区青峰镇中心小学",
            due=today,
            done=True,
        ),
    ]
    monkeypatch.setattr(
        selectors, "providers", lambda: (Provider("tests", "tests", lambda user, *, today: todos),)
    )
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "school")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")
    page.goto(f"{live_server.url}/inbox/")

    rows = page.locator(".inbox-row")
    assert rows.count() == 4
    boxes = [rows.nth(i).bounding_box() for i in range(4)]
    assert all(box["height"] >= 44 for box in boxes)
    assert all(box["width"] > 330 for box in boxes)  # full width: one column
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = rows.nth(0).inner_text()
    assert "逾期" in first or "Overdue" in first
    assert (today - timedelta(days=3)).isoformat() in first
    screenshot(page, "inbox-phone")
