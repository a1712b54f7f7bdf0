"""The second walk of issue 9: what the list says of a late case."""

from datetime import datetime

import pytest
from django.utils import timezone

from .helpers import handler_value, register_letter, step

TZ = timezone.get_default_timezone()


@pytest.mark.req("PS1.3")
def test_the_list_says_by_how_many_days_a_case_is_overdue(
    client, login, world, clerk, dept, time_machine
):
    time_machine.move_to(datetime(2026, 9, 1, 10, tzinfo=TZ), tick=False)
    login(clerk)
    case = register_letter(client, world, received_at="2026-09-01T09:00")
    step(client, case, "assign", handler=handler_value(case, dept))
    login(dept)
    step(client, case, "accept")
    time_machine.move_to(datetime(2026, 12, 1, 10, tzinfo=TZ), tick=False)
    login(clerk)
    client.get("/inbox/")
    body = client.get("/cases/?overdue=1").content.decode()
    assert case.number in body
    # Accepted 1 September: the 60th day, 31 October, is a Saturday, so the limit is Monday
    # 2 November; 1 December is 29 days past it.
    assert "逾期 29 天" in body
