"""Completion and timeliness per school and per centre, for a day, week, month, semester and year,
checked against a small history counted by hand; scoped to what the user may see; computed by
the database in a fixed number of queries whatever the history."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anwen.obligations import selectors
from anwen.obligations.services import ensure_periods, records_bulk_add
from anwen.obligations.tests.conftest import at

pytestmark = pytest.mark.django_db

OCT = [date(2026, 10, d) for d in range(1, 32)]
AFTER = date(2026, 11, 20)  # every October period is past its due day


def _row(kind, org, day, submitted):
    return {
        "kind": kind,
        "org_id": org.pk,
        "subject_id": 0,
        "occurred_on": day,
        "submitted_at": submitted,
        "by_id": None,
        "source": None,
    }


@pytest.fixture
def october(world, make_obligation):
    """A daily gate log and a weekly information report, owed from 1 October 2026.

    S1 does everything on time. S2 logs 1–20 October on time, 21–25 late, misses 26–31, and
    never reports. S3 logs 1–10 October and reports only in the week of 5 October."""
    daily = make_obligation("gate-log", record_kind="routine.gate_log", frequency="daily")
    weekly = make_obligation("info", record_kind="routine.info_report", frequency="weekly")
    ensure_periods(through=date(2026, 10, 31))
    rows = []
    for d in OCT:
        rows.append(_row("routine.gate_log", world.S1, d, at(d)))
        if d.day <= 20:
            rows.append(_row("routine.gate_log", world.S2, d, at(d)))
        elif d.day <= 25:
            rows.append(_row("routine.gate_log", world.S2, d, at(d + timedelta(days=12))))
        if d.day <= 10:
            rows.append(_row("routine.gate_log", world.S3, d, at(d)))
    for monday in (
        date(2026, 9, 28),
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
    ):
        rows.append(_row("routine.info_report", world.S1, monday, at(monday)))
    rows.append(_row("routine.info_report", world.S3, date(2026, 10, 6), at(date(2026, 10, 6))))
    records_bulk_add(rows)
    return daily, weekly


def _figures(rows):
    return {r.name: (r.expected, r.done, r.on_time, r.late, r.missed, r.open) for r in rows}


def _window_figures(user, kind, day, today=AFTER, group="school"):
    win = selectors.window(kind, day)
    return _figures(
        selectors.completion(user=user, start=win.start, end=win.end, group=group, today=today)
    )


@pytest.mark.req("OG3.1", "SM2.2")
def test_month_figures_per_school_match_the_hand_count(world, october):
    # October: 31 daily periods and the 4 weeks that start in October (28 Sep belongs to
    # September: a period counts in the window it starts in).
    assert _window_figures(world.bureau, "month", date(2026, 10, 15)) == {
        world.S1.name: (35, 35, 35, 0, 0, 0),
        world.S2.name: (35, 25, 20, 5, 10, 0),
        world.S3.name: (35, 11, 11, 0, 24, 0),
    }


@pytest.mark.req("OG3.1")
def test_month_figures_per_centre_add_up_their_schools(world, october):
    rows = selectors.completion(
        user=world.bureau,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        group="centre",
        today=AFTER,
    )
    assert _figures(rows) == {
        world.C1.name: (70, 60, 55, 5, 10, 0),
        world.C2.name: (35, 11, 11, 0, 24, 0),
    }
    c1 = next(r for r in rows if r.key == world.C1.pk)
    assert (c1.due, c1.rate_pct, c1.timeliness_pct) == (70, 86, 79)


@pytest.mark.req("OG3.1")
def test_schools_directly_under_the_bureau_are_named_as_such_not_as_a_centre(world, october):
    from anwen.orgs.services import org_update

    org_update(org=world.S3, parent=world.B1)
    rows = selectors.completion(
        user=world.bureau,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        group="centre",
        today=AFTER,
    )
    names = {r.key: r.name for r in rows}
    assert names[world.B1.pk] == "区教委直属学校"
    assert names[world.C1.pk] == world.C1.name


@pytest.mark.req("OG3.1")
def test_day_week_semester_and_year_figures(world, october):
    # Thursday 22 October: daily periods only. S2 logged it late, S3 not at all.
    assert _window_figures(world.bureau, "day", date(2026, 10, 22)) == {
        world.S1.name: (1, 1, 1, 0, 0, 0),
        world.S2.name: (1, 1, 0, 1, 0, 0),
        world.S3.name: (1, 0, 0, 0, 1, 0),
    }
    # Monday 26 October: the day's log and the week that starts that day.
    assert _window_figures(world.bureau, "day", date(2026, 10, 26)) == {
        world.S1.name: (2, 2, 2, 0, 0, 0),
        world.S2.name: (2, 0, 0, 0, 2, 0),
        world.S3.name: (2, 0, 0, 0, 2, 0),
    }
    # Week 5–11 October: 7 days and the week itself; S3 missed Sunday the 11th.
    assert _window_figures(world.bureau, "week", date(2026, 10, 8)) == {
        world.S1.name: (8, 8, 8, 0, 0, 0),
        world.S2.name: (8, 7, 7, 0, 1, 0),
        world.S3.name: (8, 7, 7, 0, 1, 0),
    }
    # The autumn semester (1 Sep 2026 – 22 Jan 2027) and the year 2026 also hold the week of
    # 28 September.
    expected = {
        world.S1.name: (36, 36, 36, 0, 0, 0),
        world.S2.name: (36, 25, 20, 5, 11, 0),
        world.S3.name: (36, 11, 11, 0, 25, 0),
    }
    assert selectors.window("semester", date(2026, 10, 8)).start == date(2026, 9, 1)
    assert _window_figures(world.bureau, "semester", date(2026, 10, 8)) == expected
    assert _window_figures(world.bureau, "year", date(2026, 10, 8)) == expected


@pytest.mark.req("OG3.1")
def test_periods_not_yet_due_are_open_and_not_held_against_the_school(world, october):
    # Seen on 20 October: S3's days 11–19 and the week of 12 October are missed; from the
    # 20th on (and the weeks of 19 and 26 October) they are still open.
    figures = _window_figures(world.centre2, "month", date(2026, 10, 1), today=date(2026, 10, 20))
    assert figures == {world.S3.name: (35, 11, 11, 0, 10, 14)}
    row = selectors.completion(
        user=world.centre2,
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
        today=date(2026, 10, 20),
    )[0]
    assert (row.due, row.rate_pct) == (21, 52)


@pytest.mark.req("OG3.1", "PL2")
def test_each_user_sees_only_the_schools_of_his_scope(world, october):
    def names(user, group="school"):
        return set(_window_figures(user, "month", date(2026, 10, 1), group=group))

    assert names(world.centre) == {world.S1.name, world.S2.name}
    assert names(world.centre2) == {world.S3.name}
    assert names(world.school) == {world.S1.name}
    assert names(world.bureau, "centre") == {world.C1.name, world.C2.name}
    assert names(world.other_bureau) == set()
    # A teacher's role does not show the school's obligations (no obligations.view).
    assert names(world.teacher) == set()


@pytest.mark.req("OG3.1")
def test_one_school_per_obligation_and_its_missed_periods(world, october):
    daily, weekly = october
    rows = selectors.org_obligations(
        org=world.S2, start=date(2026, 10, 1), end=date(2026, 10, 31), today=AFTER
    )
    assert [(r.name, r.expected, r.done, r.late, r.missed) for r in rows] == [
        ("gate-log", 31, 25, 5, 6),
        ("info", 4, 0, 0, 4),
    ]
    missed = selectors.missed_periods(
        org=world.S2, start=date(2026, 10, 1), end=date(2026, 10, 31), today=AFTER
    )
    assert len(missed) == 10 and missed[0].start == date(2026, 10, 31)


@pytest.mark.req("OG3.1")
def test_the_assessment_reads_the_same_figures_by_obligation_code(world, october):
    figures = selectors.completion_for_orgs(
        [world.S1.pk, world.S2.pk, world.S3.pk],
        date(2026, 10, 1),
        date(2026, 10, 31),
        obligation_codes=["gate-log"],
        today=AFTER,
    )
    assert {k: (v.expected, v.done, v.on_time) for k, v in figures.items()} == {
        world.S1.pk: (31, 31, 31),
        world.S2.pk: (31, 25, 20),
        world.S3.pk: (31, 10, 10),
    }


def test_the_completion_query_count_does_not_grow_with_history(world, make_obligation):
    make_obligation("gate-log", frequency="daily", starts_on=date(2026, 1, 1))

    def count_queries():
        selectors.completion(
            user=world.bureau, start=date(2026, 1, 1), end=date(2026, 12, 31), group="centre"
        )
        with CaptureQueriesContext(connection) as queries:
            selectors.completion(
                user=world.bureau, start=date(2026, 1, 1), end=date(2026, 12, 31), group="centre"
            )
        return len(queries)

    ensure_periods(through=date(2026, 1, 10))
    short = count_queries()
    ensure_periods(through=date(2026, 11, 10))
    records_bulk_add(
        [
            _row(
                "routine.gate_log",
                world.S1,
                date(2026, 1, 1) + timedelta(days=i),
                at(date(2026, 1, 1) + timedelta(days=i)),
            )
            for i in range(300)
        ]
    )
    assert count_queries() == short == 1


def test_windows_around_a_day():
    assert selectors.window("week", date(2026, 11, 29)).start == date(2026, 11, 23)
    assert selectors.window("month", date(2026, 2, 10)).end == date(2026, 2, 28)
    # In the summer vacation the semester is the one that just ended.
    summer = selectors.window("semester", date(2026, 8, 1))
    assert (summer.start, summer.end) == (date(2026, 3, 5), date(2026, 7, 1))
    assert selectors.window("year", date(2026, 5, 5)).end == date(2026, 12, 31)
