"""Care records through the pages: a school puts a left-behind child (PC4) or a member of staff
under psychological attention (PC1.4) on its roster, names the carers, notes each care action,
and the next one falls due on the plan's rhythm — while the roster's names stay with the
named carers and everyone else sees how many, never who."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.cases.models import Case
from anwen.obligations.models import PlanRuleValue
from anwen.obligations.services import plan_of_year
from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona
from anwen.workflow.models import Event, Timer

from .hidden import (
    assert_colleague_sees_nothing,
    assert_stranger_sees_nothing,
    page,
    register,
    step,
)

TZ = timezone.get_default_timezone()
CHILD = "王留守"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def follow_up(case) -> Timer:
    return Timer.objects.get(record_type="cases.care", record_id=case.pk, name="follow_up")


def put_on_roster(client, world, subject=CHILD, group="left_behind", level="routine") -> Case:
    return register(
        client,
        "care",
        world.orgs["S1"],
        subject=subject,
        content="父母在外务工，由祖母照看，近期成绩下滑、沉默寡言。",
        received_at="2026-09-01T09:00",
        name="王奶奶",
        phone="13700002222",
        group=group,
        level=level,
        **{"class": "三年级一班"},
    )


@pytest.mark.req("PC4")
@pytest.mark.day(at(9, 1))
def test_a_left_behind_child_is_put_on_the_roster_with_a_follow_up_due(client, login, world):
    login(world.users["school"])
    case = put_on_roster(client, world)
    assert case.number == "GA-2026-0001" and case.state == "on_roster"
    assert case.details == {"group": "left_behind", "level": "routine"}
    assert case.private == {"class": "三年级一班"}
    assert follow_up(case).due_on == date(2026, 10, 8)  # 1 October + 30 days: in the holiday
    listing = client.get("/cases/?type=care").content.decode()
    assert CHILD in listing  # the roster, to its named carer


@pytest.mark.req("PC4")
@pytest.mark.req("PC1.4")
def test_care_actions_restart_the_follow_up_and_close_attention_shortens_it(client, login, world):
    teacher = world.users["teacher"]
    with time_machine.travel(at(9, 1), tick=False) as clock:
        login(world.users["school"])
        case = put_on_roster(client, world)
        # The class teacher is named a carer: not a case handler by role, a handler by name.
        step(client, case, "add_carer", carer=str(teacher.pk))
        clock.move_to(at(9, 15))
        login(teacher)
        assert CHILD in page(client, case)
        response = step(
            client, case, "care_action", action="home_visit", on="2026-09-15", note="家访"
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.private["actions"] == [{"on": "2026-09-15", "kind": "home_visit"}]
        t = follow_up(case)
        assert t.due_on == date(2026, 10, 15) and t.stopped_at is None
        event = Event.objects.filter(record_id=case.pk, name="care_action").get()
        assert event.data["on_time"] is True and event.actor == teacher

        # Close attention: the next action within 7 days.
        step(client, case, "attention", level="close", note="出现厌学情绪，转为重点关注")
        case.refresh_from_db()
        assert case.details["level"] == "close"
        assert follow_up(case).due_on == date(2026, 9, 22)

        # A date in the future is refused, nothing written.
        step(client, case, "care_action", action="talk", on="2026-09-30", note="谈心")
        case.refresh_from_db()
        assert len(case.private["actions"]) == 1

        step(client, case, "close", note="父母返乡，监护到位")
        case.refresh_from_db()
        assert case.state == "off_roster" and case.closed
        assert follow_up(case).stopped_at is not None
        step(client, case, "reopen", note="父母再次外出务工")
        case.refresh_from_db()
        assert case.state == "on_roster"
        assert follow_up(case).due_on == date(2026, 9, 22)


@pytest.mark.req("PC1.4")
@pytest.mark.day(at(9, 1))
def test_the_follow_up_rhythm_comes_from_the_plan(client, login, world):
    plan = plan_of_year(owner=world.orgs["B1"], year=2026)
    PlanRuleValue.objects.create(
        plan=plan, key="cases.care_follow_up", value={"days": 14, "counting": "calendar"}
    )
    assert plan.is_active
    login(world.users["school"])
    case = put_on_roster(client, world, subject="教师甲", group="psych_staff")
    assert follow_up(case).due_on == date(2026, 9, 15)


@pytest.mark.req("PC4")
@pytest.mark.day(at(10, 20))
def test_an_overdue_follow_up_is_listed_without_the_name(client, login, world):
    with time_machine.travel(at(9, 1), tick=False):
        login(world.users["school"])
        case = put_on_roster(client, world)
    login(world.users["centre"])
    listing = client.get("/cases/?type=care&overdue=1").content.decode()
    assert case.number in listing and CHILD not in listing


@pytest.mark.req("PC4")
@pytest.mark.req("PC1.4")
@pytest.mark.req("PL2")
@pytest.mark.day(at(9, 1))
def test_the_roster_is_listed_by_its_named_carers_only(client, login, world):
    login(world.users["school"])
    cases = [
        put_on_roster(client, world),
        put_on_roster(client, world, subject="刘心理", group="psych_student", level="close"),
    ]
    # A second safety officer of the same school, not named: sees two records, no name.
    colleague = add_persona(world, "school_b", RoleName.SAFETY_OFFICER, "S1")
    secrets = [CHILD, "刘心理", "王奶奶", "13700002222", "三年级一班", "父母在外务工"]
    tries = {
        "care_action": {"action": "talk", "on": "2026-09-01", "note": "x"},
        "add_carer": {"carer": str(colleague.pk)},
        "close": {"note": "x"},
    }
    for who in ("principal", "school_b", "centre", "bureau"):
        login(world.users[who])
        listing = client.get("/cases/?type=care").content.decode()
        assert all(c.number in listing for c in cases)
        assert_colleague_sees_nothing(client, cases[0], secrets, tries)
    # A teacher of the school who is not a carer: no list, no record.
    login(world.users["teacher"])
    assert client.get(f"/cases/{cases[0].pk}/").status_code == 404
    for who in ("other_school", "other_bureau"):
        login(world.users[who])
        assert_stranger_sees_nothing(client, cases[1], secrets, tries)
