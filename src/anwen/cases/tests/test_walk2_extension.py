"""The second walk of issue 9: a handler who needs more time asks the leader for an
extension; the ask lands in the leader's inbox and notifications, the leader extends (once, as
the plan allows) or refuses, and the handler is told — by number, never by name."""

from datetime import datetime

import pytest
from django.utils import timezone

from anwen.outbox.models import Delivery, Notice
from anwen.workflow.models import Timer

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()
REASON = "需住建、市场监管两部门联合核查"


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def handle_timer(case) -> Timer:
    return Timer.objects.get(record_type="cases.petition", record_id=case.pk, name="handle")


def accepted(client, login, world, clerk, dept, **extra):
    login(clerk)
    case = register_letter(client, world, **extra)
    step(client, case, "assign", handler=handler_value(case, dept))
    login(dept)
    step(client, case, "accept")
    case.refresh_from_db()
    assert case.state == "handling"
    return case


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(11, 20))
def test_the_handler_asks_the_leader_extends_once_and_the_handler_is_told(
    client, login, world, clerk, dept
):
    case = accepted(client, login, world, clerk, dept, received_at="2026-11-20T09:00")
    leader = world.users["leader"]
    due = handle_timer(case).due_on

    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-ask_extension" in body and "申请延期（报领导审批）" in body
    ask = body[body.index('class="narrow-form step-ask_extension"') :]
    ask = ask[: ask.index("</form>")]
    assert ask.count("<textarea") == 1 and "延期理由" in ask  # the reason is the note
    assert "step-extend" not in body  # only a leader extends
    # More than the plan's 30 days is refused with a message, nothing kept.
    step(client, case, "ask_extension", days="45", note=REASON)
    case.refresh_from_db()
    assert "extension_asked" not in case.details
    assert "30" in client.get(f"/cases/{case.pk}/").content.decode()

    assert step(client, case, "ask_extension", days="20", note=REASON).status_code == 302
    case.refresh_from_db()
    assert case.details["extension_asked"] == {"days": 20, "reason": REASON}
    assert handle_timer(case).due_on == due  # asking extends nothing
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已申请延期 20 天，等待领导审批。" in body
    assert "step-ask_extension" not in body  # one ask at a time

    # The leader is told, by number only, and finds it in the inbox.
    notice = Notice.objects.get(key__startswith=f"cases:{case.pk}:extension_asked:")
    assert case.number in notice.title and "申请延期" in notice.title
    assert "王小明" not in notice.title and "食堂" not in notice.title
    assert Delivery.objects.filter(notice=notice, user=leader, channel="app").exists()
    assert not Delivery.objects.filter(notice=notice, user=dept).exists()
    login(leader)
    inbox = client.get("/inbox/").content.decode()
    assert case.number in inbox and "申请延期 20 天待审批" in inbox
    assert case.number in client.get("/notifications/").content.decode()
    # The leader reads why (the reason is on the case's face) though not the file.
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert REASON in body and "王小明" not in body
    assert 'value="20"' in body  # the extension form offers what was asked
    assert "step-refuse_extension" in body

    assert step(client, case, "extend", days="20", note="同意延期").status_code == 302
    case.refresh_from_db()
    timer = handle_timer(case)
    assert timer.extended_days == 20 and timer.due_on > due
    assert "extension_asked" not in case.details
    assert case.number not in client.get("/inbox/").content.decode()
    granted = Notice.objects.get(key__startswith=f"cases:{case.pk}:extension_granted:")
    assert Delivery.objects.filter(notice=granted, user=dept).exists()
    assert not Delivery.objects.filter(notice=granted, user=leader).exists()

    # One extension: no second ask, no second extension offered.
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-extend" not in body
    login(dept)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-ask_extension" not in body
    step(client, case, "ask_extension", days="5", note=REASON)
    case.refresh_from_db()
    assert "extension_asked" not in case.details
    assert handle_timer(case).extended_days == 20


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(11, 20))
def test_the_leader_refuses_an_extension_and_the_handler_may_ask_again(
    client, login, world, clerk, dept
):
    case = accepted(client, login, world, clerk, dept, received_at="2026-11-20T09:00")
    step(client, case, "ask_extension", days="10", note=REASON)
    leader = world.users["leader"]
    login(leader)
    # A refusal says why.
    step(client, case, "refuse_extension")
    case.refresh_from_db()
    assert "extension_asked" in case.details
    step(client, case, "refuse_extension", note="期限内可办结，不予延期")
    case.refresh_from_db()
    assert "extension_asked" not in case.details
    assert handle_timer(case).extended_days == 0
    refused = Notice.objects.get(key__startswith=f"cases:{case.pk}:extension_refused:")
    assert Delivery.objects.filter(notice=refused, user=dept).exists()
    login(dept)
    assert "step-ask_extension" in client.get(f"/cases/{case.pk}/").content.decode()


@pytest.mark.day(at(11, 20))
def test_nobody_but_a_named_handler_asks_and_another_district_answers_404(
    client, login, world, clerk, dept
):
    case = accepted(client, login, world, clerk, dept, received_at="2026-11-20T09:00")
    login(world.users["bureau"])  # sees the case, handles nothing of it
    step(client, case, "ask_extension", days="10", note=REASON)
    login(world.users["other_bureau"])
    assert step(client, case, "ask_extension", days="10", note=REASON).status_code == 404
    login(world.users["leader"])
    assert step(client, case, "refuse_extension", note="x").status_code == 302  # nothing asked
    case.refresh_from_db()
    assert "extension_asked" not in case.details
    assert not Notice.objects.filter(key__contains="extension").exists()
    assert handle_timer(case).extended_days == 0


@pytest.mark.day(at(11, 20))
def test_the_page_offers_a_hearing_s_end_only_while_one_runs(client, login, world, clerk, dept):
    case = accepted(client, login, world, clerk, dept, received_at="2026-11-20T09:00")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-hearing_start" in body and "step-hearing_end" not in body
    step(client, case, "hearing_start", note="组织听证")
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-hearing_start" not in body and "step-hearing_end" in body


@pytest.mark.req("PS1.3")
def test_an_urging_waits_on_whom_the_case_was_handed_to_not_the_first_receiver(
    client, login, world, clerk, dept, time_machine
):
    time_machine.move_to(at(9, 28), tick=False)
    case = accepted(client, login, world, clerk, dept, received_at="2026-09-28T09:00")
    time_machine.move_to(at(12, 1), tick=False)  # the handling clock ran out
    login(world.users["leader"])
    step(client, case, "urge", note="已超期，请立即办理")
    login(dept)
    client.get("/cases/")
    assert case.number in client.get("/inbox/").content.decode()
    login(clerk)
    client.get("/cases/")
    assert case.number not in client.get("/inbox/").content.decode()
    # Told, though: the first receiver hears of the urging of what they handed over.
    notice = Notice.objects.get(key__startswith=f"cases:{case.pk}:urged:")
    assert Delivery.objects.filter(notice=notice, user=clerk).exists()
