"""A threat against teachers or students through the generic pages (PS3.3): urgent, everyone
concerned alerted at once; acknowledged within the plan's hour, or escalated by the periodic
job — the centre, then the bureau's leaders — once per rung however often and however many
times at once the job runs; reported to the police as a recorded step; confidential."""

import pytest
import time_machine

from anwen.cases import threats
from anwen.cases.models import Case
from anwen.cases.tasks import escalate_unacknowledged_threats
from anwen.outbox.models import Delivery, Notice
from anwen.web.schedule import PERIODIC_TASKS
from anwen.workflow.models import Event

from .through_pages import at, events, register, step, timer, told

THREAT = {
    "channel": "in_person",
    "subject": "学生家长扬言报复班主任",
    "content": "家长张某在校门口称要让班主任刘老师付出代价。",
    "received_at": "2026-10-12T09:50",
    "name": "刘老师",
    "phone": "13700002222",
    "target": "teacher",
    "threatener": "张某，学生家长",
}
SECRETS = ("学生家长扬言报复班主任", "付出代价", "刘老师", "13700002222", "张某")


def _registered(client, login, world) -> Case:
    login(world.school)
    return register(client, "threat", world.S1, **THREAT)


@pytest.mark.req("PS3.3")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_a_threat_is_urgent_and_everyone_concerned_is_told_at_once(client, login, world):
    case = _registered(client, login, world)
    assert case.number.startswith("YY-2026-") and case.urgent and case.state == "reported"
    assert case.details == {"target": "teacher"} and case.private == {
        "threatener": "张某，学生家长"
    }
    for user in (world.school, world.bureau, world.leader):
        assert told(user, case, "alarm") == 1
    acknowledge = timer(case, "acknowledge")
    assert acknowledge.in_hours and acknowledge.due_at == at(2026, 10, 12, 11)  # 1 hour
    for notice in Notice.objects.filter(key__startswith=f"cases:{case.pk}:"):
        assert not any(secret in notice.title + notice.body for secret in SECRETS)


