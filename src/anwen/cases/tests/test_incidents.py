"""A safety incident through the generic pages (PC1.6): registered by the school with the
moment it happened, its written report due within the plan's hours of that moment, handled,
settled with the compensation agreed, the risk of a disturbance (校闹) flagged with measures
and the supervisors told, closed."""

import pytest
import time_machine

from anwen.cases.models import Case
from anwen.obligations.models import Plan, PlanRuleValue
from anwen.once.tokens import new_token
from anwen.workflow.models import Event

from .through_pages import at, events, register, step, timer, told

INCIDENT = {
    "subject": "学生课间从楼梯摔倒骨折",
    "content": "四年级学生课间在二楼楼梯追逐摔倒，右臂骨折，已送医。",
    "received_at": "2026-10-12T09:40",
    "happened_at": "2026-10-12T09:30",
    "category": "injury",
    "injured": "1",
}


@pytest.mark.req("PC1.6")
def test_the_written_report_is_due_within_the_plans_hours_of_the_moment_it_happened(
    client, login, world
):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.school)
        case = register(client, "incident", world.S1, **INCIDENT)
        assert case.number.startswith("SG-2026-") and case.state == "registered"
        assert case.details["category"] == "injury" and case.details["injured"] == 1
        report = timer(case, "report")
        assert report.in_hours and report.due_at == at(2026, 10, 13, 9, 30)  # 24 h from 9:30
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "2026-10-12 09:30" in page and "校内或体育活动受伤" in page

        clock.move_to(at(2026, 10, 12, 16))
        login(world.school)
        step(client, case, "report")  # the report says what was reported
        case.refresh_from_db()
        assert case.state == "registered"
        step(client, case, "report", note="书面报告已报区教委安稳办。")
        case.refresh_from_db()
        assert case.state == "reported" and timer(case, "report").on_time is True


@pytest.mark.req("PC1.6")
def test_a_report_after_the_limit_is_overdue_and_late(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.school)
        case = register(client, "incident", world.S1, **INCIDENT)
        clock.move_to(at(2026, 10, 13, 9, 31))
        login(world.school)
        assert case.number in client.get("/cases/?overdue=1").content.decode()
        step(client, case, "report", note="补报书面报告。")
        assert timer(case, "report").on_time is False


@pytest.mark.req("PC1.6")
def test_the_plan_sets_the_hours(client, login, world):
    plan = Plan.objects.create(owner=world.B1, code="plan-2026", name="2026年工作要点", year=2026)
    PlanRuleValue.objects.create(plan=plan, key="cases.incident_report_hours", value=2)
    with time_machine.travel(at(2026, 10, 12, 10), tick=False):
        login(world.school)
        case = register(client, "incident", world.S1, **INCIDENT)
    assert timer(case, "report").due_at == at(2026, 10, 12, 11, 30)


@pytest.mark.req("PC1.6")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_it_cannot_have_happened_in_the_future_or_after_it_was_received(client, login, world):
    login(world.school)
    for happened in ("2026-10-12T11:00", "2026-10-12T09:45"):
        response = client.post(
            "/cases/new/incident/",
            {"once": new_token(), "org": world.S1.pk, **INCIDENT, "happened_at": happened},
        )
        assert response.status_code == 200
        assert "发生时间不能晚于" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.req("PC1.6")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_incidents_are_registered_by_schools(client, login, world):
    login(world.bureau)
    page = client.get("/cases/new/incident/").content.decode()
    assert world.S1.name in page and world.B1.name not in page.split("<select")[1]
    response = client.post(
        "/cases/new/incident/", {"once": new_token(), **INCIDENT, "org": world.B1.pk}
    )
    assert response.status_code == 200 and not Case.objects.exists()
    register(client, "incident", world.S1, **INCIDENT)  # the bureau may for a school


@pytest.mark.req("PC1.6")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_handled_settled_with_compensation_and_closed(client, login, world):
    login(world.school)
    case = register(client, "incident", world.S1, **INCIDENT)
    step(client, case, "report", note="书面报告已报送。")
    step(client, case, "progress", note="班主任陪同就医，校长与家长沟通。")
    step(client, case, "settle", compensation="on", settlement="经调解达成赔偿协议。")
    case.refresh_from_db()
    assert case.state == "reported"  # compensation agreed, but how much?
    step(client, case, "settle", amount="800", settlement="未达成赔偿，金额不应填写。")
    case.refresh_from_db()
    assert case.state == "reported" and "amount" not in case.details
    step(
        client,
        case,
        "settle",
        compensation="on",
        amount="12000.50",
        settlement="经人民调解委员会调解，学平险理赔后学校补偿。",
    )
    case.refresh_from_db()
    assert case.state == "settled"
    assert case.details["compensation"] is True and case.details["amount"] == "12000.50"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "12000.50" in page and "人民调解委员会" in page
    step(client, case, "close")
    case.refresh_from_db()
    assert case.state == "closed" and case.closed
    assert events(case) == ["created", "report", "progress", "settle", "close"]


@pytest.mark.req("PC1.6")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_a_risk_of_disturbance_is_flagged_with_measures_and_the_supervisors_told(
    client, login, world
):
    login(world.school)
    case = register(client, "incident", world.S1, **INCIDENT)
    step(client, case, "disturbance")  # the measures are the point
    case.refresh_from_db()
    assert "disturbance_risk" not in case.details
    step(client, case, "disturbance", measures="校长专人对接家属，校门加强安保，已通报派出所。")
    case.refresh_from_db()
    assert case.details["disturbance_risk"] is True
    assert "专人对接家属" in case.details["disturbance_measures"]
    assert told(world.bureau, case, "disturbance") == 1
    assert told(world.leader, case, "disturbance") == 1
    login(world.centre)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "存在校闹风险" in page and "专人对接家属" in page


@pytest.mark.day(at(2026, 10, 12, 10))
def test_another_districts_user_gets_404_and_writes_nothing(client, login, world):
    login(world.school)
    case = register(client, "incident", world.S1, **INCIDENT)
    before = Event.objects.count()
    for user in (world.other_bureau, world.other_school):
        login(user)
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        for name in ("report", "progress", "disturbance", "settle", "close", "urge"):
            response = step(client, case, name, note="越权", measures="越权", settlement="越权")
            assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "registered" and Event.objects.count() == before
