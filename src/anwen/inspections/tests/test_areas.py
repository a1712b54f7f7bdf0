"""Grid areas (SM2.1): a school's safety office splits the campus into areas, each with an
owner and a checklist; the areas are the subjects of the daily-check obligation."""

import pytest

from anwen.audit.models import AuditEvent
from anwen.inspections.models import GridArea
from anwen.inspections.registry import grid_area_subjects
from anwen.obligations.registry import subject_providers
from anwen.orgs.services import person_create

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM2.1")
def test_the_safety_officer_adds_an_area_with_owner_and_standard_list(world, lists, login):
    client = login(world.users["school"])
    page = client.get("/inspections/areas/")
    assert page.status_code == 200
    response = client.post(
        f"/inspections/areas/?org={world.S1.pk}",
        {"name": "食堂", "kind": "canteen", "owner": world.people["teacher"].pk, "checklist": ""},
    )
    assert response.status_code == 302
    area = GridArea.objects.get(org=world.S1, name="食堂")
    assert area.owner == world.people["teacher"]
    assert area.checklist.purpose == "area_daily"
    assert area.checklist.owner == world.B1  # the bureau's standard list for a canteen
    assert "canteen" in area.checklist.code
    event = AuditEvent.objects.get(action="inspections.area.created")
    assert event.data["name"] == "食堂"
    assert "食堂" in client.get("/inspections/areas/").content.decode()


@pytest.mark.req("SM2.1")
def test_an_area_is_refused_with_a_reason_and_the_form_kept(world, lists, login):
    stranger = person_create(org=world.S3, name="外校教师")
    client = login(world.users["school"])
    response = client.post(
        f"/inspections/areas/?org={world.S1.pk}",
        {"name": "一号门", "kind": "gate", "owner": stranger.pk},
    )
    assert response.status_code == 200  # the other school's teacher is no choice here
    body = response.content.decode()
    assert 'value="一号门"' in body
    assert not GridArea.objects.exists()
    client.post(
        f"/inspections/areas/?org={world.S1.pk}",
        {"name": "一号门", "kind": "gate", "owner": world.people["guard"].pk},
    )
    again = client.post(
        f"/inspections/areas/?org={world.S1.pk}",
        {"name": "一号门", "kind": "gate", "owner": world.people["guard"].pk},
    )
    assert again.status_code == 200
    assert "一号门" in again.content.decode()
    assert GridArea.objects.filter(name="一号门").count() == 1


@pytest.mark.req("SM2.1")
def test_an_area_is_edited_and_taken_out_of_use(world, area, lists, login):
    client = login(world.users["principal"])
    url = f"/inspections/areas/{area.pk}/"
    assert client.get(url).status_code == 200
    gate_list = lists["area-daily-gate"]
    response = client.post(
        url,
        {
            "name": "东门",
            "kind": "gate",
            "owner": world.people["guard"].pk,
            "checklist": gate_list.pk,
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.owner, area.checklist) == ("东门", world.people["guard"], gate_list)
    assert [s.subject_id for s in grid_area_subjects([world.S1.pk])] == [area.pk]
    client.post(url, {"action": "deactivate"})
    area.refresh_from_db()
    assert not area.is_active
    assert list(grid_area_subjects([world.S1.pk])) == []
    assert AuditEvent.objects.filter(action="inspections.area.deactivated").exists()


@pytest.mark.req("SM2.1")
def test_the_areas_are_the_subjects_of_the_daily_obligation_owed_by_their_owners(world, area):
    provider = subject_providers()["inspections.grid_area"]
    subjects = list(provider.subjects([world.S1.pk, world.S2.pk]))
    assert len(subjects) == 1
    subject = subjects[0]
    assert (subject.org_id, subject.subject_id, subject.person_id, subject.label) == (
        world.S1.pk,
        area.pk,
        world.people["teacher"].pk,
        "教学楼一楼",
    )
    assert subject.since == area.since


@pytest.mark.req("SM2.1", "PL2")
def test_teachers_and_other_schools_cannot_manage_areas(world, area, login):
    teacher = login(world.users["teacher"])
    assert teacher.get("/inspections/areas/").status_code == 404
    assert teacher.get(f"/inspections/areas/{area.pk}/").status_code == 404
    other = login(world.users["school3"])
    assert other.get(f"/inspections/areas/{area.pk}/").status_code == 404
    assert other.post(f"/inspections/areas/{area.pk}/", {"action": "deactivate"}).status_code == 404
    assert other.get(f"/inspections/areas/?org={world.S1.pk}").status_code == 404
    area.refresh_from_db()
    assert area.is_active


@pytest.mark.req("SM2.2", "PL5")
def test_the_inbox_sends_an_owner_straight_to_his_areas_check(world, area):
    from types import SimpleNamespace

    from anwen.obligations.registry import kind

    daily = kind("inspections.area_daily")
    assert daily.url(SimpleNamespace(subject_id=area.pk)) == f"/inspections/areas/{area.pk}/today/"
    assert daily.url(SimpleNamespace(subject_id=0)) == "/inspections/today/"
    weekly = kind("inspections.office_weekly")
    assert weekly.url(SimpleNamespace(subject_id=0)) == "/inspections/new/?purpose=office_weekly"
    assert kind("fire.self_check") is not None  # the fire app's kind, written by submit