@pytest.mark.req("PS3.3")
def test_someone_else_acknowledges_in_time_and_then_reads_it(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        case = _registered(client, login, world)
        step(client, case, "acknowledge")  # the one who reported it does not acknowledge it
        case.refresh_from_db()
        assert case.state == "reported"
        clock.move_to(at(2026, 10, 12, 10, 40))
        login(world.principal)
        assert "刘老师" not in client.get(f"/cases/{case.pk}/").content.decode()
        step(client, case, "acknowledge")
        case.refresh_from_db()
        assert case.state == "acknowledged" and timer(case, "acknowledge").on_time is True
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "刘老师" in page and "张某，学生家长" in page  # a named handler now
        step(client, case, "resolve", note="已约谈家长并由派出所训诫，班主任情绪稳定。")
        case.refresh_from_db()
        assert case.state == "resolved" and case.closed
    assert threats.escalate_unacknowledged(now=at(2026, 10, 12, 23)) == {"escalated": 0}


@pytest.mark.req("PS3.3")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_reporting_to_the_police_is_a_recorded_step(client, login, world):
    case = _registered(client, login, world)
    step(client, case, "report_police", police_reference="青峰派出所 2026101200031")
    case.refresh_from_db()
    assert case.details["police_reported"] is True
    assert case.private["police_reference"] == "青峰派出所 2026101200031"
    assert case.state == "reported"  # still waiting for someone to take it up
    assert events(case) == ["created", "report_police"]
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已报警" in page and "2026101200031" in page


@pytest.mark.req("PS3.3")
def test_nobody_acknowledges_and_the_ladder_is_climbed_once_per_rung(client, login, world):
    assert escalate_unacknowledged_threats in PERIODIC_TASKS
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        case = _registered(client, login, world)
        assert escalate_unacknowledged_threats.call() == {"escalated": 0}  # not due yet

        clock.move_to(at(2026, 10, 12, 11, 1))  # the hour has run out: the centre
        assert escalate_unacknowledged_threats.call() == {"escalated": 1}
        assert escalate_unacknowledged_threats.call() == {"escalated": 0}
        assert told(world.centre, case, "unacknowledged") == 1
        assert told(world.centre2, case, "unacknowledged") == 0  # another centre's people
        assert told(world.leader, case, "unacknowledged") == 0

        clock.move_to(at(2026, 10, 12, 12, 1))  # another hour: the bureau's leaders
        assert escalate_unacknowledged_threats.call() == {"escalated": 1}
        assert escalate_unacknowledged_threats.call() == {"escalated": 0}
        assert told(world.leader, case, "unacknowledged") == 1
        assert told(world.centre, case, "unacknowledged") == 1

        login(world.centre)  # told, the centre takes it up
        step(client, case, "acknowledge")
        case.refresh_from_db()
        assert case.state == "acknowledged" and timer(case, "acknowledge").on_time is False
        clock.move_to(at(2026, 10, 13, 9))
        assert escalate_unacknowledged_threats.call() == {"escalated": 0}
    assert events(case) == ["created", "escalated", "escalated", "acknowledge"]
    rungs = Event.objects.filter(record_id=case.pk, name="escalated").values_list("key", flat=True)
    assert sorted(rungs) == ["escalate:1", "escalate:2"]
    title = Notice.objects.get(key=f"cases:{case.pk}:unacknowledged:1").title
    assert title == f"扬言侵害师生事件 {case.number}：逾期无人签收，已上报给您"


@pytest.mark.req("PS3.3")
def test_two_runs_at_once_climb_a_rung_once_and_tell_nobody_twice(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        case = _registered(client, login, world)
        clock.move_to(at(2026, 10, 12, 13))  # both rungs due at once
        # Two runs that both found the case before either wrote: each tries each rung.
        first = [threats.escalate_step(case, 1), threats.escalate_step(case, 2)]
        deliveries = Delivery.objects.count()
        second = [threats.escalate_step(case, 1), threats.escalate_step(case, 2)]
        assert first == [True, True] and second == [False, False]
        assert Delivery.objects.count() == deliveries
        assert threats.escalate_unacknowledged() == {"escalated": 0}
    assert told(world.centre, case, "unacknowledged") == 1
    assert told(world.leader, case, "unacknowledged") == 1
    assert Event.objects.filter(record_id=case.pk, name="escalated").count() == 2


@pytest.mark.req("PS3.3")
def test_a_bureaus_own_threat_skips_the_centre(client, login, world):
    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.bureau)
        case = register(client, "threat", world.B1, **THREAT)
        clock.move_to(at(2026, 10, 12, 12, 1))
        assert threats.escalate_unacknowledged() == {"escalated": 1}
    assert told(world.leader, case, "unacknowledged") == 1
    assert told(world.centre, case, "unacknowledged") == 0


@pytest.mark.req("PS3.3")
@pytest.mark.req("PL2")
@pytest.mark.day(at(2026, 10, 12, 10))
def test_without_the_grant_nobody_sees_a_name_or_the_content_on_the_page_or_the_list(
    client, login, world
):
    case = _registered(client, login, world)
    step(client, case, "report_police", police_reference="回执2026101200031")
    for user in (world.bureau, world.leader, world.centre):  # they see it exists, not what
        login(user)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert case.number in page
        for secret in (*SECRETS, "回执2026101200031"):
            assert secret not in page, (user.username, secret)
        listing = client.get("/cases/?type=threat").content.decode()
        assert case.number in listing
        searched = client.get("/cases/?q=扬言报复").content.decode()
        for secret in SECRETS:
            assert secret not in listing and secret not in searched
        assert case.number not in searched  # a search cannot find it by what it says


@pytest.mark.day(at(2026, 10, 12, 10))
def test_another_districts_user_gets_404_and_writes_nothing(client, login, world):
    case = _registered(client, login, world)
    before = (Event.objects.count(), Delivery.objects.count())
    login(world.other_bureau)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for name in ("acknowledge", "report_police", "alarm", "urge", "resolve"):
        assert step(client, case, name, note="越权").status_code == 404
    case.refresh_from_db()
    assert case.state == "reported"
    assert (Event.objects.count(), Delivery.objects.count()) == before
