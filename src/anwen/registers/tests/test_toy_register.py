"""A register declared by the test suite alone (`anwen.testing.toyregister`) is served by the
generic pages: list, form, template, import (all or nothing), export and the expiry list,
inbox and reminders — without a view of its own."""

import io
import re
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from anwen.outbox.models import Delivery, Notice
from anwen.registers import tasks
from anwen.testing.sheets import sheet_rows
from anwen.testing.toyregister.models import Gadget

pytestmark = pytest.mark.django_db

LIST = "/registers/gadgets/"


def _xlsx(
    rows, header=("学校代码", "code", "kind", "working", "count", "checked on")
) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "gadgets.xlsx"
    return buffer


def cells(response) -> set[str]:
    """The texts of the list's table cells (not the page's tokens, which may hold "G1")."""
    return {c.strip() for c in re.findall(r"<td>([^<]*)", response.content.decode())}


def _gadget(world, org="S1", code="G1", **values):
    values.setdefault("kind", "lamp")
    return Gadget.objects.create(org=world.orgs[org], code=code, **values)


def test_the_template_offers_dropdowns_and_required_marks(client, world, login):
    login(world.users["school"])
    response = client.get("/registers/gadgets/template/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[0].endswith("*")  # the school's code is required
    assert "code *" in headers and "kind *" in headers
    rules = {str(v.sqref).split(":")[0][0] for v in ws.data_validations.dataValidation}
    kind_column = "ABCDEFG"[headers.index("kind *")]
    assert kind_column in rules  # kind has a dropdown


@pytest.mark.req("PL8")
def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row(client, world, login):
    login(world.users["school"])
    rows = [("S1", f"G{n}", "lamp", "是", 2, "2026-11-01") for n in range(1, 50)]
    rows[30] = ("S1", "G31", "rocket", "是", 2, "2026-11-01")
    response = client.post("/registers/gadgets/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 32 行" in text  # the 31st row of data: row 1 is the header
    assert "rocket" in text
    assert Gadget.objects.count() == 0


@pytest.mark.req("PL8")
def test_an_import_refuses_another_schools_code_and_a_record_named_twice(client, world, login):
    login(world.users["school"])
    rows = [
        ("S1", "G1", "lamp", "是", 1, ""),
        ("S3", "G2", "lamp", "是", 1, ""),  # not the officer's school
        ("S1", "G1", "siren", "否", 1, ""),  # G1 again
        ("S1", "G4", "lamp", "maybe", "x", "2026-02-30"),
    ]
    response = client.post("/registers/gadgets/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "S3" in text
    assert "第 2 行" in text  # G1 on row 4 names the same record as row 2
    assert "maybe" in text and "2026-02-30" in text and "“x”" in text
    assert Gadget.objects.count() == 0


@pytest.mark.day(date(2026, 12, 1))
def test_a_clean_import_creates_then_updates_and_a_second_post_changes_nothing(
    client, world, login
):
    login(world.users["school"])
    rows = [("S1", "G1", "台灯" if False else "lamp", "是", 2, "2026-11-01")]
    response = client.post("/registers/gadgets/import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    gadget = Gadget.objects.get()
    assert gadget.check_due == date(2027, 1, 30)  # derived on import: checked + 90 days
    rows = [("S1", "G1", "siren", "否", 3, "2026-11-15"), ("S1", "G2", "lamp", "是", 1, "")]
    client.post("/registers/gadgets/import/", {"file": _xlsx(rows)})
    gadget.refresh_from_db()
    assert (gadget.kind, gadget.working, gadget.count) == ("siren", False, 3)
    assert gadget.check_due == date(2027, 2, 13)
    assert Gadget.objects.count() == 2
    client.get(LIST)  # the message of the last import is shown and gone
    response = client.post("/registers/gadgets/import/", {"file": _xlsx(rows)}, follow=True)
    assert "0 added, 0 changed, 2 already up to date" in response.content.decode() or (
        "新增 0" in response.content.decode()
    )


def test_the_list_shows_the_schools_records_only_and_exports_them(client, world, login):
    _gadget(world, "S1", "G1")
    _gadget(world, "S3", "G9")
    login(world.users["school"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert cells(response) >= {"G1"} and "G9" not in cells(response)
    download = client.get(LIST + "?format=xlsx")
    assert download.status_code == 200
    rows = sheet_rows(download)
    assert any("G1" in [str(c) for c in row] for row in rows)
    assert not any("G9" in [str(c) for c in row] for row in rows)
    login(world.users["centre"])  # the centre of S1 sees S1's, not S3's (centre C2)
    assert "G1" in cells(client.get(LIST))
    login(world.users["other_bureau"])
    assert "G1" not in cells(client.get(LIST))


def test_filters_and_search_narrow_the_list(client, world, login):
    _gadget(world, "S1", "G1", kind="lamp")
    _gadget(world, "S1", "G2", kind="siren", working=False)
    login(world.users["school"])
    assert {"G1", "G2"} & cells(client.get(LIST + "?kind=siren")) == {"G2"}
    assert {"G1", "G2"} & cells(client.get(LIST + "?working=1")) == {"G1"}
    assert {"G1", "G2"} & cells(client.get(LIST + "?q=G2&kind=junk&working=7")) == {"G2"}


def test_the_form_adds_once_and_edits_only_the_users_own_schools_records(client, world, login):
    login(world.users["school"])
    page = client.get("/registers/gadgets/new/")
    assert page.status_code == 200
    token = page.context["chooser"]["once"].value()
    data = {
        "o-org": world.orgs["S1"].pk,
        "o-once": token,
        "r-code": "G7",
        "r-kind": "lamp",
        "r-working": "on",
        "r-count": "1",
        "r-checked_on": "2026-10-01",
    }
    assert client.post("/registers/gadgets/new/", data).status_code == 302
    client.post("/registers/gadgets/new/", data)  # the double submit
    assert Gadget.objects.filter(code="G7").count() == 1
    # Another school as the org: refused with a message, nothing written.
    bad = dict(data, **{"o-org": world.orgs["S3"].pk, "o-once": "other-token", "r-code": "G8"})
    response = client.post("/registers/gadgets/new/", bad)
    assert response.status_code == 400
    assert not Gadget.objects.filter(code="G8").exists()
    theirs = _gadget(world, "S3", "G9")
    assert client.get(f"/registers/gadgets/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/registers/gadgets/{theirs.pk}/delete/").status_code == 404
    assert client.get("/registers/gadgets/x1/edit/").status_code == 404
    assert Gadget.objects.filter(pk=theirs.pk).exists()
    # A teacher sees nothing to manage; a junk register is no page.
    login(world.users["teacher"])
    assert client.get("/registers/gadgets/new/").status_code == 404
    assert client.get("/registers/no-such/").status_code == 404


def test_bad_form_input_gets_a_message(client, world, login):
    login(world.users["school"])
    response = client.post(
        "/registers/gadgets/new/",
        {"o-org": world.orgs["S1"].pk, "r-code": "", "r-kind": "rocket", "r-count": "-1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"code", "kind", "count"}
    assert Gadget.objects.count() == 0


@pytest.mark.day(date(2026, 12, 1))
def test_due_soon_and_expired_things_are_listed_put_in_the_inbox_and_told_once(
    client, world, login
):
    _gadget(world, "S1", "G1", checked_on=date(2026, 8, 1), check_due=date(2026, 10, 30))
    _gadget(world, "S1", "G2", checked_on=date(2026, 9, 10), check_due=date(2026, 12, 9))
    _gadget(world, "S1", "G3", checked_on=date(2026, 11, 20), check_due=date(2027, 2, 18))
    _gadget(world, "S3", "G4", check_due=date(2026, 11, 1))
    login(world.users["school"])
    text = client.get("/registers/expiring/").content.decode()
    assert "Lamp G1" in text and "Lamp G2" in text
    assert "Lamp G3" not in text and "Lamp G4" not in text  # not due; another school's
    login(world.users["bureau"])
    text = client.get("/registers/expiring/?state=expired").content.decode()
    assert "Lamp G1" in text and "Lamp G4" in text and "Lamp G2" not in text
    download = client.get("/registers/expiring/?format=xlsx")
    assert download.status_code == 200
    login(world.users["school"])
    inbox = client.get("/inbox/").content.decode()
    assert "Gadget check" in inbox
    # G1 lapsed and G2 due soon at S1, G4 lapsed at S3: three notices, each to the people
    # who keep that school's registers.
    assert tasks.remind(today=date(2026, 12, 1)) == 3
    deliveries = Delivery.objects.filter(notice__key__startswith="registers:", channel="app")
    told = {(d.notice.key.split(":")[2], d.user.username) for d in deliveries}
    s1, s3 = str(world.orgs["S1"].pk), str(world.orgs["S3"].pk)
    assert (s1, "school") in told and (s1, "principal") in told and (s3, "school3") in told
    assert not any(user in {"teacher", "bureau", "school3"} for org, user in told if org == s1)
    before = deliveries.count()
    tasks.remind(today=date(2026, 12, 1))  # the tick again: nobody is told twice
    assert deliveries.count() == before
    assert Notice.objects.filter(key__startswith="registers:").count() == 3


def test_the_registers_index_lists_what_the_user_may_see(client, world, login):
    login(world.users["school"])
    response = client.get("/registers/")
    assert response.status_code == 200
    assert "Gadgets" in response.content.decode()
    login(world.users["agency"])
    assert client.get("/registers/").status_code == 404
