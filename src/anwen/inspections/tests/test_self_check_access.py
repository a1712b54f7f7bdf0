"""A school's self-check is done by the school's own people (SM2.2, PL2): the bureau keeps the
checklists district-wide (`inspections.manage`) and the centre screens its schools, but
neither starts, answers or submits the school's own check, and nothing they send is written."""

import pytest
import time_machine
from django.utils import timezone

from anwen.inspections import services
from anwen.inspections.models import Answer, Inspection
from anwen.obligations.models import Record

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL2", "SM2.2")]

DAY = "2026-03-10 09:00+08:00"
OUTSIDERS = ("bureau", "admin", "centre")


def _all_pass(inspection, action="submit") -> dict:
    data = {"action": action}
    for item in inspection.version.items.all():
        data[f"r{item.pk}"] = "pass"
    return data


@pytest.fixture
def weekly(world, lists):
    with time_machine.travel(DAY, tick=False):
        yield services.inspection_start(
            org=world.S1, purpose="office_weekly", level="self", by=world.users["school"]
        )


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_office_above_cannot_answer_or_submit_a_schools_self_check(
    world, weekly, login, username
):
    client = login(world.users[username])
    with time_machine.travel(DAY, tick=False):
        page = client.get(f"/inspections/{weekly.pk}/")
        # The bureau and the centre still see the check (they watch the school) ...
        assert page.status_code == 200
        assert 'name="action" value="submit"' not in page.content.decode()
        for action in ("save", "all_pass", "submit", "details"):
            response = client.post(f"/inspections/{weekly.pk}/", _all_pass(weekly, action))
            assert response.status_code == 404, (username, action)
    weekly.refresh_from_db()
    assert weekly.status == "draft"
    assert not Answer.objects.filter(inspection=weekly).exists()
    assert not Record.objects.exists()


def test_the_schools_own_safety_officer_submits_it_and_it_counts(world, weekly, login):
    client = login(world.users["school"])
    with time_machine.travel(DAY, tick=False):
        response = client.post(f"/inspections/{weekly.pk}/", _all_pass(weekly))
    assert response.status_code == 302
    weekly.refresh_from_db()
    assert weekly.status == "submitted" and weekly.submitted_by == world.users["school"]
    assert Record.objects.get().kind == "inspections.office_weekly"


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_office_above_cannot_start_a_schools_self_check(world, lists, login, username):
    client = login(world.users[username])
    with time_machine.travel(DAY, tick=False):
        for purpose in ("office_weekly", "leadership_monthly"):
            response = client.post(
                "/inspections/new/",
                {
                    "purpose": purpose,
                    "school": world.S1.pk,
                    "inspected_on": timezone.localdate().isoformat(),
                },
            )
            assert response.status_code in (200, 404), (username, purpose)
    assert not Inspection.objects.exists()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_an_office_above_cannot_do_an_areas_daily_check(world, area, login, username):
    client = login(world.users[username])
    with time_machine.travel(DAY, tick=False):
        assert client.get(f"/inspections/areas/{area.pk}/today/").status_code == 404
        data = {"action": "submit"}
        for item in area.checklist.versions.get().items.all():
            data[f"r{item.pk}"] = "pass"
        assert client.post(f"/inspections/areas/{area.pk}/today/", data).status_code == 404
    assert not Inspection.objects.exists()
    with time_machine.travel(DAY, tick=False), pytest.raises(services.InspectionError):
        services.inspection_start(
            org=world.S1, purpose="area_daily", level="self", by=world.users[username], area=area
        )


def test_an_office_above_is_not_offered_the_schools_own_checks(world, lists, login):
    page = login(world.users["bureau"]).get("/inspections/new/").content.decode()
    assert 'value="office_weekly"' not in page
    assert 'value="spot"' in page
