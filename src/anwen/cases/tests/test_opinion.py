"""A public-opinion item through the generic pages (PS3.2): logged with its platform, link and
summary, assessed within the plan's hours, answered within the plan's hours of the assessment,
closed; clocks in hours, moved by the plan."""

from datetime import timedelta

import pytest
import time_machine

from anwen.obligations.models import Plan, PlanRuleValue
from anwen.workflow.models import Event

from .through_pages import at, events, register, step, timer, told

ITEM = {
    "channel": "weibo",
    "subject": "网传某小学食堂饭菜变质",
    "content": "微博用户发帖称学校午餐有异味，配图三张，转发约200次。",
    "received_at": "2026-10-12T09:00",
    "link": "weibo.com/1234567890/Abcdef",
}


@pytest.mark.req("PS3.2")
def test_an_item_is_logged_assessed_answered_and_closed_within_its_hours(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 9, 30), tick=False) as clock:
        login(world.bureau)
        case = register(client, "opinion", world.B1, **ITEM)
        assert case.number.startswith("YQ-2026-") and case.state == "logged"
        assert case.details == {"link": ITEM["link"]}
        assess = timer(case, "assess")
        assert assess.in_hours and assess.due_at == at(2026, 10, 12, 11)  # 2 hours from 9:00
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "微博" in page and "2026-10-12 11:00" in page and ITEM["link"] in page

        clock.move_to(at(2026, 10, 12, 10, 30))
        login(world.bureau)
        step(client, case, "assess", level="significant")
        case.refresh_from_db()
        assert case.state == "assessed" and case.details["level"] == "significant"
        assert timer(case, "assess").on_time is True
        assert timer(case, "answer").due_at == at(2026, 10, 13, 10, 30)  # 24 hours later

        clock.move_to(at(2026, 10, 12, 16))
        login(world.bureau)
        step(client, case, "answer")  # an answer says what was answered
        case.refresh_from_db()
        assert case.state == "assessed"
        step(client, case, "answer", response="学校在官方微博发布情况说明，市场监管部门抽检合格。")
        case.refresh_from_db()
        assert case.state == "answered" and timer(case, "answer").on_time is True
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "较大" in page and "情况说明" in page
        step(client, case, "close")
        case.refresh_from_db()
        assert case.state == "closed" and case.closed
    assert events(case) == ["created", "assess", "answer", "close"]


@pytest.mark.req("PS3.2")
def test_an_item_not_assessed_in_time_is_overdue_and_assessed_late(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 9, 30), tick=False) as clock:
        login(world.school)
        case = register(client, "opinion", world.S1, **ITEM)
        clock.move_to(at(2026, 10, 12, 11, 1))
        login(world.school)
        assert case.number in client.get("/cases/?overdue=1").content.decode()
        step(client, case, "assess", level="general")
        assert timer(case, "assess").on_time is False


@pytest.mark.req("PS3.2")
def test_the_plan_sets_the_hours(client, login, world):
    plan = Plan.objects.create(owner=world.B1, code="plan-2026", name="2026年工作要点", year=2026)
    PlanRuleValue.objects.create(plan=plan, key="cases.opinion_assess_hours", value=1)
    PlanRuleValue.objects.create(plan=plan, key="cases.opinion_answer_hours", value=4)
    with time_machine.travel(at(2026, 10, 12, 9, 30), tick=False):
        login(world.centre)
        case = register(client, "opinion", world.C1, **ITEM)
        assert timer(case, "assess").due_at == at(2026, 10, 12, 10)
        step(client, case, "assess", level="general")
        assert timer(case, "answer").due_at == at(2026, 10, 12, 9, 30) + timedelta(hours=4)


@pytest.mark.req("PS3.2")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_a_major_item_tells_the_supervisors_at_once(client, login, world):
    login(world.school)
    case = register(client, "opinion", world.S1, **ITEM)
    step(client, case, "assess", level="major")
    assert told(world.bureau, case, "alarm") == 1 and told(world.leader, case, "alarm") == 1


@pytest.mark.day(at(2026, 10, 12, 10))
def test_only_a_level_of_the_list_is_taken(client, login, world):
    login(world.bureau)
    case = register(client, "opinion", world.B1, **ITEM)
    step(client, case, "assess", level="catastrophic")
    case.refresh_from_db()
    assert case.state == "logged" and "level" not in case.details


@pytest.mark.day(at(2026, 10, 12, 10))
def test_another_districts_user_gets_404_and_writes_nothing(client, login, world):
    login(world.bureau)
    case = register(client, "opinion", world.B1, **ITEM)
    before = Event.objects.count()
    login(world.other_bureau)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for name in ("assess", "answer", "close", "urge"):
        assert step(client, case, name, level="major", note="越权").status_code == 404
    case.refresh_from_db()
    assert case.state == "logged" and Event.objects.count() == before
