"""Routing a confidential case hands out grants, so only its named handlers route it: a
colleague of the registering office who sees that the case exists may not hand it to
anyone — least of all to themselves, which would let them read it."""

import json
from datetime import datetime

import pytest
from django.utils import timezone

from anwen.workflow.models import Event, Grant

from .helpers import handler_value, register_letter, step
from .test_api import bearer

TZ = timezone.get_default_timezone()
SUBJECT, NAME = "食堂收费问题", "王小明"


@pytest.mark.req("PL2")
@pytest.mark.day(datetime(2026, 9, 28, 10, tzinfo=TZ))
def test_a_colleague_who_may_register_cannot_hand_a_petition_to_themselves(
    client, login, world, clerk
):
    login(clerk)
    case = register_letter(client, world, subject=SUBJECT, name=NAME)
    colleague = world.users["bureau"]  # registers cases at the bureau, not a handler of this
    value = handler_value(case, colleague)
    events, grants = Event.objects.count(), Grant.objects.count()
    login(colleague)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "step-assign" not in page and SUBJECT not in page
    for name, data in (("assign", {"handler": value}), ("accept", {}), ("not_accept", {})):
        assert step(client, case, name, reply="不予受理", **data).status_code == 302
    response = client.post(
        f"/api/v1/cases/{case.pk}/actions/assign",
        json.dumps({"values": {"handler": value}}),
        content_type="application/json",
        **bearer(colleague),
    )
    assert response.status_code == 403
    assert (Event.objects.count(), Grant.objects.count()) == (events, grants)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert SUBJECT not in page and NAME not in page
    case.refresh_from_db()
    assert case.state == "received" and case.owner == clerk
    # The clerk who holds it still routes it.
    login(clerk)
    assert step(client, case, "assign", handler=value).status_code == 302
    case.refresh_from_db()
    assert case.state == "assigned" and case.owner == colleague
