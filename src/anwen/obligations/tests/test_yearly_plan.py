"""The yearly plan as the one home of every number: a bureau clones this year's plan to next
year, changes a number and an obligation's rhythm in it, publishes it; next year's figures
follow the new plan and this year's keep being computed with this year's."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from anwen import calendar
from anwen.audit.models import AuditEvent
from anwen.fire import services as fire
from anwen.fire.models import CheckStatus
from anwen.fire.rules import FORM_DEADLINE
from anwen.fire.tests.conftest import scan_pdf
from anwen.fire.tests.helpers import run_check
from anwen.obligations import plan2021, selectors
from anwen.obligations.models import Obligation, Period, Plan, PlanRuleValue
from anwen.obligations.plans import rule
from anwen.obligations.services import ensure_periods, plan_load, record_add
from anwen.obligations.tests.rules import rules_post
from anwen.obligations.todo import waiting_on

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
LESSONS = "nine-safety-lessons"  # 九个一: a monthly safety lesson in plan 2021


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def late_under_five_on_time_under_seven(checked: date) -> date:
    """The day after the form's 5-day deadline, still within 7 days (by the calendar)."""
    after_five = calendar.due(checked, calendar.DeadlineRule(5)) + timedelta(days=1)
    assert after_five <= calendar.due(checked, calendar.DeadlineRule(7)), checked
    return after_five


def lessons_plan_2026(world) -> Plan:
    items = [dict(i) for i in plan2021.OBLIGATIONS if i["code"] == LESSONS]
    return plan_load(owner=world.B1, year=2026, starts_on=date(2026, 1, 1), items=items)


@pytest.mark.req("SM2.3", "PL4")
def test_next_years_plan_moves_next_years_figures_and_leaves_this_years(world, login):
    from anwen.inspections.services import standard_templates_load

    bureau, officer = world.users["bureau"], world.users["school"]
    as_of = date(2027, 12, 31)  # one fixed "today" for comparing the years' figures
    # --- 2026: the plan in force says 5 days for the fire form, a safety lesson a month -----
    checked_2026 = date(2026, 4, 8)
    with time_machine.travel(at(checked_2026), tick=False):
        standard_templates_load(owner=world.B1)
        plan_2026 = lessons_plan_2026(world)
        ensure_periods(through=checked_2026)
        for day in (date(2026, 3, 10), date(2026, 3, 17)):  # two lessons a month
            record_add(
                kind="routine.safety_lesson",
                org=world.S1,
                occurred_on=day,
                by=officer,
                submitted_at=at(day),
            )
        check_2026 = run_check(world, checked_on=checked_2026)
    assert check_2026.form_due == calendar.due(checked_2026, calendar.DeadlineRule(5))
    with time_machine.travel(at(late_under_five_on_time_under_seven(checked_2026)), tick=False):
        fire.fire_form_receive(check=check_2026, upload=scan_pdf(), by=officer)
    check_2026.refresh_from_db()
    assert check_2026.status == CheckStatus.LATE

    # --- December 2026: the bureau clones the plan to 2027, edits and publishes it --------------
    with time_machine.travel(at(date(2026, 12, 15)), tick=False):
        ensure_periods(through=date(2026, 12, 15))
        before = selectors.completion_for_orgs(
            [world.S1.pk], date(2026, 1, 1), date(2026, 12, 31), today=as_of
        )[world.S1.pk]
        client = login(bureau)
        page = client.get(f"/obligations/plan/?plan={plan_2026.pk}")
        assert "2026" in page.context["plan"].name
        assert re.search(r"<title>[^<]*2026[^<]*</title>", page.content.decode())
        assert not re.search(r"<title>[^<]*2021", page.content.decode())
        response = client.post(f"/obligations/plan/{plan_2026.pk}/clone/", {"year": 2027})
        plan_2027 = Plan.objects.get(owner=world.B1, year=2027)
        assert response.status_code == 302 and not plan_2027.is_active
        assert plan_2027.name == plan2021.plan_name(2027)
        # A draft is in force nowhere: 2027 still reads the 2026 plan.
        assert rule(FORM_DEADLINE, org=world.S1, on=date(2027, 4, 1)).days == 5
        response = client.post(
            f"/obligations/plan/{plan_2027.pk}/rules/",
            rules_post(plan_2027, **{"fire.form_deadline.days": 7}),
        )
        assert response.status_code == 302
        lessons_2027 = plan_2027.obligations.get(code=LESSONS)
        edit = client.get(f"/obligations/plan/{lessons_2027.pk}/").context["form"]
        data = {
            k: v for k, v in edit.initial.items() if v is not None and v is not False and v != []
        }
        data.update(frequency="weekly", times=1)
        assert client.post(f"/obligations/plan/{lessons_2027.pk}/", data).status_code == 302
        assert client.post(f"/obligations/plan/{plan_2027.pk}/publish/").status_code == 302
        plan_2027.refresh_from_db()
        assert plan_2027.is_active
        title = client.get(f"/obligations/plan/?plan={plan_2027.pk}").content.decode()
        assert "2027 年度工作计划" in title
    assert AuditEvent.objects.filter(
        action="obligations.plan.rules_changed", object_id=str(plan_2027.pk)
    ).exists()
    assert rule(FORM_DEADLINE, org=world.S1, on=date(2026, 6, 1)).days == 5
    assert rule(FORM_DEADLINE, org=world.S1, on=date(2027, 6, 1)).days == 7

    # --- 2027: the new plan's numbers apply ---------------------------------------------------
    checked_2027 = date(2027, 4, 14)
    with time_machine.travel(at(checked_2027), tick=False):
        ensure_periods(through=checked_2027)  # the tick
        check_2027 = run_check(world, checked_on=checked_2027)
        record_add(kind="routine.safety_lesson", org=world.S1, occurred_on=checked_2027, by=officer)
        # The nine ones are recurring tasks: this week's lesson is done; the officer is asked
        # for it next week by the plan's name for it.
    assert check_2027.form_due == calendar.due(checked_2027, calendar.DeadlineRule(7))
    with time_machine.travel(at(late_under_five_on_time_under_seven(checked_2027)), tick=False):
        fire.fire_form_receive(check=check_2027, upload=scan_pdf(), by=officer)
    check_2027.refresh_from_db()
    assert check_2027.status == CheckStatus.ON_TIME
    check_2026.refresh_from_db()
    assert check_2026.status == CheckStatus.LATE  # judged by 2026's plan, and stays so

    # The obligation's periods follow each year's frequency: monthly in 2026, weekly in 2027.
    periods = Period.objects.filter(org=world.S1, obligation__code=LESSONS)
    in_2026 = periods.filter(start__year=2026)
    in_2027 = periods.filter(start__year=2027)
    assert {p.obligation.plan_id for p in in_2026} == {plan_2026.pk}
    assert {p.obligation.plan_id for p in in_2027} == {plan_2027.pk}
    assert in_2026.count() == 12 and all(p.end.day >= 28 for p in in_2026)
    assert in_2027.count() == 15  # the Mondays 4 January … 12 April 2027
    assert all((p.end - p.start).days == 6 for p in in_2027)
    assert in_2027.get(start=date(2027, 4, 12)).done_at is not None
    after = selectors.completion_for_orgs(
        [world.S1.pk], date(2026, 1, 1), date(2026, 12, 31), today=as_of
    )[world.S1.pk]
    assert (
        (after.expected, after.done, after.on_time, after.missed)
        == (before.expected, before.done, before.on_time, before.missed)
        == (12, 1, 1, 11)
    )
    with time_machine.travel(at(date(2027, 4, 20)), tick=False):
        ensure_periods(through=date(2027, 4, 20))
        todo = [
            t
            for t in waiting_on(officer, today=date(2027, 4, 20))
            if t.kind == "obligations.routine.safety_lesson"
        ]
        assert [t.title for t in todo] == [lessons_2027.name]
        assert todo[0].due == in_2027.get(start=date(2027, 4, 19)).due
        # The log form offers it once, though both years' plans owe it.
        form = login(officer).get(f"/obligations/log/?org={world.S1.pk}").context["form"]
        assert [k for k, _label in form.fields["kind"].choices] == ["routine.safety_lesson"]
        # The board's filter names the duty once; each year's window counts that year's plan.
        board = login(officer)
        for day, expected in ((date(2026, 6, 1), 12), (date(2027, 6, 1), 16)):
            rows = board.get(
                f"/obligations/?period=year&date={day.isoformat()}&obligation={lessons_2027.pk}"
            ).context["rows"]
            assert [r.expected for r in rows] == [expected], day


