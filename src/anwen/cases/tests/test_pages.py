"""What the case pages say to the people who read them (walk of issue 9)."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from anwen.workflow.models import Timer

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.req("PS1.3")
def test_an_overdue_clock_says_by_how_many_days_next_to_its_date(client, login, world, clerk, dept):
    with time_machine.travel(at(2026, 9, 1, 10), tick=False) as clock:
        login(clerk)
        case = register_letter(client, world, received_at="2026-09-01T09:00")
        step(client, case, "assign", handler=handler_value(case, dept))
        login(dept)
        step(client, case, "accept")
        clock.move_to(at(2026, 11, 20, 10))
        login(dept)  # the session of September has expired
        due = Timer.objects.get(record_id=case.pk, record_type="cases.petition", name="handle")
        days = (date(2026, 11, 20) - due.due_on).days
        assert days > 1
        response = client.get(f"/cases/{case.pk}/")
        assert response.status_code == 200, response
        page = response.content.decode()
        row = page.split('class="clock-handle"', 1)[1].split("</tr>", 1)[0]
        assert due.due_on.isoformat() in row
        assert f"逾期 {days} 天" in row


@pytest.mark.day(at(2026, 9, 28, 10))
def test_the_petition_form_asks_for_the_matter_not_an_object(client, login, clerk):
    login(clerk)
    page = client.get("/cases/new/petition/").content.decode()
    assert '<label for="id_subject">事由</label>' in page
    assert "对象" not in page


@pytest.mark.day(at(2026, 9, 28, 10))
def test_the_handler_finds_the_reply_open_and_handing_over_again_folded(
    client, login, world, clerk, dept
):
    login(clerk)
    case = register_letter(client, world)
    step(client, case, "assign", handler=handler_value(case, dept))
    login(dept)
    step(client, case, "accept")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    opened = page.split("<details", 2)[1]
    assert opened.startswith(' class="panel step-more" open>')
    assert 'class="narrow-form step-reply"' in opened
    assert page.index("step-reply") < page.index("step-assign")


@pytest.mark.day(at(2026, 9, 28, 10))
def test_an_empty_list_says_whether_the_filter_hid_the_cases(client, login, world, clerk):
    login(clerk)
    assert "尚无事项。" in client.get("/cases/").content.decode()
    register_letter(client, world)
    page = client.get("/cases/?overdue=1").content.decode()
    assert "没有符合筛选条件的事项。" in page and '<a href="/cases/">显示全部</a>' in page


INCIDENT = {
    "subject": "学生课间从楼梯摔倒骨折",
    "content": "四年级学生课间在二楼楼梯追逐摔倒，右臂骨折，已送医。",
    "received_at": "2026-10-12T09:40",
    "happened_at": "2026-10-12T09:30",
    "category": "injury",
    "injured": "1",
}


@pytest.mark.req("PC1.6")
def test_a_clock_in_hours_counts_the_hours_and_a_required_note_is_not_called_a_reason(
    client, login, world
):
    from .through_pages import register

    with time_machine.travel(at(2026, 10, 12, 10), tick=False) as clock:
        login(world.school)
        case = register(client, "incident", world.S1, **INCIDENT)  # report due 10-13 09:30
        page = client.get(f"/cases/{case.pk}/").content.decode()
        row = page.split('class="clock-report"', 1)[1].split("</tr>", 1)[0]
        assert "2026-10-13 09:30" in row and "还剩 23\xa0小时" in row and "天" not in row
        assert "说明（必填）" in page and "理由" not in page
        clock.move_to(at(2026, 10, 13, 12, 30))
        login(world.school)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        row = page.split('class="clock-report"', 1)[1].split("</tr>", 1)[0]
        assert "已超时 3\xa0小时" in row


@pytest.mark.day(at(2026, 10, 16, 10))
def test_linked_cases_are_headed_for_any_type_and_the_way_back_is_a_tap_target(
    client, login, world, clerk
):
    login(clerk)
    first = register_letter(client, world, received_at="2026-10-15T09:00")
    register_letter(client, world, received_at="2026-10-16T09:00")  # the same writer's phone
    page = client.get(f"/cases/{first.pk}/").content.decode()
    assert "关联件（同一反映人或同一事项）" in page and "重复信访" not in page
    assert '<ul class="repeats">' in page
    assert '<a class="back-link" href="/cases/">' in page
