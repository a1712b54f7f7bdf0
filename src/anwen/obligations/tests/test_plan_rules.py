"""The plan page (工作计划) shows every declared rule, grouped by the engine that reads it, with
its label and help; those who may edit the plan change them there, through the declaration's
validation, audited; everybody else reads them. `anwen setup` gives a bureau this year's
published plan."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from anwen import calendar
from anwen.audit.models import AuditEvent
from anwen.obligations.models import Plan, PlanRuleValue
from anwen.obligations.plans import (
    IntegerType,
    MonthDay,
    PlanRule,
    declared_rules,
    register_rule,
    rule,
    unregister_rule,
)
from anwen.obligations.services import ObligationError, plan_rules_set
from anwen.obligations.tests.rules import plan_of, rules_post

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=TZ)


def test_every_engine_declares_its_rules_with_the_plans_defaults():
    rules = declared_rules()
    assert rules["fire.form_deadline"].default == calendar.DeadlineRule(5, "calendar")
    assert rules["fire.missing_after_days"].default == 0
    assert rules["duties.letter_due"].default == MonthDay(3, 31)
    assert rules["duties.five_due"].default == MonthDay(11, 30)


def test_without_a_plan_or_a_stored_value_the_default_is_in_force(world):
    assert rule(
        declared_rules()["fire.form_deadline"], org=world.S1, on=date(2026, 5, 1)
    ) == calendar.DeadlineRule(5)
    plan_of(world.B1, 2026)
    assert rule(
        declared_rules()["duties.letter_due"], org=world.S1, on=date(2026, 5, 1)
    ) == MonthDay(3, 31)


def test_the_plan_page_shows_the_rules_by_engine_and_the_bureau_edits_them(world, login):
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        plan = plan_of(world.B1)
        client = login(world.users["bureau"])
        page = client.get("/obligations/plan/")
        body = page.content.decode()
        assert page.context["plan"] == plan
        assert 'id="rules-fire"' in body and 'id="rules-duties"' in body
        assert "消防自查记录表报送时限（天）" in body and "全体教职工须在此日前签订" in body
        response = client.post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(
                plan,
                **{
                    "fire.form_deadline.days": 7,
                    "fire.form_deadline.counting": "working",
                    "duties.five_due": "12-10",
                },
            ),
        )
        assert response.status_code == 302
        assert rule(
            declared_rules()["fire.form_deadline"], org=world.S2, on=date(2026, 6, 1)
        ) == calendar.DeadlineRule(7, "working")
        event = AuditEvent.objects.get(action="obligations.plan.rules_changed")
        assert set(event.data["changes"]) == {"fire.form_deadline", "duties.five_due"}
        assert event.data["changes"]["duties.five_due"] == ["11-30", "12-10"]


def test_a_bad_value_is_refused_in_chinese_and_nothing_is_written(world, login):
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        plan = plan_of(world.B1)
        client = login(world.users["bureau"])
        for field, value in (
            ("fire.form_deadline.days", 999),
            ("duties.letter_due", "02-30"),
            ("fire.missing_after_days", -1),
            ("duties.five_due", "abc"),
        ):
            response = client.post(
                f"/obligations/plan/{plan.pk}/rules/", rules_post(plan, **{field: value})
            )
            assert response.status_code == 400, field
            errors = response.context["rules_form"].errors
            assert list(errors) == [field], (field, errors)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[field][0]), errors
        assert not PlanRuleValue.objects.exists()
        assert not AuditEvent.objects.filter(action="obligations.plan.rules_changed").exists()


def test_a_school_reads_the_rules_and_cannot_change_them(world, login):
    plan = plan_of(world.B1)
    client = login(world.users["school"])
    page = client.get("/obligations/plan/")
    assert page.status_code == 200 and page.context["rules_form"] is None
    assert "消防自查记录表报送时限（天）" in page.content.decode()
    assert (
        client.post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(plan, **{"fire.form_deadline.days": 30}),
        ).status_code
        == 404
    )
    assert client.post(f"/obligations/plan/{plan.pk}/clone/", {"year": 2040}).status_code == 404
    assert not PlanRuleValue.objects.exists() and Plan.objects.count() == 1


def test_another_districts_officer_cannot_touch_the_plan(world, login):
    plan = plan_of(world.B1)
    client = login(world.users["other_bureau"])
    for action, data in (
        ("rules", rules_post(plan, **{"fire.form_deadline.days": 30})),
        ("clone", {"year": 2040}),
        ("publish", {}),
    ):
        assert client.post(f"/obligations/plan/{plan.pk}/{action}/", data).status_code == 404
    assert not PlanRuleValue.objects.exists() and Plan.objects.count() == 1


def test_the_plan_is_in_the_menu_of_those_who_may_edit_it(world, login):
    assert b'href="/obligations/plan/"' in login(world.users["bureau"]).get("/").content
    assert b'href="/obligations/plan/"' not in login(world.users["teacher"]).get("/").content


def test_a_later_engine_declares_a_structured_rule(world):
    from django.core.exceptions import ValidationError

    def bands(value):
        if not (
            isinstance(value, list)
            and all(
                isinstance(b, list) and len(b) == 2 and all(isinstance(n, int) for n in b)
                for b in value
            )
        ):
            raise ValidationError("[[学生数上限, 保安人数], …]")

    from anwen.obligations.plans import JSONType

    staffing = register_rule(
        PlanRule(
            "obligations.test_bands", [[1000, 2], [3000, 4]], type=JSONType(bands), label="保安配备"
        )
    )
    minimum = register_rule(
        PlanRule("obligations.test_minimum", 2, type=IntegerType(1, 10), label="最少次数")
    )
    try:
        plan = plan_of(world.B1, 2026)
        plan_rules_set(plan=plan, by=None, values={"obligations.test_bands": [[500, 1]]})
        assert rule(staffing, org=world.S1, on=date(2026, 3, 1)) == [[500, 1]]
        with pytest.raises(ObligationError, match="保安配备"):
            plan_rules_set(plan=plan, by=None, values={"obligations.test_bands": "many"})
        with pytest.raises(ObligationError, match="最少次数"):
            plan_rules_set(plan=plan, by=None, values={"obligations.test_minimum": 11})
        assert rule(minimum, org=world.S1, on=date(2026, 3, 1)) == 2
    finally:
        unregister_rule("obligations.test_bands")
        unregister_rule("obligations.test_minimum")


@pytest.mark.req("SM2.3")
def test_setup_gives_the_bureau_this_years_published_plan_carrying_last_years_on(world):
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        call_command("setup", "--bureau", "B1")
        plan_2026 = Plan.objects.get(owner=world.B1, year=2026)
        assert plan_2026.is_active
        nine = plan_2026.obligations.filter(category="nine_ones")
        assert nine.count() == 9
        PlanRuleValue.objects.create(plan=plan_2026, key="duties.letter_due", value="04-20")
        nine.filter(code="nine-drill").update(times=2)
    with time_machine.travel(at(date(2027, 1, 4)), tick=False):
        call_command("setup", "--bureau", "B1")
        plan_2027 = Plan.objects.get(owner=world.B1, year=2027)
        assert plan_2027.is_active and plan_2027.name.startswith("2027")
        assert plan_2027.obligations.get(code="nine-drill").times == 2
        assert rule(
            declared_rules()["duties.letter_due"], org=world.S1, on=date(2027, 1, 4)
        ) == MonthDay(4, 20)
        call_command("setup", "--bureau", "B1")
        assert Plan.objects.filter(owner=world.B1).count() == 2


def test_one_published_plan_a_year_per_bureau_and_each_district_reads_its_own(world, login):
    from anwen.obligations.services import plan_publish

    mine = plan_of(world.B1, 2026)
    draft = Plan.objects.create(
        owner=world.B1, year=2026, code="second", name="第二份", is_active=False
    )
    with pytest.raises(ObligationError, match="2026"):
        plan_publish(plan=draft, by=None)
    page = login(world.users["bureau"]).post(f"/obligations/plan/{draft.pk}/publish/", follow=True)
    assert "已有已发布的 2026 年度工作计划" in page.content.decode()
    draft.refresh_from_db()
    assert not draft.is_active
    theirs = plan_of(world.B2, 2026)
    plan_rules_set(plan=theirs, by=None, values={"fire.form_deadline": calendar.DeadlineRule(9)})
    deadline = declared_rules()["fire.form_deadline"]
    assert rule(deadline, org=world.S9, on=date(2026, 5, 1)).days == 9
    assert rule(deadline, org=world.S1, on=date(2026, 5, 1)).days == 5
    assert mine.rule_values.count() == 0


def test_a_refused_save_says_how_many_items_and_opens_on_the_first_in_red(world, login):
    with time_machine.travel(at(date(2026, 6, 1)), tick=False):
        plan = plan_of(world.B1)
        client = login(world.users["bureau"])
        page = client.get("/obligations/plan/").content.decode()
        # A refused save answers this page at the rules, not at the top of the plan.
        assert f'action="/obligations/plan/{plan.pk}/rules/#rules"' in page
        response = client.post(
            f"/obligations/plan/{plan.pk}/rules/",
            rules_post(plan, **{"fire.form_deadline.days": 999, "duties.five_due": "abc"}),
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert "计划规则未保存：请修改下方标红的 2 项" in body
        assert body.count('<ul class="errorlist">') == 2
        assert body.count("autofocus") == 1
        focused = body.split("autofocus", 1)[0].rsplit("<", 1)[1] + body.split("autofocus", 1)[1]
        assert 'name="fire.form_deadline.days"' in focused.split(">", 1)[0] + focused[:300]
