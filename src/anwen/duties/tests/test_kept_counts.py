"""SM1.1, PL2: the sign rates read kept per-school counts (duties.counts); after every kind of
write that moves them (people added through the service and straight through the ORM, positions
given and taken from either side, a member of staff leaving or moving school, letters signed
online and on paper, a bulk load of schools) the kept counts equal a count of the rows."""

from datetime import date

import pytest
from django.db.models import Count, Exists, OuterRef

from anwen.duties.models import ResponsibilityLetter, SchoolSignedCount, SchoolStaffCount
from anwen.duties.selectors import sign_rates
from anwen.duties.services import letter_record_paper, letter_sign
from anwen.duties.tests.files import pdf
from anwen.orgs import services
from anwen.orgs.models import Org, OrgKind, Person, Position
from anwen.testing.world import add_schools

pytestmark = [pytest.mark.django_db, pytest.mark.req("SM1.1", "PL2")]

DAY = date(2026, 5, 12)
YEARS = (2025, 2026)


def counted(year: int) -> dict[int, tuple[int, int]]:
    """(staff who must sign, of them signed for `year`) per school, counted from the rows: the
    aggregate the page ran on every request before the counts were kept."""
    has_position = Exists(Person.positions.through.objects.filter(person_id=OuterRef("pk")))
    signed = Exists(ResponsibilityLetter.objects.filter(person_id=OuterRef("pk"), year=year))
    rows = (
        Person.objects.filter(has_position, is_active=True)
        .values("org_id")
        .annotate(staff=Count("pk"), signed=Count("pk", filter=signed))
        .order_by()
    )
    found = {row["org_id"]: (row["staff"], row["signed"]) for row in rows}
    schools = Org.objects.filter(kind=OrgKind.SCHOOL, is_active=True)
    return {pk: found.get(pk, (0, 0)) for pk in schools.values_list("pk", flat=True)}


def kept(world, year: int) -> dict[int, tuple[int, int]]:
    rows = sign_rates(user=world.users["admin"], year=year)
    rows += sign_rates(user=world.users["other_bureau"], year=year)
    return {row.org.pk: (row.staff, row.signed) for row in rows}


def assert_kept(world) -> None:
    for year in YEARS:
        assert kept(world, year) == counted(year), year


@pytest.mark.day(DAY)
def test_the_kept_counts_equal_a_recount_after_every_kind_of_write(world, library):
    teacher = Position.objects.get(code="teacher")
    nurse = Position.objects.get(code="kindergarten_teacher")
    assert_kept(world)  # the world's own people, made through the services

    new = services.person_create(org=world.S1, name="新教师", positions=[teacher])
    assert_kept(world)
    direct = Person.objects.create(org=world.S2, name="直接建档")
    direct.positions.add(teacher, nurse)
    assert_kept(world)
    nurse.people.add(Person.objects.create(org=world.S3, name="反向添加"))
    assert_kept(world)

    letter_sign(
        person=world.people["teacher"],
        year=2026,
        by=world.users["teacher"],
        accepted=True,
        signature="测试teacher",
    )
    letter_record_paper(person=new, year=2026, signed_on=DAY, scan=pdf(), by=world.users["school"])
    letter_record_paper(
        person=world.people["guard"],
        year=2025,
        signed_on=date(2025, 9, 1),
        scan=pdf(),
        by=world.users["school"],
    )
    assert_kept(world)

    services.person_update(person=new, org=world.S3)  # moves school with the letter
    assert_kept(world)
    services.person_update(person=world.people["teacher"], positions=[])  # no longer signs
    assert_kept(world)
    services.person_update(person=world.people["guard"], is_active=False)  # left
    assert_kept(world)
    direct.positions.remove(teacher)  # still a nurse
    assert_kept(world)
    nurse.people.clear()
    assert_kept(world)
    direct.is_active = False
    direct.save()  # a plain save of the whole row
    assert_kept(world)

    add_schools(world, 5, parent="C2", staff=4)  # bulk rows, counted by the loader
    assert_kept(world)
    assert SchoolStaffCount.objects.exists() and SchoolSignedCount.objects.exists()
