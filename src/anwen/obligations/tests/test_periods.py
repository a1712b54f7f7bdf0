"""Periods are generated lazily, idempotently, by the calendar, for the right orgs and subjects."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.calendar.models import DayKind, DayOverride, SensitivePeriod
from anwen.obligations.models import Period, Target
from anwen.obligations.periods import spans
from anwen.obligations.registry import Subject
from anwen.obligations.services import ensure_periods, record_add
from anwen.obligations.tests.conftest import at
from anwen.orgs import services as org_services
from anwen.orgs.models import OrgKind

pytestmark = pytest.mark.django_db


def _starts(obligation, org):
    return list(
        Period.objects.filter(obligation=obligation, org=org)
        .order_by("start")
        .values_list("start", flat=True)
    )


@pytest.mark.req("SM2.4")
def test_working_daily_skips_the_national_day_holiday_and_counts_the_adjusted_saturday(
    world, make_obligation
):
    # 2026: 1–7 October off; Saturday 10 October is an adjusted working day (调休).
    ob = make_obligation(frequency="working_daily", starts_on=date(2026, 9, 28))
    ensure_periods(through=date(2026, 10, 11))
    assert _starts(ob, world.S1) == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
    ]


def test_a_bureau_override_makes_a_working_daily_skip_a_local_closure(world, make_obligation):
    DayOverride.objects.create(date=date(2026, 10, 9), kind=DayKind.CLOSURE, name="暴雨停课")
    ob = make_obligation(frequency="working_daily", starts_on=date(2026, 10, 8))
    ensure_periods(through=date(2026, 10, 10))
    assert _starts(ob, world.S1) == [date(2026, 10, 8), date(2026, 10, 10)]


def test_due_dates_come_from_the_calendar(world, make_obligation):
    # A weekly duty due one working day after its Sunday: the week of 28 September ends on
    # 4 October, inside the holiday, so the first working day after it is Thursday 8 October.
    weekly = make_obligation(
        "weekly",
        frequency="weekly",
        due_days=1,
        due_counting="working",
        starts_on=date(2026, 9, 28),
    )
    # A daily duty due the same day: Saturday's period (a rest day) runs to Monday.
    daily = make_obligation("daily", frequency="daily", starts_on=date(2026, 11, 7))
    ensure_periods(through=date(2026, 11, 7))
    week = Period.objects.get(obligation=weekly, org=world.S1, start=date(2026, 9, 28))
    assert (week.end, week.due) == (date(2026, 10, 4), date(2026, 10, 8))
    saturday = Period.objects.get(obligation=daily, org=world.S1, start=date(2026, 11, 7))
    assert saturday.due == date(2026, 11, 9)


def test_weekly_monthly_semester_and_yearly_spans():
    assert spans("weekly", date(2026, 10, 1), date(2026, 10, 12)) == [
        (date(2026, 9, 28), date(2026, 10, 4)),
        (date(2026, 10, 5), date(2026, 10, 11)),
        (date(2026, 10, 12), date(2026, 10, 18)),
    ]
    assert spans("monthly", date(2026, 11, 15), date(2027, 1, 1)) == [
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 31)),
    ]
    assert spans("monthly", date(2028, 2, 1), date(2028, 2, 1)) == [
        (date(2028, 2, 1), date(2028, 2, 29))
    ]
    assert spans("yearly", date(2026, 3, 1), date(2027, 1, 1)) == [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 12, 31)),
    ]
    # The shipped default semesters (calendar migration 0002).
    assert spans("semester", date(2026, 2, 1), date(2026, 9, 1)) == [
        (date(2026, 3, 5), date(2026, 7, 1)),
        (date(2026, 9, 1), date(2027, 1, 22)),
    ]


def test_sensitive_daily_periods_are_the_days_of_sensitive_periods(world, make_obligation):
    SensitivePeriod.objects.create(
        name="国庆", kind="holiday", start=date(2026, 10, 1), end=date(2026, 10, 3)
    )
    SensitivePeriod.objects.create(
        name="重要会议", kind="meeting", start=date(2026, 10, 3), end=date(2026, 10, 4)
    )
    ob = make_obligation(
        frequency="sensitive_daily", record_kind="routine.holiday_duty", starts_on=date(2026, 9, 1)
    )
    ensure_periods(through=date(2026, 10, 31))
    assert _starts(ob, world.S1) == [date(2026, 10, d) for d in (1, 2, 3, 4)]


def test_only_applicable_active_orgs_under_the_plan_owner_owe(world, make_obligation):
    everyone = make_obligation("all")
    primary = make_obligation("primary", school_types=["primary"])
    boarding = make_obligation("dorm", record_kind="routine.dorm_check", boarding_only=True)
    centres = make_obligation("centre", org_kind=OrgKind.CENTRE)
    closed = org_services.org_create(
        kind=OrgKind.SCHOOL, name="已撤并小学", code="SX", parent=world.C1
    )
    org_services.school_profile_save(org=closed, school_type="primary", enrolment=10)
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    ensure_periods(through=date(2026, 10, 1))

    def owing(ob):
        return set(Period.objects.filter(obligation=ob).values_list("org__code", flat=True))

    assert owing(everyone) == {"S1", "S2", "S3"}  # not S9: another bureau's school
    assert owing(primary) == {"S1"}
    assert owing(boarding) == {"S3"}
    assert owing(centres) == {"C1", "C2"}


@pytest.mark.req("SM2.2")
def test_ensuring_twice_gives_the_same_rows_and_the_second_call_is_cheap(
    world, make_obligation, areas
):
    areas.items = [Subject(world.S1.pk, 11, world.people["teacher"].pk, "教学楼一楼")]
    make_obligation("daily")
    make_obligation(
        "areas",
        record_kind="inspections.area_daily",
        per_subject="tests.area",
        frequency="working_daily",
    )
    make_obligation("monthly", frequency="monthly")
    ensure_periods(through=date(2026, 10, 20))
    rows = sorted(
        Period.objects.values_list("obligation_id", "org_id", "subject_id", "start", "end", "due")
    )
    with CaptureQueriesContext(connection) as queries:
        ensure_periods(through=date(2026, 10, 20))
    assert (
        sorted(
            Period.objects.values_list(
                "obligation_id", "org_id", "subject_id", "start", "end", "due"
            )
        )
        == rows
    )
    # obligations, orgs, the provider's subjects, the targets: nothing written.
    assert len(queries) <= 4, [q["sql"] for q in queries]
    assert not any(q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in queries)


def test_the_watermark_extends_day_by_day(world, make_obligation):
    ob = make_obligation("daily", starts_on=date(2026, 10, 1))
    ensure_periods(through=date(2026, 10, 5))
    ensure_periods(through=date(2026, 10, 7))
    assert len(_starts(ob, world.S1)) == 7
    assert set(
        Target.objects.filter(obligation=ob).values_list("generated_through", flat=True)
    ) == {date(2026, 10, 7)}
    ob.refresh_from_db()
    assert ob.generated_through == date(2026, 10, 7)


@pytest.mark.req("SM2.2")
def test_one_period_per_subject_owed_by_its_owner_from_its_first_day(world, make_obligation, areas):
    teacher, school = world.people["teacher"], world.people["school"]
    areas.items = [
        Subject(world.S1.pk, 11, teacher.pk, "教学楼一楼", since=date(2026, 10, 1)),
        Subject(world.S1.pk, 12, school.pk, "食堂", since=date(2026, 10, 13)),
    ]
    ob = make_obligation(
        "areas",
        record_kind="inspections.area_daily",
        per_subject="tests.area",
        frequency="working_daily",
        starts_on=date(2026, 10, 8),
    )
    ensure_periods(through=date(2026, 10, 14))
    per_area = {
        s: list(
            Period.objects.filter(obligation=ob, subject_id=s)
            .order_by("start")
            .values_list("start", "assignee_id")
        )
        for s in (11, 12)
    }
    assert per_area[11] == [(date(2026, 10, d), teacher.pk) for d in (8, 9, 10, 12, 13, 14)]
    assert per_area[12] == [(date(2026, 10, d), school.pk) for d in (13, 14)]


@pytest.mark.req("SM2.2")
def test_an_area_added_later_gets_periods_from_its_own_first_day(world, make_obligation, areas):
    teacher = world.people["teacher"]
    areas.items = [Subject(world.S1.pk, 11, teacher.pk, "教学楼一楼", since=date(2026, 10, 1))]
    ob = make_obligation(
        "areas",
        record_kind="inspections.area_daily",
        per_subject="tests.area",
        frequency="daily",
        starts_on=date(2026, 10, 1),
    )
    ensure_periods(through=date(2026, 10, 10))
    areas.items.append(Subject(world.S1.pk, 13, teacher.pk, "操场", since=date(2026, 10, 8)))
    ensure_periods(through=date(2026, 10, 10))  # same day: the watermark does not hide it
    assert list(
        Period.objects.filter(obligation=ob, subject_id=13)
        .order_by("start")
        .values_list("start", flat=True)
    ) == [date(2026, 10, d) for d in (8, 9, 10)]


def test_an_org_that_appears_later_owes_from_then_not_the_whole_past(world, make_obligation):
    ob = make_obligation("daily", starts_on=date(2026, 10, 1))
    ensure_periods(through=date(2026, 10, 5))
    new_school = org_services.org_create(
        kind=OrgKind.SCHOOL, name="新建小学", code="SN", parent=world.C2
    )
    org_services.school_profile_save(org=new_school, school_type="primary", enrolment=100)
    ensure_periods(through=date(2026, 10, 5))
    starts = _starts(ob, new_school)
    assert len(starts) == 1 and len(_starts(ob, world.S1)) == 5


@pytest.mark.day(date(2026, 10, 6))  # the 2026 period is still open on the day the area goes
def test_a_removed_area_stops_owing_and_a_new_owner_takes_the_open_periods(
    world, make_obligation, areas, settings
):
    teacher, guard = world.people["teacher"], world.people["guard"]
    areas.items = [
        Subject(world.S1.pk, 11, teacher.pk, "教学楼一楼", since=date(2026, 10, 1)),
        Subject(world.S1.pk, 12, teacher.pk, "食堂", since=date(2026, 10, 1)),
    ]
    ob = make_obligation(
        "areas",
        record_kind="inspections.area_daily",
        per_subject="tests.area",
        frequency="yearly",
        starts_on=date(2026, 10, 1),
    )
    ensure_periods(through=date(2026, 10, 5))
    areas.items = [Subject(world.S1.pk, 11, guard.pk, "教学楼一楼（改）", since=date(2026, 10, 1))]
    ensure_periods(through=date(2026, 10, 6))
    # The year's period of the removed area was still open: it is no longer owed.
    assert not Period.objects.filter(obligation=ob, subject_id=12).exists()
    assert Period.objects.get(obligation=ob, subject_id=11).assignee_id == guard.pk
    assert Target.objects.get(obligation=ob, subject_id=11).label == "教学楼一楼（改）"
    assert not Target.objects.get(obligation=ob, subject_id=12).is_active


@pytest.mark.req("SM2.2")
def test_a_record_counts_the_same_before_or_after_its_period_exists(world, make_obligation):
    ob = make_obligation("daily", starts_on=date(2026, 10, 1))
    ensure_periods(through=date(2026, 10, 2))
    record_add(
        kind="routine.gate_log",
        org=world.S1,
        occurred_on=date(2026, 10, 2),
        submitted_at=at(date(2026, 10, 2)),
    )
    # Logged before the periods of the 3rd were made (the nightly run had not come yet).
    record_add(
        kind="routine.gate_log",
        org=world.S1,
        occurred_on=date(2026, 10, 3),
        submitted_at=at(date(2026, 10, 3)),
    )
    ensure_periods(through=date(2026, 10, 3))
    after, before = (
        Period.objects.get(obligation=ob, org=world.S1, start=date(2026, 10, d)) for d in (2, 3)
    )
    assert (after.records, after.on_time) == (before.records, before.on_time) == (1, True)
    assert after.done_at == at(date(2026, 10, 2)) and before.done_at == at(date(2026, 10, 3))


def test_an_obligation_that_ended_stops_generating(world, make_obligation):
    ob = make_obligation("daily", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 3))
    ensure_periods(through=date(2026, 10, 10))
    assert _starts(ob, world.S1) == [date(2026, 10, d) for d in (1, 2, 3)]


def test_a_missing_subject_provider_neither_makes_nor_retires_targets(world, make_obligation):
    ob = make_obligation(
        "staff", record_kind="duties.letter", per_subject="nobody.registered", frequency="yearly"
    )
    assert ensure_periods(through=date(2026, 10, 10)).created == 0
    assert not Target.objects.filter(obligation=ob).exists()
