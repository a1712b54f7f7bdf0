"""SM1.1: the sign rate of the responsibility letters per school and per centre, counted in the
database, seen only within the user's scope, exported to Excel."""

from datetime import date

import pytest
from django.utils import timezone

from anwen.duties.selectors import sign_rates
from anwen.duties.services import letter_record_paper, letter_sign
from anwen.duties.subjects import staff_subjects
from anwen.duties.tests.files import pdf, sheet_rows
from anwen.orgs.models import Person, Position

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1")]


@pytest.fixture
def signed(world, library):
    """S1: 4 staff, 2 signed (one online, one on paper). S2: 3 staff with a position (plus one
    without, and one who left), 1 signed. S3: 1 staff, none signed. A letter of last year
    does not count."""
    year = timezone.localdate().year
    teacher = Position.objects.get(code="kindergarten_teacher")
    s2 = []
    for name in ("幼师甲", "幼师乙", "幼师丙"):
        person = Person.objects.create(org=world.S2, name=name)
        person.positions.add(teacher)
        s2.append(person)
    Person.objects.create(org=world.S2, name="无岗位者")
    gone = Person.objects.create(org=world.S2, name="已离职", is_active=False)
    gone.positions.add(teacher)
    bureau = world.users["bureau"]
    letter_sign(
        person=world.people["teacher"],
        year=year,
        by=world.users["teacher"],
        accepted=True,
        signature="测试teacher",
    )
    letter_record_paper(
        person=world.people["guard"],
        year=year,
        signed_on=timezone.localdate(),
        scan=pdf(),
        by=bureau,
    )
    letter_record_paper(
        person=s2[0], year=year, signed_on=timezone.localdate(), scan=pdf(), by=bureau
    )
    letter_record_paper(
        person=world.people["principal"],
        year=year - 1,
        signed_on=date(year - 1, 3, 1),
        scan=pdf(),
        by=bureau,
    )
    return year


def figures(rows):
    return {row.org.code: (row.staff, row.signed, row.rate) for row in rows}


def test_the_sign_rate_is_counted_per_school_and_per_centre(world, signed):
    bureau = world.users["bureau"]
    assert figures(sign_rates(user=bureau, year=signed)) == {
        "S1": (4, 2, 50.0),
        "S2": (3, 1, 33.3),
        "S3": (1, 0, 0.0),
    }
    assert figures(sign_rates(user=bureau, year=signed, group="centre")) == {
        "C1": (7, 3, 42.9),
        "C2": (1, 0, 0.0),
    }
    # Last year only the principal's paper letter counts.
    assert figures(sign_rates(user=bureau, year=signed - 1))["S1"] == (4, 1, 25.0)


def test_each_user_sees_the_rates_of_their_scope_only(world, signed):
    assert set(figures(sign_rates(user=world.users["centre"], year=signed))) == {"S1", "S2"}
    assert set(figures(sign_rates(user=world.users["centre2"], year=signed))) == {"S3"}
    assert set(figures(sign_rates(user=world.users["school"], year=signed))) == {"S1"}
    assert figures(sign_rates(user=world.users["other_bureau"], year=signed)) == {"S9": (1, 0, 0.0)}
    assert sign_rates(user=world.users["agency"], year=signed) == []


def test_the_rates_are_counted_in_a_fixed_number_of_queries(
    world, signed, django_assert_num_queries
):
    user = world.users["bureau"]
    user._anwen_scope = [("bureau_officer", world.B1.path)]  # the request's cached roles
    # The schools with their kept counts, and the few centres they hang under.
    with django_assert_num_queries(2):
        sign_rates(user=user, year=signed)
    with django_assert_num_queries(2):
        sign_rates(user=user, year=signed, group="centre")


