"""Records fulfil the periods they fall in: counted, done when `times` is reached, on time or
late by the calendar's due day; in bulk, set-based; withdrawn, recounted."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.obligations.models import Period, Record
from anwen.obligations.registry import Subject
from anwen.obligations.services import (
    ensure_periods,
    record_add,
    record_remove,
    records_bulk_add,
    recount,
)
from anwen.obligations.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.req("SM2.4")
def test_a_period_is_done_when_it_holds_times_records(world, make_obligation):
    ob = make_obligation(
        "gate-duty",
        record_kind="routine.gate_duty",
        frequency="working_daily",
        times=2,
        starts_on=date(2026, 10, 12),
    )
    ensure_periods(through=date(2026, 10, 12))
    record_add(
        kind="routine.gate_duty",
        org=world.S1,
        occurred_on=date(2026, 10, 12),
        submitted_at=at(date(2026, 10, 12), 7, 40),
    )
    period = Period.objects.get(obligation=ob, org=world.S1)
    assert (period.records, period.done_at, period.on_time) == (1, None, None)
    record_add(
        kind="routine.gate_duty",
        org=world.S1,
        occurred_on=date(2026, 10, 12),
        submitted_at=at(date(2026, 10, 12), 16, 30),
    )
    period.refresh_from_db()
    assert (period.records, period.done_at, period.on_time) == (
        2,
        at(date(2026, 10, 12), 16, 30),
        True,
    )


def test_a_record_after_the_due_day_makes_the_period_late(world, make_obligation):
    ob = make_obligation(
        "monthly",
        record_kind="routine.safety_meeting",
        frequency="monthly",
        due_days=3,
        due_counting="working",
        starts_on=date(2026, 10, 1),
    )
    ensure_periods(through=date(2026, 10, 31))
    period = Period.objects.get(obligation=ob, org=world.S1)
    assert period.due == date(2026, 11, 4)  # 31 Oct is a Saturday; 3 working days: Mon–Wed
    record_add(
        kind="routine.safety_meeting",
        org=world.S1,
        occurred_on=date(2026, 10, 28),
        submitted_at=at(date(2026, 11, 5), 9),
    )
    period.refresh_from_db()
    assert period.done_at is not None and period.on_time is False
    # Submitted at 23:59 of the due day is still on time.
    record_add(
        kind="routine.safety_meeting",
        org=world.S2,
        occurred_on=date(2026, 10, 28),
        submitted_at=at(date(2026, 11, 4), 23, 59),
    )
    assert Period.objects.get(obligation=ob, org=world.S2).on_time is True


def test_a_record_counts_towards_every_obligation_and_period_it_falls_in(world, make_obligation):
    daily = make_obligation("daily", record_kind="routine.campus_patrol", frequency="daily")
    weekly = make_obligation(
        "weekly", record_kind="routine.campus_patrol", frequency="weekly", times=3
    )
    ensure_periods(through=date(2026, 10, 14))
    for d in (12, 13, 14):
        record_add(
            kind="routine.campus_patrol",
            org=world.S1,
            occurred_on=date(2026, 10, d),
            submitted_at=at(date(2026, 10, d)),
        )
    assert Period.objects.filter(obligation=daily, org=world.S1, done_at__isnull=False).count() == 3
    week = Period.objects.get(obligation=weekly, org=world.S1, start=date(2026, 10, 12))
    assert (week.records, week.done_at) == (3, at(date(2026, 10, 14)))
    # Another school's records count for that school only.
    assert not Period.objects.filter(org=world.S2, records__gt=0).exists()


def test_per_subject_periods_count_only_their_subjects_records(world, make_obligation, areas):
    teacher = world.people["teacher"]
    areas.items = [
        Subject(world.S1.pk, 11, teacher.pk, "一楼"),
        Subject(world.S1.pk, 12, teacher.pk, "二楼"),
    ]
    ob = make_obligation("areas", record_kind="inspections.area_daily", per_subject="tests.area")
    ensure_periods(through=date(2026, 10, 1))
    record_add(
        kind="inspections.area_daily",
        org=world.S1,
        subject_id=12,
        occurred_on=date(2026, 10, 1),
        submitted_at=at(date(2026, 10, 1)),
    )
    done = dict(Period.objects.filter(obligation=ob).values_list("subject_id", "records"))
    assert done == {11: 0, 12: 1}


def test_an_org_wide_obligation_counts_records_of_any_subject(world, make_obligation):
    ob = make_obligation(
        "weekly-check", record_kind="inspections.office_weekly", frequency="weekly"
    )
    ensure_periods(through=date(2026, 10, 5))
    record_add(
        kind="inspections.office_weekly",
        org=world.S1,
        subject_id=42,
        occurred_on=date(2026, 10, 6),
        submitted_at=at(date(2026, 10, 6)),
    )
    assert Period.objects.get(obligation=ob, org=world.S1, start=date(2026, 10, 5)).records == 1


def test_withdrawing_a_record_reopens_its_period(world, make_obligation):
    ob = make_obligation("daily")
    ensure_periods(through=date(2026, 10, 1))
    record = record_add(
        kind="routine.gate_log",
        org=world.S1,
        occurred_on=date(2026, 10, 1),
        by=world.school,
        submitted_at=at(date(2026, 10, 1)),
    )
    record_remove(record=record, by=world.school)
    period = Period.objects.get(obligation=ob, org=world.S1)
    assert (period.records, period.done_at, period.on_time) == (0, None, None)


@pytest.mark.req("SM2.2")
def test_bulk_records_are_counted_set_based_like_single_ones(world, make_obligation):
    ob = make_obligation("daily", starts_on=date(2026, 9, 1))
    ensure_periods(through=date(2026, 10, 31))
    rows = []
    day = date(2026, 9, 1)
    while day <= date(2026, 10, 31):
        rows.append(
            {
                "kind": "routine.gate_log",
                "org_id": world.S1.pk,
                "subject_id": 0,
                "occurred_on": day,
                "submitted_at": at(day),
                "by_id": None,
                "source": None,
            }
        )
        if day.day % 2:
            late = at(day + timedelta(days=12))  # past any holiday-extended due day
            rows.append(
                {
                    "kind": "routine.gate_log",
                    "org_id": world.S2.pk,
                    "subject_id": 0,
                    "occurred_on": day,
                    "submitted_at": late,
                    "by_id": world.school.pk,
                    "source": world.S2,
                }
            )
        day += timedelta(days=1)
    with CaptureQueriesContext(connection) as queries:
        assert records_bulk_add(rows) == len(rows)
    # A handful of statements, not one per row or per period.
    assert len(queries) < 15
    s1 = Period.objects.filter(obligation=ob, org=world.S1)
    assert s1.filter(on_time=True).count() == 61
    s2 = Period.objects.filter(obligation=ob, org=world.S2)
    assert s2.filter(done_at__isnull=False).count() == 31
    assert s2.filter(on_time=False).count() == 31
    record = Record.objects.filter(org=world.S2).first()
    assert record.source_type.model == "org" and record.source_id == str(world.S2.pk)
    # A full recount changes nothing.
    before = list(Period.objects.order_by("pk").values_list("records", "done_at", "on_time"))
    recount()
    assert (
        list(Period.objects.order_by("pk").values_list("records", "done_at", "on_time")) == before
    )
