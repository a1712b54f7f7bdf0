"""The inspections app's part of the to-do inbox (PL5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anwen.inspections import services
from anwen.inspections.todo import waiting_on
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
    assert todo.state(today) == "open"
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

    before = count()
    for _ in range(5):
        services.inspection_start(
            org=world.S1, purpose="leadership_monthly", level="self", by=officer
        )
    assert count() == before <= 2