def test_the_bureau_page_shows_centres_and_schools_and_exports_them(world, signed, login):
    client = login(world.users["bureau"])
    page = client.get("/duties/")
    assert page.status_code == 200
    # Lowest rate first, centres (C2 0 of 1, C1 3 of 7) and schools alike.
    assert [r.org.code for r in page.context["centres"]] == ["C2", "C1"]
    assert [r.org.code for r in page.context["page"]] == ["S3", "S2", "S1"]
    assert page.context["total"].staff == 8 and page.context["total"].signed == 3

    rows = sheet_rows(client.get("/duties/?format=xlsx"))
    assert len(rows[0]) == 6
    body = {r[1]: r[2:] for r in rows[1:]}
    assert body == {
        world.S1.name: [4, 2, 2, 50],
        world.S2.name: [3, 1, 2, 33.3],
        world.S3.name: [1, 0, 1, 0],
    }
    centres = sheet_rows(client.get("/duties/?format=xlsx&group=centre"))
    assert {r[0]: r[1:3] for r in centres[1:]} == {world.C1.name: [7, 3], world.C2.name: [1, 0]}
    # Narrowed to one centre.
    narrowed = client.get(f"/duties/?under={world.C2.pk}")
    assert [r.org.code for r in narrowed.context["page"]] == ["S3"]


def test_a_centre_sees_its_schools_only(world, signed, login):
    client = login(world.users["centre"])
    page = client.get("/duties/")
    assert page.context["centres"] == []
    assert {r.org.code for r in page.context["page"]} == {"S1", "S2"}
    body = page.content.decode()
    assert world.S3.name not in body and world.S9.name not in body
    assert client.get(f"/duties/schools/{world.S3.pk}/").status_code == 404
    assert client.get(f"/duties/?under={world.C2.pk}").status_code == 404
    assert client.get(f"/duties/schools/{world.S2.pk}/").status_code == 200


def test_another_district_sees_none_of_it(world, signed, login):
    client = login(world.users["other_bureau"])
    page = client.get("/duties/")
    assert {r.org.code for r in page.context["page"]} == {"S9"}
    for school in (world.S1, world.S2, world.S3):
        assert client.get(f"/duties/schools/{school.pk}/").status_code == 404
    rows = sheet_rows(client.get("/duties/?format=xlsx"))
    assert [r[1] for r in rows[1:]] == [world.S9.name]


def test_a_school_sees_its_staff_signed_and_unsigned_and_exports_them(world, signed, login):
    client = login(world.users["school"])
    page = client.get("/duties/")
    assert page.status_code == 200
    assert page.context["school"] == world.S1
    assert (page.context["figures"].staff, page.context["figures"].signed) == (4, 2)
    assert page.context["can_record"]
    names = [p.name for p in page.context["page"]]
    assert set(names[:2]) == {"测试principal", "测试school"}  # the unsigned first

    unsigned = client.get("/duties/?status=unsigned")
    assert {p.name for p in unsigned.context["page"]} == {"测试principal", "测试school"}
    signed_only = client.get("/duties/?status=signed")
    assert {p.name for p in signed_only.context["page"]} == {"测试teacher", "测试guard"}

    rows = sheet_rows(client.get("/duties/?format=xlsx"))
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"测试principal", "测试school", "测试teacher", "测试guard"}
    assert by_name["测试teacher"][4] == timezone.localdate().isoformat()
    assert by_name["测试principal"][4] in ("", None)
    assert by_name["测试guard"][5] != by_name["测试teacher"][5]  # paper, online

    # The principal sees the same page; a teacher goes to their own letter instead.
    assert login(world.users["principal"]).get("/duties/").context["school"] == world.S1
    response = login(world.users["teacher"]).get("/duties/")
    assert response.status_code == 302 and response["Location"] == "/duties/my-letter/"
    assert login(world.users["agency"]).get("/duties/").status_code == 404


def test_the_staff_subjects_are_the_active_staff_with_a_position(
    world, signed, django_assert_num_queries
):
    with django_assert_num_queries(1):
        subjects = staff_subjects([world.S1.pk, world.S2.pk])
    names = {s.label for s in subjects}
    assert names == {
        "测试principal",
        "测试school",
        "测试teacher",
        "测试guard",
        "幼师甲",
        "幼师乙",
        "幼师丙",
    }
    teacher = next(s for s in subjects if s.label == "测试teacher")
    assert teacher.person_id == teacher.subject_id == world.people["teacher"].pk
    assert teacher.org_id == world.S1.pk
    assert teacher.since == date(timezone.localdate().year, 1, 1)
