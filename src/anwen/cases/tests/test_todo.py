"""What cases wait on whom in the inbox (to accept or hand over, to handle, urged), overdue
first, in a fixed number of queries; the clocks' reminders, once each; the supervisor's
urging (督办) in the handler's inbox and notifications."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from anwen.cases import todo
from anwen.cases.reminders import remind_clocks
from anwen.outbox.models import Delivery, Notice

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def items(user):
    return todo.waiting_on(user, today=timezone.localdate())


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(9, 28))
def test_a_new_case_waits_on_the_office_then_on_whom_it_was_handed_to(
    client, login, world, clerk, dept
):
    login(clerk)
    case = register_letter(client, world)
    [item] = items(clerk)
    assert item.kind == "cases.route" and case.number in item.title
    assert item.url == f"/cases/{case.pk}/"
    # Dated by the handlers' own limit (acceptance, 15 days); the objection window is the
    # receiving body's right, not a limit on anyone.
    assert item.due == date(2026, 10, 13)
    assert "食堂" not in item.title + item.detail  # never the subject
    # A petition is confidential: only its named handlers route it (who.may_route), so the
    # bureau's officers, who register too, are not asked to; nor the leader, a centre, another
    # district.
    for name in ("bureau", "leader", "centre", "other_bureau", "school", "teacher"):
        assert items(world.users[name]) == [], name
    assert items(dept) == []

    step(client, case, "assign", handler=handler_value(case, dept))
    assert items(clerk) == []  # handed over: it is the department's now
    [mine] = items(dept)
    assert mine.kind == "cases.handle" and mine.org_name == world.orgs["D1"].name
    login(dept)
    step(client, case, "accept")
    [mine] = items(dept)
    assert mine.due == date(2026, 11, 27)  # the handling clock


@pytest.mark.req("PS1.3")
def test_overdue_cases_come_first_with_their_due_dates(client, login, world, clerk, time_machine):
    time_machine.move_to(at(9, 28), tick=False)
    login(clerk)
    later = register_letter(client, world, received_at="2026-09-28T09:00")
    earlier = register_letter(client, world, received_at="2026-09-01T09:00")
    time_machine.move_to(at(9, 30), tick=False)
    rows = items(clerk)
    assert [r.url for r in rows] == [f"/cases/{earlier.pk}/", f"/cases/{later.pk}/"]
    assert rows[0].state(timezone.localdate()) == "overdue"
    assert rows[1].state(timezone.localdate()) == "open"
    login(clerk)  # a new session two days on
    page = client.get("/inbox/").content.decode()
    page = page[page.index("inbox-group") :]  # past the messages of the registrations
    assert earlier.number in page and later.number in page
    assert page.index(earlier.number) < page.index(later.number)


@pytest.mark.day(at(9, 28))
def test_the_inbox_takes_the_same_queries_whatever_the_history(
    client, login, world, clerk, dept, django_assert_max_num_queries
):
    login(clerk)
    first = register_letter(client, world)
    step(client, first, "assign", handler=handler_value(first, dept))
    items(clerk), items(dept)  # the roles cached, as in a request
    with django_assert_max_num_queries(2):
        assert len(items(clerk)) == 0
    with django_assert_max_num_queries(2):
        assert len(items(dept)) == 1
    for _n in range(6):
        case = register_letter(client, world)
        step(client, case, "assign", handler=handler_value(case, dept))
        login(world.users["leader"])
        step(client, case, "urge", note="请加快办理")
        login(clerk)
    register_letter(client, world)
    with django_assert_max_num_queries(2):
        assert len(items(clerk)) == 1
    with django_assert_max_num_queries(2):
        assert len(items(dept)) == 7


@pytest.mark.req("PS1.3")
def test_urging_lands_in_the_handlers_inbox_and_notifications(
    client, login, world, clerk, dept, time_machine, settings
):
    time_machine.move_to(at(9, 28), tick=False)
    login(clerk)
    case = register_letter(client, world)
    step(client, case, "assign", handler=handler_value(case, dept))
    login(dept)
    step(client, case, "accept")
    dept.email = "dept@example.cn"
    dept.save(update_fields=["email"])

    time_machine.move_to(at(12, 1), tick=False)  # the handling clock ran out on 27 November
    leader = world.users["leader"]
    login(leader)
    assert step(client, case, "urge", note="已超期，请立即办理").status_code == 302
    urged = [i for i in items(dept) if i.kind == "cases.urged"]
    assert len(urged) == 1 and case.number in urged[0].title
    assert urged[0].state(timezone.localdate()) == "overdue"
    login(dept)
    inbox = client.get("/inbox/").content.decode()
    assert case.number in inbox and "督办" in inbox
    notice = Notice.objects.get(key__startswith=f"cases:{case.pk}:urged:")
    assert case.number in notice.title and "督办" in notice.title
    assert Delivery.objects.filter(notice=notice, user=dept, channel="app").exists()
    assert Delivery.objects.filter(notice=notice, user=dept, channel="email").exists()
    assert case.number in client.get("/notifications/").content.decode()
    # The handler acts: the urging is answered, the case is an ordinary one again.
    step(client, case, "hearing_start", note="组织听证")
    assert [i.kind for i in items(dept)] == ["cases.handle"]


@pytest.mark.req("PS1.3")
def test_due_soon_and_overdue_clocks_tell_the_handlers_once(
    client, login, world, clerk, time_machine
):
    time_machine.move_to(at(9, 28), tick=False)
    login(clerk)
    case = register_letter(client, world)
    assert remind_clocks() == {"due": 0, "overdue": 0}

    time_machine.move_to(at(10, 8), tick=False)  # the objection window (10 October) tells no one
    assert remind_clocks() == {"due": 0, "overdue": 0}
    time_machine.move_to(at(10, 11), tick=False)
    # Acceptance (13 October) due soon.
    assert remind_clocks() == {"due": 1, "overdue": 0}
    assert remind_clocks() == {"due": 0, "overdue": 0}  # run twice: nobody told twice
    time_machine.move_to(at(10, 14), tick=False)
    assert remind_clocks() == {"due": 0, "overdue": 1}
    assert remind_clocks() == {"due": 0, "overdue": 0}

    notices = Notice.objects.filter(key__startswith=f"cases:{case.pk}:")
    assert notices.count() == 2
    assert Delivery.objects.filter(notice__in=notices, user=clerk, channel="app").count() == 2
    for n in notices:
        assert case.number in n.title
        assert "王小明" not in n.title + n.body and "食堂" not in n.title + n.body
    assert not mail.outbox or all("王小明" not in m.body for m in mail.outbox)


@pytest.mark.day(at(9, 28))
def test_the_tick_reminds_once(client, login, world, clerk, time_machine):
    from anwen.cases.reminder_tasks import remind_case_clocks
    from anwen.web.schedule import PERIODIC_TASKS

    assert remind_case_clocks in PERIODIC_TASKS
    login(clerk)
    register_letter(client, world)
    time_machine.move_to(at(10, 14), tick=False)
    remind_case_clocks.call()
    remind_case_clocks.call()
    assert Notice.objects.filter(key__contains=":overdue:").count() == 1  # acceptance only


@pytest.mark.req("PS1.3")
def test_the_writers_window_to_ask_for_a_review_reminds_nobody(
    client, login, world, clerk, time_machine
):
    time_machine.move_to(at(9, 28), tick=False)
    login(clerk)
    case = register_letter(client, world)
    step(client, case, "accept")
    step(client, case, "reply", outcome="upheld", reply="已解决。")
    time_machine.move_to(at(11, 20), tick=False)  # the 30 days to ask have passed
    assert remind_clocks() == {"due": 0, "overdue": 0}
    [item] = items(clerk)
    assert item.due is None and item.kind == "cases.handle"  # to archive, no time limit
