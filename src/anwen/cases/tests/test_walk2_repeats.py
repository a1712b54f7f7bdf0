"""The second walk of issue 9: a case's linked cases (the same writer, the same matter) are
listed by number only where the viewer reads them; the others are counted, never numbered."""

from datetime import datetime

import pytest
from django.utils import timezone

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()


@pytest.mark.req("PS1.6")
@pytest.mark.day(datetime(2026, 10, 20, 10, tzinfo=TZ))
def test_linked_cases_show_numbers_only_to_those_who_read_them(client, login, world, clerk, dept):
    # Two earlier petitions of the same writer, handled by the department; the second clerk
    # registers a third and handles only that one.
    login(clerk)
    first = register_letter(client, world, received_at="2026-10-01T09:00")
    second = register_letter(client, world, received_at="2026-10-08T09:00")
    assert second.repeat_of == first
    for case in (first, second):
        step(client, case, "assign", handler=handler_value(case, dept))

    colleague = world.users["bureau"]  # registers petitions too: another first receiver
    login(colleague)
    latest = register_letter(client, world, subject="第三次反映", received_at="2026-10-15T09:00")
    assert latest.repeat_of == second  # linked to the latest before it
    client.get("/cases/")  # the messages of the steps above ("已登记，编号 …") are shown and gone
    body = client.get(f"/cases/{latest.pk}/").content.decode()
    assert "关联件" in body
    assert first.number not in body and second.number not in body
    assert "另有 2 件关联件由他人承办，您无权查看，未列出编号。" in body

    # The department, a handler of the two earlier ones, sees their numbers on each; of the
    # latest, outside what it sees at all, it learns nothing, not even a count.
    login(dept)
    body = client.get(f"/cases/{second.pk}/").content.decode()
    assert first.number in body and latest.number not in body
    assert "另有" not in body

    # The first clerk received the first two: their numbers, a count for the third.
    login(clerk)
    body = client.get(f"/cases/{first.pk}/").content.decode()
    assert second.number in body and latest.number not in body
    assert "另有 1 件关联件" in body


@pytest.mark.day(datetime(2026, 10, 20, 10, tzinfo=TZ))
def test_many_types_to_register_sit_under_one_line(client, login, world, clerk, dept):
    login(clerk)  # registers every type of the bureau and the schools
    body = client.get("/cases/").content.decode()
    assert '<details class="panel step-more register-menu">' in body
    assert "登记新事项（可登记" in body and "/cases/new/petition/" in body
    login(dept)  # registers nothing: no menu at all
    body = client.get("/cases/").content.decode()
    assert "register-menu" not in body and "/cases/new/" not in body