def test_a_bureau_clones_and_publishes_with_the_command(world):
    with time_machine.travel(at(date(2026, 12, 10)), tick=False):
        plan_2026 = lessons_plan_2026(world)
        PlanRuleValue.objects.create(
            plan=plan_2026, key="fire.form_deadline", value={"days": 6, "counting": "working"}
        )
        call_command("plan", "clone", "--bureau", "B1", "--from", "2026", "--to", "2027")
        copy = Plan.objects.get(owner=world.B1, year=2027)
        assert not copy.is_active
        assert copy.rule_values.get(key="fire.form_deadline").value == {
            "days": 6,
            "counting": "working",
        }
        assert list(copy.obligations.values_list("code", "starts_on")) == [
            (LESSONS, date(2027, 1, 1))
        ]
        call_command("plan", "publish", "--bureau", "B1", "--year", "2027")
        copy.refresh_from_db()
        assert copy.is_active
        assert rule(FORM_DEADLINE, org=world.S1, on=date(2027, 3, 1)) == calendar.DeadlineRule(
            6, "working"
        )


def test_a_second_clone_to_the_same_year_is_refused(world, login):
    with time_machine.travel(at(date(2026, 12, 10)), tick=False):
        plan_2026 = lessons_plan_2026(world)
        client = login(world.users["bureau"])
        assert (
            client.post(f"/obligations/plan/{plan_2026.pk}/clone/", {"year": 2027}).status_code
            == 302
        )
        again = client.post(f"/obligations/plan/{plan_2026.pk}/clone/", {"year": 2027})
        assert again.status_code == 400
        assert "已有 2027 年度工作计划" in again.content.decode()
        assert Plan.objects.filter(owner=world.B1, year=2027).count() == 1
        assert Obligation.objects.filter(plan__year=2027).count() == 1
