"""A report sent twenty times at once is one hazard; a step sent twice is one step."""

import re

import pytest

from anwen.hazards.models import Hazard
from anwen.testing.concurrency import post_at_once
from anwen.workflow.models import Event


def _token(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_sent_twenty_times_at_once_is_one_hazard(world, login):
    page = login(world.users["teacher"]).get("/hazards/report/").content.decode()
    data = {"once": _token(page), "title": "楼梯扶手松动", "category": "building",
            "school": world.S1.pk}  # fmt: skip
    statuses = post_at_once(world.users["teacher"], "/hazards/report/", data)
    assert set(statuses) == {302}
    assert Hazard.objects.count() == 1


def test_an_assignment_sent_twice_is_one_step(world, login, raise_hazard):
    hazard = raise_hazard()
    client = login(world.users["school"])
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    data = {"once": _token(page), "responsible": world.people["teacher"].pk,
            "grade": "general", "category": "fire"}  # fmt: skip
    client.post(f"/hazards/{hazard.pk}/assign/", data)
    client.post(f"/hazards/{hazard.pk}/assign/", data)
    assert Event.objects.filter(record_id=hazard.pk, name="assign").count() == 1
