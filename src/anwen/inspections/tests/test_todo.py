"""The inspections app's part of the to-do inbox (PL5)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anwen.inspections import services
from anwen.inspections.todo import waiting_on
from anwen.obligations.models import Plan
from anwen.orgs.scope import forget

pytestmark = pytest.mark.django_db


@pytest.mark.req("PL5")
def test_an_unsubmitted_inspection_waits_on_whoever_started_it(world, lists):
    today = timezone.localdate()
    officer = world.users["school"]
    weekly = services.inspection_start(
        org=world.S1, purpose="office_weekly", level="self", by=officer
    )
    [todo] = waiting_on(officer, today=today)
    assert todo.url == f"/inspections/{weekly.pk}/" and todo.org_name == world.S1.name
    assert todo.due is not None and todo.state(today) in ("open", "soon")
    assert waiting_on(world.users["principal"], today=today) == []
    for item in weekly.version.items.all():
        services.inspection_answer(inspection=weekly, by=officer, item=item, result="pass")
    services.inspection_submit(inspection=weekly, by=officer)
    assert waiting_on(officer, today=today) == []


@pytest.mark.req("PL5", "OG2")
def test_an_open_joint_inspection_waits_on_the_invited_agency(world, lists):
    today = timezone.localdate()
    joint = services.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=world.users["bureau"], invited=[world.A1]
    )
    [todo] = waiting_on(world.users["agency"], today=today)
    assert todo.kind == "inspections.joint_invited"
    assert todo.url == f"/inspections/{joint.pk}/"
    assert waiting_on(world.users["other_school"], today=today) == []


@pytest.mark.req("PL5")
def test_daily_area_checks_are_left_to_the_obligations_inbox(world, area):
    teacher = world.users["teacher"]
    services.inspection_start(
        org=world.S1, purpose="area_daily", level="self", by=teacher, area=area
    )
    assert waiting_on(teacher, today=timezone.localdate()) == []


@pytest.mark.req("PL5")
def test_the_query_count_does_not_grow_with_history(world, lists):
    today = timezone.localdate()
    officer = world.users["school"]
    services.inspection_start(org=world.S1, purpose="office_weekly", level="self", by=officer)

    def count():
        officer.__dict__.pop("_anwen_inspections_agencies", None)
        forget(officer)
        with CaptureQueriesContext(connection) as queries:
            waiting_on(officer, today=today)
        return len(queries)

    count()  # warm: the calendar's days are read once per process
    before = count()
    for _ in range(5):
        services.inspection_start(
            org=world.S1, purpose="leadership_monthly", level="self", by=officer
        )
    assert count() == before <= 4  # the drafts, the plan's rule (two)


@pytest.mark.req("PL5")
@pytest.mark.day(date(2026, 11, 27))  # a Friday: three working days end on Wednesday
def test_a_draft_is_due_the_plans_working_days_after_its_day_and_names_its_school(
    world, lists, login
):
    bureau = world.users["bureau"]
    joint = services.inspection_start(
        org=world.S1, purpose="joint", level="joint", by=bureau, invited=[world.A1]
    )
    today = timezone.localdate()
    [mine] = waiting_on(bureau, today=today)
    [theirs] = waiting_on(world.users["agency"], today=today)
    assert joint.inspected_on == today
    assert mine.due == theirs.due == date(2026, 12, 2)
    assert mine.title == f"请完成并提交：{world.S1.name}联合检查"
    page = login(bureau).get("/inbox/").content.decode()
    assert "2026-12-02" in page and "无期限" not in page.split(mine.title, 1)[1][:400]


@pytest.mark.day(date(2026, 11, 27))
def test_the_plans_days_to_submit_move_the_due_day(world, lists):
    from anwen import calendar
    from anwen.obligations.services import plan_rules_set

    plan = Plan.objects.create(owner=world.B1, code="p", name="计划", year=2026)
    plan_rules_set(
        plan=plan,
        by=None,
        values={"inspections.submit_within_days": calendar.DeadlineRule(1, "calendar")},
    )
    bureau = world.users["bureau"]
    services.inspection_start(org=world.S1, purpose="spot", level="bureau", by=bureau)
    [todo] = waiting_on(bureau, today=timezone.localdate())
    assert todo.due == date(2026, 11, 30)  # Saturday the 28th, moved to the next working day
