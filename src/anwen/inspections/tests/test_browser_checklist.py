"""A teacher fills the daily check of her grid area on a phone: big buttons, "all pass", a
failure with a photo from the camera input, one screen, submitted."""

import io

import pytest

# The star brings the fixtures (browser, page, phone_page) in, where pytest looks for them.
from anwen.testing.browser import *  # noqa: F403
from anwen.testing.browser import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def live_area(transactional_db):
    from anwen.inspections.services import area_create, standard_templates_load
    from anwen.testing.world import build_world

    world = build_world()
    standard_templates_load(owner=world.B1)
    area = area_create(
        org=world.S1,
        by=world.users["school"],
        name="教学楼二楼",
        kind="floor",
        owner=world.people["teacher"],
    )
    return world, area


def _jpeg(path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (235, 235, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((260, 120, 380, 420), fill=(200, 30, 30))  # an extinguisher, roughly
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.req("SM2.2", "PL7")
def test_a_teacher_fills_todays_check_on_a_phone(live_server, live_area, phone_page, tmp_path):
    from anwen.evidence.models import EvidenceFile
    from anwen.inspections.models import Answer, Finding, Inspection
    from anwen.inspections.services import current_version
    from anwen.obligations.models import Record

    world, area = live_area
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, live_server.url, "teacher")

    page.goto(f"{live_server.url}/inspections/today/")
    link = page.locator(f"a[href='/inspections/areas/{area.pk}/today/']")
    assert link.bounding_box()["height"] >= 44
    link.click()
    page.wait_for_url(f"**/inspections/areas/{area.pk}/today/")

    items = list(current_version(area.checklist).items.order_by("sort_order", "pk"))
    failed = next(i for i in items if i.evidence == "photo_on_fail")
    fail_box = page.locator(f"#item-{failed.pk}")
    extra = fail_box.locator(".fail-extra")
    assert not extra.is_visible()  # the camera opens only for a failure
    button = fail_box.locator("label.choice-fail span").bounding_box()
    assert button["height"] >= 44 and button["width"] >= 90
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    # "All the rest pass" answers the items here, not yet saved: the chip says so instead of
    # "not started" (then the page is opened afresh).
    chip = page.locator(".insp-head .state")
    assert chip.inner_text() == "未开始"
    page.click("[data-all-pass]")
    assert chip.inner_text() == "填写中，尚未保存"
    screenshot(page, "inspections-phone-checklist-all-pass")
    page.reload()
    assert chip.inner_text() == "未开始"

    # Sent with nothing answered: each item says so, without opening the note and photo
    # boxes, which belong to a failure.
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert fail_box.locator(".errorlist").is_visible()
    assert not extra.is_visible()

    page.click("[data-all-pass]")
    assert page.locator("input[type=radio][value=pass]:checked").count() == len(items)
    fail_box.locator("label.choice-fail").click()
    assert extra.is_visible()
    camera = fail_box.locator("input[type=file]")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    fail_box.locator("input[type=text]").fill("二楼东侧灭火器压力指针在红区")
    screenshot(page, "inspections-phone-checklist")

    # Submitted without the photo: refused, the item named, every answer kept.
    page.click("button[value=submit]")
    page.wait_for_load_state()
    assert page.locator("#check-error").is_visible()
    assert failed.text in page.locator("#check-error").inner_text()
    assert fail_box.locator("input[value=fail]").is_checked()
    assert fail_box.locator("input[type=text]").input_value() == "二楼东侧灭火器压力指针在红区"
    assert page.locator("input[type=radio]:checked").count() == len(items)
    screenshot(page, "inspections-phone-checklist-refused")

    fail_box.locator("input[type=file]").set_input_files(str(_jpeg(tmp_path / "photo.jpg")))
    page.click("button[value=submit]")
    page.wait_for_url("**/inspections/today/")
    assert page.locator(".state-done").count() == 1
    screenshot(page, "inspections-phone-today-done")

    inspection = Inspection.objects.get(area=area)
    assert inspection.status == "submitted"
    assert Answer.objects.filter(inspection=inspection, result="pass").count() == len(items) - 1
    photo = EvidenceFile.objects.get()
    assert photo.kind == "jpeg" and photo.org == world.S1
    finding = Finding.objects.get()
    assert finding.level == "self" and "压力指针在红区" in finding.description
    assert list(finding.photos.all()) == [photo]
    assert Record.objects.filter(kind="inspections.area_daily", subject_id=area.pk).count() == 1
    assert errors == []
