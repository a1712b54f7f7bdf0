"""The daily check of a grid area by its owner (SM2.2), on one screen, with a photo for a
failure (PL7): the submission makes findings and fulfils the day's obligation."""

import pytest
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.evidence.models import EvidenceFile
from anwen.inspections import services
from anwen.inspections.models import Answer, Finding, Inspection
from anwen.inspections.tests.conftest import photo_upload
from anwen.obligations.models import Record

pytestmark = pytest.mark.django_db


def _form(items, fail=None, note="", skip=()):
    data = {"action": "submit"}
    for item in items:
        if item.pk in skip:
            continue
        data[f"r{item.pk}"] = "fail" if item == fail else "pass"
    if fail is not None:
        data[f"n{fail.pk}"] = note
    return data


def _items(area):
    return list(services.current_version(area.checklist).items.order_by("sort_order", "pk"))


def _photo_item(items):
    return next(i for i in items if i.evidence == "photo_on_fail")


@pytest.mark.req("SM2.2")
def test_the_owner_sees_todays_areas_and_opens_one_screen_with_every_item(world, area, login):
    client = login(world.users["teacher"])
    today = client.get("/inspections/today/").content.decode()
    assert "教学楼一楼" in today
    page = client.get(f"/inspections/areas/{area.pk}/today/")
    assert page.status_code == 200
    body = page.content.decode()
    items = _items(area)
    for item in items:
        assert item.text in body
        assert f'name="r{item.pk}" value="fail"' in body
    assert 'capture="environment"' in body and 'accept="image/*"' in body
    assert 'value="all_pass"' in body
    assert not Inspection.objects.exists()  # looking starts nothing


@pytest.mark.req("SM2.2")
def test_on_a_day_off_the_owner_is_told_so_and_may_still_check(world, area, login):
    from anwen.calendar.models import DayKind
    from anwen.calendar.services import override_create, override_delete

    client = login(world.users["teacher"])
    day = timezone.localdate()
    closed = override_create(
        by=world.users["admin"], owner_id=world.B1.pk, day=day, kind=DayKind.CLOSURE, name="停课"
    )
    page = client.get("/inspections/today/").content.decode()
    assert "今天不是工作日" in page and "教学楼一楼" in page
    override_delete(by=world.users["admin"], override=closed)
    assert "今天不是工作日" not in client.get("/inspections/today/").content.decode()


