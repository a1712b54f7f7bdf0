"""SM8.1: buses, drivers and attendants are registers — the form refuses a bus of fewer than
7 seats, the next inspection and re-examination follow the plan's intervals, a driver who
fails one of the statute's conditions is shown as not qualified, the papers' expiry is in the
district list, and an import of buses is all or nothing."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from anwen.buses.models import Attendant, Bus, Driver
from anwen.buses.rules import INSPECTION_MONTHS, months_after
from anwen.orgs.roles import RoleName
from anwen.testing.world import add_persona

from . import crews

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]


def _xlsx(header, rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "buses.xlsx"
    return buffer


BUS_HEADER = ("学校代码", "车牌号", "核载人数", "校车标牌号", "标牌有效期", "检验日期", "保险到期")


def _bus_form(client, world, **values):
    page = client.get("/registers/buses/new/")
    assert page.status_code == 200
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-plate": "渝B·54321",
        "r-seats": "19",
        "r-sign_number": "渝校车0099",
        "r-sign_expires_on": "2027-08-31",
        "r-inspected_on": "2026-08-31",
        "r-insurance_expires_on": "2027-06-30",
        "r-gps_recorder": "on",
        "r-in_service": "on",
    }
    data.update(values)
    return client.post("/registers/buses/new/", data)


@pytest.mark.req("SM8.1")
def test_a_bus_of_fewer_than_7_seats_is_refused_with_a_message(client, world, login):
    login(world.users["school"])
    response = _bus_form(client, world, **{"r-seats": "6"})
    assert response.status_code == 400
    assert "7" in str(response.context["form"].errors["seats"])
    assert not Bus.objects.exists()


@pytest.mark.req("SM8.1")
def test_the_next_inspection_is_the_last_one_plus_the_plans_interval(client, world, login):
    login(world.users["school"])
    assert _bus_form(client, world).status_code == 302
    bus = Bus.objects.get()
    assert bus.plate == "渝B54321"  # written with a dot, stored as one plate
    # 31 August + 6 months: the end of February.
    assert bus.next_inspection == date(2027, 2, 28)
    assert months_after(date(2026, 8, 31), INSPECTION_MONTHS.default) == date(2027, 2, 28)


@pytest.mark.req("SM8.1")
def test_a_driver_who_fails_a_condition_is_shown_as_not_qualified(client, world, login):
    crews.driver(world.S1, "王建国", "D1")
    crews.driver(world.S1, "赵小龙", "D2", no_drink_driving=False)
    crews.driver(world.S1, "钱大海", "D3", born_on=date(1964, 1, 1))  # 62 years old
    crews.driver(world.S1, "孙立", "D4", driving_since=date(2025, 1, 1))
    login(world.users["school"])
    text = client.get("/registers/bus-drivers/").content.decode()
    rows = {line.split("</td>")[0] for line in text.split("<tr>")[2:]}
    assert any("王建国" in r for r in rows)
    assert text.count("不合格") + text.count("Not qualified") == 3
    assert "62" in text and "3" in text


@pytest.mark.req("SM8.1")
def test_a_driver_is_re_examined_yearly_from_the_form(client, world, login):
    login(world.users["school"])
    page = client.get("/registers/bus-drivers/new/")
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-name": "周平",
        "r-licence_number": "500118198001010022",
        "r-licence_class": "A3",
        "r-licence_expires_on": "2031-01-01",
        "r-born_on": "1980-01-01",
        "r-driving_since": "2005-01-01",
        "r-reexamined_on": "2026-04-15",
    }
    response = client.post("/registers/bus-drivers/new/", data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["chooser"].errors,
    )
    assert Driver.objects.get().next_reexamination == date(2027, 4, 15)


@pytest.mark.req("SM8.1")
def test_expiring_insurance_sign_and_re_examination_are_in_the_district_list(client, world, login):
    crews.bus(world.S1, "渝B00001", insurance_expires_on=date(2026, 12, 20))
    crews.bus(world.S1, "渝B00002", sign_expires_on=date(2026, 11, 1))
    crews.bus(world.S1, "渝B00003", insurance_expires_on=date(2026, 11, 1), in_service=False)
    crews.driver(world.S1, "王建国", "D1", reexamined_on=date(2025, 11, 20))
    login(world.users["school"])
    text = client.get("/registers/expiring/").content.decode()
    assert "渝B00001" in text and "渝B00002" in text and "王建国" in text
    assert "渝B00003" not in text  # out of service: its papers do not count
    expired = client.get("/registers/expiring/?state=expired").content.decode()
    assert "渝B00002" in expired and "王建国" in expired and "渝B00001" not in expired
    assert "渝B00001" in client.get("/registers/buses/?due=soon").content.decode()


@pytest.mark.req("SM8.1", "PL8")
def test_an_import_of_buses_with_one_bad_row_writes_nothing(client, world, login):
    login(world.users["school"])
    good = [
        ("S1", f"渝B1000{n}", 35, f"渝校车{n}", "2027-08-31", "2026-09-01", "2027-06-30")
        for n in range(1, 6)
    ]
    bad = [*good[:3], ("S1", "渝B20000", 5, "", "", "2026-09-01", "2027-06-30"), *good[3:]]
    response = client.post("/registers/buses/import/", {"file": _xlsx(BUS_HEADER, bad)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 5 行" in text and "7" in text
    assert not Bus.objects.exists()
    response = client.post("/registers/buses/import/", {"file": _xlsx(BUS_HEADER, good)})
    assert response.status_code == 302
    assert Bus.objects.count() == 5
    assert set(Bus.objects.values_list("next_inspection", flat=True)) == {date(2027, 3, 1)}
    # Posted again: nothing changes.
    client.post("/registers/buses/import/", {"file": _xlsx(BUS_HEADER, good)})
    assert Bus.objects.count() == 5


@pytest.mark.req("SM8.1")
def test_an_attendant_is_linked_to_an_account_of_the_school_only(client, world, login):
    add_persona(world, "attendant", RoleName.BUS_ATTENDANT, "S1")
    login(world.users["school"])
    page = client.get("/registers/bus-attendants/new/")
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-name": "李秀英",
        "r-phone": "13800000001",
        "r-user": "school3",  # the safety officer of another school
    }
    response = client.post("/registers/bus-attendants/new/", data)
    assert response.status_code == 400
    assert not Attendant.objects.exists()
    response = client.post("/registers/bus-attendants/new/", dict(data, **{"r-user": "attendant"}))
    assert response.status_code == 302
    assert Attendant.objects.get().user == world.users["attendant"]
    assert "attendant" in client.get("/registers/bus-attendants/").content.decode()
