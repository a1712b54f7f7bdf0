"""The schools short of guards (SM3.2): guards who count (on duty, full-time, a valid
certificate) against the plan's number, per centre and for the district, each school a link to
its guards; scoped like every list; exported through the one exporter; a fixed number of
queries whatever the number of schools."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.guards.models import Guard
from anwen.guards.rules import DEFAULT_STAFFING
from anwen.obligations.tests.rules import set_rules
from anwen.orgs import services as orgs
from anwen.orgs.models import OrgKind
from anwen.testing.sheets import sheet_rows

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]

PAGE = "/guards/shortfall/"
VALID = date(2027, 6, 30)


def guard(org, no, *, expires=VALID, **values) -> Guard:
    return Guard.objects.create(
        org=org, name=f"保安{no}", certificate_no=no, certificate_expires_on=expires, **values
    )


@pytest.fixture
def guarded(world):
    """S1 (820 students: needs 2) has 2 that count; S2 (210: needs 2) one that counts and
    three that do not; S3 (1,400, boarding: needs 4) none; S9 of the other district none."""
    guard(world.S1, "A1")
    guard(world.S1, "A2")
    guard(world.S2, "B1")
    guard(world.S2, "B2", expires=date(2026, 11, 30))  # lapsed yesterday
    guard(world.S2, "B3", full_time=False)
    guard(world.S2, "B4", active=False)
    return world


def short_names(response) -> list[str]:
    return [s.school.name for s in response.context["result"].short]


@pytest.mark.req("SM3.2")
def test_the_bureau_sees_the_schools_short_by_centre_and_for_the_district(client, guarded, login):
    world = guarded
    login(world.users["bureau"])
    response = client.get(PAGE)
    assert response.status_code == 200
    assert short_names(response) == [world.S2.name, world.S3.name]
    result = response.context["result"]
    by_centre = {
        g.org.code: (g.schools, len(g.short), g.required, g.counted) for g in result.groups
    }
    assert by_centre == {"C1": (2, 1, 4, 3), "C2": (1, 1, 4, 0)}
    assert (result.total.schools, result.total.required, result.total.missing) == (3, 8, 5)
    text = response.content.decode()
    assert f'href="/registers/guards/?org={world.S2.pk}"' in text
    assert f'href="/registers/guards/?org={world.S1.pk}"' not in text  # not short
    assert world.S9.name not in text
    # The school's link opens its guards only.
    listed = client.get(f"/registers/guards/?org={world.S2.pk}").content.decode()
    assert "保安B1" in listed and "保安A1" not in listed


@pytest.mark.req("SM3.2")
def test_a_centre_sees_its_schools_only_and_another_district_none_of_them(client, guarded, login):
    world = guarded
    login(world.users["centre"])
    response = client.get(PAGE)
    assert short_names(response) == [world.S2.name]
    assert world.S3.name not in response.content.decode()
    login(world.users["school3"])
    assert short_names(client.get(PAGE)) == [world.S3.name]
    login(world.users["other_bureau"])
    response = client.get(PAGE)
    assert short_names(response) == [world.S9.name]
    assert world.S2.name not in response.content.decode()
    login(world.users["teacher"])  # keeps no register
    assert client.get(PAGE).status_code == 404
    login(world.users["agency"])
    assert client.get(PAGE).status_code == 404


@pytest.mark.req("SM3.2")
def test_a_changed_norm_changes_the_list(client, guarded, login):
    world = guarded
    login(world.users["centre"])
    assert short_names(client.get(PAGE)) == [world.S2.name]
    set_rules(
        world.B1, year=2026, guards__staffing=dict(DEFAULT_STAFFING, bands=[[100, 1], [1000, 3]])
    )
    assert short_names(client.get(PAGE)) == [world.S1.name, world.S2.name]
    set_rules(world.B1, year=2026, guards__staffing=dict(DEFAULT_STAFFING, bands=[[1000, 1]]))
    assert short_names(client.get(PAGE)) == []
    assert "所有学校保安配备均已达标" in client.get(PAGE).content.decode()


@pytest.mark.req("SM3.2", "PL8")
def test_the_list_exports_to_excel(client, guarded, login):
    world = guarded
    login(world.users["bureau"])
    download = client.get(PAGE + "?format=xlsx")
    assert download.status_code == 200
    rows = sheet_rows(download)
    assert rows[1:] == [
        (world.C1.name, world.S2.name, "S2", 2, 1, 1),
        (world.C2.name, world.S3.name, "S3", 4, 0, 4),
    ]


def test_the_list_is_linked_from_the_register(client, guarded, login):
    login(guarded.users["school"])
    assert 'href="/guards/shortfall/"' in client.get("/registers/guards/").content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_schools(
    client, guarded, login, django_assert_max_num_queries
):
    world = guarded
    login(world.users["bureau"])
    few = _queries(client)
    for n in range(12):
        school = orgs.org_create(
            kind=OrgKind.SCHOOL, name=f"测试学校{n}", code=f"X{n}", parent=world.C2
        )
        orgs.school_profile_save(org=school, school_type="primary", enrolment=300 + n)
        guard(school, f"X{n}")
    with django_assert_max_num_queries(few):
        response = client.get(PAGE)
    assert len(response.context["result"].short) == 2 + 12
