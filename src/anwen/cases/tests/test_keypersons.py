"""Key persons around a campus through the pages: the school lists a person, reviews them on
the plan's rhythm and shares the record with the police by an explicit step — the one officer
named in it reads it and adds the police's feedback; nobody else at the agency sees it."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.audit.models import AuditEvent
from anwen.cases.models import Case
from anwen.orgs.roles import RoleName
from anwen.outbox.models import Delivery
from anwen.testing.world import add_persona
from anwen.workflow.models import Event, Grant, Timer

from .hidden import (
    assert_colleague_sees_nothing,
    assert_stranger_sees_nothing,
    page,
    register,
    step,
)

TZ = timezone.get_default_timezone()
NAME = "陈某某"
ADDRESS = "学校东门外出租屋3号"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def review_clock(case) -> Timer:
    return Timer.objects.get(record_type="cases.keyperson", record_id=case.pk, name="review")


def list_person(client, world) -> Case:
    return register(
        client,
        "keyperson",
        world.orgs["S1"],
        subject="东门外精神障碍男子",
        content="多次在放学时段于校门口徘徊，曾扬言报复。",
        received_at="2026-09-07T09:00",
        name=NAME,
        phone="13600003333",
        category="mental",
        risk="high",
        address=ADDRESS,
        relation="前学生家长",
    )


@pytest.mark.req("PC1.5")
def test_a_key_person_is_reviewed_on_the_plans_rhythm(client, login, world):
    with time_machine.travel(at(9, 7), tick=False) as clock:
        login(world.users["school"])
        case = list_person(client, world)
        assert case.number == "ZD-2026-0001" and case.state == "watched"
        assert case.details == {"category": "mental", "risk": "high"}
        assert review_clock(case).due_on == date(2026, 10, 8)  # 7 October: in the holiday
        clock.move_to(at(10, 9))
        login(world.users["school"])
        step(client, case, "review", risk="medium", note="经社区走访，情绪稳定")
        case.refresh_from_db()
        assert case.details["risk"] == "medium"
        t = review_clock(case)
        assert t.due_on == date(2026, 11, 9) and t.stopped_at is None  # 8 November: a Sunday
        event = Event.objects.get(record_id=case.pk, name="review")
        assert event.data["on_time"] is False  # the review due on 8 October came a day late
        step(client, case, "close", note="已迁出辖区")
        case.refresh_from_db()
        assert case.closed and review_clock(case).stopped_at is not None


@pytest.mark.req("PC1.5")
@pytest.mark.req("PL2")
@pytest.mark.day(at(9, 7))
def test_shared_with_the_police_the_named_officer_reads_and_answers(client, login, world):
    officer = world.users["agency"]
    other_officer = add_persona(world, "agency2", RoleName.AGENCY_INSPECTOR, "A1")
    login(world.users["school"])
    case = list_person(client, world)

    # Before the sharing the police know nothing of it.
    login(officer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404

    login(world.users["school"])
    body = page(client, case)
    assert world.orgs["A1"].name in body  # the officers to choose, with their agency
    step(client, case, "share_police", officer=str(officer.pk))
    assert Grant.objects.filter(record_id=case.pk, user=officer, reason="handler").exists()
    assert not Grant.objects.filter(record_id=case.pk, org=world.orgs["A1"]).exists()
    notice = Delivery.objects.get(user=officer, notice__key__startswith=f"cases:{case.pk}:shared:")
    assert case.number in notice.notice.title and NAME not in notice.notice.title
    assert notice.notice.link == f"/cases/{case.pk}/"

    # The officer reads the whole record (identity, address) and gives the police's feedback …
    login(officer)
    body = page(client, case)
    assert NAME in body and ADDRESS in body
    viewed = AuditEvent.objects.filter(action="audit.confidential.viewed", actor_id=officer.pk)
    assert viewed.count() == 1
    assert NAME not in str(viewed.get().data) and ADDRESS not in str(viewed.get().data)
    step(client, case, "police_feedback", note="派出所已纳入重点管控")
    assert Event.objects.filter(record_id=case.pk, name="police_feedback", actor=officer).exists()
    # … but reviewing, re-sharing and closing stay with the school.
    state = (case.state, case.details)
    for name, data in {
        "review": {"risk": "low", "note": "x"},
        "share_police": {"officer": str(other_officer.pk)},
        "close": {"note": "x"},
    }.items():
        step(client, case, name, **data)
        case.refresh_from_db()
        assert (case.state, case.details) == state, name
    assert not Grant.objects.filter(record_id=case.pk, user=other_officer).exists()

    # The agency's other officer: not named, the record does not exist for them.
    login(other_officer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


@pytest.mark.req("PC1.5")
@pytest.mark.req("PL2")
@pytest.mark.day(at(9, 7))
def test_a_colleague_and_another_district_see_no_key_person(client, login, world):
    login(world.users["school"])
    case = list_person(client, world)
    secrets = [NAME, ADDRESS, "13600003333", "东门外精神障碍男子", "前学生家长"]
    tries = {
        "review": {"risk": "low", "note": "x"},
        "share_police": {"officer": str(world.users["agency"].pk)},
        "close": {"note": "x"},
    }
    login(world.users["principal"])
    assert_colleague_sees_nothing(client, case, secrets, tries)
    for who in ("other_school", "other_bureau"):
        login(world.users[who])
        assert_stranger_sees_nothing(client, case, secrets, tries)
