"""Properties of `due` over 2020–2027, whatever the start day and the length."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anwen.calendar.rules import due, is_working_day, working_days_between

pytestmark = [pytest.mark.django_db, pytest.mark.req("PL4")]

FAST = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 6, 30))
lengths = st.integers(min_value=0, max_value=60)
countings = st.sampled_from(["calendar", "working"])


@FAST
@given(start=starts, days=st.integers(min_value=1, max_value=60), counting=countings)
def test_a_deadline_of_at_least_one_day_never_falls_on_a_day_off(start, days, counting):
    assert is_working_day(due(start, days, counting))


@FAST
@given(start=starts, days=lengths)
def test_a_working_day_deadline_has_exactly_its_days_in_the_period(start, days):
    end = due(start, days, "working")
    assert working_days_between(start, end) == days
    assert end == start or is_working_day(end)


@FAST
@given(a=starts, b=starts, days=lengths, counting=countings)
def test_a_later_start_never_gives_an_earlier_deadline(a, b, days, counting):
    a, b = min(a, b), max(a, b)
    assert due(a, days, counting) <= due(b, days, counting)


@FAST
@given(start=starts, m=lengths, n=lengths, counting=countings)
def test_more_days_never_give_an_earlier_deadline(start, m, n, counting):
    m, n = min(m, n), max(m, n)
    assert due(start, m, counting) <= due(start, n, counting)


@FAST
@given(start=starts, days=lengths)
def test_a_calendar_deadline_is_the_first_working_day_from_the_plain_count(start, days):
    end = due(start, days)
    plain = date.fromordinal(start.toordinal() + days)
    assert end >= plain
    assert all(
        not is_working_day(date.fromordinal(d)) for d in range(plain.toordinal(), end.toordinal())
    )
