"""The bus crews' sessions (SM8.3) through the pages: the drivers' monthly training and the
crews' weekly safety study are obligations of the plan owed only by the schools that run
buses; the school logs each on the routine log with who attended and how many were absent,
and the session fulfils the period shown on the completion pages."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from anwen.obligations.attendance import Attendance
from anwen.obligations.models import Period, Record, Target
from anwen.obligations.services import ensure_periods, plan_load
from anwen.once.tokens import new_token
from anwen.orgs import services as org_services
from anwen.orgs.models import Position

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 11, 18))]


def _crew(org, name: str, position: str):
    return org_services.person_create(
        org=org, name=name, positions=[Position.objects.get(code=position)]
    )


@pytest.fixture
def buses(world):
    """S1 runs buses (two drivers, one attendant); S2, S3 do not; the 2021 plan is loaded."""
    crew = {
        "driver1": _crew(world.S1, "刘师傅", "bus_driver"),
        "driver2": _crew(world.S1, "陈师傅", "bus_driver"),
        "attendant": _crew(world.S1, "周阿姨", "bus_attendant"),
        "elsewhere": _crew(world.S9, "外区司机", "bus_driver"),
    }
    today = timezone.localdate()
    plan_load(owner=world.B1, starts_on=today - timedelta(days=40))
    ensure_periods(through=today)
    return crew


def _current(code, org) -> Period:
    today = timezone.localdate()
    return Period.objects.get(obligation__code=code, org=org, start__lte=today, end__gte=today)


def _log(client, world, kind, **data):
    return client.post(
        "/obligations/log/",
        {
            "once": new_token(),
            "org": world.S1.pk,
            "kind": kind,
            "occurred_on": timezone.localdate().isoformat(),
            **data,
        },
    )


@pytest.mark.req("SM8.3")
def test_only_schools_that_run_buses_and_their_centres_owe_the_bus_obligations(world, buses):
    owed = set(
        Target.objects.filter(
            obligation__code__in=[
                "bus-driver-training",
                "bus-safety-study",
                "centre-bus-inspection",
            ],
            is_active=True,
        ).values_list("obligation__code", "org__code")
    )
    assert owed == {
        ("bus-driver-training", "S1"),
        ("bus-safety-study", "S1"),
        ("centre-bus-inspection", "C1"),
    }
    # A school whose crew leaves no longer owes the sessions from now on.
    for person in buses.values():
        person.is_active = False
        person.save(update_fields=["is_active"])
    ensure_periods(through=timezone.localdate())
    assert not Target.objects.filter(
        obligation__code="bus-driver-training", org=world.S1, is_active=True
    ).exists()


@pytest.mark.req("SM8.3")
def test_a_training_logged_with_attendance_fulfils_the_month_and_shows_on_the_pages(
    world, login, buses
):
    client = login(world.school)
    page = client.get(f"/obligations/log/?org={world.S1.pk}").content.decode()
    assert 'value="routine.bus_driver_training"' in page
    assert 'value="routine.bus_safety_study"' in page
    assert "刘师傅" in page and "周阿姨" in page  # who may be ticked present

    response = _log(
        client,
        world,
        "routine.bus_driver_training",
        present=[buses["driver1"].pk],
        note="交通法规与冬季行车安全",
    )
    assert response.status_code == 302
    record = Record.objects.get(kind="routine.bus_driver_training", org=world.S1)
    attendance = Attendance.objects.get(record=record)
    assert list(attendance.present.all()) == [buses["driver1"]]
    assert attendance.absent == 1  # the other driver, not ticked
    month = _current("bus-driver-training", world.S1)
    assert month.done_at is not None and month.on_time is True

    response = _log(
        client,
        world,
        "routine.bus_safety_study",
        present=[buses["driver1"].pk, buses["driver2"].pk, buses["attendant"].pk],
        absent="0",
    )
    assert response.status_code == 302
    assert _current("bus-safety-study", world.S1).done_at is not None

    listing = client.get(f"/obligations/log/?org={world.S1.pk}").content.decode()
    assert "刘师傅" in listing and "交通法规与冬季行车安全" in listing
    sheet = client.get(f"/obligations/log/?org={world.S1.pk}&format=xlsx")
    rows = [
        [str(c) for c in row if c is not None]
        for row in load_workbook(io.BytesIO(sheet.getvalue())).active.iter_rows(values_only=True)
    ]
    assert any("刘师傅" in cells and "1" in cells for cells in rows)  # present, absent
    board = client.get("/obligations/").content.decode()
    assert "校车驾驶人每月安全培训" in board and "校车驾驶人和照管人员每周安全学习" in board


def test_bad_attendance_is_refused_with_a_message_and_writes_nothing(world, login, buses):
    client = login(world.school)
    cases = [
        ({}, "Tick who attended the session."),
        ({"present": [buses["attendant"].pk]}, "is not expected at this session"),
        ({"present": [buses["driver1"].pk], "absent": "-2"}, None),
        ({"present": [buses["elsewhere"].pk]}, None),  # another district's driver
    ]
    for data, _message in cases:
        response = _log(client, world, "routine.bus_driver_training", **data)
        assert response.status_code == 200, data
        assert 'class="errorlist' in response.content.decode(), data
    response = _log(
        client, world, "routine.safety_meeting", present=[buses["driver1"].pk], note="例会"
    )
    assert response.status_code == 200
    assert not Record.objects.exists() and not Attendance.objects.exists()


def test_another_schools_log_is_404_and_writes_nothing(world, login, buses):
    client = login(world.other_school)
    response = client.post(
        "/obligations/log/",
        {
            "once": new_token(),
            "org": world.S1.pk,
            "kind": "routine.bus_driver_training",
            "occurred_on": timezone.localdate().isoformat(),
            "present": [buses["driver1"].pk],
        },
    )
    assert response.status_code == 404
    assert not Record.objects.exists()


def test_withdrawing_a_training_withdraws_its_attendance(world, login, buses):
    client = login(world.school)
    _log(client, world, "routine.bus_driver_training", present=[buses["driver2"].pk])
    record = Record.objects.get(kind="routine.bus_driver_training")
    assert client.post(f"/obligations/log/{record.pk}/withdraw/").status_code == 302
    assert not Attendance.objects.exists()
    assert _current("bus-driver-training", world.S1).done_at is None
