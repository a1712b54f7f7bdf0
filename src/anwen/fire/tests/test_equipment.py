"""The fire equipment register (SM7.2): extinguishers, hydrants, alarms … per school, serviced
by a qualified firm; the next service is the plan's (last service + the months for the kind),
and what is due or past its scrap date is listed by the one expiry mechanism."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from anwen.fire.models import FireEquipment
from anwen.obligations.tests.rules import set_rules

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]

LIST = "/registers/fire-equipment/"
HEADER = (
    "学校代码",
    "类别",
    "编号",
    "位置",
    "数量",
    "型号",
    "维保单位",
    "资质证书编号",
    "维保日期",
    "报废日期",
)
FIRM = ("重庆永安消防设施维保有限公司", "CQXF-2024-0117")


def xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "equipment.xlsx"
    return buffer


def row(code="MHQ-1-01", kind="灭火器", serviced="2026-03-10", school="S1", firm=FIRM, **over):
    values = {
        "kind": kind,
        "code": code,
        "place": "教学楼一楼东走廊",
        "count": 4,
        "model": "MFZ/ABC4 干粉 4kg",
        "firm": firm[0],
        "number": firm[1],
        "serviced": serviced,
        "expires": "2031-06-30",
    }
    values.update(over)
    return (school, *values.values())


def equipment(world, school="S1", code="E1", **values) -> FireEquipment:
    values.setdefault("kind", "extinguisher")
    values.setdefault("maintained_by", FIRM[0])
    values.setdefault("firm_qualification", FIRM[1])
    return FireEquipment.objects.create(org=world.orgs[school], code=code, **values)


@pytest.mark.req("SM7.2")
def test_a_school_registers_its_extinguishers_and_the_next_service_is_the_plans(
    client, world, login
):
    login(world.users["school"])
    page = client.get("/registers/fire-equipment/new/")
    assert page.status_code == 200
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-kind": "extinguisher",
        "r-code": "MHQ-1-01",
        "r-place": "教学楼一楼东走廊",
        "r-count": "4",
        "r-model_type": "MFZ/ABC4 干粉 4kg",
        "r-maintained_by": FIRM[0],
        "r-firm_qualification": FIRM[1],
        "r-last_serviced_on": "2026-03-10",
        "r-expires_on": "2031-06-30",
    }
    assert client.post("/registers/fire-equipment/new/", data).status_code == 302
    client.post("/registers/fire-equipment/new/", data)  # the double submit
    item = FireEquipment.objects.get()
    assert item.service_due == date(2027, 3, 10)  # yearly by the plan's default
    assert (item.org, item.count, item.expires_on) == (world.S1, 4, date(2031, 6, 30))
    text = client.get(LIST).content.decode()
    assert "MHQ-1-01" in text and "2027-03-10" in text and FIRM[1] in text


@pytest.mark.req("SM7.2")
def test_maintenance_without_the_firms_qualification_number_is_refused(client, world, login):
    login(world.users["school"])
    page = client.get("/registers/fire-equipment/new/")
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-kind": "hydrant",
        "r-code": "XHS-2",
        "r-count": "1",
        "r-maintained_by": "某消防公司",
        "r-firm_qualification": "",
        "r-last_serviced_on": "2026-05-01",
    }
    response = client.post("/registers/fire-equipment/new/", data)
    assert response.status_code == 400
    assert "资质证书编号" in str(response.context["form"].errors["firm_qualification"])
    # A service date without any firm is refused too.
    data.update({"r-maintained_by": "", "o-once": "another"})
    response = client.post("/registers/fire-equipment/new/", data)
    assert response.status_code == 400
    assert "maintained_by" in response.context["form"].errors
    # The import refuses the same row with a message naming it.
    rows = [row("MHQ-1"), row("MHQ-2", firm=("某消防公司", ""))]
    response = client.post(LIST + "import/", {"file": xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 3 行" in text and "具备资质" in text and "第 2 行" not in text
    assert not FireEquipment.objects.exists()


@pytest.mark.req("SM7.2", "PL8")
def test_an_import_with_one_bad_row_writes_nothing_then_a_clean_one_derives_and_updates(
    client, world, login
):
    login(world.users["school"])
    rows = [row(f"MHQ-{n}") for n in range(1, 301)]
    rows[199] = row("MHQ-200", kind="灭火弹")  # not a kind of equipment
    response = client.post(LIST + "import/", {"file": xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 201 行" in text and "灭火弹" in text
    assert not FireEquipment.objects.exists()
    rows[199] = row("MHQ-200", kind="消火栓", serviced="2026-04-30")
    assert client.post(LIST + "import/", {"file": xlsx(rows)}).status_code == 302
    assert FireEquipment.objects.count() == 300
    hydrant = FireEquipment.objects.get(code="MHQ-200")
    assert (hydrant.kind, hydrant.service_due) == ("hydrant", date(2027, 4, 30))
    # The same code again updates the record (a new service), and the due date follows.
    again = [row("MHQ-200", kind="消火栓", serviced="2026-11-20")]
    assert client.post(LIST + "import/", {"file": xlsx(again)}).status_code == 302
    hydrant.refresh_from_db()
    assert hydrant.service_due == date(2027, 11, 20)
    assert FireEquipment.objects.count() == 300


@pytest.mark.req("SM7.2")
def test_changing_the_plans_interval_moves_the_next_service(client, world, login):
    item = equipment(world, last_serviced_on=date(2026, 6, 1), service_due=date(2027, 6, 1))
    alarm = equipment(
        world, code="BJ-1", kind="alarm", last_serviced_on=date(2026, 6, 1), service_due=None
    )
    set_rules(world.B1, fire__service_months={"extinguisher": 6, "alarm": 12})
    item.refresh_from_db()
    alarm.refresh_from_db()
    assert item.service_due == date(2026, 12, 1)  # six months now: due today
    assert alarm.service_due == date(2027, 6, 1)
    # A new record from the import is dated by the new rule too.
    login(world.users["school"])
    client.post(LIST + "import/", {"file": xlsx([row("MHQ-9", serviced="2026-11-30")])})
    assert FireEquipment.objects.get(code="MHQ-9").service_due == date(2027, 5, 30)
    # The plan refuses an interval that is not one.
    from anwen.obligations.services import ObligationError

    with pytest.raises(ObligationError):
        set_rules(world.B1, fire__service_months={"extinguisher": 0})


@pytest.mark.req("SM7.2")
def test_due_and_expired_equipment_is_in_the_expiring_list_and_the_inbox(client, world, login):
    equipment(
        world, code="E-DUE", last_serviced_on=date(2025, 12, 20), service_due=date(2026, 12, 20)
    )
    equipment(
        world, code="E-LATE", last_serviced_on=date(2025, 10, 1), service_due=date(2026, 10, 1)
    )
    equipment(world, code="E-OLD", expires_on=date(2026, 11, 1))
    equipment(world, code="E-FINE", last_serviced_on=date(2026, 9, 1), service_due=date(2027, 9, 1))
    equipment(world, school="S3", code="E-S3", service_due=date(2026, 11, 2))
    login(world.users["school"])
    text = client.get("/registers/expiring/").content.decode()
    assert "E-DUE" in text and "E-LATE" in text and "E-OLD" in text
    assert "E-FINE" not in text and "E-S3" not in text
    expired = client.get(
        "/registers/expiring/?kind=fire-equipment.service_due&state=expired"
    ).content.decode()
    assert "E-LATE" in expired and "E-DUE" not in expired and "E-OLD" not in expired
    listed = client.get(LIST + "?due=expired").content.decode()
    assert "E-LATE" in listed and "E-OLD" in listed and "E-FINE" not in listed
    inbox = client.get("/inbox/").content.decode()
    assert "消防设施维保" in inbox and "消防器材报废" in inbox
    login(world.users["bureau"])
    text = client.get("/registers/expiring/?state=expired").content.decode()
    assert "E-S3" in text and "E-LATE" in text


def test_another_schools_equipment_answers_404_and_stays(client, world, login):
    theirs = equipment(world, school="S3", code="E-S3")
    mine = equipment(world, code="E-S1")
    login(world.users["school"])
    assert client.get(f"{LIST}{theirs.pk}/edit/").status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    assert client.get(f"{LIST}{mine.pk}/edit/").status_code == 200
    text = client.get(LIST).content.decode()
    assert "E-S1" in text and "E-S3" not in text
    assert FireEquipment.objects.filter(pk=theirs.pk).exists()
    # The import refuses another school's code.
    response = client.post(LIST + "import/", {"file": xlsx([row("E-X", school="S3")])})
    assert response.status_code == 400
    assert not FireEquipment.objects.filter(code="E-X").exists()


def test_a_code_the_school_already_has_is_a_message_on_the_form_not_an_error(client, world, login):
    equipment(world, code="MHQ-1-01")
    login(world.users["school"])
    page = client.get("/registers/fire-equipment/new/")
    data = {
        "o-org": world.S1.pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-kind": "hydrant",
        "r-code": "MHQ-1-01",
        "r-count": "1",
    }
    response = client.post("/registers/fire-equipment/new/", data)
    assert response.status_code == 400
    assert "已" in str(response.context["form"].non_field_errors())
    assert FireEquipment.objects.count() == 1
