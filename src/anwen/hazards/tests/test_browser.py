"""Reporting a hazard on a phone, with a photo from the camera, in Debian's Chromium."""

import pytest

from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

from .conftest import png_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def live_world(transactional_db):
    from anwen.testing.world import build_world

    return build_world()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_teacher_reports_a_hazard_with_a_photo_on_a_phone(
    live_server, live_world, phone_page, tmp_path
):
    from anwen.hazards.models import Hazard

    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "teacher")
    page.goto(f"{live_server.url}/hazards/report/")
    camera = page.locator("#id_photos")
    assert camera.get_attribute("capture") == "environment"
    assert "image/" in (camera.get_attribute("accept") or "")
    picture = tmp_path / "hazard.png"
    picture.write_bytes(png_bytes())
    camera.set_input_files(str(picture))
    page.fill("#id_place", "教学楼三楼")
    page.fill("#id_title", "走廊灭火器过期")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "hazards-report-phone")
    with page.expect_navigation():
        page.locator("form.report-hazard button[type=submit]").tap()
    hazard = Hazard.objects.get()
    assert hazard.title == "走廊灭火器过期" and hazard.photos_before.count() == 1
    assert "走廊灭火器过期" in page.locator("h1").inner_text()
    screenshot(page, "hazards-detail-phone")
    assert errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_safety_office_assigns_a_hazard_from_its_page(live_server, live_world, page):
    from anwen.hazards.models import Hazard, HazardState
    from anwen.hazards.services import hazard_raise

    hazard = hazard_raise(
        org=live_world.S1, source="self", title="配电箱未上锁", by=live_world.users["school"]
    )
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/hazards/{hazard.pk}/")
    form = page.locator("form.step-assign")
    form.locator("#id_assign_responsible").select_option(str(live_world.people["teacher"].pk))
    form.locator("#id_assign_measures").fill("加装门锁")
    screenshot(page, "hazards-detail-assign")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    hazard = Hazard.objects.get()
    assert hazard.state == HazardState.ASSIGNED and hazard.measures == "加装门锁"
    assert "交办" in page.locator("ol.chronology").inner_text()
    screenshot(page, "hazards-detail-assigned")
