"""Plan 2021 is data: loaded idempotently, shown as a table, edited by the bureau without code —
including the nine ones, which ship as a default list for the bureau to confirm."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.obligations import plan2021
from anwen.obligations.models import Frequency, Obligation, Period, Plan, Target
from anwen.obligations.registry import is_loggable, kind
from anwen.obligations.services import (
    ObligationError,
    ensure_periods,
    obligation_update,
    plan_load,
    record_add,
)
from anwen.obligations.tests.conftest import at

pytestmark = pytest.mark.django_db


def test_plan_2021_lists_the_plans_rhythms_with_their_clauses():
    by_code = {o["code"]: o for o in plan2021.OBLIGATIONS}
    expected = {
        "area-daily": ("inspections.area_daily", "working_daily"),
        "office-weekly": ("inspections.office_weekly", "weekly"),
        "leadership-monthly": ("inspections.leadership_monthly", "monthly"),
        "fire-self-check": ("fire.self_check", "semester"),
        "night-patrol": ("patrol.round", "daily"),
        "responsibility-letter": ("duties.letter", "yearly"),
        "five-in-place": ("duties.five_in_place", "yearly"),
        "public-commitment": ("duties.commitment", "semester"),
        "safety-meeting": ("routine.safety_meeting", "monthly"),
        "holiday-duty": ("routine.holiday_duty", "sensitive_daily"),
        "gate-duty": ("routine.gate_duty", "working_daily"),
        "campus-patrol": ("routine.campus_patrol", "daily"),
        "gate-log": ("routine.gate_log", "daily"),
        "dorm-check": ("routine.dorm_check", "daily"),
        "home-visit": ("routine.home_visit", "semester"),
        "info-report": ("routine.info_report", "weekly"),
    }
    for code, (record_kind, frequency) in expected.items():
        assert (by_code[code]["record_kind"], by_code[code]["frequency"]) == (
            record_kind,
            frequency,
        )
        assert "（二" in by_code[code]["description"] or "（三" in by_code[code]["description"]
    assert by_code["area-daily"]["per_subject"] == "inspections.grid_area"
    assert by_code["responsibility-letter"]["per_subject"] == "duties.staff"
    assert by_code["dorm-check"]["boarding_only"] is True
    assert by_code["fire-self-check"]["due_days"] == 5


@pytest.mark.req("SM2.3")
def test_the_nine_ones_are_nine_loggable_defaults_marked_for_confirmation():
    nine = [o for o in plan2021.OBLIGATIONS if o.get("category") == "nine_ones"]
    assert len(nine) == 9
    assert all(o["is_default"] for o in nine)
    assert len({o["record_kind"] for o in nine}) == 9
    for o in nine:
        registered = kind(o["record_kind"])
        assert registered is not None and registered.loggable


@pytest.mark.req("SM2.4")
def test_the_routine_systems_are_registered_as_loggable_kinds():
    for code in (
        "routine.safety_meeting",
        "routine.holiday_duty",
        "routine.gate_duty",
        "routine.campus_patrol",
        "routine.gate_log",
        "routine.dorm_check",
        "routine.home_visit",
        "routine.info_report",
    ):
        assert kind(code).loggable, code
    assert not is_loggable("inspections.area_daily")


def test_loading_the_plan_twice_adds_nothing_and_keeps_the_bureaus_edits(world):
    plan = plan_load(owner=world.B1, by=world.admin, starts_on=date(2026, 9, 1))
    assert plan.obligations.count() == len(plan2021.OBLIGATIONS)
    meeting = plan.obligations.get(code="safety-meeting")
    obligation_update(obligation=meeting, by=world.bureau, changes={"times": 2})
    plan.obligations.get(code="gate-log").delete()
    again = plan_load(owner=world.B1, starts_on=date(2026, 10, 1))
    assert again.pk == plan.pk
    assert again.obligations.count() == len(plan2021.OBLIGATIONS)
    assert again.obligations.get(code="safety-meeting").times == 2
    assert again.obligations.get(code="gate-log").starts_on == date(2026, 10, 1)
    assert AuditEvent.objects.filter(action="obligations.plan.loaded").count() == 2
    plan_load(owner=world.B1, year=2026)
    assert AuditEvent.objects.filter(action="obligations.plan.loaded").count() == 2


def test_a_bad_item_is_refused_with_its_code(world):
    with pytest.raises(ObligationError, match="bad"):
        plan_load(
            owner=world.B1,
            code="x",
            items=[{"code": "bad", "name": "x", "record_kind": "routine.x", "frequency": "hourly"}],
        )


def test_the_command_loads_the_plan_for_the_named_bureau(world, capsys):
    call_command("plan", "load", "--bureau", "B1", "--starts-on", "2026-09-01")
    plan = Plan.objects.get(owner=world.B1, year=2026, is_active=True)
    assert plan.obligations.filter(starts_on=date(2026, 9, 1)).count() == len(plan2021.OBLIGATIONS)
    assert plan2021.plan_name(2026) in capsys.readouterr().out
    call_command("plan", "ensure", "--through", "2026-09-02")
    assert Period.objects.filter(org=world.S3, obligation__code="dorm-check").count() == 2


@pytest.mark.req("SM2.3")
def test_the_bureau_changes_a_nine_ones_duty_on_the_plan_page_and_the_rhythm_follows(world, login):
    today = timezone.localdate()
    plan = plan_load(owner=world.B1, starts_on=today - timedelta(days=20))
    ensure_periods(through=today)
    lessons = plan.obligations.get(code="nine-safety-lessons")
    assert lessons.frequency == Frequency.MONTHLY and lessons.times == 2
    client = login(world.bureau)
    page = client.get("/obligations/plan/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "九个一：每月安全法治教育课" in body and f"/obligations/plan/{lessons.pk}/" in body
    response = client.post(
        f"/obligations/plan/{lessons.pk}/",
        {
            "name": "九个一：每周安全法治教育课",
            "description": lessons.description,
            "frequency": "weekly",
            "times": "1",
            "due_days": "0",
            "due_counting": "calendar",
            "org_kind": "school",
            "school_types": ["primary", "middle"],
            "role": "safety_officer",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    lessons.refresh_from_db()
    assert (lessons.frequency, lessons.times, lessons.school_types) == (
        "weekly",
        1,
        ["primary", "middle"],
    )
    # From today the duty is weekly, and only primary and middle schools owe it.
    current = Period.objects.filter(obligation=lessons, start__lte=today, end__gte=today)
    assert {p.org.code for p in current} == {"S1", "S3"}
    assert all((p.end - p.start).days == 6 for p in current)
    assert not Target.objects.get(obligation=lessons, org=world.S2).is_active
    assert AuditEvent.objects.filter(action="obligations.obligation.updated").exists()


def test_bad_input_on_the_plan_page_keeps_what_was_typed(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    meeting = plan.obligations.get(code="safety-meeting")
    client = login(world.bureau)
    response = client.post(
        f"/obligations/plan/{meeting.pk}/",
        {
            "name": "安全例会（修改）",
            "frequency": "monthly",
            "times": "0",
            "due_days": "abc",
            "due_counting": "working",
            "org_kind": "school",
            "role": "principal",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "安全例会（修改）" in body and 'value="abc"' in body
    assert body.count('class="errorlist') >= 2
    meeting.refresh_from_db()
    assert meeting.name == "安全工作例会"


def test_schools_see_the_plan_but_cannot_change_it(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    client = login(world.principal)
    page = client.get("/obligations/plan/")
    assert page.status_code == 200 and "网格日查" in page.content.decode()
    assert "/obligations/plan/add/" not in page.content.decode()
    meeting = plan.obligations.get(code="safety-meeting")
    assert client.get(f"/obligations/plan/{meeting.pk}/").status_code == 404
    assert client.post(f"/obligations/plan/{meeting.pk}/", {"name": "x"}).status_code == 404
    # Another district's bureau does not see this plan at all.
    other = login(world.other_bureau)
    assert "网格日查" not in other.get("/obligations/plan/").content.decode()
    assert other.get(f"/obligations/plan/{meeting.pk}/").status_code == 404


@pytest.mark.req("SM2.3")
def test_the_bureau_adds_a_new_routine_duty_that_schools_log_and_that_is_tracked(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    client = login(world.bureau)
    response = client.post(
        "/obligations/plan/add/",
        {
            "plan": plan.pk,
            "code": "psych-talk",
            "name": "九个一：每月一次心理健康谈心",
            "category": "nine_ones",
            "record_kind": "__new_routine__",
            "frequency": "monthly",
            "times": "1",
            "due_days": "0",
            "due_counting": "calendar",
            "org_kind": "school",
            "role": "safety_officer",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Obligation.objects.get(plan=plan, code="psych-talk")
    assert created.record_kind == "routine.psych-talk" and is_loggable(created.record_kind)
    today = timezone.localdate()
    period = Period.objects.get(obligation=created, org=world.S1, start__lte=today, end__gte=today)
    # The school's safety officer now finds it on the log form, and logging fulfils it.
    school = login(world.school)
    form = school.get("/obligations/log/")
    assert "九个一：每月一次心理健康谈心" in form.content.decode()
    school.post(
        "/obligations/log/",
        {
            "org": world.S1.pk,
            "kind": "routine.psych-talk",
            "occurred_on": today.isoformat(),
            "note": "谈心 12 人",
        },
    )
    period.refresh_from_db()
    assert period.done_at is not None


@pytest.mark.req("SM2.3")
def test_suspending_a_duty_stops_what_is_still_open_but_keeps_history(world):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    ensure_periods(through=timezone.localdate())
    reminder = plan.obligations.get(code="nine-dismissal-reminder")
    record_add(
        kind="routine.dismissal_reminder",
        org=world.S1,
        occurred_on=date(2026, 9, 1),
        submitted_at=at(date(2026, 9, 1)),
    )
    obligation_update(obligation=reminder, by=world.bureau, changes={"is_active": False})
    left = Period.objects.filter(obligation=reminder)
    assert left.filter(done_at__isnull=False).count() == 1
    assert not left.filter(done_at__isnull=True, due__gte=timezone.localdate()).exists()
    assert left.filter(due__lt=timezone.localdate(), done_at__isnull=True).exists()


def test_the_plan_says_once_how_many_defaults_wait_and_saving_one_confirms_it(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    defaults = plan.obligations.filter(is_default=True)
    waiting = defaults.count()
    assert waiting > 1
    client = login(world.bureau)
    body = client.get("/obligations/plan/").content.decode()
    assert f"其中 {waiting} 项是系统预置的默认内容" in body
    assert "默认项，待确认" not in body  # a short marker on the row, the explanation once
    first = defaults.order_by("pk").first()
    assert first is not None
    form = client.get(f"/obligations/plan/{first.pk}/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    if data.get("is_active"):
        data["is_active"] = "on"
    response = client.post(f"/obligations/plan/{first.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors
    first.refresh_from_db()
    assert not first.is_default
    assert AuditEvent.objects.filter(
        action="obligations.obligation.updated", object_id=str(first.pk)
    ).exists()
    assert f"其中 {waiting - 1} 项" in client.get("/obligations/plan/").content.decode()


@pytest.mark.django_db
def test_a_stored_nine_ones_description_loses_the_default_note_only_when_untouched(world):
    import importlib

    from django.apps import apps

    from anwen.obligations.models import Obligation, Plan

    migration = importlib.import_module(
        "anwen.obligations.migrations.0004_nine_ones_without_the_default_note"
    )
    plan = Plan.objects.create(owner=world.B1, code="p", name="计划", year=2026)
    shipped = Obligation.objects.create(
        plan=plan,
        code="a",
        name="九个一：班会",
        description="每周一次班会。" + migration.NOTE,
        starts_on=date(2026, 9, 1),
    )
    rewritten = Obligation.objects.create(
        plan=plan,
        code="b",
        name="九个一：课",
        description=migration.NOTE + "区教委已确认。",
        starts_on=date(2026, 9, 1),
    )
    migration.drop_note(apps, None)
    shipped.refresh_from_db()
    rewritten.refresh_from_db()
    assert shipped.description == "每周一次班会。"
    assert rewritten.description == migration.NOTE + "区教委已确认。"


@pytest.mark.django_db
def test_the_plan_page_says_the_default_once_not_in_every_description(world, login):
    plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    page = login(world.users["bureau"]).get("/obligations/plan/").content.decode()
    assert "原文未列明" not in page
    assert page.count(">待确认</span>") == 9
    assert "<th data-card-title>" in page and "<th data-card-actions>" in page
    assert '<td class="obl-actions">' in page


ADD_FORM = {
    "category": "nine_ones",
    "record_kind": "__new_routine__",
    "frequency": "monthly",
    "times": "1",
    "due_days": "0",
    "due_counting": "calendar",
    "org_kind": "school",
    "role": "safety_officer",
    "is_active": "on",
}


@pytest.mark.req("SM2.3")
def test_a_new_duty_without_a_code_gets_one_made_from_its_name(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    client = login(world.bureau)
    form = client.get(f"/obligations/plan/add/?plan={plan.pk}").content.decode()
    code_input = form.split('name="code"', 1)[1].split(">", 1)[0]
    assert "required" not in code_input
    for name in ("九个一：每月一次心理谈心", "九个一：每周一次家访"):
        response = client.post(
            "/obligations/plan/add/", {**ADD_FORM, "plan": plan.pk, "name": name, "code": ""}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    made = list(
        Obligation.objects.filter(plan=plan, name__startswith="九个一：每").exclude(
            code__startswith="nine-"
        )
    )
    codes = {o.code for o in made}
    assert len(codes) == 2 and all(c.startswith("item-") for c in codes)
    assert all(o.record_kind == f"routine.{o.code}" for o in made)
    english = client.post(
        "/obligations/plan/add/",
        {**ADD_FORM, "plan": plan.pk, "name": "Fire drill 2", "code": ""},
    )
    assert english.status_code == 302
    assert Obligation.objects.filter(plan=plan, code="fire-drill-2").exists()


def test_djangos_stock_messages_say_what_to_do(world, login):
    plan = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    response = login(world.bureau).post(
        "/obligations/plan/add/",
        {**ADD_FORM, "plan": plan.pk, "name": "长" * 130, "times": "x", "code": "不是代码"},
    )
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "最多 120 个字，现在有 130 个字，请删减。" in page
    assert "请填写整数，例如 3。" in page
    assert "只能使用英文字母、数字、下划线（_）或连字符（-）。" in page
    assert "确保该变量" not in page and "输入整数" not in page


def test_adding_to_another_districts_plan_is_missing_and_writes_nothing(world, login):
    ours = plan_load(owner=world.B1, starts_on=date(2026, 9, 1))
    theirs = plan_load(owner=world.B2, starts_on=date(2026, 9, 1))
    before = Obligation.objects.count()
    data = {
        "plan": theirs.pk,
        "code": "psych-talk",
        "name": "九个一：每月一次心理健康谈心",
        "category": "nine_ones",
        "record_kind": "__new_routine__",
        "frequency": "monthly",
        "times": "1",
        "due_days": "0",
        "due_counting": "calendar",
        "org_kind": "school",
        "role": "safety_officer",
        "is_active": "on",
    }
    client = login(world.bureau)
    assert client.post(f"/obligations/plan/add/?plan={theirs.pk}", data).status_code == 404
    assert client.post("/obligations/plan/add/", {**data, "plan": "999999"}).status_code == 404
    assert client.get(f"/obligations/plan/add/?plan={theirs.pk}").status_code == 404
    assert Obligation.objects.count() == before
    assert not ours.obligations.filter(code="psych-talk").exists()
