"""The guards register (SM3.2) is a declaration served by the generic register pages: the
security company's list imports whole or not at all, the certificates' expiry is on the one
expiry mechanism (the district's list, the inbox), the list shows who trained this autumn."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from anwen.guards.models import Guard

pytestmark = [pytest.mark.django_db, pytest.mark.day(date(2026, 12, 1))]

HEADER = (
    "学校代码",
    "姓名",
    "电话",
    "保安员证号",
    "有效期至",
    "保安公司",
    "专职",
    "培训日期",
    "在岗",
)


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADER))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "guards.xlsx"
    return buffer


def _row(n, **changes):
    row = {
        "org": "S1",
        "name": f"保安{n}",
        "phone": "13800000000",
        "no": f"渝保{n:06d}",
        "expires": "2028-06-30",
        "employer": "永川区保安服务公司",
        "full_time": "是",
        "trained": "2026-09-20",
        "active": "是",
    }
    row.update(changes)
    return tuple(row.values())


@pytest.mark.req("SM3.2", "PL8")
def test_an_import_with_one_bad_row_writes_nothing_and_names_it(client, world, login):
    login(world.users["school"])
    rows = [_row(n) for n in range(1, 30)]
    rows[12] = _row(13, expires="2028-02-30")
    rows[20] = _row(21, full_time="也许")
    response = client.post("/registers/guards/import/", {"file": _xlsx(rows)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 14 行" in text and "2028-02-30" in text
    assert "第 22 行" in text and "也许" in text
    assert not Guard.objects.exists()


@pytest.mark.req("SM3.2", "PL8")
def test_the_companys_list_imports_then_updates_each_guard_by_certificate(client, world, login):
    login(world.users["school"])
    rows = [_row(1), _row(2, full_time="否", trained="")]
    assert client.post("/registers/guards/import/", {"file": _xlsx(rows)}).status_code == 302
    second = Guard.objects.get(certificate_no="渝保000002")
    assert (second.full_time, second.trained_on, second.org) == (False, None, world.S1)
    rows = [_row(1), _row(2, trained="2026-10-08", phone="13900000000")]
    assert client.post("/registers/guards/import/", {"file": _xlsx(rows)}).status_code == 302
    second.refresh_from_db()
    assert (second.trained_on, second.phone) == (date(2026, 10, 8), "13900000000")
    assert Guard.objects.count() == 2
    # Another school's code is refused, nothing written.
    response = client.post("/registers/guards/import/", {"file": _xlsx([_row(3, org="S3")])})
    assert response.status_code == 400 and Guard.objects.count() == 2


@pytest.mark.req("SM3.2")
def test_certificate_expiry_is_in_the_district_list_and_the_inbox(client, world, login):
    def guard(org, no, expires, **values):
        Guard.objects.create(
            org=org, name=f"保安{no}", certificate_no=no, certificate_expires_on=expires, **values
        )

    guard(world.S1, "E1", date(2026, 11, 20))  # expired
    guard(world.S1, "E2", date(2026, 12, 15))  # due soon
    guard(world.S1, "E3", date(2027, 9, 1))  # valid
    guard(world.S1, "E4", date(2026, 10, 1), active=False)  # left: no longer counts
    guard(world.S3, "E5", date(2026, 11, 1))
    login(world.users["school"])
    text = client.get("/registers/expiring/?kind=guards.certificate_expires_on").content.decode()
    assert "保安E1（E1）" in text and "保安E2（E2）" in text
    assert "保安E3" not in text and "保安E4" not in text and "保安E5" not in text
    inbox = client.get("/inbox/").content.decode()
    assert "保安员 · 保安员证" in inbox
    login(world.users["bureau"])
    text = client.get("/registers/expiring/?state=expired").content.decode()
    assert "保安E1" in text and "保安E5" in text and "保安E2" not in text
    listed = client.get("/registers/guards/?due=expired").content.decode()
    assert "保安E1" in listed and "保安E5" in listed and "保安E3" not in listed
    login(world.users["other_bureau"])
    assert "保安E1" not in client.get("/registers/expiring/").content.decode()


@pytest.mark.req("SM3.2")
def test_the_list_counts_who_trained_this_autumn(client, world, login):
    def guard(no, trained, **values):
        Guard.objects.create(
            org=world.S1,
            name=f"保安{no}",
            certificate_no=no,
            certificate_expires_on=date(2027, 6, 1),
            trained_on=trained,
            **values,
        )

    guard("T1", date(2026, 9, 15))
    guard("T2", date(2026, 10, 30))
    guard("T3", date(2026, 3, 1))  # last spring
    guard("T4", None)
    guard("T5", date(2026, 9, 15), active=False)
    login(world.users["principal"])
    page = client.get("/registers/guards/")
    assert [value for _label, value in page.context["figures"]] == [4, 4, "2 / 4"]
    text = page.content.decode()
    assert "今年秋季已培训" in text and "2 / 4" in text
