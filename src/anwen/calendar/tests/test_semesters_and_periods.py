"""Semesters (shipped defaults the bureau confirms) and sensitive periods."""

from datetime import date

import pytest

from anwen.audit.models import AuditEvent
from anwen.calendar import selectors, services
from anwen.calendar.models import Semester
from anwen.calendar.rules import CalendarError

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL4")]


def test_default_semesters_for_two_school_years_are_shipped_and_marked_as_defaults():
    semesters = list(Semester.objects.select_related("school_year"))
    assert [(s.school_year.start_year, s.term) for s in semesters] == [
        (2025, "autumn"),
        (2025, "spring"),
        (2026, "autumn"),
        (2026, "spring"),
    ]
    assert all(s.is_default for s in semesters)


def test_a_day_in_term_has_a_semester_and_a_day_in_the_winter_vacation_has_none():
    autumn = selectors.semester_of(date(2025, 10, 15))
    assert autumn is not None and autumn.name == "2025-2026学年第一学期"
    assert selectors.semester_of(date(2026, 2, 10)) is None
    assert [s.term for s in selectors.semesters_between(date(2026, 1, 1), date(2026, 9, 30))] == [
        "autumn",
        "spring",
        "autumn",
    ]


def test_changing_a_default_semester_confirms_it_and_is_audited(world):
    spring = Semester.objects.get(school_year__start_year=2026, term="spring")
    services.semester_update(
        by=world.users["bureau"],
        semester=spring,
        start=date(2027, 2, 25),
        end=date(2027, 7, 1),
        name=spring.name,
    )
    spring.refresh_from_db()
    assert (spring.start, spring.is_default) == (date(2027, 2, 25), False)
    event = AuditEvent.objects.get(action="calendar.semester.updated")
    assert event.data["start"] == "2027-02-25" and event.actor_id == world.users["bureau"].pk


def test_a_semester_may_not_overlap_another_or_start_in_the_wrong_year(world):
    bureau = world.users["bureau"]
    with pytest.raises(CalendarError):
        services.semester_create(
            by=bureau,
            owner_id=None,
            start_year=2027,
            term="autumn",
            start=date(2027, 6, 1),
            end=date(2027, 12, 31),
        )
    with pytest.raises(CalendarError):
        services.semester_create(
            by=bureau,
            owner_id=None,
            start_year=2027,
            term="autumn",
            start=date(2028, 9, 1),
            end=date(2029, 1, 20),
        )
    with pytest.raises(CalendarError):
        services.semester_create(
            by=bureau,
            owner_id=None,
            start_year=2025,
            term="autumn",
            start=date(2025, 9, 1),
            end=date(2026, 1, 20),
        )
    semester = services.semester_create(
        by=bureau,
        owner_id=None,
        start_year=2027,
        term="autumn",
        start=date(2027, 9, 1),
        end=date(2028, 1, 21),
    )
    assert str(semester.school_year) == "2027-2028" and not semester.is_default


def test_deleting_the_last_semester_of_a_school_year_removes_the_year(world):
    bureau = world.users["bureau"]
    for semester in Semester.objects.filter(school_year__start_year=2026):
        services.semester_delete(by=bureau, semester=semester)
    assert [sy.start_year for sy in selectors.school_years()] == [2025]
    assert AuditEvent.objects.filter(action="calendar.semester.deleted").count() == 2


def test_sensitive_periods_are_found_by_day_and_by_overlap(world):
    bureau = world.users["bureau"]
    flood = services.sensitive_period_create(
        by=bureau,
        owner_id=None,
        name="汛期",
        kind="flood",
        start=date(2026, 5, 1),
        end=date(2026, 9, 30),
    )
    exam = services.sensitive_period_create(
        by=bureau,
        owner_id=None,
        name="中考",
        kind="exam",
        start=date(2026, 6, 14),
        end=date(2026, 6, 16),
    )
    assert selectors.in_sensitive_period(date(2026, 6, 15))
    assert not selectors.in_sensitive_period(date(2026, 10, 1))
    assert selectors.sensitive_periods_on(date(2026, 6, 15)) == [flood, exam]
    assert list(selectors.sensitive_periods_between(date(2026, 6, 17), date(2026, 7, 1))) == [flood]
    assert list(selectors.sensitive_periods_between(date(2026, 1, 1), date(2026, 5, 1))) == [flood]
    with pytest.raises(CalendarError):
        services.sensitive_period_update(
            by=bureau,
            period=exam,
            name="中考",
            kind="exam",
            start=date(2026, 6, 16),
            end=date(2026, 6, 14),
        )
    services.sensitive_period_delete(by=bureau, period=exam)
    assert list(
        AuditEvent.objects.filter(action__startswith="calendar.sensitive_period")
        .values_list("action", flat=True)
        .order_by("id")
    ) == [
        "calendar.sensitive_period.created",
        "calendar.sensitive_period.created",
        "calendar.sensitive_period.deleted",
    ]


def test_override_services_audit_and_refresh_the_calendar_at_once(world):
    from anwen.calendar.rules import is_working_day

    bureau = world.users["bureau"]
    day = date(2026, 3, 10)
    assert is_working_day(day)
    override = services.override_create(
        by=bureau, owner_id=None, day=day, kind="closure", name="暴雨停课"
    )
    assert not is_working_day(day)
    services.override_update(
        by=bureau, override=override, day=day, kind="working", name="暴雨停课取消"
    )
    assert is_working_day(day)
    with pytest.raises(CalendarError):
        services.override_create(by=bureau, owner_id=None, day=day, kind="holiday", name="again")
    services.override_delete(by=bureau, override=override)
    assert is_working_day(day)
    assert list(
        AuditEvent.objects.filter(action__startswith="calendar.override")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["calendar.override.created", "calendar.override.updated", "calendar.override.deleted"]
