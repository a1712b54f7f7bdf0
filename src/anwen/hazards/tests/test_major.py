"""A major hazard: its six-part plan before rectification, the centre's and the bureau's
re-check before it is closed (销号)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anwen.hazards import services
from anwen.hazards.models import HazardState
from anwen.workflow.engine import WorkflowError

PLAN = {
    "goal": "消除教学楼墙体开裂隐患",
    "plan_measures": "加固墙体",
    "funds": "财政专项5万元",
    "people": "总务主任",
    # Twenty days on from whatever day the suite runs (a limit before the day the hazard was
    # found is refused).
    "time_limit": (timezone.localdate() + timedelta(days=20)).isoformat(),
    "interim": "设置围挡，停用相关教室",
}


def test_a_major_hazard_needs_its_plan_before_rectification(world, login, raise_hazard):
    hazard = raise_hazard(title="教学楼墙体开裂", grade="major", category="building")
    office = world.users["school"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["teacher"])
    teacher = login(world.users["teacher"])
    response = teacher.post(f"/hazards/{hazard.pk}/start/", {}, follow=True)
    hazard.refresh_from_db()
    assert hazard.state == HazardState.ASSIGNED
    assert "six-part plan" in response.content.decode() or "治理方案" in response.content.decode()

    client = login(office)
    partial = {**PLAN, "interim": ""}
    client.post(f"/hazards/{hazard.pk}/plan/", partial)
    hazard.refresh_from_db()
    assert not hazard.plan_complete
    client.post(f"/hazards/{hazard.pk}/plan/", PLAN)
    hazard.refresh_from_db()
    assert hazard.plan_complete and hazard.state == HazardState.ASSIGNED
    login(world.users["teacher"]).post(f"/hazards/{hazard.pk}/start/", {})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.RECTIFYING


def test_a_major_hazard_is_closed_only_after_the_centre_and_the_bureau_recheck(
    world, login, raise_hazard, photo
):
    hazard = raise_hazard(title="教学楼墙体开裂", grade="major", category="building")
    office, teacher = world.users["school"], world.users["teacher"]
    services.hazard_assign(hazard=hazard, by=office, responsible=world.people["teacher"])
    services.hazard_plan(
        hazard=hazard,
        by=office,
        goal="g",
        measures="m",
        funds="f",
        people="p",
        time_limit=hazard.deadline,
        interim="i",
    )
    services.hazard_start(hazard=hazard, by=teacher)
    services.hazard_submit_fix(hazard=hazard, by=teacher, note="已加固", photos=[photo()])

    principal = login(world.users["principal"])
    response = principal.post(f"/hazards/{hazard.pk}/verify/", {}, follow=True)
    assert "re-check" in response.content.decode() or "复查" in response.content.decode()
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED

    # The other centre and the school cannot re-check; the bureau cannot do the centre's.
    assert (
        login(world.users["centre2"]).post(f"/hazards/{hazard.pk}/recheck_centre/", {}).status_code
        == 404
    )
    with pytest.raises(WorkflowError):
        services.hazard_recheck(hazard=hazard, by=world.users["bureau"], level="centre")
    with pytest.raises(WorkflowError):
        services.hazard_recheck(hazard=hazard, by=world.users["principal"], level="bureau")

    login(world.users["centre"]).post(f"/hazards/{hazard.pk}/recheck_centre/", {"note": "复查合格"})
    hazard.refresh_from_db()
    assert hazard.centre_rechecked_at is not None
    principal.post(f"/hazards/{hazard.pk}/verify/", {})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.SUBMITTED
    login(world.users["bureau"]).post(f"/hazards/{hazard.pk}/recheck_bureau/", {})
    principal.post(f"/hazards/{hazard.pk}/verify/", {"note": "销号"})
    hazard.refresh_from_db()
    assert hazard.state == HazardState.CLOSED
    page = principal.get(f"/hazards/{hazard.pk}/").content.decode()
    # The chronology shows both re-checks.
    assert page.count("复查通过") + page.count("re-check passed") >= 2
