"""A clerk registers a letter and hands it on, in Debian's Chromium."""

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.accounts.models import User
    from anwen.orgs import services
    from anwen.orgs.roles import RoleName
    from anwen.testing.world import PASSWORD, build_world

    world = build_world()
    for username, role, org in (
        ("clerk", RoleName.CASE_CLERK, "B1"),
        ("dept", RoleName.DEPARTMENT_STAFF, "D1"),
    ):
        user = User.objects.create_user(
            username=username, password=PASSWORD, display_name=f"测试{username}"
        )
        services.role_assign(user=user, org=world.orgs[org], role=role)
        world.users[username] = user
    return world


@pytest.mark.req("PS1.1")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_registers_a_letter_and_assigns_it(live_server, live_world, page):
    from anwen.cases.models import Case

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/cases/")
    # The clerk registers every type: the buttons sit under one line that opens them.
    page.get_by_text("登记新事项").click()
    with page.expect_navigation():
        page.get_by_role("link", name="登记信访件").click()
    page.select_option("#id_channel", "letter")
    page.fill("#id_name", "王小明")
    page.fill("#id_phone", "13800138000")
    page.fill("#id_subject", "食堂收费问题")
    page.fill("#id_content", "家长反映食堂收费过高，要求公开账目。")
    screenshot(page, "cases-register-letter")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    case = Case.objects.get()
    assert case.channel == "letter" and case.first_receiver.username == "clerk"
    assert case.number in page.locator("h1").inner_text()
    assert "受理告知期限" in page.locator("table.clocks").inner_text()
    form = page.locator("form.step-assign")
    value = next(
        o.get_attribute("value")
        for o in form.locator("option").all()
        if "测试dept" in o.inner_text()
    )
    form.locator("select").select_option(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.state == "assigned" and case.owner.username == "dept"
    assert "任务分办" in page.locator("ol.chronology").inner_text()
    screenshot(page, "cases-letter-assigned")
    assert errors == []
