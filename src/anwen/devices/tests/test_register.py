"""The security devices are a register: the generic pages list, add, import, export them and
list their overdue checks; a device's next check is the plan's."""

from datetime import date

import pytest
from openpyxl import load_workbook

from anwen.calendar import DeadlineRule
from anwen.devices.models import Device
from anwen.obligations.services import plan_of_year, plan_rules_set

from .conftest import xlsx

pytestmark = pytest.mark.django_db

LIST = "/registers/devices/"
KINDS = ("一键报警", "视频监控", "门禁", "巡更点")


@pytest.mark.req("PL8")
def test_the_template_offers_the_device_types_and_yes_no_as_dropdowns(client, world, login):
    import io

    login(world.users["school"])
    response = client.get("/registers/devices/template/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert "设备类型 *" in headers and "设备编号 *" in headers
    lists = wb["选项"] if "选项" in wb.sheetnames else wb.worksheets[-1]
    values = {c for row in lists.iter_rows(values_only=True) for c in row if c}
    assert set(KINDS) <= values and {"是", "否"} <= values


@pytest.mark.req("SM3.1", "PL8")
@pytest.mark.day(date(2026, 12, 1))
def test_an_import_of_5000_devices_with_one_bad_row_writes_nothing_and_names_the_row(
    client, world, login
):
    login(world.users["bureau"])  # the safety office imports the district's devices
    schools = ("S1", "S2", "S3")
    rows = [
        (schools[n % 3], KINDS[n % 4], f"D{n:05d}", f"位置{n}", "是", "2021-06-01", "2026-11-20")
        for n in range(5000)
    ]
    rows[4321] = ("S2", "烟感", "D04321", "", "是", "", "2026-11-20")
    response = client.post(LIST + "import/", {"file": xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 4323 行" in text and "烟感" in text  # row 1 is the header
    assert text.count("第 ") == 1  # one message, for that row only
    assert Device.objects.count() == 0
    rows[4321] = ("S2", "门禁", "D04321", "", "否", "", "2026-11-20")
    response = client.post(LIST + "import/", {"file": xlsx(rows)})
    assert response.status_code == 302
    assert Device.objects.count() == 5000
    fixed = Device.objects.get(code="D04321")
    assert (fixed.org, fixed.kind, fixed.networked) == (world.orgs["S2"], "access", False)
    # The plan's 30 days after the last check end on Sunday 20 December: due the next working day.
    assert fixed.check_due == date(2026, 12, 21)


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_next_check_follows_the_plans_interval(client, world, login):
    plan = plan_of_year(owner=world.orgs["B1"], year=2026)
    plan_rules_set(
        plan=plan, by=world.users["admin"], values={"devices.check_interval": DeadlineRule(60)}
    )
    login(world.users["school"])
    rows = [("S1", "一键报警", "A1", "大门", "是", "2021-05-01", "2026-11-01")]
    assert client.post(LIST + "import/", {"file": xlsx(rows)}).status_code == 302
    assert Device.objects.get().check_due == date(2026, 12, 31)


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_the_form_adds_a_device_and_refuses_a_check_in_the_future(client, world, login):
    login(world.users["school"])
    page = client.get(LIST + "new/")
    data = {
        "o-org": world.orgs["S1"].pk,
        "o-once": page.context["chooser"]["once"].value(),
        "r-kind": "camera",
        "r-code": "C-01",
        "r-place": "东门",
        "r-networked": "on",
        "r-last_checked_on": "2026-12-05",
        "r-in_service": "on",
    }
    response = client.post(LIST + "new/", data)
    assert response.status_code == 400
    assert "is after today" in response.content.decode() or "晚于今天" in response.content.decode()
    assert not Device.objects.exists()
    data["r-last_checked_on"] = "2026-11-25"
    assert client.post(LIST + "new/", data).status_code == 302
    assert Device.objects.get().check_due == date(2026, 12, 25)


@pytest.mark.req("SM3.1")
def test_another_schools_device_answers_404_and_is_not_changed(client, world, login, device):
    theirs = device("S3", "X1", networked=False)
    login(world.users["school"])
    assert client.get(f"{LIST}{theirs.pk}/edit/").status_code == 404
    response = client.post(
        f"{LIST}{theirs.pk}/edit/",
        {"o-org": world.orgs["S1"].pk, "r-kind": "alarm", "r-code": "X1", "r-networked": "on"},
    )
    assert response.status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.org, theirs.networked) == (world.orgs["S3"], False)
    assert "X1" not in client.get(LIST).content.decode()


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_overdue_checks_are_listed_by_the_expiry_mechanism(client, world, login, device):
    device("S1", "BJ-001", last_checked_on=date(2026, 10, 1), check_due=date(2026, 10, 31))
    device("S1", "BJ-002", last_checked_on=date(2026, 11, 28), check_due=date(2026, 12, 28))
    device("S1", "BJ-003", check_due=date(2026, 10, 1), in_service=False)  # retired: not due
    login(world.users["school"])
    text = client.get("/registers/expiring/?state=expired").content.decode()
    assert "BJ-001" in text and "BJ-002" not in text and "BJ-003" not in text
    assert "设备检查" in text
    text = client.get(LIST + "?due=expired").content.decode()
    assert "BJ-001" in text and "BJ-002" not in text
    assert "/devices/rates/" in client.get(LIST).content.decode()  # the link to the rates
