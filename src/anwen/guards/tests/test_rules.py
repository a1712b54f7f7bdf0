"""The staffing norm is a rule of the yearly plan (SM3.2): bands by students, extras for gates,
a large and a complex (boarding) campus; a changed plan value changes the required number."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from anwen.guards.rules import (
    DEFAULT_STAFFING,
    STAFFING,
    TRAINING_FROM,
    autumn_start,
    check_staffing,
    required_guards,
)
from anwen.obligations.plans import MonthDay, rule
from anwen.obligations.services import ObligationError
from anwen.obligations.tests.rules import set_rules


@dataclass
class Campus:
    enrolment: int
    gates: int = 1
    area_m2: int = 5000
    boarding: bool = False


@pytest.mark.req("SM3.2")
def test_the_bands_by_students_follow_the_practice():
    need = [
        required_guards(Campus(n), STAFFING.default)
        for n in (0, 60, 99, 100, 999, 1000, 1499, 1500, 2600)
    ]
    assert need == [1, 1, 1, 2, 2, 3, 3, 4, 6]


@pytest.mark.req("SM3.2")
def test_gates_a_large_and_a_complex_campus_need_more():
    norm = STAFFING.default
    assert required_guards(Campus(820, gates=3), norm) == 2 + 2  # two gates beyond the first
    assert required_guards(Campus(820, area_m2=50000), norm) == 2  # not above the limit
    assert required_guards(Campus(820, area_m2=50010), norm) == 3
    assert required_guards(Campus(820, boarding=True), norm) == 3
    assert required_guards(Campus(2600, gates=4, area_m2=90000, boarding=True), norm) == 11


@pytest.mark.req("SM3.2")
def test_another_norm_gives_other_numbers():
    norm = dict(
        DEFAULT_STAFFING,
        bands=[[50, 1], [600, 3]],
        base=4,
        step=400,
        per_extra_gate=2,
        large_area_m2=0,  # no extra for a large campus
        boarding_extra=3,
    )
    assert required_guards(Campus(40), norm) == 1
    assert required_guards(Campus(599), norm) == 3
    assert required_guards(Campus(1400), norm) == 4 + 2
    assert required_guards(Campus(820, gates=2, area_m2=99999, boarding=True), norm) == 4 + 2 + 3


@pytest.mark.req("SM3.2")
def test_the_plan_value_in_force_decides(world):
    assert rule(STAFFING, org=world.S1, on=date(2026, 12, 1)) == DEFAULT_STAFFING
    changed = dict(DEFAULT_STAFFING, bands=[[100, 1], [500, 2]], base=4)
    set_rules(world.B1, year=2026, guards__staffing=changed)
    value = rule(STAFFING, org=world.S1, on=date(2026, 12, 1))
    assert required_guards(world.S1.school, value) == 4 + (820 - 500) // 500
    # The other district keeps the default.
    assert rule(STAFFING, org=world.S9, on=date(2026, 12, 1)) == DEFAULT_STAFFING


@pytest.mark.parametrize(
    "value",
    [
        "many",
        [[100, 1]],
        dict(DEFAULT_STAFFING, bands=[[1000, 2], [100, 1]]),  # limits not rising
        dict(DEFAULT_STAFFING, bands=[]),
        dict(DEFAULT_STAFFING, step=0),
        dict(DEFAULT_STAFFING, base=-1),
        dict(DEFAULT_STAFFING, boarding_extra=True),
        {k: v for k, v in DEFAULT_STAFFING.items() if k != "base"},
    ],
)
def test_a_norm_the_counting_cannot_read_is_refused(value):
    with pytest.raises(ValidationError):
        check_staffing(value)


def test_the_plan_refuses_a_bad_norm_with_a_message(world):
    with pytest.raises(ObligationError):
        set_rules(world.B1, year=2026, guards__staffing={"bands": "many"})
    assert rule(STAFFING, org=world.S1, on=date(2026, 12, 1)) == DEFAULT_STAFFING


def test_the_autumn_season_starts_on_the_plans_day():
    sept = TRAINING_FROM.default
    assert sept == MonthDay(9, 1)
    assert autumn_start(date(2026, 12, 1), sept) == date(2026, 9, 1)
    assert autumn_start(date(2026, 9, 1), sept) == date(2026, 9, 1)
    assert autumn_start(date(2027, 3, 10), sept) == date(2026, 9, 1)
