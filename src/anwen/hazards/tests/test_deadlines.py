"""Deadlines come from the yearly plan's rules by grade (and kind), counted on the calendar."""

from datetime import date

import pytest

from anwen import calendar
from anwen.obligations.tests.rules import set_rules


@pytest.mark.day(date(2026, 12, 1))
def test_the_deadline_follows_the_plans_rule_for_the_grade(world, raise_hazard):
    general = raise_hazard()
    major = raise_hazard(title="围墙倾斜", grade="major")
    ageing = raise_hazard(title="配电线路老化", kind="ageing", category="electrical")
    found = date(2026, 12, 1)
    assert general.deadline == calendar.due(found, 30, org=world.S1)
    assert major.deadline == calendar.due(found, 90, org=world.S1)
    assert ageing.deadline == calendar.due(found, 180, org=world.S1)


@pytest.mark.req("SM7.5")
@pytest.mark.day(date(2026, 12, 1))
def test_ageing_systems_are_hazards_with_a_renovation_deadline_from_the_plan(world, raise_hazard):
    set_rules(world.B1, hazards__deadline_renovation=calendar.DeadlineRule(60, "working"))
    ageing = raise_hazard(title="供水管网老化，电网超负荷", kind="ageing", category="electrical")
    assert ageing.deadline == calendar.due(
        date(2026, 12, 1), calendar.DeadlineRule(60, "working"), org=world.S1
    )


@pytest.mark.day(date(2026, 12, 1))
def test_a_changed_rule_in_next_years_plan_changes_next_years_deadlines(world, raise_hazard):
    set_rules(world.B1, year=2026, hazards__deadline_general=calendar.DeadlineRule(30))
    set_rules(world.B1, year=2027, hazards__deadline_general=calendar.DeadlineRule(10, "working"))
    this_year = raise_hazard(found_on=date(2026, 12, 1))
    next_year = raise_hazard(title="楼梯扶手松动", found_on=date(2027, 3, 1))
    assert this_year.deadline == calendar.due(date(2026, 12, 1), 30, org=world.S1)
    assert next_year.deadline == calendar.due(date(2027, 3, 1), 10, "working", org=world.S1)
