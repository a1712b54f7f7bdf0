"""PL7, PL2: the file list asks each owner from the file (an EXISTS per owner) rather than
gathering every openable record's files; it must keep exactly the files the owners' own rules
open, file by file (`registry.opens`), for every persona of the world; and the list's queries
do not grow with the number of files or schools."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.evidence import registry
from anwen.evidence.models import EvidenceFile
from anwen.evidence.services import evidence_store
from anwen.evidence.tests.files import png_bytes, upload
from anwen.evidence.tests.holders import DAY, letter
from anwen.evidence.tests.holders import HOLDERS as _HOLDERS
from anwen.inspections.models import Inspection
from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona, add_schools

# Each holder takes (world, file, school); the dict's own type does not say so.
HOLDERS = cast(dict[str, Callable[..., Any]], _HOLDERS)

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL7", "PL2")]


def _move_inspections_off_the_day() -> None:
    """One inspection a day per school, purpose and inspector: the holders all use DAY."""
    moved = Inspection.objects.filter(inspected_on=DAY)
    earliest = Inspection.objects.order_by("inspected_on").values_list("inspected_on").first()
    moved.update(inspected_on=min(earliest[0] if earliest else DAY, DAY) - timedelta(days=1))


def _held_files(world) -> None:
    """A file held by a record of every owner in a school of each centre and of the other
    district, a letter of a colleague, a joint inspection's photo and a file nobody holds."""
    n = 0

    def store(org):
        nonlocal n
        n += 1
        return evidence_store(
            upload=upload(f"证据{n}.png", png_bytes()), org=org, by=world.users["school"]
        )

    for key in ("S1", "S3", "S9"):
        school = world.orgs[key]
        for make in HOLDERS.values():
            make(world, store(school), school)
            _move_inspections_off_the_day()
    if "teacher_b" not in world.users:
        add_persona(world, "teacher_b", RoleName.TEACHER, "S1")
    letter(world, store(world.S1), world.S1, person=world.people["teacher_b"])
    letter(world, store(world.S1), world.S1, person=world.people["teacher"])
    joint = HOLDERS["inspections.answer"](world, store(world.S1), world.S1)
    Inspection.objects.filter(pk=joint.inspection_id).update(level="joint", purpose="joint")
    joint.inspection.invited.add(world.A1)
    _move_inspections_off_the_day()
    store(world.S1)  # held by no record


def test_the_list_keeps_exactly_the_files_each_owners_rule_opens(world):
    _held_files(world)
    files = list(EvidenceFile.objects.all())
    assert len(files) > 20
    for username, user in world.users.items():
        by_rule = {f.pk for f in files if registry.opens(user, f)}
        listed = set(EvidenceFile.objects.filter(registry.openable_q(user)).values_list("pk"))
        assert {pk for (pk,) in listed} == by_rule, username
    # The rule really tells personas apart (the test would pass on an empty world otherwise).
    assert {f.pk for f in files if registry.opens(world.users["bureau"], f)}
    assert not {f.pk for f in files if registry.opens(world.users["other_bureau"], f)} & {
        f.pk for f in files if registry.opens(world.users["bureau"], f)
    }


def _queries(client) -> int:
    client.get("/files/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/files/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["bureau", "centre", "school", "teacher"])
def test_the_file_list_asks_the_same_queries_with_more_schools_and_files(world, login, username):
    _held_files(world)
    client = login(world.users[username])
    before = _queries(client)
    add_schools(world, 20, parent="C1", staff=3)
    for i in range(10):  # more files, in the schools and one level up
        school = world.orgs[("S1", "S3", "S9")[i % 3]]
        for code in ("duties.commitment", "obligations.record"):
            stored = evidence_store(
                upload=upload(f"更多{i}{code}.png", png_bytes()),
                org=school,
                by=world.users["school"],
            )
            HOLDERS[code](world, stored, school)
    assert _queries(client) == before


def test_a_short_file_list_is_read_in_one_query_and_a_long_one_pages(world, login):
    _held_files(world)
    client = login(world.users["bureau"])
    short = _queries(client)
    page = client.get("/files/")
    shown = len(page.context["page"].object_list)
    assert page.context["page"].paginator.count == shown < 50
    for i in range(60 - shown):
        stored = evidence_store(
            upload=upload(f"长列表{i}.png", png_bytes()), org=world.S1, by=world.users["school"]
        )
        HOLDERS["obligations.record"](world, stored, world.S1)
    assert _queries(client) == short + 1  # the COUNT, now that there is a second page
    first = client.get("/files/").context["page"]
    assert first.paginator.count == 60 and first.paginator.num_pages == 2
    second = client.get("/files/?page=2").context["page"]
    assert len(first.object_list) == 50 and len(second.object_list) == 10
    assert not {f.pk for f in first.object_list} & {f.pk for f in second.object_list}
    assert client.get("/files/?page=junk").context["page"].number == 1
