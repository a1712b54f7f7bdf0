"""The status of the devices updates in bulk from a video platform's export (Excel or CSV, GBK
or UTF-8) and from a status feed posted to the API — both through the register's one import
path, status columns only, all or nothing."""

import io
import json
from datetime import date

import pytest

from anwen import importing
from anwen.audit.models import AuditEvent
from anwen.devices.models import Device
from anwen.devices.registers import DEVICES, STATUS
from anwen.registers import imports
from anwen.testing.world import api_key

from .conftest import csv_file, xlsx

pytestmark = pytest.mark.django_db

STATUS_PAGE = "/devices/status/"
FEED = "/api/v1/devices/status"
# A video platform's export: its own headers, its own column order, columns anwen does not read.
EXPORT_HEADER = "学校代码,学校名称,设备编号,通道名称,是否联网,联网日期,检测日期"


def _state(code: str) -> tuple:
    d = Device.objects.get(code=code)
    return (d.networked, d.networked_on, d.last_checked_on, d.check_due, d.place, d.kind)


@pytest.mark.req("SM3.1", "PL8")
@pytest.mark.day(date(2026, 12, 1))
@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_video_platform_csv_export_updates_only_the_status_columns(
    client, world, login, device, encoding
):
    device("S1", "CAM-01", kind="camera", place="东门", networked=False)
    device("S1", "CAM-02", kind="camera", place="操场", networked=True)
    lines = [
        EXPORT_HEADER,
        "S1,永川区青峰镇中心小学,CAM-01,东门枪机,是,2026-11-30,2026/11/30",
        "S1,永川区青峰镇中心小学,CAM-02,操场球机,否,,",
    ]
    login(world.users["school"])
    response = client.post(STATUS_PAGE, {"file": csv_file(lines, encoding=encoding)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    # The export's own device name (通道名称) is not anwen's place: the place stays.
    assert _state("CAM-01") == (
        True,
        date(2026, 11, 30),
        date(2026, 11, 30),
        date(2026, 12, 30),
        "东门",
        "camera",
    )
    # An empty cell keeps what is stored: the last check of 20 November stays.
    assert _state("CAM-02")[:3] == (False, None, date(2026, 11, 20))
    assert Device.objects.count() == 2


@pytest.mark.req("SM3.1", "PL8")
@pytest.mark.day(date(2026, 12, 1))
def test_a_status_file_naming_an_unknown_device_changes_nothing_and_names_the_row(
    client, world, login, device
):
    device("S1", "CAM-01", networked=False)
    rows = [
        ("S1", "CAM-01", "是", "2026-11-30"),
        ("S1", "CAM-99", "是", "2026-11-30"),  # not registered in anwen
        ("S3", "CAM-01", "是", ""),  # another school's code
    ]
    login(world.users["school"])
    response = client.post(
        STATUS_PAGE, {"file": xlsx(rows, header=("学校代码", "设备编号", "是否联网", "检测日期"))}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 3 行" in text and "CAM-99" in text
    assert "第 4 行" in text and "S3" in text
    assert "第 2 行" not in text
    assert _state("CAM-01")[0] is False  # nothing changed, not even the good row
    assert not Device.objects.filter(code="CAM-99").exists()


@pytest.mark.req("PL8")
def test_a_status_file_without_the_device_code_column_is_refused(client, world, login):
    login(world.users["school"])
    response = client.post(
        STATUS_PAGE, {"file": csv_file(["学校代码,是否联网", "S1,是"], encoding="utf-8")}
    )
    assert response.status_code == 400
    assert "设备编号" in response.content.decode()
    assert STATUS_PAGE in client.get("/devices/rates/").content.decode()
    login(world.users["leader"])  # sees the rates, manages no device
    assert STATUS_PAGE not in client.get("/devices/rates/").content.decode()
    assert client.get(STATUS_PAGE).status_code == 404


@pytest.mark.req("PL8")
@pytest.mark.day(date(2026, 12, 1))
def test_the_register_import_reads_a_csv_file_too(client, world, login):
    lines = [
        "学校代码,设备类型,设备编号,安装位置,是否联网,最近检查日期",
        "S1,一键报警,BJ-01,传达室,是,2026-11-02",
        "S1,门禁,MJ-01,南门,否,",
    ]
    login(world.users["school"])
    response = client.post(
        "/registers/devices/import/", {"file": csv_file(lines, encoding="gbk", name="设备.CSV")}
    )
    assert response.status_code == 302
    assert _state("BJ-01")[3] == date(2026, 12, 2)
    assert Device.objects.get(code="MJ-01").kind == "access"


def test_read_csv_is_bounded_and_refuses_what_is_not_text(world):
    sheet = imports.sheet_of(DEVICES, STATUS)
    lines = ["学校代码;设备编号;是否联网"] + [f"S1;D{n};是" for n in range(30)]
    result = importing.Result()
    rows = importing.read_csv(
        io.BytesIO("\n".join(lines).encode("utf-8")), sheet, result, limits=importing.Limits()
    )
    assert (
        result.ok
        and len(rows) == 30
        and rows[0] == (2, {"org": "S1", "code": "D0", "networked": "是"})
    )
    result = importing.Result()
    importing.read_csv(
        io.BytesIO("\n".join(lines).encode("utf-8")),
        sheet,
        result,
        limits=importing.Limits(max_rows=10),
    )
    assert "10" in str(result.problems[0])
    result = importing.Result()
    importing.read_csv(
        io.BytesIO(b"x" * 200), sheet, result, limits=importing.Limits(max_bytes=100)
    )
    assert not result.ok
    for junk in (b"PK\x03\x04\x00\x00\xff\xfe", "学校代码\x00".encode()):
        result = importing.Result()
        importing.read_csv(io.BytesIO(junk), sheet, result)
        assert not result.ok


# --- the status feed ------------------------------------------------------------------------


def _post(client, user, devices, key=None):
    return client.post(
        FEED,
        data=json.dumps({"devices": devices}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key or api_key(user)}",
    )


@pytest.mark.req("SM3.1", "PL9")
@pytest.mark.day(date(2026, 12, 1))
def test_a_status_feed_posted_twice_changes_nothing_the_second_time(client, world, device):
    device("S1", "BJ-01", networked=False)
    device("S3", "CAM-01", kind="camera", networked=True, in_service=True)
    feed = [
        {"school": "S1", "code": "BJ-01", "networked": True, "networked_on": "2026-11-30"},
        {"school": "S3", "code": "CAM-01", "in_service": False, "last_checked_on": "2026-11-29"},
    ]
    key = api_key(world.users["bureau"])  # the district's platform posts for every school
    first = _post(client, None, feed, key)
    assert first.status_code == 200, first.content
    assert first.json() == {"updated": 2, "unchanged": 0}
    before = {d.pk: _state(d.code) for d in Device.objects.all()}
    assert before[Device.objects.get(code="BJ-01").pk][:2] == (True, date(2026, 11, 30))
    assert Device.objects.get(code="CAM-01").in_service is False
    second = _post(client, None, feed, key)
    assert second.json() == {"updated": 0, "unchanged": 2}
    assert {d.pk: _state(d.code) for d in Device.objects.all()} == before
    imports_logged = AuditEvent.objects.filter(action="registers.devices.import")
    assert [e.data["updated"] for e in imports_logged.order_by("pk")] == [2, 0]


@pytest.mark.req("SM3.1", "PL9")
@pytest.mark.day(date(2026, 12, 1))
def test_a_feed_with_a_bad_row_writes_nothing_and_names_it(client, world, device):
    device("S1", "BJ-01", networked=False)
    device("S9", "BJ-01", networked=False)  # the other district's
    feed = [
        {"school": "S1", "code": "BJ-01", "networked": True},
        {"school": "S1", "code": "BJ-404", "networked": True},
        {"school": "S9", "code": "BJ-01", "networked": True},
        {"school": "S1", "code": "BJ-01", "last_checked_on": "2027-01-01"},
    ]
    response = _post(client, world.users["school"], feed)
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert [p["row"] for p in problems] == [2, 3, 4]
    assert "BJ-404" in problems[0]["message"] and "S9" in problems[1]["message"]
    assert not Device.objects.filter(networked=True).exists()
    assert _post(client, world.users["school"], {"bad": 1}).status_code == 422


@pytest.mark.req("PL9")
def test_the_feed_needs_a_token_of_someone_who_manages_devices(client, world, device):
    device("S1", "BJ-01", networked=False)
    feed = [{"school": "S1", "code": "BJ-01", "networked": True}]
    response = client.post(
        FEED, data=json.dumps({"devices": feed}), content_type="application/json"
    )
    assert response.status_code == 401
    assert _post(client, world.users["teacher"], feed).status_code == 404
    assert _post(client, world.users["other_bureau"], feed).status_code == 422  # not theirs
    assert Device.objects.get().networked is False
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/devices/status" in schema["paths"]


@pytest.mark.req("SM3.1")
@pytest.mark.day(date(2026, 12, 1))
def test_a_large_feed_in_few_states_updates_every_device_it_names(client, world, device):
    for n in range(40):
        device("S1" if n % 2 else "S2", f"SP-{n:02d}", kind="camera", place=f"点位{n}")
    feed = [
        {
            "school": "S1" if n % 2 else "S2",
            "code": f"SP-{n:02d}",
            "networked": True,
            "last_checked_on": "2026-11-30",
        }
        for n in range(30)
    ]
    response = _post(client, world.users["bureau"], feed)
    assert response.json() == {"updated": 30, "unchanged": 0}
    assert Device.objects.filter(networked=True, check_due=date(2026, 12, 30)).count() == 30
    untouched = Device.objects.filter(code__in=[f"SP-{n}" for n in range(30, 40)])
    assert not untouched.filter(networked=True).exists()
    assert Device.objects.get(code="SP-07").place == "点位7"