@pytest.mark.req("SM2.2", "PL7")
def test_a_failure_without_photo_is_refused_naming_the_item_and_every_answer_is_kept(
    world, area, login
):
    client = login(world.users["teacher"])
    items = _items(area)
    failed = _photo_item(items)
    response = client.post(
        f"/inspections/areas/{area.pk}/today/", _form(items, fail=failed, note="灭火器压力不足")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert failed.text in body and "has-error" in body
    inspection = Inspection.objects.get(area=area)
    assert inspection.status == "draft"
    assert Answer.objects.filter(inspection=inspection).count() == len(items)
    assert Answer.objects.get(inspection=inspection, item=failed).note == "灭火器压力不足"
    assert 'value="灭火器压力不足"' in body
    assert f'name="r{failed.pk}" value="fail" checked' in body
    assert not Finding.objects.exists() and not Record.objects.exists()


@pytest.mark.req("SM2.2", "PL7")
def test_an_unanswered_item_is_named_and_the_typed_note_stays(world, area, login):
    client = login(world.users["teacher"])
    items = _items(area)
    missing = items[-1]
    data = _form(items, skip={missing.pk})
    data[f"n{missing.pk}"] = "还没看"
    response = client.post(f"/inspections/areas/{area.pk}/today/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert missing.text in body and 'value="还没看"' in body
    assert Inspection.objects.get(area=area).status == "draft"


@pytest.mark.req("SM2.2", "PL7", "OG2")
def test_a_failure_with_a_camera_photo_is_submitted_as_a_finding_and_a_record(world, area, login):
    client = login(world.users["teacher"])
    items = _items(area)
    failed = _photo_item(items)
    data = _form(items, fail=failed, note="二楼灭火器压力不足")
    data[f"p{failed.pk}"] = photo_upload()
    response = client.post(f"/inspections/areas/{area.pk}/today/", data)
    assert response.status_code == 302 and response["Location"] == "/inspections/today/"

    inspection = Inspection.objects.get(area=area)
    assert inspection.status == "submitted" and inspection.submitted_by == world.users["teacher"]
    assert inspection.inspected_on == timezone.localdate()
    photo = EvidenceFile.objects.get()
    assert (
        photo.org == world.S1
        and photo.kind == "png"
        and photo.uploaded_by == world.users["teacher"]
    )
    assert list(Answer.objects.get(inspection=inspection, item=failed).photos.all()) == [photo]
    finding = Finding.objects.get()
    assert finding.level == "self" and finding.org == world.S1
    assert finding.description == f"不符合“{failed.text}”：二楼灭火器压力不足"
    assert finding.location == "教学楼一楼" and finding.category == failed.category
    assert list(finding.photos.all()) == [photo]
    record = Record.objects.get()
    assert (record.kind, record.org, record.subject_id, record.occurred_on) == (
        "inspections.area_daily",
        world.S1,
        area.pk,
        inspection.inspected_on,
    )
    assert record.source_id == str(inspection.pk)
    assert AuditEvent.objects.filter(
        action="inspections.inspection.submitted", object_id=str(inspection.pk)
    ).exists()
    today = client.get("/inspections/today/").content.decode()
    assert "state-done" in today
    # Opening the area again shows the day's check, not a second one.
    again = client.get(f"/inspections/areas/{area.pk}/today/")
    assert again.status_code == 302 and again["Location"] == f"/inspections/{inspection.pk}/"
    assert client.get(again["Location"]).status_code == 200


@pytest.mark.req("PL7")
def test_a_file_that_is_not_a_photo_is_refused_on_its_item(world, area, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users["teacher"])
    items = _items(area)
    failed = _photo_item(items)
    data = _form(items, fail=failed, note="x")
    data[f"p{failed.pk}"] = SimpleUploadedFile(
        "photo.jpg", b"MZ not a picture at all", content_type="image/jpeg"
    )
    response = client.post(f"/inspections/areas/{area.pk}/today/", data)
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert Inspection.objects.get(area=area).status == "draft"


@pytest.mark.req("SM2.2")
def test_all_pass_marks_the_unanswered_items_and_keeps_a_failure(world, area, login):
    client = login(world.users["teacher"])
    items = _items(area)
    failed = _photo_item(items)
    data = {
        "action": "all_pass",
        f"r{failed.pk}": "fail",
        f"n{failed.pk}": "栏杆松动",
        f"p{failed.pk}": photo_upload(),
    }
    response = client.post(f"/inspections/areas/{area.pk}/today/", data)
    inspection = Inspection.objects.get(area=area)
    assert response.status_code == 302
    results = dict(inspection.answers.values_list("item_id", "result"))
    assert results[failed.pk] == "fail"
    assert sum(1 for r in results.values() if r == "pass") == len(items) - 1
    assert client.post(f"/inspections/{inspection.pk}/", {"action": "submit"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "submitted"
    assert Finding.objects.get().description == f"不符合“{failed.text}”：栏杆松动"


@pytest.mark.req("SM2.2")
def test_a_second_start_the_same_day_resumes_the_draft(world, area):
    teacher = world.users["teacher"]
    first = services.inspection_start(
        org=world.S1, purpose="area_daily", level="self", by=teacher, area=area
    )
    second = services.inspection_start(
        org=world.S1, purpose="area_daily", level="self", by=teacher, area=area
    )
    assert first == second and Inspection.objects.count() == 1


@pytest.mark.req("SM2.2", "PL7")
def test_photo_always_items_need_a_photo_even_when_they_pass(world, lists):
    bureau, officer = world.users["bureau"], world.users["school"]
    template = services.template_create(
        owner=world.B1, by=bureau, code="gate-photo", name="校门拍照清单", purpose="area_daily"
    )
    version = template.versions.get()
    item = services.item_add(
        version=version, by=bureau, category="门卫", text="门卫在岗", evidence="photo_always"
    )
    services.version_publish(version=version, by=bureau)
    area = services.area_create(
        org=world.S1,
        by=officer,
        name="南门",
        kind="gate",
        owner=world.people["guard"],
        checklist=template,
    )
    guard = world.users["guard"]
    inspection = services.inspection_start(
        org=world.S1, purpose="area_daily", level="self", by=guard, area=area
    )
    services.inspection_answer(inspection=inspection, by=guard, item=item, result="pass")
    with pytest.raises(services.InspectionError) as refused:
        services.inspection_submit(inspection=inspection, by=guard)
    assert "门卫在岗" in str(refused.value) and item.pk in refused.value.items


@pytest.mark.req("SM2.2", "PL2")
def test_only_the_owner_checks_an_area(world, area, login):
    guard = login(world.users["guard"])  # same school, not the owner
    assert guard.get(f"/inspections/areas/{area.pk}/today/").status_code == 404
    assert guard.post(f"/inspections/areas/{area.pk}/today/", {"action": "save"}).status_code == 404
    with pytest.raises(services.InspectionError):
        services.inspection_start(
            org=world.S1, purpose="area_daily", level="self", by=world.users["guard"], area=area
        )
    outsider = login(world.users["other_school"])
    assert outsider.get(f"/inspections/areas/{area.pk}/today/").status_code == 404
    assert not Inspection.objects.exists()
