"""Anti-fraud through the pages (PC3): a fraud case involving a parent is recorded with the
amount lost, reported to the police within the plan's hours and concluded with its outcome; the
campaign's activities are routine activities the school logs, fulfilling the plan's duty."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from anwen.cases.models import Case
from anwen.obligations.models import Period, PlanRuleValue
from anwen.obligations.services import obligation_create, plan_of_year
from anwen.once.tokens import new_token
from anwen.testing.clock import on_day
from anwen.workflow.models import Timer

from .hidden import (
    assert_colleague_sees_nothing,
    assert_stranger_sees_nothing,
    page,
    register,
    step,
)

TZ = timezone.get_default_timezone()
VICTIM = "孙家长 五年级三班学生之母"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def record(client, world, **extra) -> Case:
    return register(
        client,
        "fraud",
        world.orgs["S1"],
        subject="冒充班主任收取资料费",
        content="诈骗分子冒充班主任在家长群收取资料费。",
        received_at="2026-11-02T09:00",
        name="孙女士",
        phone="13400005555",
        victim_group="parent",
        scheme="impersonation",
        amount="3200",
        victim=VICTIM,
        **extra,
    )


def report_clock(case) -> Timer:
    return Timer.objects.get(record_type="cases.fraud", record_id=case.pk, name="report")


@pytest.mark.req("PC3")
def test_a_fraud_case_is_reported_to_the_police_within_hours_and_concluded(client, login, world):
    with time_machine.travel(at(11, 2, 10), tick=False) as clock:
        login(world.users["school"])
        case = record(client, world)
        assert case.number == "FZ-2026-0001" and case.state == "recorded"
        assert case.details == {"victim_group": "parent", "scheme": "impersonation", "amount": 3200}
        t = report_clock(case)
        assert t.in_hours and t.due_at == at(11, 3, 10)  # 24 hours from its registration
        clock.move_to(at(11, 2, 15))
        login(world.users["school"])
        step(client, case, "report_police", police_number="永公（青）受案字〔2026〕118号")
        case.refresh_from_db()
        assert case.state == "with_police" and case.details["reported_police"] is True
        assert case.private["police_number"].startswith("永公")
        assert report_clock(case).on_time is True

        step(client, case, "conclude", result="partly", recovered="5000", note="追回部分")
        case.refresh_from_db()
        assert case.state == "with_police"  # more than was lost cannot be recovered
        step(client, case, "conclude", result="partly", recovered="1200", note="警方追回部分")
        case.refresh_from_db()
        assert case.state == "concluded" and case.closed
        assert case.details["result"] == "partly" and case.details["recovered"] == 1200


@pytest.mark.req("PC3")
@pytest.mark.day(at(11, 4))
def test_the_reporting_hours_come_from_the_plan_and_an_overdue_report_shows(client, login, world):
    plan = plan_of_year(owner=world.orgs["B1"], year=2026)
    PlanRuleValue.objects.create(plan=plan, key="cases.fraud_report_hours", value=2)
    with time_machine.travel(at(11, 2, 10), tick=False):
        login(world.users["school"])
        case = record(client, world)
        assert report_clock(case).due_at == at(11, 2, 12)
    login(world.users["bureau"])
    listing = client.get("/cases/?overdue=1").content.decode()
    assert case.number in listing and VICTIM not in listing


@pytest.mark.req("PC3")
def test_a_campaign_activity_is_logged_on_the_routine_log_and_fulfils_the_duty(
    client, login, world
):
    with on_day(date(2026, 11, 2)):
        obligation_create(
            plan=plan_of_year(owner=world.orgs["B1"], year=2026),
            by=world.users["admin"],
            fields={
                "code": "anti-fraud-campaign",
                "name": "反诈宣传活动",
                "record_kind": "cases.anti_fraud",
                "frequency": "semester",
                "role": "safety_officer",
            },
        )
        login(world.users["school"])
        response = client.post(
            "/obligations/log/",
            {
                "once": new_token(),
                "org": world.orgs["S1"].pk,
                "kind": "cases.anti_fraud",
                "occurred_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "note": "反诈民警进校园讲座，全校师生参加",
            },
        )
        assert response.status_code == 302
        period = Period.objects.get(obligation__code="anti-fraud-campaign", org=world.orgs["S1"])
        assert period.done_at is not None


@pytest.mark.req("PC3")
@pytest.mark.req("PL2")
@pytest.mark.day(at(11, 2))
def test_a_colleague_and_another_district_see_no_victim(client, login, world):
    login(world.users["school"])
    case = record(client, world)
    assert VICTIM in page(client, case)
    secrets = [VICTIM, "孙女士", "13400005555", "冒充班主任收取资料费"]
    tries = {"report_police": {}, "conclude": {"result": "lost", "recovered": "0", "note": "x"}}
    login(world.users["principal"])
    assert_colleague_sees_nothing(client, case, secrets, tries)
    for who in ("other_school", "other_bureau"):
        login(world.users[who])
        assert_stranger_sees_nothing(client, case, secrets, tries)
