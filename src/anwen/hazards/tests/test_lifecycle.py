"""A hazard's life through the pages: reported, assigned, rectified, verified by another."""

import pytest

from anwen.hazards.models import Hazard, HazardState
from anwen.workflow.models import Event

from .conftest import photo_upload


def _step(client, hazard, name, data=None, files=None):
    return client.post(f"/hazards/{hazard.pk}/{name}/", {**(data or {}), **(files or {})})


@pytest.mark.req("OG2")
def test_a_reported_hazard_is_assigned_fixed_and_closed_by_someone_else(world, login):
    teacher = login(world.users["teacher"])
    response = teacher.post(
        "/hazards/report/",
        {
            "title": "三楼走廊灭火器过期",
            "place": "教学楼三楼",
            "category": "fire",
            "school": world.S1.pk,
            "photos": photo_upload("before.png"),
        },
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    assert hazard.source == "report" and hazard.state == HazardState.REPORTED
    assert hazard.photos_before.count() == 1
    assert hazard.deadline is not None  # the general grade's rule from the plan

    office = login(world.users["school"])
    response = _step(
        office,
        hazard,
        "assign",
        {
            "responsible": world.people["teacher"].pk,
            "grade": "general",
            "category": "fire",
            "measures": "更换灭火器",
        },
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == HazardState.ASSIGNED and hazard.responsible == world.people["teacher"]

    teacher = login(world.users["teacher"])
    assert _step(teacher, hazard, "start").status_code == 302
    # No photo after the fix: refused, still being rectified.
    _step(teacher, hazard, "submit", {"note": "已更换"})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING
    page = teacher.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "Submit the fix" in page or "提交整改" in page
    _step(teacher, hazard, "submit", {"note": "已更换"}, {"photos": photo_upload()})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED and hazard.photos_after.count() == 1

    principal = login(world.users["principal"])
    _step(principal, hazard, "send_back", {"note": ""})  # a reason is required
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED
    _step(principal, hazard, "verify", {"note": "已复查"})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED and hazard.closed_at is not None

    names = list(
        Event.objects.filter(record_type="hazards.hazard", record_id=hazard.pk).values_list(
            "name", flat=True
        )
    )
    assert names == ["created", "assign", "start", "submit", "verify"]
    page = principal.get(f"/hazards/{hazard.pk}/").content.decode()
    assert "已复查" in page  # the chronology keeps each step's note
    listing = principal.get("/hazards/?state=closed").content.decode()
    assert "三楼走廊灭火器过期" in listing


@pytest.mark.req("OG2")
def test_the_fixer_cannot_verify_their_own_fix(world, login, raise_hazard):
    from anwen.hazards import services

    hazard = raise_hazard()
    office = world.users["school"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["school"])
    services.hazard_start(hazard=hazard, by=office)
    client = login(office)
    _step(client, hazard, "submit", {"note": "自己修好了"}, {"photos": photo_upload()})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED and hazard.fixed_by == office
    response = client.post(f"/hazards/{hazard.pk}/verify/", {"note": ""}, follow=True)
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED
    text = response.content.decode()
    assert "someone else must verify it" in text or "须由他人验收" in text
    assert not Event.objects.filter(name="verify").exists()


def test_a_sent_back_fix_returns_to_rectification_and_a_closed_hazard_can_reopen(
    world, raise_hazard, photo
):
    from anwen.hazards import services
    from anwen.workflow.engine import WorkflowError

    hazard = raise_hazard()
    office, principal = world.users["school"], world.users["principal"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["teacher"])
    services.hazard_start(hazard=hazard, by=world.users["teacher"])
    services.hazard_submit_fix(hazard=hazard, by=world.users["teacher"], note="", photos=[photo()])
    services.hazard_send_back(hazard=hazard, by=principal, note="照片看不清")
    assert hazard.state == HazardState.RECTIFYING
    with pytest.raises(WorkflowError) as refused:
        services.hazard_verify(hazard=hazard, by=principal)
    assert "cannot be done" in str(refused.value) or "不能" in str(refused.value)
    services.hazard_submit_fix(hazard=hazard, by=world.users["teacher"], note="", photos=[photo()])
    services.hazard_verify(hazard=hazard, by=principal)
    with pytest.raises(WorkflowError):
        services.hazard_reopen(hazard=hazard, by=principal, note="")
    services.hazard_reopen(hazard=hazard, by=principal, note="又坏了")
    assert hazard.state == HazardState.RECTIFYING and hazard.closed_at is None
