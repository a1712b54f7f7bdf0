"""ATTACK10, part three: every register's own new-record form filled with one hostile value in
every field (huge, negative, 1e309, far dates, NUL), and the same identity raced by 20 posts
each with its own once-token."""

import pytest
from django.test import Client

from anwen.devices.models import Device
from anwen.registers.declare import register_of
from anwen.testing.concurrency import post_at_once
from anwen.testing.world import log_in

from .test_attack10_generic import KEYS

HOSTILE = [
    "1e309",
    "-1",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "A\x00",
    "长" * 100_000,
]


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
def test_a_hostile_value_in_every_field_is_a_message_never_a_500(client, world, login, key, value):
    login(world.users["school"])
    page = client.get(f"/registers/{key}/new/")
    if page.status_code == 404:
        return  # the officer keeps no such register (a district-only one)
    form = page.context["form"]
    data = {f"r-{name}": value for name in form.fields}
    data["o-org"] = world.orgs["S1"].pk
    data["o-once"] = page.context["chooser"]["once"].value()
    response = client.post(f"/registers/{key}/new/", data)
    assert response.status_code in (302, 400), response.status_code
    model = register_of(key).model
    if response.status_code == 302:
        record = model._default_manager.get()
        # accepted: then no absurd value was stored
        for f in model._meta.concrete_fields:
            stored = getattr(record, f.attname)
            assert stored is None or str(stored) not in ("-1", "99999999999999999999"), f.name
            assert "\x00" not in str(stored), f.name
            assert "0001-01-01" != str(stored) and "9999-12-31" != str(stored), f.name


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_posts_of_one_device_code_each_with_its_own_token_make_one_device(world):
    user = world.users["school"]
    client = Client()
    log_in(client, user)
    tokens = [
        client.get("/registers/devices/new/").context["chooser"]["once"].value() for _ in range(20)
    ]

    def data():
        return {
            "o-org": world.orgs["S1"].pk,
            "o-once": tokens.pop(),
            "r-kind": "alarm",
            "r-code": "RACE-2",
            "r-in_service": "on",
        }

    statuses = post_at_once(user, "/registers/devices/new/", data)
    assert all(s in (302, 400) for s in statuses), statuses
    assert Device.objects.filter(code="RACE-2").count() == 1
