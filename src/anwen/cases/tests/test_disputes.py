"""A dispute's life through the generic pages (PS2.1): found in the screening from a letter, a
call, a grassroots report or an online message, with its risk level; measures chosen within the
plan's days; resolved or escalated. And the screening round itself, an obligation of the
rhythm engine fulfilled by the school's filing — a nil one too."""

from datetime import date

import pytest
import time_machine

from anwen.cases.models import Case
from anwen.obligations.models import Obligation, Period, Plan
from anwen.obligations.services import ensure_periods
from anwen.once.tokens import new_token
from anwen.workflow.models import Event

from .through_pages import at, events, register, step, timer, told

FOUND = {
    "channel": "grassroots",
    "subject": "两名家长因接送车位发生争执",
    "content": "放学时两名家长多次争吵，扬言要找学校讨说法。",
    "received_at": "2026-10-12T09:00",
    "name": "李家长",
    "phone": "13900001111",
    "risk": "high",
}


@pytest.mark.req("PS2.1")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_a_school_registers_an_unstable_factor_with_its_source_and_risk(client, login, world):
    login(world.school)
    case = register(client, "dispute", world.S1, **FOUND)
    assert case.number.startswith("MD-2026-")
    assert case.state == "found" and case.channel == "grassroots"
    assert case.details == {"risk": "high"}
    assert case.first_receiver == world.school
    assert timer(case, "measures").due_on == date(2026, 10, 15)  # the plan's 3 days
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "高风险" in page and "基层上报" in page and "两名家长因接送车位发生争执" in page
    assert 'name="take_measures-measures"' in page  # the step's form: the measures to choose


@pytest.mark.req("PS2.1")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_a_centre_and_the_bureau_register_one_too_and_a_teacher_may_not(client, login, world):
    login(world.centre)
    form = client.get("/cases/new/dispute/").content.decode()
    assert 'name="risk"' in form and 'name="channel"' in form
    assert 'name="measures"' not in form  # chosen by a step, not on registration
    at_centre = register(client, "dispute", world.C1, **{**FOUND, "channel": "letter"})
    login(world.bureau)
    at_bureau = register(client, "dispute", world.B1, **{**FOUND, "channel": "online"})
    assert (at_centre.org, at_bureau.org) == (world.C1, world.B1)
    login(world.teacher)
    assert client.get("/cases/new/dispute/").status_code == 404
    assert client.post("/cases/new/dispute/", {**FOUND, "org": world.S1.pk}).status_code == 404
    assert Case.objects.count() == 2


@pytest.mark.req("PS2.1")
def test_measures_are_taken_in_time_the_risk_reassessed_and_the_dispute_resolved(
    client, login, world
):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.school)
        case = register(client, "dispute", world.S1, **FOUND)
        clock.move_to(at(2026, 10, 13, 10))
        login(world.principal)  # the school's other handler of cases
        assert step(client, case, "take_measures", measures=[]).status_code == 302
        case.refresh_from_db()
        assert case.state == "found"  # no measure chosen: refused
        step(client, case, "take_measures", measures=["mediation", "counselling"])
        case.refresh_from_db()
        assert case.state == "resolving"
        assert case.details["measures"] == ["mediation", "counselling"]
        assert timer(case, "measures").on_time is True
        step(client, case, "reassess", risk="low")
        case.refresh_from_db()
        assert case.details["risk"] == "low"
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "调解" in page and "低风险" in page
        step(client, case, "resolve")  # a resolution says how
        case.refresh_from_db()
        assert case.state == "resolving"
        step(client, case, "resolve", note="双方达成谅解，签订调解协议。")
        case.refresh_from_db()
        assert case.state == "resolved" and case.closed
    assert events(case) == ["created", "take_measures", "reassess", "resolve"]


@pytest.mark.req("PS2.1")
def test_measures_not_taken_in_time_show_the_dispute_overdue(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.school)
        case = register(client, "dispute", world.S1, **FOUND)
        clock.move_to(at(2026, 10, 16, 9))
        login(world.school)
        listing = client.get("/cases/?overdue=1").content.decode()
        assert case.number in listing
        step(client, case, "take_measures", measures=["monitor"])
        assert timer(case, "measures").on_time is False


@pytest.mark.req("PS2.1")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_an_escalated_dispute_tells_the_supervisors_and_is_resolved_above(client, login, world):
    login(world.school)
    case = register(client, "dispute", world.S1, **FOUND)
    step(client, case, "escalate")
    case.refresh_from_db()
    assert case.state == "found"  # escalating says why
    step(client, case, "escalate", note="涉及校外人员，学校无力化解")
    case.refresh_from_db()
    assert case.state == "escalated" and not case.closed
    assert told(world.bureau, case, "escalated") == 1
    assert told(world.leader, case, "escalated") == 1
    login(world.bureau)
    step(client, case, "resolve", note="区教委协调属地街道化解")
    case.refresh_from_db()
    assert case.state == "resolved"


@pytest.mark.day(at(2026, 10, 12, 10))
def test_another_districts_user_gets_404_and_writes_nothing(client, login, world):
    login(world.school)
    case = register(client, "dispute", world.S1, **FOUND)
    before = Event.objects.count()
    login(world.other_bureau)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for name in ("take_measures", "escalate", "resolve", "urge"):
        response = step(client, case, name, measures=["mediation"], note="越权")
        assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "found" and Event.objects.count() == before
    assert case.number not in client.get("/cases/").content.decode()


@pytest.fixture
def screening_plan(world):
    plan = Plan.objects.create(owner=world.B1, code="plan-2026", name="2026年工作要点", year=2026)
    for code, frequency in (("weekly", "weekly"), ("monthly", "monthly")):
        Obligation.objects.create(
            plan=plan,
            code=f"dispute-screening-{code}",
            name=f"矛盾纠纷排查（{code}）",
            record_kind=f"cases.dispute_screening_{code}",
            frequency=frequency,
            org_kind="school",
            role="safety_officer",
            starts_on=date(2026, 9, 1),
        )
    ensure_periods(through=date(2026, 10, 31))
    return plan


def _period(code, org, day):
    return Period.objects.get(
        obligation__code=code, org=org, subject_id=0, start__lte=day, end__gte=day
    )


@pytest.mark.req("PS2.1")
@pytest.mark.day(at(2026, 10, 14, 10))
def test_a_nil_screening_fulfils_the_weeks_screening_round(client, login, world, screening_plan):
    login(world.school)
    form = client.get(f"/obligations/log/?org={world.S1.pk}").content.decode()
    assert 'value="cases.dispute_screening_weekly"' in form
    assert 'value="cases.dispute_screening_monthly"' in form
    response = client.post(
        "/obligations/log/",
        {
            "once": new_token(),
            "org": world.S1.pk,
            "kind": "cases.dispute_screening_weekly",
            "occurred_on": "2026-10-14",
            "note": "本周排查，未发现矛盾纠纷。",
        },
    )
    assert response.status_code == 302
    week = _period("dispute-screening-weekly", world.S1, date(2026, 10, 14))
    assert week.done_at is not None and week.on_time is True
    # The month's round is its own: a week's filing does not make it.
    assert _period("dispute-screening-monthly", world.S1, date(2026, 10, 14)).done_at is None
    # Another school of the district still owes its week.
    assert _period("dispute-screening-weekly", world.S3, date(2026, 10, 14)).done_at is None
