"""The bell and the notifications list in a real browser, on a phone."""

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.testing.world import build_world

    return build_world()


@pytest.mark.req("PL6")
def test_on_a_phone_the_bell_counts_and_the_list_marks_read(live_server, live_world, phone_page):
    from anwen.outbox.services import announce

    school = live_world.users["school"]
    for n in range(3):
        announce(
            key=f"browser:{n}",
            recipients=[school],
            title=f"隐患整改即将到期 {n}",
            body="教学楼三楼消防通道堆放杂物",
            link="/inbox/",
        )
    page = phone_page
    log_in(page, live_server.url, "school")
    bell = page.locator("a.bell")
    assert bell.is_visible() and bell.locator(".bell-count").inner_text() == "3"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "notifications-bell-phone")
    bell.tap()
    page.wait_for_url("**/notifications/")
    assert page.locator("table.notices tbody tr").count() == 3
    # Below the phone width each row is a card (lists.js).
    assert "rows-as-cards" in (page.locator("table.notices").get_attribute("class") or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "notifications-list-phone")
    with page.expect_navigation():
        page.locator("table.notices tbody tr").first.get_by_role("button", name="标为已读").tap()
    assert page.locator("a.bell .bell-count").inner_text() == "2"
    # Opening one follows its link and marks it read.
    page.locator("table.notices tbody tr.notice-unread button.link").first.tap()
    page.wait_for_url("**/inbox/")
    assert page.locator("a.bell .bell-count").inner_text() == "1"
