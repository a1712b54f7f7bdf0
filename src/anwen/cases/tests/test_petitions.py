"""A petition's life through the pages: registered by the clerk, handed to a department,
accepted, handled within the law's clocks, replied, reviewed and archived."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.cases.models import Case
from anwen.workflow.models import Event, Timer

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()


def timers(case) -> dict[str, Timer]:
    return {
        t.name: t for t in Timer.objects.filter(record_id=case.pk, record_type="cases.petition")
    }


def at(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TZ)


@pytest.mark.req("PS1.1")
@pytest.mark.day(at(2026, 9, 28, 10))
def test_clerk_registers_a_letter_and_is_its_first_receiver(client, login, world, clerk):
    login(clerk)
    case = register_letter(client, world)
    assert case.number == "XF-2026-0001"
    assert case.channel == "letter" and case.state == "received"
    assert case.first_receiver == clerk and case.owner == clerk
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "食堂收费问题" in page and "王小明" in page  # the first receiver is a handler
    assert "首接" in page or "测试clerk" in page


@pytest.mark.req("PS1.1")
@pytest.mark.day(at(2026, 9, 28, 10))
def test_a_group_visit_sends_at_most_five_representatives(client, login, world, clerk):
    login(clerk)
    response = client.post(
        "/cases/new/petition/",
        {
            "once": "x" * 20,
            "org": str(world.orgs["B1"].pk),
            "channel": "visit",
            "subject": "集体访",
            "received_at": "2026-09-28T09:30",
            "representatives": "6",
        },
    )
    assert response.status_code == 200
    assert "5" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(2026, 9, 28, 10))
def test_acceptance_and_objection_clocks_run_across_national_day(client, login, world, clerk):
    """Received Monday 28 September 2026: fifteen days end on 13 October; five working days
    skip the holiday of 1–7 October and count the 调休 Saturday of 10 October."""
    login(clerk)
    case = register_letter(client, world)
    t = timers(case)
    assert t["accept"].due_on == date(2026, 10, 13)
    assert t["object"].due_on == date(2026, 10, 10)


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(2026, 9, 22, 10))
def test_a_period_ending_in_the_holiday_ends_on_the_next_working_day(client, login, world, clerk):
    login(clerk)
    case = register_letter(client, world, received_at="2026-09-22T09:00")
    assert timers(case)["accept"].due_on == date(2026, 10, 8)  # 7 October is a holiday


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(2026, 2, 13, 10))
def test_objection_clock_across_the_spring_festival(client, login, world, clerk):
    """Friday 13 February 2026: the 调休 Saturday 14th counts, 16–20 and 23 are off."""
    login(clerk)
    case = register_letter(client, world, received_at="2026-02-13T09:00")
    assert timers(case)["object"].due_on == date(2026, 2, 27)


@pytest.mark.req("PS1.2")
@pytest.mark.req("PS1.3")
@pytest.mark.req("PS1.4")
def test_the_six_steps_with_extension_hearing_and_review(client, login, world, clerk, dept):
    with time_machine.travel(at(2026, 9, 28, 10), tick=False) as clock:
        login(clerk)
        case = register_letter(client, world)
        # 任务分办: handed to the safety office's staff member, who owns it now.
        assert step(client, case, "assign", handler=handler_value(case, dept)).status_code == 302
        case.refresh_from_db()
        assert case.owner == dept and case.handling_org == world.orgs["D1"]
        assert case.first_receiver == clerk

        clock.move_to(at(2026, 9, 30, 10))
        login(dept)
        assert "食堂收费问题" in client.get(f"/cases/{case.pk}/").content.decode()
        step(client, case, "accept")
        case.refresh_from_db()
        assert case.state == "handling"
        t = timers(case)
        assert t["accept"].on_time is True
        assert t["handle"].due_on == date(2026, 11, 30)  # 60 days from 30 September (a Sunday+1)

        # One extension with a leader's approval, the writer told why.
        login(world.users["leader"])
        step(client, case, "extend", days="30", note="涉及多部门核查，需延期")
        assert timers(case)["handle"].due_on == date(2026, 12, 30)
        response = step(client, case, "extend", days="10", note="再次延期")
        assert timers(case)["handle"].due_on == date(2026, 12, 30)  # only once

        # A hearing holds the clock; its days do not count.
        clock.move_to(at(2026, 10, 12, 10))
        login(dept)
        step(client, case, "hearing_start", note="组织听证")
        clock.move_to(at(2026, 10, 18, 10))
        login(dept)  # six days later: a new session
        step(client, case, "hearing_end", note="听证结束")
        assert timers(case)["handle"].due_on == date(2027, 1, 5)  # six days more

        step(
            client,
            case,
            "reply",
            outcome="not_upheld",
            reply="经核查，收费符合标准，已作解释说明。",
        )
        case.refresh_from_db()
        assert case.state == "replied" and case.outcome == "not_upheld"
        assert timers(case)["review_ask"].due_on == date(2026, 11, 17)

        # The writer asks for a review within 30 days; the review answers within 30 days.
        clock.move_to(at(2026, 11, 2, 10))
        login(clerk)
        step(client, case, "request_review", note="写信人申请复查")
        case.refresh_from_db()
        assert case.state == "reviewing"
        assert timers(case)["review"].due_on == date(2026, 12, 2)
        login(dept)
        step(client, case, "review_reply", outcome="not_upheld", reply="复查维持原意见。")
        login(clerk)
        step(client, case, "archive")
        case.refresh_from_db()
        assert case.state == "archived" and case.closed
        page = client.get(f"/cases/{case.pk}/").content.decode()

    names = list(
        Event.objects.filter(record_type="cases.petition", record_id=case.pk).values_list(
            "name", flat=True
        )
    )
    assert names == [
        "created",
        "assign",
        "accept",
        "extend",
        "hearing_start",
        "hearing_end",
        "reply",
        "request_review",
        "review_reply",
        "archive",
    ]
    assert response.status_code == 302
    for word in ("任务分办", "整理归档"):
        assert word in page


@pytest.mark.req("PS1.6")
@pytest.mark.day(at(2026, 10, 20, 10))
def test_repeat_petitions_are_linked_and_shown_to_handlers_only(client, login, world, clerk):
    login(clerk)
    first = register_letter(client, world, received_at="2026-10-01T09:00")
    # The same writer (by phone) again: linked without anyone typing a number.
    second = register_letter(
        client, world, subject="再次反映食堂收费", name="王 小明", received_at="2026-10-15T09:00"
    )
    assert second.repeat_of == first
    # Another writer on the same matter, linked by its number.
    third = register_letter(
        client,
        world,
        name="李四",
        phone="13900139000",
        same_matter=first.number,
        received_at="2026-10-16T09:00",
    )
    assert third.repeat_of == first
    page = client.get(f"/cases/{first.pk}/").content.decode()
    assert second.number in page and third.number in page
    # A supervisor who is no handler sees the case exists, not who wrote or what.
    login(world.users["leader"])
    page = client.get(f"/cases/{first.pk}/").content.decode()
    assert first.number in page
    assert "王小明" not in page and "13800138000" not in page and "食堂收费" not in page
    assert second.number not in page


@pytest.mark.day(at(2026, 10, 20, 10))
def test_same_matter_must_be_a_case_one_sees(client, login, world, clerk, other_clerk):
    login(other_clerk)
    theirs = register_letter(
        client, world, org=str(world.orgs["B2"].pk), received_at="2026-10-01T09:00"
    )
    login(clerk)
    response = client.post(
        "/cases/new/petition/",
        {
            "once": "t" * 24,
            "org": str(world.orgs["B1"].pk),
            "channel": "letter",
            "subject": "别区事项",
            "received_at": "2026-10-02T09:00",
            "same_matter": theirs.number,
        },
    )
    assert response.status_code == 200
    assert "没有" in response.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.req("PS1.3")
def test_overdue_list_holds_late_handling_not_a_writer_s_lapsed_window(
    client, login, world, clerk, dept
):
    with time_machine.travel(at(2026, 9, 1, 10), tick=False) as clock:
        login(clerk)
        late = register_letter(client, world, received_at="2026-09-01T09:00", subject="未办结件")
        answered = register_letter(client, world, received_at="2026-09-01T09:30", phone="")
        for case in (late, answered):
            step(client, case, "assign", handler=handler_value(case, dept))
        login(dept)
        for case in (late, answered):
            step(client, case, "accept")
        step(client, answered, "reply", outcome="upheld", reply="已解决。")
        clock.move_to(at(2026, 11, 20, 10))  # past 60 days, and past the 30-day review window
        login(clerk)
        client.get("/cases/")  # the messages of the steps above are shown and gone
        page = client.get("/cases/?overdue=1").content.decode()
        assert late.number in page
        assert answered.number not in page
        detail = client.get(f"/cases/{answered.pk}/").content.decode()
        assert "已过期限" in detail and "已逾期" not in detail


@pytest.mark.req("PL2")
@pytest.mark.day(at(2026, 10, 20, 10))
def test_a_handler_outside_the_tree_lists_only_what_was_handed_to_them(
    client, login, world, clerk, dept
):
    login(clerk)
    mine = register_letter(client, world, subject="交办给我的件")
    other = register_letter(client, world, subject="别人的件", phone="13700137000")
    step(client, mine, "assign", handler=handler_value(mine, dept))
    login(dept)
    client.get("/cases/")  # the clerk's messages are shown once and gone
    page = client.get("/cases/").content.decode()
    assert mine.number in page and "交办给我的件" in page
    assert other.number not in page and "别人的件" not in page
    assert client.get(f"/cases/{other.pk}/").status_code == 404
    login(world.users["teacher"])  # neither sees cases nor handles them
    assert client.get("/cases/").status_code == 404


@pytest.mark.req("PS1.3")
@pytest.mark.day(at(2026, 9, 28, 10))
def test_the_body_it_was_handed_to_objects_and_it_comes_back_to_the_office(
    client, login, world, clerk, dept
):
    login(clerk)
    case = register_letter(client, world)
    step(client, case, "assign", handler=handler_value(case, dept))
    step(client, case, "object", note="不属本单位职责")  # the office cannot object to itself
    case.refresh_from_db()
    assert case.state == "assigned"
    login(dept)
    step(client, case, "object", note="属于人社部门职责")
    case.refresh_from_db()
    assert case.state == "received" and case.owner == clerk and case.handling_org is None
    assert timers(case)["object"].on_time is True
    assert timers(case)["accept"].stopped_at is None  # acceptance is still to be decided


@pytest.mark.req("PS1.3")
def test_the_bureau_home_counts_the_cases_past_a_time_limit(client, login, world, clerk):
    with time_machine.travel(at(2026, 9, 1, 10), tick=False) as clock:
        login(clerk)
        late = register_letter(client, world, received_at="2026-09-01T09:00")
        clock.move_to(at(2026, 9, 20, 10))  # fifteen days to decide acceptance have passed
        login(world.users["leader"])
        home = client.get("/").content.decode()
        assert "超期未办结事项" in home and "/cases/?overdue=1" in home
        listed = client.get("/cases/?overdue=1").content.decode()
        assert late.number in listed


@pytest.mark.req("PS1.1")
@pytest.mark.req("PS1.6")
@pytest.mark.day(at(2026, 10, 20, 10))
def test_a_write_in_is_read_and_routed_by_the_petitions_office(client, login, world, clerk):
    from anwen.cases import intake

    code = intake.write_in(
        bureau=world.orgs["B1"], subject="孩子在校被欺负", content="希望学校处理", name="赵六"
    )
    case = Case.objects.get(channel="online")
    status = intake.public_status(code)
    assert status.stage == "已收到" and (status.accept_days, status.handle_days) == (15, 60)
    login(clerk)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "孩子在校被欺负" in page and "赵六" in page and "网上来信" in page
    assert 'name="assign-handler"' in page  # theirs to route
    login(world.users["leader"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert case.number in page and "赵六" not in page and "孩子在校被欺负" not in page


@pytest.mark.req("PS1.3")
def test_a_hearing_ends_only_when_one_runs_and_a_late_acceptance_is_no_late_objection(
    client, login, world, clerk, dept
):
    with time_machine.travel(at(2026, 9, 1, 10), tick=False) as clock:
        login(clerk)
        case = register_letter(client, world, received_at="2026-09-01T09:00")
        step(client, case, "assign", handler=handler_value(case, dept))
        clock.move_to(at(2026, 9, 14, 10))  # past the 5 working days to object
        login(dept)
        step(client, case, "accept")
        assert timers(case)["object"].duty is False
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "逾期完成" not in page  # not objecting in time is no one's lateness
        events = Event.objects.filter(record_id=case.pk, record_type="cases.petition")
        before = events.count()
        step(client, case, "hearing_end", note="没有听证")
        assert events.count() == before  # refused: no hearing runs
        step(client, case, "hearing_start", note="组织听证")
        step(client, case, "hearing_start", note="再次开始")
        assert events.count() == before + 1  # one hearing at a time
