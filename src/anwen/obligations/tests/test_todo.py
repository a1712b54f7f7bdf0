"""The rhythm engine's to-do items (PL5): what waits on the owner of an area or the holder of a
role in a school, ordered by due date, overdue marked, missed days collapsed, and found in a
fixed number of queries whatever the history."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.obligations.models import Obligation, Period, Target
from anwen.obligations.registry import RecordKind, Subject, register_kind, unregister_kind
from anwen.obligations.services import ensure_periods, record_add, records_bulk_add
from anwen.obligations.tests.conftest import at
from anwen.obligations.todo import waiting_on

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 15)  # a Thursday


@pytest.fixture
def area_check():
    register_kind(
        RecordKind(
            code="tests.area_check",
            label="网格检查",
            url=lambda period: f"/check/{period.subject_id}/",
        )
    )
    yield
    unregister_kind("tests.area_check")


@pytest.fixture
def rhythm(world, make_obligation, areas, area_check):
    """The teacher owns area 11 of S1 (daily on working days); the safety officers owe the
    weekly office check; principals the monthly meeting."""
    areas.items = [
        Subject(world.S1.pk, 11, world.people["teacher"].pk, "教学楼一楼", since=date(2026, 10, 1))
    ]
    area = make_obligation(
        "area",
        name="网格日查",
        record_kind="tests.area_check",
        frequency="working_daily",
        per_subject="tests.area",
    )
    weekly = make_obligation(
        "weekly",
        name="安全办周查",
        record_kind="routine.info_report",
        frequency="weekly",
        role="safety_officer",
    )
    monthly = make_obligation(
        "monthly",
        name="安全工作例会",
        record_kind="routine.safety_meeting",
        frequency="monthly",
        role="principal",
        due_days=3,
        due_counting="working",
    )
    ensure_periods(through=TODAY)
    for d in (8, 9, 12, 13):  # missed: Saturday 10 (调休, a school day) and Wednesday 14
        record_add(
            kind="tests.area_check",
            org=world.S1,
            subject_id=11,
            occurred_on=date(2026, 10, d),
            submitted_at=at(date(2026, 10, d)),
        )
    return area, weekly, monthly


@pytest.mark.req("PL5", "SM2.2")
def test_the_area_owner_sees_todays_check_with_his_missed_days_beside_it(world, rhythm):
    """Saturday the 10th (调休) and Wednesday the 14th were missed: today's check does not make
    them up, so they are no task of their own, but today's says so."""
    items = waiting_on(world.teacher, today=TODAY)
    assert [(t.title, t.due, t.state(TODAY)) for t in items] == [
        ("网格日查：教学楼一楼", TODAY, "soon"),
    ]
    current = items[0]
    assert "2" in current.detail
    assert current.url == "/check/11/" and current.org_name == world.S1.name


@pytest.mark.req("PL5")
def test_a_role_holder_sees_his_schools_duties_only(world, rhythm):
    items = waiting_on(world.school, today=TODAY)
    # This week's check (due Monday 19th); the weeks of 28 Sep and 5 Oct were missed.
    assert [(t.title, t.due, t.org_name) for t in items] == [
        ("安全办周查", date(2026, 10, 19), world.S1.name),
    ]
    assert "2" in items[0].detail
    assert items[0].url.startswith("/obligations/log/?")  # a routine kind: the log form
    # The other school's safety officer sees his own school's, never S1's.
    assert {t.org_name for t in waiting_on(world.school3, today=TODAY)} == {world.S3.name}
    # The principal owes the monthly meeting, not the safety office's check.
    assert [t.title for t in waiting_on(world.principal, today=TODAY)] == ["安全工作例会"]


@pytest.mark.req("PL5")
def test_an_overdue_period_nothing_has_followed_is_still_a_task_marked_overdue(
    world, make_obligation
):
    """A duty that ended with its last week undone: nothing newer replaces it, so it stays on
    the list, overdue, until it is recorded."""
    make_obligation(
        "last-week",
        name="期末安全检查",
        record_kind="routine.info_report",
        frequency="weekly",
        role="safety_officer",
        ends_on=date(2026, 10, 11),
    )
    ensure_periods(through=TODAY)
    items = waiting_on(world.school, today=TODAY)
    assert [(t.title, t.due, t.state(TODAY)) for t in items] == [
        ("期末安全检查", date(2026, 10, 12), "overdue"),
    ]
    assert "1" in items[0].detail  # the week before was missed as well


@pytest.mark.req("PL5")
def test_people_who_owe_nothing_see_nothing(world, rhythm):
    for name in ("guard", "centre", "bureau", "leader", "agency", "other_school"):
        assert waiting_on(world.users[name], today=TODAY) == [], name


@pytest.mark.req("PL5")
def test_done_work_leaves_the_list(world, rhythm):
    record_add(
        kind="tests.area_check",
        org=world.S1,
        subject_id=11,
        occurred_on=TODAY,
        submitted_at=at(TODAY),
    )
    assert waiting_on(world.teacher, today=TODAY) == []


@pytest.mark.req("PL5")
def test_missed_days_older_than_a_week_are_not_counted_beside_today(world, rhythm):
    later = TODAY + timedelta(days=14)
    ensure_periods(through=later)  # the tick's work: the inbox itself only reads
    items = waiting_on(world.teacher, today=later)
    assert [(t.due, t.state(later)) for t in items] == [(later, "soon")]
    # Working days from the 22nd to the 28th: five, not the whole fortnight.
    assert "5" in items[0].detail


@pytest.mark.req("PL5")
def test_the_todo_query_count_does_not_grow_with_history(world, rhythm, areas):
    def count():
        waiting_on(world.teacher, today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            waiting_on(world.teacher, today=TODAY)
        return len(queries)

    short, periods = count(), Period.objects.count()
    # A year more of history: periods since October 2025, with records on most days.
    Target.objects.all().delete()
    Obligation.objects.update(starts_on=date(2025, 10, 1), generated_through=None)
    areas.items = [
        Subject(world.S1.pk, 11, world.people["teacher"].pk, "教学楼一楼", since=date(2025, 10, 1))
    ]
    ensure_periods(through=TODAY)
    assert Period.objects.count() > 10 * periods
    day, rows = date(2025, 10, 1), []
    while day < date(2026, 10, 1):
        if day.weekday() < 4:
            rows.append(
                {
                    "kind": "tests.area_check",
                    "org_id": world.S1.pk,
                    "subject_id": 11,
                    "occurred_on": day,
                    "submitted_at": at(day),
                    "by_id": None,
                    "source": None,
                }
            )
        day += timedelta(days=1)
    records_bulk_add(rows)
    assert count() == short


@pytest.mark.req("PL5")
def test_work_its_own_app_lists_is_not_listed_twice(world, rhythm):
    """The guard's inbox shows tonight's round from the patrol app; the period of the same
    round must not appear beside it with another wording and date."""
    register_kind(
        RecordKind(
            code="tests.area_check",
            label="网格检查",
            url=lambda period: f"/check/{period.subject_id}/",
            in_inbox=False,
        )
    )
    assert waiting_on(world.teacher, today=TODAY) == []
    monthly_for_principal = waiting_on(world.principal, today=TODAY)
    assert [t.title for t in monthly_for_principal] == ["安全工作例会"]
