"""The demo has the semesters of the school year around the day it runs, whatever that day:
the shipped defaults end on 2027-07-02, and a demo started later had no semester at all (no
fire self-checks, no semester rhythm)."""

from datetime import date, timedelta

import pytest

from anwen import calendar
from anwen.calendar.models import Semester
from anwen.demo.history import ensure_semesters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "today",
    [date(2026, 12, 1), date(2027, 8, 15), date(2028, 10, 9), date(2031, 2, 28)],
)
def test_the_demo_covers_the_school_year_around_its_day(today):
    ensure_semesters(today)
    # The year before (a year of hazards, the last two fire self-checks) and the running one.
    begun = calendar.semesters_between(today - timedelta(days=400), today)
    assert len(begun) >= 2
    if today.month not in (7, 8):  # the summer vacation lies in no semester
        assert calendar.semester_of(today) is not None
    # Shipped dates are kept; only missing years are added, and twice adds nothing.
    assert Semester.objects.get(name="2025-2026学年第一学期").start == date(2025, 9, 1)
    count = Semester.objects.count()
    assert ensure_semesters(today) == []
    assert Semester.objects.count() == count
    assert not Semester.objects.filter(is_default=False).exists()


@pytest.mark.day(date(2031, 2, 28))
def test_the_demo_history_under_a_future_clock_has_fire_self_checks():
    import random

    from django.utils import timezone

    from anwen.demo.district import build_district
    from anwen.fire import demo as fire_demo
    from anwen.fire.models import FireSelfCheck
    from anwen.obligations import demo as obligations_demo

    today = timezone.localdate()
    district = build_district(schools=12, seed=3)
    ensure_semesters(today)
    obligations_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(1))
    fire_demo.load_demo(bureau=district.bureau, today=today, rng=random.Random(2))
    assert FireSelfCheck.objects.exists()
