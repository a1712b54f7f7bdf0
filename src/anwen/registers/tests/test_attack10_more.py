"""ATTACK10, part two: double submits from 20 threads at once (a new record with one once-token,
the pre-departure check), far-future and ancient dates through every import path, and the
pre-departure check under hostile input."""

import io
import json
from datetime import date

import pytest
from django.test import Client

from anwen.buses.models import Bus, Trip
from anwen.buses.rules import DEFAULT_CONDITIONS
from anwen.buses.tests import crews
from anwen.devices.models import Device
from anwen.orgs.roles import RoleName
from anwen.testing.concurrency import post_at_once
from anwen.testing.world import add_persona, log_in

HEADER = "学校代码,设备类型,设备编号,安装位置,是否联网,联网日期,最近检查日期"


def _csv(lines, name="devices.csv") -> io.BytesIO:
    buffer = io.BytesIO("\r\n".join(lines).encode("utf-8"))
    buffer.name = name
    return buffer


def _json(items, name="rows.json") -> io.BytesIO:
    buffer = io.BytesIO(json.dumps(items, ensure_ascii=False).encode())
    buffer.name = name
    return buffer


# --- 20 at once -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_posts_of_one_new_device_form_make_one_device(world):
    user = world.users["school"]
    client = Client()
    log_in(client, user)
    token = client.get("/registers/devices/new/").context["chooser"]["once"].value()
    data = {
        "o-org": world.orgs["S1"].pk,
        "o-once": token,
        "r-kind": "alarm",
        "r-code": "RACE-1",
        "r-in_service": "on",
    }
    statuses = post_at_once(user, "/registers/devices/new/", data)
    assert all(s in (302, 400) for s in statuses), statuses
    assert Device.objects.filter(code="RACE-1").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.day(date(2026, 12, 1))
def test_twenty_posts_of_one_pre_departure_check_make_one_trip(world):
    user = add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    bus = crews.bus(world.S1, "渝B12345", seats=35)
    driver = crews.driver(world.S1)
    crews.attendant(world.S1, user=user)
    client = Client()
    log_in(client, user)
    page = client.get(f"/buses/check/?bus={bus.pk}")
    data = {
        "once": page.context["form"]["once"].value(),
        "driver": driver.pk,
        "students": 30,
        **{f"c{i}": "yes" for i in range(len(DEFAULT_CONDITIONS))},
    }
    statuses = post_at_once(user, f"/buses/check/?bus={bus.pk}", data)
    assert all(s in (302, 400) for s in statuses), statuses
    assert Trip.objects.count() == 1


# --- far-future and ancient dates through the imports ---------------------------------------


@pytest.mark.django_db
@pytest.mark.day(date(2026, 12, 1))
@pytest.mark.xfail(strict=True, reason="ATTACK10 finding 1", raises=OverflowError)
def test_a_device_checked_on_9999_12_31_in_a_file_is_one_message(client, world, login):
    login(world.users["school"])
    rows = [HEADER, "S1,一键报警,A1,东门,是,2026-11-01,9999-12-31"]
    response = client.post("/registers/devices/import/", {"file": _csv(rows)})
    assert response.status_code == 400
    assert Device.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.day(date(2026, 12, 1))
@pytest.mark.parametrize(
    "key,row",
    [
        pytest.param(
            "buses",
            {"学校代码": "S1", "车牌号": "渝A00001", "核载人数": "19", "检验日期": "9999-12-31"},
            marks=pytest.mark.xfail(strict=True, reason="ATTACK10 finding 1", raises=ValueError),
        ),
        (
            "buses",
            {"学校代码": "S1", "车牌号": "渝A00002", "核载人数": "19", "保险到期": "9999-12-31"},
        ),
        ("buses", {"学校代码": "S1", "车牌号": "渝A00003", "核载人数": "-19"}),
        ("buses", {"学校代码": "S1", "车牌号": "渝A00004", "核载人数": "1e309"}),
        pytest.param(
            "buses",
            {"学校代码": "S1", "车牌号": "渝A00005", "核载人数": "70000"},
        ),
    ],
)
def test_bus_import_of_hostile_values_gets_a_message_not_a_500(client, world, login, key, row):
    login(world.users["school"])
    response = client.post(f"/registers/{key}/import/", {"file": _json([row])})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:  # accepted: then it must be a sane value
        bus = Bus.objects.get()
        assert 7 <= bus.seats < 100


# --- the check page under hostile input -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.day(date(2026, 12, 1))
@pytest.mark.parametrize(
    "extra",
    [
        {"students": "-1"},
        {"students": "1e309"},
        {"students": "99999999999999999999"},
        {"students": "36"},  # more than the seats: stopped, not departed
        {"driver": "99999999999999999999"},
        {"c0": "maybe"},
        {"once": "\x00"},
    ],
)
def test_the_check_refuses_hostile_input_and_never_departs(client, world, extra):
    user = add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    bus = crews.bus(world.S1, "渝B12345", seats=35)
    driver = crews.driver(world.S1)
    crews.attendant(world.S1, user=user)
    log_in(client, user)
    page = client.get(f"/buses/check/?bus={bus.pk}")
    data = {
        "once": page.context["form"]["once"].value(),
        "driver": driver.pk,
        "students": 30,
        **{f"c{i}": "yes" for i in range(len(DEFAULT_CONDITIONS))},
        **extra,
    }
    response = client.post(f"/buses/check/?bus={bus.pk}", data)
    assert response.status_code in (302, 400)
    assert not Trip.objects.filter(outcome=Trip.Outcome.DEPARTED).exists()


@pytest.mark.django_db
@pytest.mark.day(date(2026, 12, 1))
def test_another_schools_bus_is_no_check_page(client, world):
    user = add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    theirs = crews.bus(world.S3, "渝C99999", seats=35)
    driver = crews.driver(world.S3)
    log_in(client, user)
    assert client.get(f"/buses/check/?bus={theirs.pk}").status_code == 404
    data = {"driver": driver.pk, "students": 1, **{f"c{i}": "yes" for i in range(20)}}
    assert client.post(f"/buses/check/?bus={theirs.pk}", data).status_code == 404
    assert client.post("/buses/check/", {**data, "bus": theirs.pk}).status_code == 404
    assert not Trip.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_imports_of_one_file_at_once_make_each_device_once(world):
    lines = [HEADER] + [f"S1,一键报警,R{n},,是,2026-11-01,2026-11-01" for n in range(50)]
    statuses = post_at_once(
        world.users["school"], "/registers/devices/import/", lambda: {"file": _csv(lines)}
    )
    assert all(s in (302, 400) for s in statuses), statuses
    assert Device.objects.count() == 50
