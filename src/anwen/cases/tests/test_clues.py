"""Anti-gang and campus-loan clues through the pages (PC2): a clue is received, verified
within the plan's working days and handed to the police, or closed as unfounded; and the
per-school screening on the plan's schedule is fulfilled by the school filing its screening on
the routine log, a nil return included."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from anwen.cases.models import Case
from anwen.obligations.models import Period, Record
from anwen.obligations.services import obligation_create, plan_of_year
from anwen.once.tokens import new_token
from anwen.testing.clock import on_day
from anwen.workflow.models import Grant, Timer

from .hidden import (
    assert_colleague_sees_nothing,
    assert_stranger_sees_nothing,
    page,
    register,
    step,
)

TZ = timezone.get_default_timezone()
SUSPECT = "社会青年刘某"
INFORMANT = "赵同学家长"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def receive(client, world, org_key="S1") -> Case:
    return register(
        client,
        "clue",
        world.orgs[org_key],
        channel="report",
        subject="校外人员诱导学生办理校园贷",
        content="有校外人员在学校附近奶茶店诱导初中生借款，月息高达30%。",
        received_at="2026-09-28T09:00",
        name=INFORMANT,
        phone="13500004444",
        kind="campus_loan",
        named=SUSPECT,
    )


def verify_clock(case) -> Timer:
    return Timer.objects.get(record_type="cases.clue", record_id=case.pk, name="verify")


@pytest.mark.req("PC2")
@pytest.mark.day(at(9, 28))
def test_a_clue_is_verified_in_working_days_and_handed_to_the_police(client, login, world):
    """Five working days from Monday 28 September skip the National Day holiday: 29 and 30
    September, 8 and 9 October and the 调休 Saturday 10 October."""
    login(world.users["school"])
    case = receive(client, world)
    assert case.number == "XS-2026-0001" and case.details == {"kind": "campus_loan"}
    assert verify_clock(case).due_on == date(2026, 10, 10)
    step(client, case, "verify", note="经走访核实，情况属实")
    case.refresh_from_db()
    assert case.state == "verified" and verify_clock(case).on_time is True
    step(client, case, "hand_to_police", officer=str(world.users["agency"].pk))
    case.refresh_from_db()
    assert case.state == "with_police"
    assert Grant.objects.filter(record_id=case.pk, user=world.users["agency"]).exists()

    login(world.users["agency"])
    assert SUSPECT in page(client, case)
    step(client, case, "police_feedback", note="已立案侦查")
    step(client, case, "close", note="x")  # the school closes it, not the police
    case.refresh_from_db()
    assert case.state == "with_police"

    login(world.users["school"])
    step(client, case, "close", note="公安机关已处理")
    case.refresh_from_db()
    assert case.state == "closed" and case.closed


@pytest.mark.req("PC2")
@pytest.mark.day(at(9, 28))
def test_an_unfounded_clue_is_closed_with_the_reason(client, login, world):
    login(world.users["bureau"])
    case = receive(client, world, org_key="B1")  # the bureau receives clues too
    assert step(client, case, "unfounded").status_code == 302
    case.refresh_from_db()
    assert case.state == "received"  # a reason is needed
    step(client, case, "unfounded", note="经核查系误传")
    case.refresh_from_db()
    assert case.state == "unfounded" and case.closed
    assert verify_clock(case).stopped_at is not None


@pytest.mark.req("PC2")
def test_the_schools_screening_on_its_schedule_is_fulfilled_by_a_nil_return(client, login, world):
    with on_day(date(2026, 10, 12)):
        plan = plan_of_year(owner=world.orgs["B1"], year=2026)
        obligation_create(
            plan=plan,
            by=world.users["admin"],
            fields={
                "code": "anti-gang-screening",
                "name": "扫黑除恶线索排查表",
                "record_kind": "cases.clue_screening",
                "frequency": "monthly",
                "due_days": 5,
                "due_counting": "working",
                "role": "safety_officer",
            },
        )
        period = Period.objects.get(obligation__code="anti-gang-screening", org=world.orgs["S1"])
        assert period.done_at is None
        login(world.users["school"])
        form = client.get(f"/obligations/log/?org={world.orgs['S1'].pk}").content.decode()
        assert 'value="cases.clue_screening"' in form
        response = client.post(
            "/obligations/log/",
            {
                "once": new_token(),
                "org": world.orgs["S1"].pk,
                "kind": "cases.clue_screening",
                "occurred_on": "2026-10-12",
                "note": "本月排查：未发现校园贷、诈骗、胁迫学生线索（零报告）",
            },
        )
        assert response.status_code == 302
        period.refresh_from_db()
        assert period.done_at is not None and period.on_time is True
        assert Record.objects.get(kind="cases.clue_screening").org == world.orgs["S1"]


@pytest.mark.req("PC2")
@pytest.mark.req("PL2")
@pytest.mark.day(at(9, 28))
def test_a_colleague_and_another_district_see_no_clue(client, login, world):
    login(world.users["school"])
    case = receive(client, world)
    secrets = [SUSPECT, INFORMANT, "13500004444", "校外人员诱导学生办理校园贷", "奶茶店"]
    tries = {
        "verify": {"note": "x"},
        "unfounded": {"note": "x"},
        "urge": {"note": "x"},
    }
    login(world.users["principal"])
    assert_colleague_sees_nothing(client, case, secrets, tries)
    login(world.users["agency"])  # the police before the hand-over
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for who in ("other_school", "other_bureau"):
        login(world.users[who])
        assert_stranger_sees_nothing(client, case, secrets, tries)
