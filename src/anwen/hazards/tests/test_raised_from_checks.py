"""Every failed item of any checklist and every problem on the fire self-check raises a hazard
of its own, once, followed to closure (OG2)."""

import pytest
from django.utils import timezone

from anwen.hazards.models import Hazard
from anwen.inspections.models import Finding


@pytest.mark.req("OG2")
def test_a_failed_checklist_item_raises_a_hazard_with_its_photo(world, photo):
    from anwen.inspections import services as inspections

    inspections.standard_templates_load(owner=world.B1)
    by = world.users["school"]
    check = inspections.inspection_start(org=world.S1, purpose="office_weekly", level="self", by=by)
    items = list(check.version.items.order_by("sort_order", "pk"))
    picture = photo()
    inspections.inspection_answer(
        inspection=check,
        by=by,
        item=items[0],
        result="fail",
        note="配电箱未上锁",
        photos=[picture],
    )
    inspections.inspection_answer_all_pass(inspection=check, by=by)
    inspections.inspection_submit(inspection=check, by=by)
    finding = Finding.objects.get()
    hazard = Hazard.objects.get()
    assert finding.hazard_id == hazard.pk
    assert hazard.source == "checklist" and "配电箱未上锁" in hazard.title
    assert list(hazard.photos_before.all()) == [picture]
    assert hazard.found_on == check.inspected_on and hazard.deadline is not None


@pytest.mark.req("OG2")
def test_a_problem_on_the_fire_self_check_raises_a_fire_hazard(world, db):
    from datetime import timedelta

    from anwen.calendar.models import SchoolYear, Semester
    from anwen.fire.tests.helpers import PROBLEM, run_check
    from anwen.inspections.services import standard_templates_load

    today = timezone.localdate()
    Semester.objects.filter(start__lte=today, end__gte=today).delete()
    Semester.objects.create(
        school_year=SchoolYear.objects.create(start_year=2090),
        term="autumn",
        name="测试学期",
        start=today - timedelta(days=60),
        end=today + timedelta(days=60),
    )
    standard_templates_load(owner=world.B1)
    run_check(world, checked_on=today)
    hazard = Hazard.objects.get()
    assert hazard.source == "fire" and PROBLEM in hazard.title
