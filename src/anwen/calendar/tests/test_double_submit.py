"""A calendar entry sent twice, or by twenty impatient clicks at once, is saved once."""

import re

import pytest
import time_machine

from anwen.calendar.models import SensitivePeriod
from anwen.testing.concurrency import post_at_once

concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _form(page: str, bureau_pk: int) -> dict:
    token = re.search(r'name="once" value="([^"]+)"', page)
    assert token, "the sensitive-period form carries no one-time token"
    return {
        "once": token.group(1),
        "owner": str(bureau_pk),
        "name": "汛期",
        "kind": "flood",
        "start": "2026-06-01",
        "end": "2026-06-30",
    }


@pytest.mark.req("PL4")
@pytest.mark.django_db
def test_a_sensitive_period_sent_again_is_saved_once_and_the_page_says_so(world, login):
    client = login(world.users["bureau"])
    with time_machine.travel("2026-03-10 09:00+08:00", tick=True):
        data = _form(client.get("/calendar/").content.decode(), world.B1.pk)
        assert client.post("/calendar/sensitive/add/", data).status_code == 302
        again = client.post("/calendar/sensitive/add/", data)
    assert again.status_code == 400
    assert "此表单已提交过" in again.content.decode()
    assert SensitivePeriod.objects.filter(name="汛期").count() == 1


@pytest.mark.req("PL4")
@concurrent
def test_twenty_sensitive_periods_sent_at_once_make_one(world, client):
    from anwen.testing.world import log_in

    log_in(client, world.users["bureau"])
    with time_machine.travel("2026-03-10 09:00+08:00", tick=True):
        data = _form(client.get("/calendar/").content.decode(), world.B1.pk)
        statuses = post_at_once(world.users["bureau"], "/calendar/sensitive/add/", data)
    assert 500 not in statuses and statuses.count(302) == 1
    assert SensitivePeriod.objects.filter(name="汛期").count() == 1
