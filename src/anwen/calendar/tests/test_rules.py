"""Working days and deadlines against known arrangements of the State Council."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from anwen import calendar
from anwen.calendar.models import DayOverride
from anwen.calendar.rules import (
    DeadlineRule,
    arrangement_published,
    clear_cache,
    due,
    ends_at,
    is_overdue,
    is_working_day,
    next_working_day,
    working_day_on_or_after,
    working_days_between,
)

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL4")]


def test_an_adjusted_sunday_is_a_working_day():
    assert date(2024, 2, 4).weekday() == 6
    assert is_working_day(date(2024, 2, 4))
    assert is_working_day(date(2024, 10, 12))  # a Saturday worked for National Day


def test_national_day_and_its_adjusted_days_are_days_off():
    assert not is_working_day(date(2024, 10, 1))
    assert not is_working_day(date(2024, 10, 7))  # a Monday given as a day off
    assert is_working_day(date(2024, 10, 8))


def test_the_2025_spring_festival_runs_from_new_years_eve_to_february_4():
    off = [
        date(2025, 1, 28),
        date(2025, 1, 29),
        date(2025, 1, 31),
        date(2025, 2, 3),
        date(2025, 2, 4),
    ]
    assert not any(is_working_day(d) for d in off)
    assert is_working_day(date(2025, 1, 26))  # Sunday worked
    assert is_working_day(date(2025, 2, 8))  # Saturday worked
    assert is_working_day(date(2025, 2, 5))


def test_a_plain_weekend_is_not_worked_and_a_plain_weekday_is():
    assert not is_working_day(date(2024, 3, 9))
    assert not is_working_day(date(2024, 3, 10))
    assert is_working_day(date(2024, 3, 11))


def test_the_day_of_the_event_is_not_counted():
    assert due(date(2024, 3, 4), 1) == date(2024, 3, 5)
    assert due(date(2024, 3, 8), 1, "working") == date(2024, 3, 11)  # Friday → Monday


def test_a_calendar_deadline_landing_on_national_day_moves_to_the_next_working_day():
    assert date(2024, 9, 16).toordinal() + 15 == date(2024, 10, 1).toordinal()
    assert due(date(2024, 9, 16), 15) == date(2024, 10, 8)
    # 2025: October 1–8 are off, so the period ends on the 9th.
    assert due(date(2025, 9, 26), 5) == date(2025, 10, 9)


def test_a_calendar_deadline_landing_on_a_weekend_moves_to_monday():
    assert due(date(2024, 3, 4), 5) == date(2024, 3, 11)


def test_a_calendar_deadline_landing_on_an_adjusted_working_saturday_stays():
    assert due(date(2024, 10, 7), 5) == date(2024, 10, 12)


def test_working_days_skip_the_holiday_week_and_count_the_adjusted_saturday():
    # October 1–7 are off; 8, 9, 10, 11 and the worked Saturday 12 are the five days.
    assert due(date(2024, 9, 30), 5, "working") == date(2024, 10, 12)
    assert working_days_between(date(2024, 9, 30), date(2024, 10, 12)) == 5


def test_a_rule_states_how_it_counts_and_due_accepts_it_either_way():
    rule = DeadlineRule(5, "working")
    assert due(date(2024, 9, 30), rule) == due(date(2024, 9, 30), rule=rule)
    assert due(date(2024, 9, 30), rule) == date(2024, 10, 12)
    assert calendar.due(date(2024, 9, 30), DeadlineRule(15)) == due(date(2024, 9, 30), 15)
    with translation.override("en"):
        assert str(DeadlineRule(5, "working")) == "5 working days"
        assert str(DeadlineRule(1)) == "1 day"


def test_a_rule_refuses_nonsense():
    with pytest.raises(ValueError):
        DeadlineRule(-1)
    with pytest.raises(ValueError):
        DeadlineRule(3, "weekly")
    with pytest.raises(TypeError):
        due(date(2024, 1, 1), DeadlineRule(3, "working"), "calendar")
    with pytest.raises(TypeError):
        due(date(2024, 1, 1))


def test_an_event_time_counts_from_its_local_day():
    # 16:30 UTC on September 30 is half past midnight on October 1 in China.
    late = datetime(2024, 9, 30, 16, 30, tzinfo=UTC)
    assert due(late, 1, "working") == due(date(2024, 10, 1), 1, "working") == date(2024, 10, 8)


def test_next_working_day_is_strictly_after_and_on_or_after_may_be_the_day_itself():
    assert next_working_day(date(2024, 3, 11)) == date(2024, 3, 12)
    assert next_working_day(date(2024, 9, 30)) == date(2024, 10, 8)
    assert working_day_on_or_after(date(2024, 3, 11)) == date(2024, 3, 11)
    assert working_day_on_or_after(date(2024, 3, 9)) == date(2024, 3, 11)


def test_a_period_runs_out_at_the_end_of_its_last_day():
    last = date(2024, 10, 8)
    assert ends_at(last).isoformat() == "2024-10-09T00:00:00+08:00"
    assert not is_overdue(last, now=datetime(2024, 10, 8, 15, 59, tzinfo=UTC))  # 23:59 local
    assert is_overdue(last, now=datetime(2024, 10, 8, 16, 0, tzinfo=UTC))


def test_the_package_knows_which_arrangements_are_published():
    assert arrangement_published(2024)
    assert not arrangement_published(2100)


def test_an_override_wins_over_the_package_once_the_cache_is_cleared():
    assert not is_working_day(date(2024, 10, 1))
    assert is_working_day(date(2024, 10, 8))
    DayOverride.objects.create(date=date(2024, 10, 1), kind="working", name="test")
    DayOverride.objects.create(date=date(2024, 10, 8), kind="closure", name="flood")
    # The year was read before the rows existed: the cache still answers the old way.
    assert not is_working_day(date(2024, 10, 1))
    clear_cache()
    assert is_working_day(date(2024, 10, 1))
    assert not is_working_day(date(2024, 10, 8))
    assert due(date(2024, 9, 16), 15) == date(2024, 10, 1)


def test_an_override_can_make_a_weekend_a_working_day_or_a_weekday_a_holiday():
    DayOverride.objects.create(date=date(2027, 2, 20), kind="working", name="调休")
    DayOverride.objects.create(date=date(2027, 2, 22), kind="holiday", name="春节")
    assert is_working_day(date(2027, 2, 20))
    assert not is_working_day(date(2027, 2, 22))


def test_a_year_is_read_from_the_database_once(django_assert_num_queries):
    with django_assert_num_queries(1):
        due(date(2024, 1, 2), 200, "working")
        due(date(2024, 3, 1), 100)
        assert is_working_day(date(2024, 2, 4))
